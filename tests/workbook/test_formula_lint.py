"""Every formula and conditional-format rule of generated workbooks follows the portability rules."""

from __future__ import annotations

import pytest
from support.answers import write_inventory
from support.wbtools import open_book

from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.workbook.lint import lint_formula, lint_rule


@pytest.mark.parametrize(
    "formula, problem",
    [
        ("=SUMPRODUCT(EXACT($K5:$S5,Listes!$B$2:$J$5)*1)", "EXACT is not in the allowed list"),
        ("=SUMPRODUCT(ISTEXT(A1:A3)*1)", "given to function ISTEXT"),
        ("=IF(A1:A3=1,1,0)", "given to function IF"),
        ("=A1:A3=1", "top level"),
        ("=SUM((A1:A3=1)*1)", "operator outside SUMPRODUCT"),
        ("=SUMPRODUCT(--(A1:A3=1))", "double negation"),
        ('=COUNTIF(A1:A3,"OUI")', "COUNTIF argument 2"),
        ("=COUNTIF(A1:A3,B1)", "COUNTIF argument 2"),
        ("=COUNTIFS(A1:A3,1,B1:B3,C1)", "COUNTIFS argument 4"),
        ("=MATCH(A1,B1:B3,0)", "match type 1"),
        ("=MATCH(A1,B1:B3)", "match type 1"),
        ("=INDIRECT(A1)", "INDIRECT is not in the allowed list"),
        ("=IF(ISNUMBER(NAMED),1,0)", "given to function ISNUMBER"),
    ],
)
def test_lint_catches_each_rule(formula, problem):
    problems = lint_formula(formula, {"NAMED": "Listes!$A$1:$A$3"})
    assert any(problem in p.text() for p in problems), problems


def test_lint_accepts_portable_formulas():
    assert lint_formula('=IF(ISTEXT($K5),IF(SUMPRODUCT(($K5=L!$B$2:$B$5)*1)=1,1,""),"")') == []
    assert lint_formula("=INDEX(L!$A$1:$C$3,MATCH($A5,L!$D$1:$D$3,1),2)") == []
    assert lint_formula("=COUNTIFS(S!$A$5:$A$9,1,S!$B$5:$B$9,3)+COUNT($H$5:$H$9)") == []


def test_rules_name_no_other_sheet():
    assert lint_rule("=$K5=MEDRISK_UNKNOWN", {"MEDRISK_UNKNOWN": "Listes!$Z$9"}) == []
    assert "names another sheet" in lint_rule("=$K5=Listes!$Z$9")[0].text()


def workbook_formulas(path):
    """(where, formula, is_rule) for every cell formula and conditional-format rule."""
    book = open_book(path)
    names = {name: dn.attr_text for name, dn in book.wb.defined_names.items()}
    out = []
    for ws in book.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    out.append((f"{ws.title}!{cell.coordinate}", cell.value, False))
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                for formula in rule.formula or []:
                    out.append((f"{ws.title} rule {cf.sqref}", "=" + formula, True))
    return out, names


