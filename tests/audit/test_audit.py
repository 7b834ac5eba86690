"""audit: the shipped templates pass in every engine; every planted fault is caught, with its cell
and the first failing case; the command, its reports and content check --audit."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Protection
from openpyxl.utils.cell import get_column_letter, range_boundaries
from support.answers import write_inventory
from support.engines import ENGINES, PACKAGE_NAME, require
from support.wbtools import fill, fill_forms, open_book

from medrisk_xl import engines as package_engines
from medrisk_xl.audit import audit, audit_file
from medrisk_xl.audit.cases import covering_cases, criticality_sums, register_cases, vulnerability_sums
from medrisk_xl.cli import cli
from medrisk_xl.core.problems import msg
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import make_lists
from medrisk_xl.workbook.shown import SCORED, view_row

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parents[2]
RETURN = ROOT / "samples" / "returns" / "Cardiologie.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The covering set --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "site"])
def test_covering_set_reaches_every_sum_option_and_matrix_cell(pack, site_pack, which):
    use = pack if which == "shipped" else site_pack
    m = use.method
    for lang in use.languages:
        language = use.language(lang)
        cases = covering_cases(use, language, samples=5)
        views = [view_row(c.cell_values(language, m.codes), use, language) for c in cases]
        scored = [v.result for v in views if v.status in SCORED]
        assert {r.criticality_score for r in scored} == set(
            range(m.criticality_range[0], m.criticality_range[1] + 1)
        )
        assert {r.vulnerability_score for r in scored} == set(range(0, len(m.items) + 1))
        assert {(r.vulnerability_level, r.criticality_level) for r in scored} == set(m.matrix)
        for code in m.codes:  # every option of every question is chosen somewhere
            chosen = {c.answers.get(code) for c in cases}
            assert set(range(len(m.answer_points(code)))) <= chosen
        statuses = {v.status for v in views}
        assert {"complete", "to_confirm", "incomplete", "invalid", "empty"} <= statuses
    assert len(criticality_sums(m)) == m.criticality_range[1] - m.criticality_range[0] + 1
    assert set(vulnerability_sums(m, unknown=True)) == set(range(len(m.items) + 1))


# The shipped templates pass, in every engine ------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, pack):
    """Both languages, both layouts; blank workbooks and filled returns."""
    base = tmp_path_factory.mktemp("shipped")
    inv = base / "inv.csv"
    write_inventory(inv, {"Achats": 4})
    paths = [RETURN]  # a department's real return (grid, fr, filled, some rows untouched)
    # Small workbooks: the covering set dominates the cost (the Python engine computes about 170
    # formulas a second), the rows of the workbook as found come on top.
    for lang, layout, inventory, rows in (
        ("en", "grid", None, 20),  # blank workbooks
        ("fr", "form", inv, None),  # filled below
        ("en", "form", None, 4),
    ):
        out = base / f"{layout}-{lang}"
        result = generate(inventory, out, Options(lang=lang, layout=layout, spare_rows=rows), pack)
        paths.append(out / result.manifest["workbooks"][0]["file"])
    book = open_book(paths[2])  # a filled form return (fr)
    forms = json.loads(book.meta["forms"])
    rng = random.Random(5)
    codes = pack.method.codes
    answers = {
        name: {c: rng.randrange(len(pack.method.answer_points(c))) for c in codes} for name in forms[:3]
    }
    filled = base / "form-fr-filled.xlsx"
    fill_forms(paths[2], filled, answers)
    paths[2] = filled
    return paths


@pytest.mark.parametrize("engine", ENGINES)
def test_shipped_templates_pass_in_every_engine(shipped, pack, engine):
    name = require(engine)
    # The Python engine (about 170 formulas a second) audits the return (grid fr, a filled
    # register) and the blank form en (a register by default); LibreOffice and Gnumeric all four.
    paths = [shipped[0], shipped[3]] if name == "python" else shipped
    before = {p: sha(p) for p in shipped}
    report = audit(paths, pack=pack, engine=name, samples=0)
    assert report.passed, report.to_text()
    everything = {(layout, lang) for layout in ("grid", "form") for lang in ("fr", "en")}
    expected = {("grid", "fr"), ("form", "en")} if name == "python" else everything
    assert {(f.layout, f.language) for f in report.files} == expected
    for f, path in zip(report.files, paths):
        (run,) = f.runs
        assert run.ran and run.mismatches == 0 and run.cases >= 60 and run.cells > 500, f.path
        assert f.counts["formulas"] > 0 and f.counts["dropdown_cells"] > 0 and f.counts["list_cells"] > 100
        assert f.findings == [], f.path
        # the forms (register on by default) and the return (a filled register) prove their register
        register = bool(open_book(path).meta.get("register_sheet"))
        assert register == (f.layout == "form" or path == RETURN), f.path
        n_register = len(register_cases(pack, pack.language(f.language))) if register else 0
        assert run.register_cases == n_register and (run.register_cells > 0) == register, f.path
    assert {p: sha(p) for p in shipped} == before  # inputs never written


# Planted faults ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_book(tmp_path_factory, site_pack):
    """A grid workbook from the asymmetric site pack (a swapped matrix shows), 12 devices."""
    base = tmp_path_factory.mktemp("faults")
    inv = base / "inv.csv"
    write_inventory(inv, {"Réanimation": 12})
    result = generate(inv, base / "c", Options(lang="fr", spare_rows=3), site_pack)
    return base / "c" / result.manifest["workbooks"][0]["file"]


def _cell(ref: str, i: int = 0) -> str:
    """The ``i``-th cell of a list-sheet range reference like 'Listes'!$V$2:$V$4."""
    min_col, min_row, max_col, _ = range_boundaries(ref.split("!")[1].replace("$", ""))
    return (
        f"{get_column_letter(min_col)}{min_row + i}"
        if min_col == max_col
        else f"{get_column_letter(min_col + i)}{min_row}"
    )


def _rows_formula(code: str, change: Callable[[str, int], str]) -> Callable:
    """A fault planted in the formula of column ``code`` on every device row (a template error)."""

    def plant(wb, book, lists) -> list[str]:
        ws, col = wb[book.meta["input_sheet"]], book.columns[code]
        cells = []
        for r in book.rows:
            cell = ws.cell(r, col)
            new = change(cell.value, r)
            assert new != cell.value
            cell.value = new
            cells.append(cell.coordinate)
        return cells

    return plant


def _list_value(ref: Callable, value: object) -> Callable:
    def plant(wb, book, lists) -> list[str]:
        cell = _cell(ref(lists))
        wb[lists.sheet][cell] = value
        return [cell]

    return plant


def _letter(book, code: str) -> str:
    return get_column_letter(book.columns[code])


def _threshold_in_formula(wb, book, lists):
    score = _letter(book, "CRIT_SCORE")
    return _rows_formula(
        "CRIT_LEVEL", lambda f, r: f.replace(f"MATCH(${score}{r},", f"MATCH(${score}{r}+1,")
    )(wb, book, lists)


def _sum_short(wb, book, lists):
    last, prev = _letter(book, "C9_POINTS"), _letter(book, "C8_POINTS")
    return _rows_formula("CRIT_SCORE", lambda f, r: f.replace(f":${last}{r})", f":${prev}{r})"))(
        wb, book, lists
    )


def _matrix_in_formula(wb, book, lists):
    v, c = _letter(book, "VULN_LEVEL"), _letter(book, "CRIT_LEVEL")
    return _rows_formula(
        "RISK_LEVEL", lambda f, r: f.replace("INDEX(", f"IF(AND(${v}{r}=1,${c}{r}=1),3,INDEX(", 1) + ")"
    )(wb, book, lists)


def _levels_swapped(wb, book, lists):
    v, c = _letter(book, "VULN_LEVEL"), _letter(book, "CRIT_LEVEL")
    return _rows_formula("RISK_LEVEL", lambda f, r: f.replace(f"${v}{r},${c}{r})", f"${c}{r},${v}{r})"))(
        wb, book, lists
    )


def _low_on_blank(wb, book, lists):
    score = _letter(book, "CRIT_SCORE")
    return _rows_formula("CRIT_LEVEL", lambda f, r: f[: -len(f",${score}{r})")] + ",1)")(wb, book, lists)


def _constant_over_score(wb, book, lists):
    cell = wb[book.meta["input_sheet"]].cell(book.rows[1], book.columns["CRIT_SCORE"])
    cell.value = 12
    return [cell.coordinate]


def _deleted_dropdown(wb, book, lists):
    ws = wb[book.meta["input_sheet"]]
    col = _letter(book, "V3")
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(f"{col}5"))
    ws.data_validations.dataValidation.remove(dv)
    return [f"{col}{r}" for r in book.rows]


def _unlocked_formula(wb, book, lists):
    cell = wb[book.meta["input_sheet"]].cell(book.rows[0], book.columns["RISK_LEVEL"])
    cell.protection = Protection(locked=False)
    return [cell.coordinate]


def _threshold_in_table(wb, book, lists):
    """The site pack's level-2 criticality minimum, 16, made 17."""
    cell = _cell(lists.crit_mins, 1)
    assert wb[lists.sheet][cell].value == 16
    wb[lists.sheet][cell] = 17
    return [cell]


