"""Proof in three real engines: generated workbooks, filled from their own dropdowns (plus bad
pastes and typed formulas), recalculated by LibreOffice, Gnumeric and ``formulas``, show exactly
what the Python twin of the formulas (``workbook/shown.py``, on the reference scorer and the
matching rule) says they must: every computed cell, 0 mismatches, no error value."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.answers import (
    CRIT,
    VULN,
    Choice,
    crit_with_sum,
    effective,
    random_answers,
    vuln_with_sum,
    write_inventory,
)
from support.engines import ENGINES, ERRORS, formula_cells, read_values, recalculate
from support.wbtools import Raw, Typed, fill, fill_forms, form_rows, open_book

from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.contract import Meta
from medrisk_xl.workbook.lists import STATUS_KEYS, item_actions_text, seed_text, status_texts
from medrisk_xl.workbook.read.reader import grid_columns, read_workbook
from medrisk_xl.workbook.shown import BLANK, SCORED, shown_values, view_row

pytestmark = pytest.mark.libreoffice


# What people type or paste into an answer cell, with the status the row must show, written by
# hand from the rule (README "How an answer is read"): anything non-empty that is not a label's
# text is invalid. (A non-breaking space inside a label is left out: Gnumeric reads it as a space,
# see GNUMERIC_DIVERGES in tests/support/oracles.py.)
PASTED: list[tuple[str, Choice, str]] = [
    ("V3", Raw(0), "invalid"),
    ("V3", Raw(1), "invalid"),
    ("C2", Raw(1), "invalid"),
    ("V3", Raw(0.0), "invalid"),
    ("V3", Raw(True), "invalid"),
    ("V3", Raw(False), "invalid"),
    ("C5", Raw(dt.datetime(2026, 3, 1)), "invalid"),
    ("V3", Raw("#N/A"), "invalid"),
    ("V3", "OUI " + "x" * 3000, "invalid"),
    ("V3", "OUI\u00a0", "invalid"),
]


def strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def tricky_inputs(pack: ContentPack, language: Language) -> list[tuple[str, Choice]]:
    """Values a department may leave in an answer cell, beside a dropdown choice."""
    other = next(lang for code, lang in pack.languages.items() if code != language.code)
    c2, v3 = language.answer_labels("C2"), language.answer_labels("V3")
    accented = [
        (code, strip_accents(label))
        for code in CRIT
        for label in language.answer_labels(code)
        if strip_accents(label) != label
    ][:1]  # a missing accent: invalid (French labels have accents, English ones none)
    return [
        *accented,
        ("V3", v3[0].lower()),  # other case: counts, as the = comparison does
        ("V3", v3[2].lower()),
        ("C2", c2[1].upper()),
        ("V3", " " + v3[0]),  # spaces: invalid
        ("C2", c2[0] + " "),
        ("C2", other.answer_labels("C2")[2]),  # the other language's label: invalid
        ("V3", other.answer_labels("V3")[1]),
        ("C2", "2"),  # points as text, and as a number: invalid
        ("C2", Typed("=2", 2)),
        ("V3", "*"),
        ("V3", "?"),
        ("C2", "~1"),
        ("C2", "*"),
        ("V3", ""),  # an empty text: no answer
        ("V3", Typed("=1+1", 2)),  # typed formulas
        ("V3", Typed(f'="{v3[0].lower()}"', v3[0].lower())),
        ("C2", Typed("=1/0", "#DIV/0!")),
        ("V3", Typed("=1/0", "#DIV/0!")),
        *((code, value) for code, value, _ in PASTED),
    ]


def covering_answers(rng: random.Random, tricky: list[tuple[str, Choice]]) -> list[dict[str, Choice]]:
    """Every criticality sum, every vulnerability sum, every matrix cell, incomplete rows, rows
    left as generated (C1 pre-filled), and each tricky input in an otherwise complete row."""
    rows: list[dict[str, Choice]] = []
    rows += [{**crit_with_sum(s), **vuln_with_sum(s % 11)} for s in range(9, 37)]
    rows += [{**crit_with_sum(9 + 3 * v), **vuln_with_sum(v, no=1 + v % 2)} for v in range(11)]
    rows += [{**crit_with_sum(c), **vuln_with_sum(v)} for c in (10, 18, 30) for v in (1, 4, 8)]
    for _ in range(15):
        answers = random_answers(rng)
        for code in rng.sample(CRIT + VULN, rng.randint(1, 18)):
            answers[code] = None
        rows.append(answers)
    rows += [{}, {}, {"C1": None}]  # untouched (pre-filled C1 kept), and C1 cleared too
    rows.append({"C1": 3, "C4": 0})  # touched beside the pre-fill: incomplete
    for code, value in tricky:
        answers = {**crit_with_sum(20), **vuln_with_sum(5)}
        answers[code] = value
        rows.append(answers)
    return rows


@dataclass
class GridRow:
    """One row of a generated input sheet and what the test put in it."""

    row: int
    values: dict[str, Any]  # answer code -> value the cell holds after filling
    prefill: dict[str, int]
    free: bool
    has_id: bool
    typed: set[str]  # codes holding a typed formula


def grid_rows(book_path: Path, plan: dict[int, dict[str, Choice]], pack: ContentPack) -> list[GridRow]:
    """Every device row of a generated workbook (read with the package's reader, through the
    contract), with the test's fill applied."""
    book = read_workbook(book_path)
    meta, cols, m = book.meta, grid_columns(book), pack.method
    sheet = book.sheets[meta[Meta.INPUT_SHEET]]
    language = pack.language(meta[Meta.LANGUAGE])
    first_spare = int(meta[Meta.FIRST_SPARE_ROW] or 10**9)
    out = []
    for r in range(int(meta[Meta.FIRST_ROW]), int(meta[Meta.LAST_ROW]) + 1):
        values = {code: sheet.value(r, cols[code]) for code in m.codes}
        prefill = {}
        for code in m.criterion_codes:
            helper = cols.get(contract.prefill_code(code))
            points = sheet.value(r, helper) if helper else ""
            if points != "":
                prefill[code] = m.answer_points(code).index(int(points))
        changes = plan.get(r, {})
        for code, choice in changes.items():
            if code in m.codes:
                values[code] = effective(choice, language.answer_labels(code))
        ident = changes.get("ID", sheet.value(r, cols["ID"]))
        typed = {c for c, v in changes.items() if isinstance(v, Typed)}
        out.append(GridRow(r, values, prefill, r >= first_spare, bool(ident), typed))
    return out