@pytest.mark.parametrize(
    "options",
    [
        Options(spare_rows=4),
        Options(lang="en", per="cneh", spare_rows=2),
        Options(layout="form", split_by="none"),
        Options(layout="form", split_by="none", lang="en"),
        Options(spare_rows=4, register=True),
    ],
    ids=["grid-fr", "grid-en-per-cneh", "form-fr-register", "form-en-register", "grid-fr-register"],
)
def test_generated_formulas_are_portable(tmp_path, pack, options):
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": 12})
    if options.per == "cneh":
        inv.write_text(inv.read_text(encoding="utf-8-sig").replace("Classe CE", "Code CNEH"), "utf-8")
    result = generate(inv, tmp_path / "c", options, pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    formulas, names = workbook_formulas(path)
    assert sum(1 for *_, rule in formulas if rule) >= 5 and len(formulas) > 50
    register = pack.language(options.lang).register["sheet"]["name"]
    on_register = sum(1 for where, *_ in formulas if where.startswith(register + "!"))
    assert on_register == (6 * 50 if options.with_register else 0)
    problems = []
    for where, formula, rule in formulas:
        found = lint_rule(formula, names) if rule else lint_formula(formula, names)
        problems += [f"{where}: {p} in {formula}" for p in found]
    assert problems == []


@pytest.mark.parametrize("free", [False, True])
def test_row_formulas_are_one_template_with_the_row_number(pack, free):
    """The writer copies one row's formulas to every row by changing the row number only."""
    from medrisk_xl.workbook import contract
    from medrisk_xl.workbook.lists import make_lists
    from medrisk_xl.workbook.write.input_sheet import TEMPLATE_REF, TEMPLATE_ROW, InputLayout, row_formulas

    m = pack.method
    codes = ("ID", "DESIGNATION", *m.codes, *contract.RESULT_CODES)
    codes += (*(contract.points_code(c) for c in m.codes), contract.prefill_code("C1"))
    layout = InputLayout(codes, 30000, ("C1",))
    lists = make_lists(pack, "Listes")
    template = row_formulas(layout, lists, m, TEMPLATE_ROW, free)
    assert all(TEMPLATE_REF in f for f in template.values())
    for row in (4, 5, 99, 1047, 29999):
        direct = row_formulas(layout, lists, m, row, free)
        assert direct == {k: f.replace(TEMPLATE_REF, str(row + 1)) for k, f in template.items()}


def test_register_formulas_are_one_template_with_the_row_number(pack):
    from medrisk_xl.workbook.lists import make_lists, make_register_lists
    from medrisk_xl.workbook.write.input_sheet import TEMPLATE_REF, TEMPLATE_ROW
    from medrisk_xl.workbook.write.register_sheet import RegisterLayout, row_formulas

    rl = make_register_lists(make_lists(pack, "Listes"), pack, pack.language("fr"))
    layout = RegisterLayout(5000)
    template = row_formulas(layout, rl, TEMPLATE_ROW)
    assert len(template) == 6 and all(TEMPLATE_REF in f for f in template.values())
    for row in (4, 5, 99, 4999):
        direct = row_formulas(layout, rl, row)
        assert direct == {k: f.replace(TEMPLATE_REF, str(row + 1)) for k, f in template.items()}


# What the formulas compute, evaluated in the Python engine ``formulas`` one formula at a time (no
# workbook, no spreadsheet application): the list sheet's cells are given by hand.


def evaluate(formula: str, cells: dict[str, object]):
    """The value of ``formula`` given the value of each cell or range it reads (by reference, as
    written; a range as a list of values down one column; ``None`` for a blank cell)."""
    formulas = pytest.importorskip("formulas")
    import numpy as np
    import schedula as sh  # the engine's own notion of a blank cell (a dependency of formulas)

    func = formulas.Parser().ast(formula)[1].compile()
    by_name = {ref.replace("$", "").upper(): value for ref, value in cells.items()}
    args = []
    for name in func.inputs:
        value = by_name[name]
        if isinstance(value, list):  # a column, or rows given as lists
            value = np.array([v if isinstance(v, list) else [v] for v in value], dtype=object)
        args.append(sh.EMPTY if value is None else value)
    result = func(*args)
    value = result.tolist() if hasattr(result, "tolist") else result
    return value[0][0] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def lists(pack):
    from medrisk_xl.workbook.lists import make_lists

    return make_lists(pack, "Listes")


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        ("OUI", 0),
        ("non", 1),
        ("Ne Sait Pas", 1),  # counted as NO
        ("", ""),
        (None, ""),
        ("OUI ", "#?"),
        ("peut-être", "#?"),
        (1, "#?"),
        (True, "#?"),
    ],
)
def test_points_helper_applies_the_matching_rule(lists, answer, points):
    from medrisk_xl.workbook.formulas import answer_points_of

    formula = answer_points_of("V1", "$K5", lists)
    cells = {
        "$K5": answer,
        lists.labels_of("V1"): ["OUI", "NON", "NE SAIT PAS"],
        lists.points_of("V1"): [0, 1, 1],
        lists.marker: "#?",
    }
    assert evaluate(formula, cells) == points


