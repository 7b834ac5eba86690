"""Proof in a real engine: generated workbooks, filled from their own dropdowns, recalculated
by LibreOffice headless, compute exactly what the reference scorer computes."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from wbtools import fill, open_book

from medrisk_xl import score
from medrisk_xl.campaign import Options, generate
from medrisk_xl.libreoffice import convert, error_cells
from medrisk_xl.workbook.contract import ALLOWED_FUNCTIONS, RESULT_CODES

pytestmark = pytest.mark.libreoffice

CRIT = [f"C{i}" for i in range(1, 10)]
VULN = [f"V{i}" for i in range(1, 11)]
INVALID_PASTES = [
    ("V3", "oui"),
    ("C2", "5"),
    ("V7", " OUI"),
    ("C9", "Aucune répercussion "),
    ("V1", "peut-être"),
]


def crit_with_sum(total: int) -> dict[str, int]:
    out, rest = {}, total - 9
    for code in CRIT:
        extra = min(3, rest)
        out[code] = extra
        rest -= extra
    return out


def vuln_with_sum(total: int, no: int = 1) -> dict[str, int]:
    return {code: (no if i < total else 0) for i, code in enumerate(VULN)}


STRUCTURED = 28 + 11 + 9 + 15 + len(INVALID_PASTES) + 1  # rows before the random devices


def plan_answers(n_rows: int, rng: random.Random) -> list[dict[str, int | str | None]]:
    """Answer choices (dropdown option indexes) covering the whole method, then random devices."""
    rows: list[dict[str, int | str | None]] = []
    rows += [{**crit_with_sum(s), **vuln_with_sum(s % 11)} for s in range(9, 37)]  # every criticality sum
    rows += [
        {**crit_with_sum(9 + 3 * v), **vuln_with_sum(v, no=1 + v % 2)} for v in range(11)
    ]  # every vuln sum
    rows += [
        {**crit_with_sum(c), **vuln_with_sum(v)} for c in (10, 18, 30) for v in (1, 4, 8)
    ]  # 9 matrix cells
    for _ in range(15):  # incomplete: some answers missing (cleared), never scored
        answers: dict[str, int | str | None] = {
            **{c: rng.randrange(4) for c in CRIT},
            **{v: rng.randrange(3) for v in VULN},
        }
        for code in rng.sample(CRIT + VULN, rng.randint(1, 18)):
            answers[code] = None
        rows.append(answers)
    for code, pasted in INVALID_PASTES:  # pasted values outside the list
        answers = {**crit_with_sum(20), **vuln_with_sum(5)}
        answers[code] = pasted
        rows.append(answers)
    rows.append({c: None for c in CRIT + VULN})  # a device left untouched (C1 cleared too)
    assert len(rows) == STRUCTURED
    while len(rows) < n_rows:
        rows.append({**{c: rng.randrange(4) for c in CRIT}, **{v: rng.choice([0, 0, 1, 1, 2]) for v in VULN}})
    return rows


def write_inventory(path: Path, sizes: dict[str, int]) -> None:
    classes = ["I", "IIa", "IIb", "III", ""]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["N° inventaire", "Désignation", "Marque", "Service", "Site", "Classe CE"])
        n = 0
        for dept, size in sizes.items():
            for _ in range(size):
                n += 1
                w.writerow([f"DM-{n:06d}", f"Appareil {n}", "Medivia", dept, "Nord", classes[n % 5]])


@pytest.fixture(scope="module")
def engine_run(tmp_path_factory, soffice, pack):
    """Generate 2 workbooks (640 devices), fill them, recalculate fresh and filled copies."""
    base = tmp_path_factory.mktemp("engine")
    inv = base / "inventory.csv"
    write_inventory(inv, {"Réanimation": 340, "Urgences": 300})
    result = generate(
        inv, base / "campaign", Options(campaign="proof", password="secret", spare_rows=5), pack
    )
    books = [base / "campaign" / e["file"] for e in result.manifest["workbooks"]]
    rng = random.Random(20261126)
    filled, plans = [], {}
    for book_path in books:
        book = open_book(book_path)
        rows = list(book.rows)
        answers = plan_answers(len(rows), rng)
        plans[book_path.stem] = dict(zip(rows, answers))
        out = base / f"{book_path.stem}-filled.xlsx"
        fill(book_path, out, plans[book_path.stem])
        filled.append(out)
    recalculated = convert(books + filled, base / "recalc")
    fresh = dict(zip([b.stem for b in books], recalculated[: len(books)]))
    done = dict(zip([b.stem for b in books], recalculated[len(books) :]))
    return {"books": books, "fresh": fresh, "filled": done, "plans": plans, "pack": pack}


def _value(v):
    return "" if v is None else v


def expected_row(pack, book, answers: dict[str, int | str | None]) -> dict[str, object]:
    """What the reference scorer says the computed cells must show (in the workbook's language)."""
    language = pack.language(book.meta["language"])
    ui = language.ui
    if any(isinstance(v, str) for v in answers.values()):
        marker = ui["invalid_marker"]
        return {**{code: marker for code in RESULT_CODES}, "STATUS": ui["invalid_status"]}
    labels = {code: language.answer_labels(code)[i] for code, i in answers.items() if i is not None}
    result = score(labels, pack)
    return {
        "CRIT_SCORE": _value(result.criticality_score),
        "CRIT_LEVEL": _value(result.criticality_level),
        "VULN_SCORE": _value(result.vulnerability_score),
        "VULN_LEVEL": _value(result.vulnerability_level),
        "RISK_LEVEL": _value(result.risk_level),
        "STATUS": language.status_label(result.status),
    }


def test_filled_workbooks_compute_what_the_scorer_computes(engine_run):
    pack = engine_run["pack"]
    checked, statuses, cells = 0, set(), set()
    crit_sums, vuln_sums = set(), set()
    for stem, path in engine_run["filled"].items():
        book = open_book(path, data_only=True)
        cols = book.columns
        plan = engine_run["plans"][stem]
        for row in book.rows:
            answers = plan.get(row)
            if answers is None:  # a spare row nobody filled: shows an empty status only
                answers = {}
            want = expected_row(pack, book, answers)
            got = {code: _value(book.input.cell(row, cols[code]).value) for code in RESULT_CODES}
            assert got == want, f"{stem} row {row}: answers {answers}"
            checked += 1
            statuses.add(want["STATUS"])
            if isinstance(want["CRIT_SCORE"], int):
                crit_sums.add(want["CRIT_SCORE"])
                vuln_sums.add(want["VULN_SCORE"])
                cells.add((want["VULN_LEVEL"], want["CRIT_LEVEL"]))
    assert checked >= 640
    random_rows = sum(len(plan) - STRUCTURED for plan in engine_run["plans"].values())
    assert random_rows >= 500
    assert crit_sums == set(range(9, 37)) and vuln_sums == set(range(0, 11))
    assert len(cells) == 9
    fr = pack.language("fr")
    assert {fr.status_label(s) for s in ("empty", "incomplete", "to_confirm", "complete")} | {
        fr.ui["invalid_status"]
    } <= statuses


def test_matrix_and_summary_counts(engine_run):
    pack = engine_run["pack"]
    for stem, path in engine_run["filled"].items():
        book = open_book(path, data_only=True)
        cols = book.columns
        counts: dict[tuple[int, int], int] = {}
        for row in book.rows:
            c, v = (
                book.input.cell(row, cols["CRIT_LEVEL"]).value,
                book.input.cell(row, cols["VULN_LEVEL"]).value,
            )
            if isinstance(c, (int, float)) and isinstance(v, (int, float)):
                counts[(int(v), int(c))] = counts.get((int(v), int(c)), 0) + 1
        # and the same counts straight from the scorer
        expected: dict[tuple[int, int], int] = {}
        for row in book.rows:
            want = expected_row(pack, book, engine_run["plans"][stem].get(row, {}))
            if isinstance(want["CRIT_LEVEL"], int):
                key = (want["VULN_LEVEL"], want["CRIT_LEVEL"])
                expected[key] = expected.get(key, 0) + 1
        assert counts == expected
        matrix = book.wb[pack.language("fr").ui["sheets"]["matrix"]]
        for i, v in enumerate((3, 2, 1)):
            for c in (1, 2, 3):
                assert matrix.cell(5 + i, 2 + c).value == expected.get((v, c), 0), (stem, v, c)


def test_no_error_values_fresh_or_filled(engine_run):
    for path in [*engine_run["fresh"].values(), *engine_run["filled"].values()]:
        assert error_cells(path) == [], path.name


def test_cached_values_match_libreoffice(engine_run):
    """A viewer that does not recalculate shows the same figures as LibreOffice after recalculation."""
    for book_path in engine_run["books"]:
        cached = open_book(book_path, data_only=True)
        fresh = open_book(engine_run["fresh"][book_path.stem], data_only=True)
        for ws_name in cached.wb.sheetnames:
            for row in cached.wb[ws_name].iter_rows():
                for cell in row:
                    other = fresh.wb[ws_name][cell.coordinate].value
                    assert _value(cell.value) == _value(other), (
                        f"{book_path.name} {ws_name}!{cell.coordinate}"
                    )


FUNC = re.compile(r"([A-Z][A-Z0-9.]*)\(")


def test_formulas_use_only_portable_functions(engine_run):
    seen: set[str] = set()
    for book_path in engine_run["books"]:
        book = open_book(book_path)
        for ws in book.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        text = re.sub(r'"[^"]*"', "", cell.value)  # ignore string literals
                        seen |= set(FUNC.findall(text))
            for cf in ws.conditional_formatting:
                for rule in cf.rules:
                    for formula in rule.formula or []:
                        seen |= set(FUNC.findall(re.sub(r'"[^"]*"', "", formula)))
    assert seen, "no formula found"
    assert seen <= ALLOWED_FUNCTIONS, seen - ALLOWED_FUNCTIONS


def test_site_pack_english_asymmetric_matrix(tmp_path, soffice, edit_pack, pack_copy):
    """A site pack's thresholds and (asymmetric) matrix travel into the formulas."""
    from medrisk_xl import load_pack

    def change(d):
        d["criticality"]["levels"] = [
            {"level": 1, "min": 0, "max": 15},
            {"level": 2, "min": 16, "max": 27},
            {"level": 3, "min": 28, "max": 36},
        ]
        d["risk"]["matrix"][1][3] = 3
        d["risk"]["matrix"][3][1] = 1

    site = load_pack(edit_pack("method.yaml", change))
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"ICU": 120})
    result = generate(inv, tmp_path / "c", Options(lang="en", spare_rows=0), site)
    book_path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(book_path)
    rng = random.Random(7)
    rows = list(book.rows)
    answers = [
        {**crit_with_sum(c), **vuln_with_sum(v)} for c in (12, 16, 20, 28, 33) for v in (0, 2, 5, 7, 10)
    ]
    answers += [
        {**{c: rng.randrange(4) for c in CRIT}, **{v: rng.randrange(3) for v in VULN}}
        for _ in range(len(rows) - len(answers))
    ]
    plan = dict(zip(rows, answers))
    fill(book_path, tmp_path / "filled.xlsx", plan)
    (out,) = convert([tmp_path / "filled.xlsx"], tmp_path / "recalc")
    done = open_book(out, data_only=True)
    assert done.meta["language"] == "en"
    cols = done.columns
    risks = set()
    for row in done.rows:
        want = expected_row(site, done, plan[row])
        got = {code: _value(done.input.cell(row, cols[code]).value) for code in RESULT_CODES}
        assert got == want, row
        risks.add((want["VULN_LEVEL"], want["CRIT_LEVEL"], want["RISK_LEVEL"]))
    assert (1, 3, 3) in risks and (3, 1, 1) in risks