# The departments of the filled campaign. The Python engine (about 170 formulas a second) gets the
# same covering rows (every sum, every matrix cell, every status, every tricky input) with fewer
# random ones beside them: the proofs only it adds, in a third of LibreOffice's and Gnumeric's rows.
GRID_DEPARTMENTS = {"Réanimation": 360, "Urgences": 320}
PYTHON_GRID_DEPARTMENTS = {"Réanimation": 130, "Urgences": 110}


def make_grid_campaign(base: Path, pack: ContentPack, departments: dict[str, int]) -> dict[str, Any]:
    """Two FR workbooks (free rows), filled: the covering rows, then random answers."""
    inv = base / "inventory.csv"
    write_inventory(inv, departments)
    result = generate(inv, base / "c", Options(campaign="proof", password="secret", spare_rows=5), pack)
    books = [base / "c" / e["file"] for e in result.manifest["workbooks"]]
    rng = random.Random(20261126)
    tricky = tricky_inputs(pack, pack.language("fr"))
    plans, filled = {}, []
    for path in books:
        book = open_book(path)
        rows = list(book.rows)
        first_spare = int(book.meta["first_spare_row"])
        devices = [r for r in rows if r < first_spare]
        answers = covering_answers(rng, tricky)
        answers += [random_answers(rng) for _ in range(len(devices) - len(answers))]
        plan: dict[int, dict[str, Choice]] = dict(zip(devices, answers))
        plan[first_spare] = {"ID": "NEW-1", **random_answers(rng)}  # a device added in a free row
        plan[first_spare + 1] = {"C3": 1, "V2": 0}  # answers without an id: still a device
        plan[first_spare + 2] = {"ID": "NEW-2"}  # an id only: a device not started
        plans[path] = plan
        out = base / f"{path.stem}-filled.xlsx"
        fill(path, out, plan)
        filled.append(out)
    devices = sum(departments.values())
    return {
        "base": base,
        "books": books,
        "filled": dict(zip(books, filled)),
        "plans": plans,
        "devices": devices,
    }