@pytest.mark.parametrize(
    ("answer", "points_cell", "expected"),
    [("NON", 1, "actions V3"), ("NE SAIT PAS", 1, "actions V3"), ("OUI", 0, ""), ("NON", "#?", "")],
)
def test_item_actions_and_register_seed_show_only_for_a_valid_non_compliant_answer(
    lists, pack, answer, points_cell, expected
):
    from medrisk_xl.workbook.formulas import item_actions, seed_proposal
    from medrisk_xl.workbook.lists import make_register_lists

    cells = {"$H20": points_cell, "$G20": answer, lists.item_actions("V3"): "actions V3"}
    cells |= dict(zip(lists.non_compliant_labels("V3"), ["NON", "NE SAIT PAS"]))
    assert evaluate(item_actions("$H20", "$G20", lists, "V3"), cells) == expected
    rl = make_register_lists(lists, pack, pack.language("fr"))
    cells[rl.seed("V3")] = "actions V3"
    assert evaluate(seed_proposal("$H20", "$G20", lists, rl, "V3"), cells) == expected


def test_form_results_read_the_form_answers_points_column(lists):
    """Form layout: answers in column G, points helpers in H; rows 5-13 the criteria, 15-24 the
    items (0-based 4-12 and 14-23)."""
    from medrisk_xl.workbook.formulas import form_formulas

    criteria, items = [f"C{i}" for i in range(1, 10)], [f"V{i}" for i in range(1, 11)]
    rows = {c: 4 + i for i, c in enumerate(criteria)} | {v: 14 + i for i, v in enumerate(items)}
    results = {"CRIT_SCORE": 26, "CRIT_LEVEL": 27, "VULN_SCORE": 28, "VULN_LEVEL": 29, "RISK_LEVEL": 30}
    results["STATUS"] = 31
    out = form_formulas(rows, results, lists, criteria, items, ["C1"])
    assert set(out) == {(r, 7) for r in rows.values()} | {(r, 6) for r in results.values()}
    assert out[(4, 7)].startswith("=IF(ISTEXT($G5),") and out[(23, 7)].startswith("=IF(ISTEXT($G24),")
    assert "SUM($H$5:$H$13)" in out[(26, 6)] and "SUM($H$15:$H$24)" in out[(28, 6)]
    assert "$G$15:$G$24=" in out[(31, 6)] and "$J$5" in out[(31, 6)]  # "don't know" items; C1 pre-filled
    assert ",19," in out[(31, 6)] or "<19," in out[(31, 6)]  # 19 answers make a complete device


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=IF( a1 = "Oui  x" , 1 ,"")', 'IF(A1="Oui  x",1,"")'),
        ('if(A1="say ""Hi""",sum(b1:b2),0)', 'IF(A1="say ""Hi""",SUM(B1:B2),0)'),
        ("==a1", "A1"),
        ("=X1+1", "X1+1"),
        ("A1=", "A1="),
    ],
)
def test_normalise_ignores_case_spaces_and_the_leading_equals_outside_strings(text, expected):
    from medrisk_xl.workbook.formulas import normalise

    assert normalise(text) == expected


STATUS_CELLS = ("complete", "to_confirm", "incomplete", "empty", "invalid")


def row_cells(lists, crit, vuln, answers, prefilled=(None, None), status=None):
    """A grid row of 2 criteria (points in B:C), 2 items (points in D:E, answers in F:G), C1 and C2
    pre-filled (their pre-filled points in H:I) and the list sheet's cells, by hand."""
    cells = {"$B5:$C5": [list(crit)], "$D5:$E5": [list(vuln)], "$F5:$G5": [list(answers)]}
    cells |= {"$B5": crit[0], "$C5": crit[1], "$H5": prefilled[0], "$I5": prefilled[1], "$S5": status}
    cells |= {lists.status(key): f"S-{key}" for key in STATUS_CELLS}
    return cells | {lists.marker: "#?", lists.unknown: "NE SAIT PAS"}


def row_results(lists):
    from medrisk_xl.workbook.formulas import Terms, result_formulas

    terms = Terms(
        answers={},
        points={"C1": "$B5", "C2": "$C5"},
        crit_points="$B5:$C5",
        vuln_points="$D5:$E5",
        vuln_answers="$F5:$G5",
        prefill={"C1": "$H5", "C2": "$I5"},
    )
    cell = {"STATUS": "$S5", "CRIT_SCORE": "$T5", "VULN_SCORE": "$U5"}
    cell |= {"CRIT_LEVEL": "$V5", "VULN_LEVEL": "$W5"}
    return result_formulas(cell, terms, lists, 4)


