"""audit and the IEC 80001-2-1 risk register: the register's covering set reaches every cell of the
grid for both risks; fresh register workbooks (grid fr with --register, form en where it is on by
default) pass in every engine; a filled register return is rebuilt as returned and passes; the
reports count the register cases; every planted fault in the register, its list-sheet block
(the grid), its dropdowns and locks, or a form's proposal for the register is caught and named by
cell (an asymmetric site grid, so that a swap shows)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from openpyxl.styles import Protection
from openpyxl.utils.cell import get_column_letter, range_boundaries
from support.answers import write_inventory
from support.engines import ENGINES, require
from support.wbtools import fill_register, form_rows, open_book

from medrisk_xl import load_pack
from medrisk_xl.audit import audit, audit_file
from medrisk_xl.audit.audit_report import run_text
from medrisk_xl.audit.cases import register_cases
from medrisk_xl.audit.dynamic import AS_FOUND, EngineRun
from medrisk_xl.audit.reference import rebuild_plan
from medrisk_xl.cli import cli
from medrisk_xl.core.message_templates import text_in
from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import make_lists, make_register_lists, register_options
from medrisk_xl.workbook.read.reader import read_workbook
from medrisk_xl.workbook.shown import register_shown

pytestmark = pytest.mark.libreoffice
SCALES = contract.REGISTER_SCALES


def _generate(out: Path, pack, inventory: Path | None = None, **options) -> Path:
    result = generate(inventory, out, Options(**options), pack)
    return out / result.manifest["workbooks"][0]["file"]


# The register's covering set ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_register_pack(tmp_path_factory):
    """A site pack whose grid departs from the seed's (medium × improbable made medium), so its
    worked examples are removed; `content check` accepts it."""
    root = tmp_path_factory.mktemp("site-register") / "pack"
    shutil.copytree(shipped_content_dir(), root)
    path = root / "register.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["grid"]["medium"]["improbable"] == 1
    data["grid"]["medium"]["improbable"] = 2
    del data["examples"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    check = CliRunner().invoke(cli, ["content", "check", str(root)])
    assert check.exit_code == 0, check.output
    return load_pack(root)


def _pairs(pack, language, cases, sev_code: str, prob_code: str) -> dict[tuple[int, int], set]:
    """(severity rank, probability rank) chosen from the lists -> the levels the twin shows."""
    options = register_options(pack, language)
    out: dict[tuple[int, int], set] = {}
    for case in cases:
        s, p = case.values.get(sev_code), case.values.get(prob_code)
        if s in options["severity"] and p in options["probability"]:
            shown = register_shown(case.values, pack, language)
            level = shown["RISK_INITIAL" if sev_code == "SEVERITY" else "RISK_RESIDUAL"]
            out.setdefault((options["severity"].index(s), options["probability"].index(p)), set()).add(level)
    return out


@pytest.mark.parametrize("which", ["shipped", "site"])
def test_register_cases_reach_every_grid_cell_for_both_risks(pack, site_register_pack, which):
    use = pack if which == "shipped" else site_register_pack
    reg = use.register
    every = {(s, p) for s in range(len(reg.severities)) for p in range(len(reg.probabilities))}
    for lang in use.languages:
        language = use.language(lang)
        cases = register_cases(use, language)
        marker = language.ui["invalid_marker"]
        for sev, prob in contract.REGISTER_LEVELS.values():
            pairs = _pairs(use, language, cases, sev, prob)
            assert set(pairs) == every
            for (s, p), levels in pairs.items():  # the twin reads the pack's grid
                assert levels == {reg.level(reg.severities[s], reg.probabilities[p])}
        shown = [register_shown(c.values, use, language) for c in cases]
        for level in contract.REGISTER_LEVELS:
            assert {s[level] for s in shown} == {1, 2, 3, "", marker}
        names = " / ".join(text_in(c.name, None) for c in cases)
        assert "empty row" in names and "half-filled" in names
        for what in ("other scale", "a number", "trailing space"):
            assert what in names
        # the seed's worked examples, each at the level it states
        examples = [c for c in cases if "worked example" in text_in(c.name, None)]
        assert len(examples) == len(reg.examples)
        for case, ex in zip(examples, reg.examples):
            level = "RISK_INITIAL" if ex.stage == "initial" else "RISK_RESIDUAL"
            assert register_shown(case.values, use, language)[level] == ex.level
    assert not site_register_pack.register.examples  # the site removed them


# Fresh register workbooks pass, in every engine ----------------------------------------------------


@pytest.fixture(scope="module")
def register_books(tmp_path_factory, pack) -> dict[str, Path]:
    """Fresh workbooks: grid fr with --register (10 devices, 12 free rows) and form en (register
    on by default, 11 forms). Sized so that a probe holds many cases: the Python engine computes
    about 170 formulas a second, and every probe is loaded whole by each engine."""
    base = tmp_path_factory.mktemp("register-books")
    inv = base / "inv.csv"
    write_inventory(inv, {"Réanimation": 10})
    return {
        "grid-fr": _generate(base / "grid-fr", pack, inv, lang="fr", spare_rows=12, register=True),
        "form-en": _generate(base / "form-en", pack, lang="en", layout="form", spare_rows=11),
    }


# The Python engine audits the grid here; test_audit.py's shipped set has it audit two form
# workbooks with a register (en blank, fr filled) and a grid return with a filled register.
ENGINE_BOOKS = {
    "libreoffice": ("grid-fr", "form-en"),
    "gnumeric": ("grid-fr", "form-en"),
    "python": ("grid-fr",),
}


@pytest.mark.parametrize("engine", ENGINES)
def test_fresh_register_workbooks_pass_in_every_engine(register_books, pack, engine):
    name = require(engine)
    paths = [register_books[key] for key in ENGINE_BOOKS[name]]
    report = audit(paths, pack=pack, engine=name, samples=0)
    assert report.passed, report.to_text()
    assert [(f.layout, f.language) for f in report.files] == [("grid", "fr"), ("form", "en")][: len(paths)]
    text = report.to_text()
    data = json.loads(report.to_json())
    for f, path, as_json in zip(report.files, paths, data["files"]):
        assert f.findings == [], f.path
        book = open_book(path)
        assert book.meta["register_sheet"] and book.meta["change_sheet"]
        n_register = len(register_cases(pack, pack.language(f.language)))
        (run,) = f.runs
        assert run.ran and run.mismatches == 0
        assert run.register_cases == n_register
        # the register's computed cells: 6 a row, in the workbook as found and in the probe of the cases
        n_rows = int(book.meta["register_last_row"]) - int(book.meta["register_first_row"]) + 1
        assert run.register_cells == 2 * 6 * n_rows
        assert f"{name}: {run.cases} cases, {n_register} register cases, {run.cells} computed cells" in text
        assert as_json["dynamic"][0]["register_cases"] == n_register
        # the static audit compared the register sheet, the change form and the list sheet's block
        assert f.counts["sheets"] == len(book.wb.sheetnames) and f.counts["formulas"] > 6 * n_rows


def test_the_report_names_register_cases_only_for_a_register():
    with_register = EngineRun(
        "gnumeric", ran=True, cells=900, cases=66, register_cases=47, register_cells=600
    )
    without = EngineRun("gnumeric", ran=True, cells=300, cases=66)
    assert (
        run_text(with_register)
        == "gnumeric: 66 cases, 47 register cases, 900 computed cells compared, 0 mismatches"
    )
    assert run_text(without) == "gnumeric: 66 cases, 300 computed cells compared, 0 mismatches"


def test_a_filled_register_return_is_rebuilt_as_returned_and_passes(tmp_path, pack):
    """Register rows as a department fills them (dropdowns, texts, a bad paste, a half row): the
    reference is rebuilt with these answers, so the workbook as found is proven too; the text,
    JSON and evidence reports count the register cases."""
    require("gnumeric")
    src = _generate(tmp_path / "c", pack, lang="fr", spare_rows=22, register=True)
    first = int(open_book(src).meta["register_first_row"])
    n_rows = contract.REGISTER_MIN_ROWS
    rows = {
        first: {"SEVERITY": 1, "PROBABILITY": 2, "HAZARD": 0, "CONSEQUENCE": "retard", "STATUS": 0},
        first + 1: {"SEVERITY": 4, "PROBABILITY": 4, "RES_SEVERITY": 0, "RES_PROBABILITY": 3},
        first + 2: {"SEVERITY": "Élevée ", "PROBABILITY": 1},  # pasted, a trailing space: invalid
        first + 4: {"RES_SEVERITY": 2},  # half-filled
        first + n_rows - 1: {"SEVERITY": 3, "PROBABILITY": 0},  # the last row
    }
    filled = tmp_path / "filled.xlsx"
    fill_register(src, filled, rows)
    book = read_workbook(filled)
    plan = rebuild_plan(book, pack)
    assert plan.register and len(plan.register_rows) == n_rows
    language = pack.language("fr")
    options = register_options(pack, language)
    assert plan.register_rows[0]["SEVERITY"] == options["severity"][1]
    assert plan.register_rows[2]["SEVERITY"] == "Élevée "
    assert all(v is None for v in plan.register_rows[3].values())  # an empty row
    assert plan.register_rows[-1]["PROBABILITY"] == options["probability"][0]
    marker = language.ui["invalid_marker"]
    assert register_shown(plan.register_rows[2], pack, language)["RISK_INITIAL"] == marker
    evidence = tmp_path / "audit.xlsx"
    args = ["audit", str(filled), "--engine", "gnumeric", "--samples", "0"]
    result = CliRunner().invoke(cli, [*args, "--format", "json", "--report", str(evidence)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (run,) = data["files"][0]["dynamic"]
    n_register = len(register_cases(pack, language))
    assert run["mismatches"] == 0 and run["register_cases"] == n_register and run["register_cells"] > 0
    assert data["files"][0]["findings"] == []
    ws = openpyxl.load_workbook(evidence)["Audit"]
    heads, values = [c.value for c in ws[8]], [c.value for c in ws[9]]
    assert values[heads.index("Register cases")] == n_register
    assert values[heads.index("Cases")] == run["cases"]


# Planted faults ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_register_book(tmp_path_factory, site_register_pack):
    """A grid workbook with a register from the asymmetric site pack, 20 devices and 2 free rows."""
    base = tmp_path_factory.mktemp("register-faults")
    inv = base / "inv.csv"
    write_inventory(inv, {"Urgences": 20})
    return _generate(base / "c", site_register_pack, inv, lang="fr", spare_rows=2, register=True)


def _register(book) -> tuple:
    """The register sheet, its columns by code and its rows."""
    ws = book.register
    cols = {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}
    rows = range(int(book.meta["register_first_row"]), int(book.meta["register_last_row"]) + 1)
    return ws, cols, rows


def _grid_cell(book, pack, severity: str, probability: str) -> str:
    """The list-sheet cell of the grid for (severity, probability)."""
    rl = make_register_lists(make_lists(pack, book.meta["lists_sheet"]), pack, pack.language("fr"))
    min_col, min_row, _, _ = range_boundaries(rl.grid.split("!")[1].replace("$", ""))
    reg = pack.register
    col = min_col + reg.probabilities.index(probability)
    return f"{get_column_letter(col)}{min_row + reg.severities.index(severity)}"


Planted = tuple[str, list[str]]  # the sheet and the cells a fault was planted in


def _grid_cell_changed(book, pack) -> Planted:
    cell = _grid_cell(book, pack, "high", "frequent")
    ws = book.lists
    assert ws[cell].value == 3
    ws[cell] = 1
    return ws.title, [cell]


def _swapped_index(book, pack) -> Planted:
    """RISK_INITIAL reads the grid at (probability, severity) on every row: a template error."""
    ws, cols, rows = _register(book)
    cells = []
    for r in rows:
        cell = ws.cell(r, cols["RISK_INITIAL"])
        new = re.sub(r"INDEX\(([^,]+),([^,]+),([^)]+)\)", r"INDEX(\1,\3,\2)", cell.value)
        assert new != cell.value
        cell.value = new
        cells.append(cell.coordinate)
    return ws.title, cells


def _constant_over_residual(book, pack) -> Planted:
    ws, cols, rows = _register(book)
    cell = ws.cell(rows[2], cols["RISK_RESIDUAL"])
    cell.value = 2
    return ws.title, [cell.coordinate]


def _unlocked_initial(book, pack) -> Planted:
    ws, cols, rows = _register(book)
    cell = ws.cell(rows[0], cols["RISK_INITIAL"])
    cell.protection = Protection(locked=False)
    return ws.title, [cell.coordinate]


def _locked_answer(book, pack) -> Planted:
    ws, cols, rows = _register(book)
    cell = ws.cell(rows[1], cols["RES_PROBABILITY"])
    cell.protection = Protection(locked=True)
    return ws.title, [cell.coordinate]


def _dropdown(ws, first_cell: str):
    return next(d for d in ws.data_validations.dataValidation if str(d.sqref).split(":")[0] == first_cell)


def _deleted_severity_dropdown(book, pack) -> Planted:
    ws, cols, rows = _register(book)
    letter = get_column_letter(cols["SEVERITY"])
    ws.data_validations.dataValidation.remove(_dropdown(ws, f"{letter}{rows[0]}"))
    return ws.title, [f"{letter}{r}" for r in rows]


def _lenient_status_dropdown(book, pack) -> Planted:
    """The STATUS dropdown made to accept any text (as the library suggestions do)."""
    ws, cols, rows = _register(book)
    letter = get_column_letter(cols["STATUS"])
    _dropdown(ws, f"{letter}{rows[0]}").showErrorMessage = False
    return ws.title, [f"{letter}{r}" for r in rows]


def _deleted_change_form_dropdown(book, pack) -> Planted:
    """The change form's yes/no answer on clinical impact lost its dropdown."""
    ws = book.wb[book.meta["change_sheet"]]
    row = form_rows(ws)["clinical_impact"]
    cell = ws.cell(row, contract.CHANGE_VALUE_COL + 1).coordinate
    ws.data_validations.dataValidation.remove(_dropdown(ws, cell))
    return ws.title, [cell]