@pytest.fixture(scope="module")
def grid_campaign(tmp_path_factory, pack):
    return make_grid_campaign(tmp_path_factory.mktemp("grid"), pack, GRID_DEPARTMENTS)


@pytest.fixture(scope="module")
def python_grid_campaign(tmp_path_factory, pack):
    return make_grid_campaign(tmp_path_factory.mktemp("grid-python"), pack, PYTHON_GRID_DEPARTMENTS)


@pytest.fixture(scope="module")
def fresh_books(tmp_path_factory, pack):
    """Workbooks as generated (two departments, C1 pre-filled on most rows, free rows)."""
    base = tmp_path_factory.mktemp("fresh")
    inv = base / "inventory.csv"
    write_inventory(inv, {"Cardiologie": 24, "Néonatologie": 13})
    result = generate(inv, base / "c", Options(campaign="fresh", spare_rows=3), pack)
    return [base / "c" / e["file"] for e in result.manifest["workbooks"]]


@pytest.fixture(scope="module", params=ENGINES)
def grid_engine(request, fresh_books):
    """The engine, its filled grid campaign and the fresh workbooks recalculated in it."""
    campaign = request.getfixturevalue(
        "python_grid_campaign" if request.param == "formulas" else "grid_campaign"
    )
    paths = list(campaign["filled"].values()) + fresh_books
    values = recalculate(request.param, paths, campaign["base"] / "recalc")
    return request.param, values, campaign


def expected_grid(rows: list[GridRow], pack: ContentPack, language: Language):
    views = [view_row(g.values, pack, language, g.prefill, g.free, g.has_id) for g in rows]
    return views, [shown_values(v, pack, language) for v in views]


def test_filled_grid_computes_what_the_scorer_computes(grid_engine, pack):
    engine, values, grid_campaign = grid_engine
    language = pack.language("fr")
    checked, random_rows, statuses = 0, 0, Counter()
    crit_sums, vuln_sums, cells = set(), set(), set()
    for path in grid_campaign["books"]:
        book = open_book(path)
        cols = book.columns
        rows = grid_rows(path, grid_campaign["plans"][path], pack)
        got_sheet = values[grid_campaign["filled"][path]][book.meta["input_sheet"]]
        views, wanted = expected_grid(rows, pack, language)
        for g, view, want in zip(rows, views, wanted):
            got = {code: got_sheet.get((g.row, cols[code]), "") for code in want}
            assert got == want, f"{engine} {path.name} row {g.row}: {g.values}"
            checked += 1
            statuses[view.status] += 1
            if view.status in SCORED:
                crit_sums.add(view.result.criticality_score)
                vuln_sums.add(view.result.vulnerability_score)
                cells.add((view.result.vulnerability_level, view.result.criticality_level))
        covering = len(covering_answers(random.Random(0), tricky_inputs(pack, language)))
        random_rows += sum(1 for g in rows if not g.free) - covering
    assert checked >= grid_campaign["devices"] and random_rows >= grid_campaign["devices"] - 2 * covering
    assert crit_sums == set(range(9, 37)) and vuln_sums == set(range(0, 11)) and len(cells) == 9
    assert set(statuses) == {BLANK, "empty", "invalid", "incomplete", "to_confirm", "complete"}


def test_tricky_inputs_agree_with_the_matching_rule(grid_engine, pack):
    """Status cells of rows holding a tricky value say what the reading rule says, value by value."""
    engine, values, grid_campaign = grid_engine
    language = pack.language("fr")
    texts = status_texts(language)
    path = grid_campaign["books"][0]
    book = open_book(path)
    got_sheet = values[grid_campaign["filled"][path]][book.meta["input_sheet"]]
    rows = {g.row: g for g in grid_rows(path, grid_campaign["plans"][path], pack)}
    tricky = tricky_inputs(pack, language)
    plan = grid_campaign["plans"][path]
    seen = pasted = 0
    for r, changes in plan.items():
        hits = [(c, v) for c, v in tricky if changes.get(c) == v and v not in (0, 1, 2, 3)]
        if not hits or len(changes) != 19:
            continue
        view = view_row(rows[r].values, pack, language, rows[r].prefill)
        code, value = hits[0]
        want_status = texts["invalid"] if view.status == "invalid" else texts[view.status]
        assert got_sheet[(r, book.columns["STATUS"])] == want_status, (engine, code, value)
        hand = [status for c, v, status in PASTED if (c, v) == (code, value)]
        if hand:  # the expected status written by hand, not by the twin
            assert got_sheet[(r, book.columns["STATUS"])] == texts[hand[0]], (engine, code, value)
            pasted += 1
        seen += 1
    assert seen >= len(tricky) and pasted == len(PASTED)