@pytest.mark.parametrize(
    ("crit", "vuln", "answers", "prefilled", "status"),
    [
        ((2, 3), (1, 0), ("NON", "OUI"), (None, None), "S-complete"),
        ((2, 3), (1, 0), ("NE SAIT PAS", "OUI"), (None, None), "S-to_confirm"),
        ((2, ""), (1, 0), ("NON", "OUI"), (None, None), "S-incomplete"),
        ((2, "#?"), (1, 0), ("NON", "OUI"), (None, None), "S-invalid"),
        (("", ""), ("", ""), ("", ""), (None, None), "S-empty"),
        ((2, 3), ("", ""), ("", ""), (2, 3), "S-empty"),  # only the pre-filled answers, untouched
        ((2, 4), ("", ""), ("", ""), (2, 3), "S-incomplete"),  # one of them changed
        ((2, ""), ("", ""), ("", ""), (2, None), "S-empty"),
    ],
)
def test_status_formula(lists, crit, vuln, answers, prefilled, status):
    formula = row_results(lists)["STATUS"]
    assert evaluate(formula, row_cells(lists, crit, vuln, answers, prefilled)) == status


@pytest.mark.parametrize(
    ("status", "crit_score", "vuln_score"),
    [("S-complete", 5, 1), ("S-to_confirm", 5, 1), ("S-incomplete", "", ""), ("S-invalid", "#?", "#?")],
)
def test_scores_show_only_for_a_scored_row(lists, status, crit_score, vuln_score):
    formulas = row_results(lists)
    cells = row_cells(lists, (2, 3), (1, 0), ("NON", "OUI"), status=status)
    assert evaluate(formulas["CRIT_SCORE"], cells) == crit_score
    assert evaluate(formulas["VULN_SCORE"], cells) == vuln_score


def test_conditional_formats_read_four_workbook_names(lists):
    from medrisk_xl.workbook.formulas import defined_names

    assert defined_names(lists) == {
        "MEDRISK_UNKNOWN": lists.unknown,
        "MEDRISK_STATUS_INVALID": lists.status("invalid"),
        "MEDRISK_STATUS_TO_CONFIRM": lists.status("to_confirm"),
        "MEDRISK_STATUS_COMPLETE": lists.status("complete"),
    }


@pytest.mark.parametrize(
    ("severity", "probability", "points", "level"),
    [
        ("S2", "P5", (2, 5), 25),
        ("s4", "P1", (4, 1), 41),
        ("S2", "", (2, ""), ""),  # not assessed yet
        ("S9", "P1", ("#?", 1), "#?"),
        ("", "P9", ("", "#?"), "#?"),
    ],
)
def test_register_row_ranks_its_answers_and_reads_the_grid(lists, pack, severity, probability, points, level):
    """Severities S1-S5 and probabilities P1-P5 (ranks 1-5) and a grid whose level at (s, p) is
    10s+p, all given by hand."""
    from medrisk_xl.workbook import contract
    from medrisk_xl.workbook.formulas import register_formulas
    from medrisk_xl.workbook.lists import make_register_lists

    rl = make_register_lists(lists, pack, pack.language("fr"))
    codes = ("SEVERITY", "PROBABILITY", "RES_SEVERITY", "RES_PROBABILITY")
    cell = {code: f"${letter}7" for code, letter in zip(codes, "CDEF")}
    cell |= {contract.points_code(code): f"${letter}7" for code, letter in zip(codes, "WXYZ")}
    out = register_formulas(cell, rl)
    cells = {"$C7": severity, "$D7": probability, "$W7": points[0], "$X7": points[1], lists.marker: "#?"}
    cells |= {rl.labels("severity"): [f"S{i}" for i in range(1, 6)], rl.ranks("severity"): [1, 2, 3, 4, 5]}
    cells |= {
        rl.labels("probability"): [f"P{i}" for i in range(1, 6)],
        rl.ranks("probability"): [1, 2, 3, 4, 5],
    }
    cells[rl.grid] = [[10 * s + p for p in range(1, 6)] for s in range(1, 6)]
    assert evaluate(out[contract.points_code("SEVERITY")], cells) == points[0]
    assert evaluate(out[contract.points_code("PROBABILITY")], cells) == points[1]
    assert evaluate(out["RISK_INITIAL"], cells) == level