# fault -> (plant, static finding code, what the first failing case's name holds; None: no case
# can fail, the fault is in the protection)
FAULTS = {
    "threshold off by one in the formula": (
        _threshold_in_formula,
        "formula-changed",
        "criticality score 15 ",
    ),
    "threshold off by one in its table": (_threshold_in_table, "list-data-changed", "criticality score 16 "),
    "sum range one column short": (_sum_short, "formula-changed", "criticality score 9 "),
    "matrix cell changed in the formula": (_matrix_in_formula, "formula-changed", ""),
    "matrix cell changed in its table": (_list_value(lambda lists: lists.matrix, 3), "list-data-changed", ""),
    "points value changed": (_list_value(lambda lists: lists.points_of("C1"), 2), "list-data-changed", ""),
    "constant typed over a score": (_constant_over_score, "formula-replaced", ""),
    "levels swapped": (_levels_swapped, "formula-changed", ""),
    "IF branch low on blank": (_low_on_blank, "formula-changed", ""),
    "deleted dropdown": (_deleted_dropdown, "dropdown-missing", None),
    "unlocked formula cell": (_unlocked_formula, "formula-unlocked", None),
}


def _plant(src: Path, dst: Path, plant: Callable, pack) -> list[str]:
    book = open_book(src)
    lists = make_lists(pack, book.meta["lists_sheet"])
    cells = plant(book.wb, book, lists)
    book.wb.save(dst)
    return cells