def test_hostile_text_stays_text_in_libreoffice(tmp_path, soffice, pack):
    hostile = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "+33 1", "-2", "@SUM(A1)", "=NOSUCH()"]
    inv = tmp_path / "hostile.csv"
    with inv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["N° inventaire", "Désignation", "Service"])
        for i, text in enumerate(hostile):
            w.writerow([f"=ID{i}", text, "=Réa"])
    result = generate(inv, tmp_path / "out", Options(spare_rows=0), pack)
    (out,) = convert([tmp_path / "out" / result.manifest["workbooks"][0]["file"]], tmp_path / "recalc")
    assert error_cells(out) == []
    book = open_book(out, data_only=True)
    cols = book.columns
    assert [book.input.cell(r, cols["DESIGNATION"]).value for r in book.rows] == hostile
    assert [book.input.cell(r, cols["ID"]).value for r in book.rows] == [
        f"=ID{i}" for i in range(len(hostile))
    ]


def test_form_layout_computes_what_the_scorer_computes(tmp_path, soffice, pack):
    """Form layout: one sheet per device; results, matrix position, plan and item actions."""
    import json

    from wbtools import fill_forms, form_rows

    from medrisk_xl.workbook.lists import item_actions_text

    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Achats": 24})
    result = generate(inv, tmp_path / "c", Options(layout="form", split_by="none"), pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    forms = json.loads(book.meta["forms"])
    assert book.meta["layout"] == "form" and len(forms) == 24
    rng = random.Random(11)
    cases = [{**crit_with_sum(c), **vuln_with_sum(v)} for c in (10, 18, 30) for v in (1, 4, 8)]
    cases += [
        {**crit_with_sum(20), **vuln_with_sum(3, no=2)},
        {c: None for c in CRIT + VULN},
        {**crit_with_sum(15), "V2": 1},
        {**crit_with_sum(20), **vuln_with_sum(5), "C4": "pasted"},
    ]
    while len(cases) < len(forms):
        cases.append({**{c: rng.randrange(4) for c in CRIT}, **{v: rng.randrange(3) for v in VULN}})
    plan = dict(zip(forms, cases))
    fill_forms(path, tmp_path / "filled.xlsx", plan)
    (out,) = convert([tmp_path / "filled.xlsx"], tmp_path / "recalc")
    assert error_cells(out) == []
    done = open_book(out, data_only=True)
    fr = pack.language("fr")
    marker = fr.ui["form"]["marker"]
    positions = set()
    for name in forms:
        ws = done.wb[name]
        rows = form_rows(ws)
        want = expected_row(pack, done, plan[name])
        got = {code: _value(ws.cell(rows[code], 7).value) for code in RESULT_CODES}
        assert got == want, name
        # the matrix shows the marker in exactly the device's cell
        marked = [(cell.row, cell.column) for row in ws.iter_rows() for cell in row if cell.value == marker]
        if isinstance(want["RISK_LEVEL"], int):
            assert len(marked) == 1
            positions.add((want["VULN_LEVEL"], want["CRIT_LEVEL"]))
            plan_text = fr.actions["plans"][want["RISK_LEVEL"]]["title"]
            assert any(plan_text in str(c.value) for row in ws.iter_rows() for c in row if c.value)
        else:
            assert marked == []
        for code in VULN:
            shown = _value(ws.cell(rows[f"{code}_ACTIONS"], 3).value)
            choice = plan[name].get(code)
            assert (shown == item_actions_text(fr, code)) == (choice in (1, 2)), (name, code)
    assert len(positions) == 9