# fault -> (plant, static finding code, what the first failing case's name holds; None: a
# protection fault, checked statically only: nothing computes otherwise)
FAULTS: dict[str, tuple[Callable[..., Planted], str, str | None]] = {
    "grid cell changed on the list sheet": (_grid_cell_changed, "list-data-changed", "high × frequent"),
    "severity and probability swapped in INDEX": (
        _swapped_index,
        "formula-changed",
        "register grid: initial",
    ),
    "constant typed over RISK_RESIDUAL": (_constant_over_residual, "formula-replaced", AS_FOUND.text()),
    "unlocked RISK_INITIAL": (_unlocked_initial, "formula-unlocked", None),
    "locked register answer": (_locked_answer, "answer-locked", None),
    "deleted severity dropdown": (_deleted_severity_dropdown, "dropdown-missing", None),
    "strict dropdown made lenient": (_lenient_status_dropdown, "dropdown-changed", None),
    "deleted change form dropdown": (_deleted_change_form_dropdown, "dropdown-missing", None),
}


def _plant(src: Path, dst: Path, plant: Callable[..., Planted], pack) -> Planted:
    book = open_book(src)
    planted = plant(book, pack)
    book.wb.save(dst)
    return planted


def test_a_register_copy_saved_unchanged_passes(site_register_book, site_register_pack, tmp_path):
    """The control of the fault tests: the same round trip without a fault passes."""
    require("gnumeric")
    copy = tmp_path / "copy.xlsx"
    open_book(site_register_book).wb.save(copy)
    result = audit_file(copy, site_register_pack, engine="gnumeric", samples=0)
    assert result.passed and result.findings == [], [p.to_text() for p in result.findings]
    assert result.runs[0].register_cases == len(
        register_cases(site_register_pack, site_register_pack.language("fr"))
    )