def test_a_copy_saved_unchanged_passes(site_book, site_pack, tmp_path):
    """The control of the fault tests: the same round trip without a fault passes."""
    require("gnumeric")
    copy = tmp_path / "copy.xlsx"
    open_book(site_book).wb.save(copy)
    result = audit_file(copy, site_pack, engine="gnumeric", samples=5)
    assert result.passed and result.findings == [], [p.to_text() for p in result.findings]


@pytest.mark.parametrize("fault", FAULTS)
def test_planted_fault_is_caught(site_book, site_pack, tmp_path, fault):
    require("gnumeric")
    plant, code, case = FAULTS[fault]
    faulty = tmp_path / "faulty.xlsx"
    cells = _plant(site_book, faulty, plant, site_pack)
    before = sha(faulty)
    result = audit_file(faulty, site_pack, engine="gnumeric", samples=5)
    assert sha(faulty) == before
    assert not result.passed
    static = [p for p in result.findings if p.code == code]
    assert static and static[0].cell in cells, [p.to_text() for p in result.findings]
    mismatches = [p for p in result.findings if p.code == "engine-mismatch"]
    if case is None:  # a protection fault: nothing computes otherwise
        assert mismatches == [] and result.static_passed is False
        return
    assert mismatches, (
        f"{fault}: the engine computed every case right: {[p.to_text() for p in result.findings]}"
    )
    first = mismatches[0]
    assert first.cell and first.sheet and "«" in first.message and case in first.message, first.message
    (run,) = result.runs
    assert run.mismatches > 0 and run.first[0].case


# The command and its reports ----------------------------------------------------------------------


def device_rows(path: Path) -> int:
    """Rows of a return's input sheet (devices and free rows): with the device status column, the
    audit adds a probe of one case a row (each status on each kind of row)."""
    meta = open_book(path).meta
    assert contract.DEVICE_STATUS_CODE in meta["columns"].split(",")
    return int(meta["last_row"]) - int(meta["first_row"]) + 1