def test_matrix_and_summary_counts(grid_engine, pack):
    engine, values, grid_campaign = grid_engine
    language = pack.language("fr")
    texts = status_texts(language)
    ui = language.ui["matrix"]
    for path in grid_campaign["books"]:
        rows = grid_rows(path, grid_campaign["plans"][path], pack)
        views, _ = expected_grid(rows, pack, language)
        scored = [v.result for v in views if v.status in SCORED]
        matrix = values[grid_campaign["filled"][path]][language.ui["sheets"]["matrix"]]
        for i, v in enumerate((3, 2, 1)):
            for c in (1, 2, 3):
                want = sum(1 for x in scored if (x.vulnerability_level, x.criticality_level) == (v, c))
                assert matrix[(5 + i, 2 + c)] == want, (engine, path.name, v, c)
        by_label = {matrix.get((r, 2)): matrix.get((r, 3)) for r in range(1, 40)}
        assert by_label[ui["total"]] == sum(1 for v in views if v.status != BLANK)
        for key in STATUS_KEYS:
            assert by_label[texts[key]] == sum(1 for v in views if v.status == key), (engine, key)
        risks = Counter(x.risk_level for x in scored)
        symbols = {1: "○", 2: "▲", 3: "■"}
        for level in (1, 2, 3):
            label = f"{symbols[level]} {language.labels['risk']['short_levels'][level]}"
            assert by_label[label] == risks[level], (engine, level)


def test_no_error_values_fresh_or_filled(fresh_books, grid_engine, pack):
    engine, values, grid_campaign = grid_engine
    for path in grid_campaign["books"] + fresh_books:
        book = open_book(path)
        cols = book.columns
        typed_cells = {
            (r, cols[c])
            for r, changes in grid_campaign["plans"].get(path, {}).items()
            for c, v in changes.items()
            if isinstance(v, (Typed, Raw)) and v.value in ERRORS
        }
        for src in (grid_campaign["filled"].get(path, path),):
            for sheet, cells in values[src].items():
                errors = [
                    (pos, v)
                    for pos, v in cells.items()
                    if v in ERRORS and not (sheet == book.meta["input_sheet"] and pos in typed_cells)
                ]
                assert errors == [], (engine, src.name, sheet, errors[:5])


def test_cached_values_match_each_engine(fresh_books, grid_engine):
    """A viewer that does not recalculate shows the same figures as each engine."""
    engine, values, _ = grid_engine
    for path in fresh_books:
        cached = read_values(path)
        for sheet, cells in formula_cells(path).items():
            for pos in cells:
                assert cached[sheet].get(pos, "") == values[path][sheet].get(pos, ""), (engine, sheet, pos)


# A site pack in English with shifted thresholds and an asymmetric matrix.