def test_the_site_grid_is_asymmetric(site_register_pack):
    """The swap fault below shows only because the grid differs from its transpose."""
    reg = site_register_pack.register
    n = len(reg.severities)
    assert any(
        reg.level(reg.severities[s], reg.probabilities[p])
        != reg.level(reg.severities[p], reg.probabilities[s])
        for s in range(n)
        for p in range(n)
    )


@pytest.mark.parametrize("fault", FAULTS)
def test_planted_register_fault_is_caught(site_register_book, site_register_pack, tmp_path, fault):
    plant, code, case = FAULTS[fault]
    faulty = tmp_path / "faulty.xlsx"
    sheet, cells = _plant(site_register_book, faulty, plant, site_register_pack)
    register = open_book(site_register_book).meta["register_sheet"]
    if case is None:  # a protection fault: the static audit names it
        result = audit_file(faulty, site_register_pack, static_only=True)
    else:
        require("gnumeric")
        result = audit_file(faulty, site_register_pack, engine="gnumeric", samples=0)
    assert not result.passed and not result.static_passed
    static = [p for p in result.findings if p.code == code]
    assert static, [p.to_text() for p in result.findings]
    assert (static[0].sheet, static[0].cell) == (sheet, cells[0])
    assert {p.cell for p in static if p.cell} <= set(cells)  # past 20 cells, one finding sums up the rest
    if case is None:
        return
    mismatches = [p for p in result.findings if p.code == "engine-mismatch"]
    assert mismatches, (
        f"{fault}: the engine computed every case right: {[p.to_text() for p in result.findings]}"
    )
    first = mismatches[0]
    assert first.sheet == register and first.cell, first.to_text()
    assert case in first.message, first.message
    if sheet == register:  # a formula fault: the engine's first mismatch is on a planted cell
        assert first.cell in cells
    (run,) = result.runs
    assert run.mismatches > 0 and run.register_cases > 0