def test_cli_text_json_and_evidence_reports(tmp_path, pack):
    require("gnumeric")
    runner = CliRunner()
    md, xlsx = tmp_path / "audit.md", tmp_path / "audit.xlsx"
    args = ["audit", str(RETURN), "--engine", "gnumeric", "--samples", "3"]
    result = runner.invoke(cli, [*args, "--report", str(md)])
    assert result.exit_code == 0, result.output
    n_cases = len(covering_cases(pack, pack.language("fr"), samples=3)) + device_rows(RETURN)
    assert "static audit: pass" in result.output and f"gnumeric: {n_cases} cases" in result.output
    assert result.output.splitlines()[-2].endswith(": PASS")
    text = md.read_text(encoding="utf-8")
    assert sha(RETURN) in text and "Verdict: PASS" in text and pack.method.version in text
    result = runner.invoke(cli, [*args, "--format", "json", "--report", str(xlsx)])
    data = json.loads(result.output)
    assert data["passed"] is True and data["files"][0]["sha256"] == sha(RETURN)
    assert data["files"][0]["dynamic"][0]["mismatches"] == 0
    wb = openpyxl.load_workbook(xlsx)
    assert wb["Audit"]["B1"].value == "PASS" and wb["Audit"]["B9"].value == sha(RETURN)


def test_cli_fails_on_a_faulty_workbook_and_names_the_cell(site_book, tmp_path, site_pack):
    require("gnumeric")
    faulty = tmp_path / "faulty.xlsx"
    _plant(site_book, faulty, _sum_short, site_pack)
    result = CliRunner().invoke(
        cli,
        ["audit", str(faulty), "--engine", "gnumeric", "--samples", "0", "--content", str(site_pack.root)],
    )
    assert result.exit_code == 1
    assert "[formula-changed]" in result.output and "[engine-mismatch]" in result.output
    assert "verdict: FAIL" in result.output


def test_a_missing_engine_is_named_with_how_to_install_it(monkeypatch, tmp_path, pack):
    require("gnumeric")
    real = package_engines.missing
    monkeypatch.setattr(
        package_engines,
        "missing",
        lambda e: (
            msg("engine.missing.python", install=package_engines.INSTALL["python"])
            if e == "python"
            else real(e)
        ),
    )
    runner = CliRunner()
    asked = runner.invoke(cli, ["audit", str(RETURN), "--engine", "python", "--samples", "0"])
    assert asked.exit_code == 1 and "pip install 'medrisk-xl[audit]'" in asked.output, asked.output
    assert "the Python engine 'formulas' is not installed" in asked.output
    assert "[engine-failed]" in asked.output
    french = runner.invoke(
        cli, ["audit", str(RETURN), "--engine", "python", "--samples", "0", "--lang", "fr"]
    )
    assert (
        "le moteur Python « formulas » n'est pas installé : pip install 'medrisk-xl[audit]'" in french.output
    )
    monkeypatch.setattr(
        package_engines, "missing", lambda e: None if e == "gnumeric" else f"{e} is not installed here"
    )
    every = runner.invoke(cli, ["audit", str(RETURN), "--samples", "0"])
    assert every.exit_code == 0, every.output
    assert "libreoffice: not run (libreoffice is not installed here)" in every.output
    n_cases = len(covering_cases(pack, pack.language("fr"), samples=0)) + device_rows(RETURN)
    assert f"gnumeric: {n_cases} cases" in every.output