@pytest.mark.parametrize("engine", ENGINES)
def test_site_pack_english_asymmetric_matrix(tmp_path, site_pack, engine):
    """A site pack's thresholds and asymmetric matrix travel into the formulas (English)."""
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"ICU": 120})
    result = generate(inv, tmp_path / "c", Options(lang="en", spare_rows=0), site_pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    assert book.meta["language"] == "en"
    language = site_pack.language("en")
    rng = random.Random(7)
    answers = [
        {**crit_with_sum(c), **vuln_with_sum(v)} for c in (12, 16, 20, 28, 33) for v in (0, 2, 5, 7, 10)
    ]
    answers += [
        {**crit_with_sum(20), **vuln_with_sum(5), code: v} for code, v in tricky_inputs(site_pack, language)
    ]
    rows = list(book.rows)
    answers += [random_answers(rng) for _ in range(len(rows) - len(answers))]
    plan = dict(zip(rows, answers))
    fill(path, tmp_path / "filled.xlsx", plan)
    values = recalculate(engine, [tmp_path / "filled.xlsx"], tmp_path / "recalc")[tmp_path / "filled.xlsx"]
    got_sheet = values[book.meta["input_sheet"]]
    risks = set()
    for g in grid_rows(path, plan, site_pack):
        view = view_row(g.values, site_pack, language, g.prefill, g.free, g.has_id)
        want = shown_values(view, site_pack, language)
        got = {code: got_sheet.get((g.row, book.columns[code]), "") for code in want}
        assert got == want, (engine, g.row)
        if view.status in SCORED:
            r = view.result
            risks.add((r.vulnerability_level, r.criticality_level, r.risk_level))
    assert (1, 3, 3) in risks and (3, 1, 1) in risks


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_form_layout_computes_what_the_scorer_computes(tmp_path, pack, site_pack, engine, lang):
    """Form layout: results, matrix position, plan and item actions in every engine."""
    use = pack if lang == "fr" else site_pack
    language = use.language(lang)
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Achats": 16})
    result = generate(inv, tmp_path / "c", Options(layout="form", split_by="none", lang=lang), use)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    forms = json.loads(book.meta["forms"])
    assert book.meta["layout"] == "form" and len(forms) == 16
    rng = random.Random(11)
    tricky = tricky_inputs(use, language)
    cases: list[dict[str, Choice]] = [
        {**crit_with_sum(c), **vuln_with_sum(v)} for c in (10, 18, 30) for v in (1, 4, 8)
    ]
    cases += [{**crit_with_sum(20), **vuln_with_sum(3, no=2)}, {}, {**crit_with_sum(15), "V2": 1}]
    cases += [{**crit_with_sum(20), **vuln_with_sum(5), code: v} for code, v in rng.sample(tricky, 4)]
    plan = dict(zip(forms, cases))
    fill_forms(path, tmp_path / "filled.xlsx", plan)
    values = recalculate(engine, [tmp_path / "filled.xlsx"], tmp_path / "recalc")[tmp_path / "filled.xlsx"]
    marker = language.ui["form"]["marker"]
    positions = set()
    for name in forms:
        ws = book.wb[name]
        rows = form_rows(ws)
        cells = values[name]
        raw = {code: ws.cell(rows[code], 7).value for code in use.method.codes}
        prefill = {}
        pre = ws.cell(rows["C1"], 10).value
        if pre is not None:
            prefill["C1"] = use.method.answer_points("C1").index(int(pre))
        for code, choice in plan.get(name, {}).items():
            raw[code] = effective(choice, language.answer_labels(code))
        view = view_row(raw, use, language, prefill)
        want = shown_values(view, use, language)
        got = {code: cells.get((rows[code], 7), "") for code in contract.RESULT_CODES}
        assert got == {code: want[code] for code in contract.RESULT_CODES}, (engine, name)
        got_points = {code: cells.get((rows[code], 8), "") for code in use.method.codes}
        assert got_points == {code: want[contract.points_code(code)] for code in use.method.codes}
        marked = [pos for pos, v in cells.items() if v == marker]
        if view.status in SCORED:
            assert len(marked) == 1, (engine, name)
            positions.add((view.result.vulnerability_level, view.result.criticality_level))
            title = language.actions["plans"][view.result.risk_level]["title"]
            assert any(isinstance(v, str) and title in v for v in cells.values())
        else:
            assert marked == [], (engine, name)
        for code in use.method.items:
            shown = cells.get((rows[f"{code}_ACTIONS"], 3), "")
            assert (shown == item_actions_text(language, code)) == (
                code in view.result.non_compliant_items
            ), (engine, name, code)
            proposal = cells.get((rows[f"{code}{contract.SEED_SUFFIX}"], 3), "")  # register on by default
            assert (proposal == seed_text(use, language, code)) == (
                code in view.result.non_compliant_items
            ), (engine, name, code)
            assert proposal in ("", seed_text(use, language, code))
        errors = [(pos, v) for pos, v in cells.items() if v in ERRORS and pos[1] != 7]
        assert errors == [], (engine, name, errors)
    assert len(positions) == 9
