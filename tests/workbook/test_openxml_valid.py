"""Every kind of workbook medrisk-xl writes passes the Open XML SDK's validation rules (issue 30).

Excel cannot run here, so its own file checks are the next best thing: ``openxml-audit`` is a
pure-Python port of the Open XML SDK validator (schema, semantic, relationship and package rules),
the tool Office developers use to predict Excel's "We found a problem with some content" repair
dialog. One small workbook of each kind, written through the command line, must have zero findings
against Office 2010 (the oldest Excel the README promises) and Office 2016 (the version the issue
names: a later version's rules accept more, but both are checked rather than assumed). A finding is
fixed in the writer, never here. Workbooks broken on purpose prove the validator is running.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl.styles import Protection
from openxml_audit import FileFormat, OpenXmlValidator
from support.engines import require
from support.it_plans import small_plan
from support.plans import fill as fill_plan
from support.plans import plan_table
from support.wbtools import fill, fill_register, open_book

from medrisk_xl.cli import cli
from medrisk_xl.workbook.write.it_book import build_it_workbook

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "samples" / "inventory.csv"
README = (ROOT / "README.md").read_text(encoding="utf-8")
OFFICE = {"Office 2010": FileFormat.OFFICE_2010, "Office 2016": FileFormat.OFFICE_2016}


@pytest.fixture(scope="module")
def validators() -> dict[str, OpenXmlValidator]:
    """One validator per Office version (each loads its schemas once)."""
    return {name: OpenXmlValidator(file_format=fmt, max_errors=50) for name, fmt in OFFICE.items()}


def findings(validators: dict[str, OpenXmlValidator], path: Path) -> list[str]:
    """Every finding of every validator, any severity, as 'version file part path: description'."""
    out = []
    for name, validator in validators.items():
        result = validator.validate(path)
        out += [
            f"{name} {path.name} {e.part_uri} {e.path}: [{e.error_type.value}] {e.description}"
            for e in result.errors
        ]
    return out


def assert_valid(validators: dict[str, OpenXmlValidator], paths: list[Path]) -> None:
    assert paths, "no workbook was written"
    found = [f for p in paths for f in findings(validators, p)]
    assert not found, "Open XML SDK rules broken:\n" + "\n".join(found)


def invoke(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def small_inventory(path: Path, sizes: dict[str, int]) -> Path:
    """The first devices of each named department of the sample inventory (all its columns: CNEH,
    EMDN, dates and two carried columns), so every identity column is written."""
    with INVENTORY.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, taken, kept = rows[0], dict.fromkeys(sizes, 0), []
    dept = header.index("Service")
    for row in rows[1:]:
        if row[dept] in sizes and taken[row[dept]] < sizes[row[dept]]:
            taken[row[dept]] += 1
            kept.append(row)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *kept])
    return path


# Department workbooks: each layout and language, with and without the register, --per, blank ----

DEPARTMENT_KINDS = {
    "grid-fr": [],
    "grid-en": ["--lang", "en"],
    "grid-fr-register": ["--register"],
    "grid-en-register-per-cneh": ["--lang", "en", "--register", "--per", "cneh"],
    "grid-fr-per-emdn": ["--per", "emdn"],
    "form-fr-register": ["--layout", "form"],
    "form-en-no-register": ["--layout", "form", "--lang", "en", "--no-register"],
    "form-fr-per-cneh": ["--layout", "form", "--per", "cneh"],
    "blank-grid-fr": None,
    "blank-form-en": None,
}
BLANK = {"blank-grid-fr": [], "blank-form-en": ["--layout", "form", "--lang", "en"]}


@pytest.mark.parametrize("kind", list(DEPARTMENT_KINDS))
def test_department_workbook_is_valid(kind, validators, tmp_path):
    out = tmp_path / "campaign"
    if kind in BLANK:
        invoke("generate", "-o", out, "--password", "pw", "--spare-rows", 5, *BLANK[kind])
    else:
        inv = small_inventory(tmp_path / "inv.csv", {"Urgences": 5})
        invoke("generate", inv, "-o", out, "--password", "pw", "--spare-rows", 2, *DEPARTMENT_KINDS[kind])
    written = {p.suffix for p in out.iterdir()}
    assert written == {".xlsx", ".json"}, (
        f"{written}: validate a new kind of output here (.ods: odf.OdfValidator)"
    )
    assert_valid(validators, sorted(out.glob("*.xlsx")))


def test_year_two_workbook_is_valid(validators):
    """A year-two workbook (answers carried over with their notes, the REVIEWED column, the
    device status): the shipped sample, which tests/test_samples.py proves current."""
    assert_valid(validators, [ROOT / "samples" / "year-two" / "campaign" / "Cardiologie.xlsx"])


# The IT workbook (issue 25): written by the library (its command comes with the grouping) ---------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_it_workbook_is_valid(lang, validators, pack, tmp_path):
    path = tmp_path / f"it-{lang}.xlsx"
    path.write_bytes(build_it_workbook(small_plan(lang), pack))
    assert_valid(validators, [path])


# Consolidated maps, the history's carry-over, the comparison ------------------------------------


# When each campaign was generated: demo-a a year before demo-b. Generated in the same second,
# their order would fall to the time each was last recorded (A recorded again after B).
CREATED = {"demo-a": 1765000000, "demo-b": 1765000000 + 365 * 86400}


def _returns(
    tmp_path: Path, campaign: str, sizes: dict[str, int], changed: int | None = None
) -> tuple[Path, Path, set[str]]:
    """A two-department campaign with the register, returned: the first workbook complete, its
    device number ``changed`` answered otherwise than the others' pattern, two register rows
    filled; the second half answered with a pasted value outside the list (an error on the
    problems sheet). Returns (returns folder, campaign.json, the ids of the devices answered as
    the pattern)."""
    tmp_path.mkdir(parents=True)
    inv = small_inventory(tmp_path / "inv.csv", sizes)
    out = tmp_path / campaign
    with pytest.MonkeyPatch.context() as mp:  # a year apart, as campaigns are: the history's order
        mp.setenv("SOURCE_DATE_EPOCH", str(CREATED[campaign]))  # is by creation, not by the clock
        invoke(
            "generate",
            inv,
            "-o",
            out,
            "--campaign",
            campaign,
            "--password",
            "pw",
            "--spare-rows",
            1,
            "--register",
        )
    returns = tmp_path / f"{campaign}-returns"
    returns.mkdir()
    complete, partial = sorted(out.glob("*.xlsx"))
    book = open_book(complete)
    rows = [r for r in book.rows if book.input.cell(r, book.columns["ID"]).value]
    plan = {}
    for n, r in enumerate(rows):
        shift = n + 2 * (n == changed)
        plan[r] = {
            **{f"C{i}": (i + shift) % 4 for i in range(1, 10)},
            **{f"V{i}": (i + shift) % 3 for i in range(1, 11)},
        }
    fill(complete, returns / complete.name, plan)
    first = int(book.meta["register_first_row"])
    register = {first: {"SEVERITY": 2, "PROBABILITY": 1}, first + 1: {"SEVERITY": 0, "PROBABILITY": 3}}
    fill_register(returns / complete.name, returns / complete.name, register)
    other = open_book(partial)
    r = next(iter(other.rows))
    fill(partial, returns / partial.name, {r: {"C1": 2, "C2": 1, "V1": 0, "V2": "PEUT-ÊTRE"}})
    ids = [book.input.cell(r, book.columns["ID"]).value for r in rows]
    return returns, out / "campaign.json", {d for n, d in enumerate(ids) if n != changed}


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict[str, Path]:
    """Campaign A consolidated into a SQLite history, its action plan filled in (a team's own action
    added) and imported;
    campaign B (a year later: a device retired, one new, one answered otherwise) consolidated with
    --db, so its plan carries A's actions over; A consolidated again with its own actions; and the
    comparison of A and B (new, removed devices and changed answers listed). Maps and comparisons by name."""
    base = tmp_path_factory.mktemp("openxml")
    db = base / "history.db"
    made: dict[str, Path] = {}
    returns_a, manifest_a, _ = _returns(base / "a", "demo-a", {"Oncologie": 3, "Urgences": 3})
    returns_b, manifest_b, same = _returns(base / "b", "demo-b", {"Oncologie": 2, "Urgences": 4}, changed=0)

    def consolidate(returns: Path, manifest: Path, kind: str, *more: object) -> str:
        made[kind] = base / f"{kind}.xlsx"
        return invoke("consolidate", returns, "-o", made[kind], "--manifest", manifest, *more)

    consolidate(returns_a, manifest_a, "consolidated-fr")
    consolidate(returns_a, manifest_a, "consolidated-en", "--lang", "en")
    consolidate(returns_a, manifest_a, "plan-a", "--db", db, "--plan-by", "device")  # filled by device
    keys = [(r["device_id"], r["ref"]) for r in plan_table(made["plan-a"]) if r["device_id"] in same]
    statuses = ({"status": "done"}, {"owner": "DSI", "status": "in_progress"}, {"status": "todo"})

    def team_rows(ws, cols) -> None:  # the team's own actions: one carried into B's plan, one done
        for r, (text, status) in enumerate(
            [("Demander le MDS2 au fabricant\n(formulaire 2019)", "En cours"), ("Former le service", "Fait")],
            start=ws.max_row + 1,
        ):
            ws.cell(r, cols["device_id"]).value = keys[0][0]
            ws.cell(r, cols["action"]).value = text
            ws.cell(r, cols["status"]).value = status

    changes = {k: {"owner": "Biomédical", **s} for k, s in zip(keys, statuses)}
    fill_plan(made["plan-a"], made["plan-a"], changes, team_rows)
    invoke("actions", "import", made["plan-a"], "--db", db)
    output = consolidate(returns_b, manifest_b, "consolidated-fr-db-carry-over", "--db", db)
    assert re.search(r"[1-9]\d* action\(s\) carried over", output), output
    assert "1 of the team's own action(s) written into the plan" in output, output
    consolidate(returns_a, manifest_a, "consolidated-en-db-own-actions", "--db", db, "--lang", "en")
    assert " (team): Former le service" in invoke("compare", "--db", db, "demo-a", "demo-b")
    for lang in ("fr", "en"):
        made[f"compare-{lang}"] = base / f"compare-{lang}.xlsx"
        invoke("compare", "--db", db, "demo-a", "demo-b", "-o", made[f"compare-{lang}"], "--lang", lang)
    return made


HISTORY_KINDS = [
    "consolidated-fr",
    "consolidated-en",
    "consolidated-fr-db-carry-over",
    "consolidated-en-db-own-actions",
    "compare-fr",
    "compare-en",
]


@pytest.mark.parametrize("kind", HISTORY_KINDS)
def test_consolidated_and_compare_workbooks_are_valid(kind, history, validators):
    assert_valid(validators, [history[kind]])


# The audit's evidence report ----------------------------------------------------------------------


@pytest.mark.libreoffice
def test_audit_report_is_valid(validators, tmp_path):
    """The report of an audit that fails (findings listed) is the fullest. The faults are static
    (a formula cell unlocked, a sheet added), so the engines still compute every case and the run
    stays short; the engine is the cheapest, Gnumeric: the report's shape does not depend on it.
    Enough free rows hold the covering set in few probe workbooks (with 0 free rows, 4x slower)."""
    out = tmp_path / "campaign"
    inv = small_inventory(tmp_path / "inv.csv", {"Urgences": 2})
    invoke("generate", inv, "-o", out, "--password", "pw", "--spare-rows", 100)
    book = open_book(next(out.glob("*.xlsx")))
    book.input.cell(book.rows.start, book.columns["CRIT_SCORE"]).protection = Protection(locked=False)
    book.wb.create_sheet("Notes")
    faulty = tmp_path / "faulty.xlsx"
    book.wb.save(faulty)
    report = tmp_path / "audit.xlsx"
    args = [faulty, "--engine", require("gnumeric"), "--samples", 0, "--report", report]
    result = CliRunner().invoke(cli, ["audit", *map(str, args)])
    assert (
        result.exit_code == 1 and "[formula-unlocked]" in result.output and "[added-sheet]" in result.output
    ), result.output
    assert_valid(validators, [report])


# The validator is running ------------------------------------------------------------------------


def _unknown_element(xml: bytes) -> bytes:
    """An element a worksheet may not hold (a schema fault)."""
    assert b"<sheetData>" in xml
    return xml.replace(b"<sheetData>", b"<sheetData><notARow/>", 1)


def _duplicate_sheet_name(xml: bytes) -> bytes:
    """The second sheet renamed as the first (a semantic fault, which Excel repairs)."""
    first, second = re.findall(rb'<sheet name="([^"]*)"', xml)[:2]
    return xml.replace(b'<sheet name="' + second + b'"', b'<sheet name="' + first + b'"', 1)


# fault -> (part, how it is broken, what a finding on that part says)
FAULTS = {
    "schema": ("xl/worksheets/sheet1.xml", _unknown_element, "notARow"),
    "semantic": ("xl/workbook.xml", _duplicate_sheet_name, "Duplicate sheet name"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_broken_workbook_has_findings(fault, validators, history, tmp_path):
    """One of our outputs, valid (test above), with one fault injected into one part."""
    part, breaks, named = FAULTS[fault]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(history["consolidated-fr"]) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, breaks(data) if item.filename == part else data)
    found = findings(validators, broken)
    assert any(f"/{part}" in f and named in f for f in found), found
    assert {f.split(" ", 2)[1] for f in found} == {"2010", "2016"}, found


def test_readme_names_the_check_and_its_office_versions():
    text = " ".join(README.split())
    assert "openxml-audit" in text and all(version in text for version in OFFICE)