def test_a_changed_register_proposal_on_a_form_is_caught(register_books, pack, tmp_path):
    """Form layout: V1's proposal pointing at V2's seed text on every form (a template error) is
    named on each form, and by the engine for a case where V1 is non-compliant."""
    require("gnumeric")
    book = open_book(register_books["form-en"])
    rl = make_register_lists(make_lists(pack, book.meta["lists_sheet"]), pack, pack.language("en"))
    mine, other = rl.seed("V1").split("!")[1], rl.seed("V2").split("!")[1]
    cells = set()
    for name in json.loads(book.meta["forms"]):
        ws = book.wb[name]
        cell = ws.cell(form_rows(ws)["V1" + contract.SEED_SUFFIX], 3)
        assert mine in cell.value
        cell.value = cell.value.replace(mine, other)
        cells.add((name, cell.coordinate))
    faulty = tmp_path / "faulty.xlsx"
    book.wb.save(faulty)
    result = audit_file(faulty, pack, engine="gnumeric", samples=0)
    assert not result.passed
    changed = {(p.sheet, p.cell) for p in result.findings if p.code == "formula-changed"}
    assert changed == cells
    mismatches = [p for p in result.findings if p.code == "engine-mismatch"]
    assert mismatches and (mismatches[0].sheet, mismatches[0].cell) in cells, result.findings
    assert "«" in mismatches[0].message and AS_FOUND.text() not in mismatches[0].message
