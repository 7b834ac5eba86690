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
    assert any(problem in p for p in problems), problems


def test_lint_accepts_portable_formulas():
    assert lint_formula('=IF(ISTEXT($K5),IF(SUMPRODUCT(($K5=L!$B$2:$B$5)*1)=1,1,""),"")') == []
    assert lint_formula("=INDEX(L!$A$1:$C$3,MATCH($A5,L!$D$1:$D$3,1),2)") == []
    assert lint_formula("=COUNTIFS(S!$A$5:$A$9,1,S!$B$5:$B$9,3)+COUNT($H$5:$H$9)") == []


def test_rules_name_no_other_sheet():
    assert lint_rule("=$K5=MEDRISK_UNKNOWN", {"MEDRISK_UNKNOWN": "Listes!$Z$9"}) == []
    assert "names another sheet" in lint_rule("=$K5=Listes!$Z$9")[0]


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