def test_unreadable_and_foreign_files_fail_with_a_message(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    result = CliRunner().invoke(cli, ["audit", str(junk), str(plain), str(tmp_path / "absent.xlsx")])
    assert result.exit_code == 1
    assert "[unreadable]" in result.output and "[not-medrisk]" in result.output
    assert "Traceback" not in result.output
    empty = CliRunner().invoke(cli, ["audit", str(tmp_path / "nothing")])
    assert empty.exit_code != 0


def test_content_check_audit_proves_a_site_pack(edit_pack, pack_copy):
    require("gnumeric")

    def shift(data):
        data["criticality"]["levels"] = [
            {"level": 1, "min": 0, "max": 14},
            {"level": 2, "min": 15, "max": 26},
            {"level": 3, "min": 27, "max": 36},
        ]
        data["risk"]["matrix"][3][1] = 3

    edit_pack("method.yaml", shift)
    result = CliRunner().invoke(cli, ["content", "check", str(pack_copy), "--audit", "--engine", "gnumeric"])
    assert result.exit_code == 0, result.output
    assert result.output.count("verdict: PASS") == 4  # grid and form, fr and en
    assert "form, en" in result.output and "grid, fr" in result.output


def test_engine_names_match_the_package(pack):
    assert set(PACKAGE_NAME.get(e, e) for e in ENGINES) == set(package_engines.ENGINES)


def test_a_return_fails_when_a_row_was_deleted(tmp_path, pack):
    """A department deleted a device row: formulas below moved, the audit names them."""
    require("gnumeric")
    src = tmp_path / "src.xlsx"
    shutil.copy(RETURN, src)
    book = open_book(src)
    book.input.delete_rows(book.rows[2])
    book.wb.save(src)
    result = audit_file(src, pack, engine="gnumeric", samples=0)
    assert not result.passed
    assert {"formula-changed", "formula-replaced"} <= {p.code for p in result.findings}


def test_fill_helper_answers_pass(tmp_path, pack):
    """Answers chosen from the dropdowns (a filled grid) keep the workbook passing statically."""
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Urgences": 5})
    result = generate(inv, tmp_path / "c", Options(spare_rows=1), pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    fill(path, tmp_path / "filled.xlsx", {r: {"C2": 1, "V1": 0} for r in book.rows})
    static = audit_file(tmp_path / "filled.xlsx", pack, static_only=True)
    assert static.passed and static.findings == [] and static.runs == []


def test_every_audit_code_is_documented_in_the_readme():
    from medrisk_xl.audit.finding_codes import CATALOGUE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `medrisk-xl audit`", 1)[1].split("\n### ", 1)[0]
    for code, (severity, meaning) in CATALOGUE.items():
        assert f"| `{code}` | {severity} | {meaning} |" in section, code


def test_readme_shows_the_real_audit_output(monkeypatch):
    for engine in ENGINES:
        require(engine)
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = (
        "$ medrisk-xl audit samples/returns/Cardiologie.xlsx samples/returns/Reanimation.xlsx --samples 20\n"
    )
    shown = readme.split(command, 1)[1].split("\n```", 1)[0]
    result = CliRunner().invoke(cli, command[2:].split()[1:])
    assert result.exit_code == 1
    assert result.output.rstrip("\n") == shown


def test_any_cell_the_generator_locks_must_stay_locked(site_book, site_pack, tmp_path):
    """An identity cell unlocked (a department could change a device id) is named."""
    copy = tmp_path / "unlocked.xlsx"
    book = open_book(site_book)
    cell = book.input.cell(book.rows[0], book.columns["ID"])
    cell.protection = Protection(locked=False)
    book.wb.save(copy)
    result = audit_file(copy, site_pack, static_only=True)
    assert [(p.code, p.cell) for p in result.findings] == [("cell-unlocked", cell.coordinate)]
    assert result.findings[0].severity == "warning" and result.static_passed


# A campaign whose vulnerability items the IT team answers ----------------------------------------


@pytest.fixture(scope="module")
def it_mode_book(tmp_path_factory, pack) -> Path:
    """A department workbook of a ``--vulnerability-by it`` campaign, its criteria filled."""
    base = tmp_path_factory.mktemp("audit_it")
    inv = base / "inv.csv"
    write_inventory(inv, {"Urgences": 4})
    result = generate(inv, base / "c", Options(spare_rows=1, vulnerability_by="it"), pack)
    path = base / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    rng = random.Random(7)
    rows = [r for r in book.rows if r < int(book.meta["first_spare_row"])]
    filled = base / "filled.xlsx"
    fill(path, filled, {r: {f"C{i}": rng.randrange(4) for i in range(1, 10)} for r in rows[:-1]})
    return filled


def test_a_criteria_only_workbook_passes_and_its_cases_fill_the_criteria(it_mode_book, pack):
    """The audit rebuilds a criteria-only workbook as generated (its _meta says who answers the
    items) and recomputes it: every case lands in the criteria, and nothing differs."""
    require("gnumeric")
    result = audit_file(it_mode_book, pack, engine="gnumeric", samples=3)
    assert result.passed and result.findings == [], [p.to_text() for p in result.findings]
    (run,) = result.runs
    assert run.cells > 0 and run.mismatches == 0


def test_a_criteria_only_workbook_with_a_broken_status_is_caught(it_mode_book, pack, tmp_path):
    """A STATUS formula of a criteria-only row replaced by one that never says "complete": the
    static audit names the cell, and the engine's values differ from the reference's."""
    require("gnumeric")
    book = open_book(it_mode_book)
    col = book.columns["STATUS"]
    cell = book.input.cell(book.rows[0], col)
    cell.value = '=IF(TRUE,"","")'
    faulty = tmp_path / "faulty.xlsx"
    book.wb.save(faulty)
    result = audit_file(faulty, pack, engine="gnumeric", samples=0)
    assert not result.passed
    assert any(p.code == "formula-changed" and p.cell == cell.coordinate for p in result.findings), [
        p.to_text() for p in result.findings
    ]
    assert any(p.code == "engine-mismatch" for p in result.findings)
