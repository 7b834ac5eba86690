"""validate: returns filled as a user would validate clean (saved by openpyxl or by LibreOffice);
each kind of tampering gives its own problem code; inputs are never modified. The filled return is
conftest's session ``campaign``."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support.answers import crit_with_sum, vuln_with_sum, write_inventory
from support.wbtools import fill, open_book

from medrisk_xl.cli import cli
from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import Problem
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.validate import CATALOGUE, validate, validate_file
from medrisk_xl.validate.validation_report import FOLD_AT, FileReport, Report


def codes(report) -> set[str]:
    return {p.code for p in report.problems}


def errors(report) -> set[str]:
    return {p.code for p in report.problems if p.severity == "error"}


def tampered(campaign, tmp_path, change, name="t.xlsx") -> Path:
    """A copy of the filled return, changed through openpyxl (which keeps formulas, drops cached values)."""
    wb = openpyxl.load_workbook(campaign["filled"])
    change(wb)
    out = tmp_path / name
    wb.save(out)
    return out


def test_fresh_and_filled_returns_validate_clean(campaign, pack):
    fresh = validate_file(campaign["book"], pack)
    assert fresh.status == "valid" and errors(fresh) == set()
    assert codes(fresh) <= {"not-started"}
    assert fresh.devices["not_started"] == fresh.devices["total"] == 12
    first = fresh.problems[0]  # the grid starts on row 5 with the inventory's first device
    assert (first.code, first.message, first.sheet, first.row, first.device_id, first.severity) == (
        "not-started",
        "no answer yet",
        "Saisie",
        5,
        "DM-000001",
        "warning",
    )
    filled = validate_file(campaign["filled"], pack)
    assert filled.status == "valid", filled.problems
    assert errors(filled) == set() and filled.devices["total"] == 12
    assert filled.devices["complete"] + filled.devices["to_confirm"] == 12


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice_validates_clean(campaign, pack, soffice, tmp_path):
    from medrisk_xl.engines.libreoffice import convert

    (saved,) = convert([campaign["filled"]], tmp_path / "lo")
    report = validate_file(saved, pack)
    assert errors(report) == set(), report.problems
    assert codes(report) <= {"to-confirm"}
    from medrisk_xl.workbook.read.reader import read_workbook

    book = read_workbook(saved)  # LibreOffice stored cached values: they were all compared
    assert len(book.sheets["Saisie"].xml.cached) >= 12 * 25
    assert book.sheets["_meta"].state == "hidden" and not book.structure_locked


def test_inputs_are_never_modified(campaign, pack):
    paths = [campaign["book"], campaign["filled"]]
    before = [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths]
    validate(paths, manifest=campaign["manifest"], pack=pack)
    assert [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths] == before


def cell_of(campaign, code: str, row: int | None = None) -> str:
    book = open_book(campaign["book"])
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(book.columns[code])}{row or int(book.meta['first_row'])}"


def test_invalid_answer_names_cell_and_value(campaign, pack, tmp_path):
    target = cell_of(campaign, "V3")
    path = tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(target, "peut-être"))
    report = validate_file(path, pack)
    bad = [p for p in report.problems if p.code == "invalid-answer"]
    assert len(bad) == 1 and bad[0].cell == target and "peut-être" in bad[0].message
    assert (bad[0].sheet, bad[0].row, bad[0].device_id) == ("Saisie", 5, "DM-000001")
    assert bad[0].message == "V3 holds 'peut-être', which is not one of its options"
    assert report.status == "invalid"


def test_other_case_is_the_option(campaign, pack, tmp_path):
    target = cell_of(campaign, "V3")
    path = tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(target, "non"))
    assert errors(validate_file(path, pack)) == set()


def test_missing_answers_and_to_confirm(campaign, pack, tmp_path):
    def change(wb):
        wb["Saisie"][cell_of(campaign, "C5")] = None  # the first device, on row 5
        wb["Saisie"][cell_of(campaign, "C7")] = None
        for i in range(1, 11):  # the second device, on row 6: V2 and V7 to confirm
            wb["Saisie"][cell_of(campaign, f"V{i}", 6)] = "NE SAIT PAS" if i in (2, 7) else "OUI"

    report = validate_file(tampered(campaign, tmp_path, change), pack)
    found = {
        (p.code, p.row): (p.message, p.sheet, p.device_id, p.severity)
        for p in report.problems
        if p.code in ("missing-answers", "to-confirm")
    }
    assert found[("missing-answers", 5)] == ("unanswered: C5, C7", "Saisie", "DM-000001", "warning")
    assert found[("to-confirm", 6)] == ("NE SAIT PAS to confirm: V2, V7", "Saisie", "DM-000002", "info")
    assert [row for code, row in found if code == "missing-answers"] == [5]
    assert report.status == "valid"


@pytest.mark.parametrize(
    "code, value, expected",
    [("CRIT_SCORE", "=1+1", "formula-changed"), ("STATUS", "Complet", "formula-replaced")],
)
def test_formulas_typed_over(campaign, pack, tmp_path, code, value, expected):
    target = cell_of(campaign, code)
    report = validate_file(
        tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(target, value)), pack
    )
    (found,) = [p for p in report.problems if p.code == expected]
    assert (found.cell, found.sheet, found.row, found.device_id) == (target, "Saisie", 5, "DM-000001")
    if expected == "formula-replaced":
        assert found.message == "STATUS holds the constant 'Complet' instead of its formula"
    else:  # the generator's formula, cut to 70 characters
        said, wrote = found.message.split(", the generator wrote ")
        assert said == "CRIT_SCORE holds =1+1"
        assert wrote.startswith("=IF(OR(") and wrote.endswith("…") and len(wrote) == 70


def test_several_formulas_changed_make_one_problem(campaign, pack, tmp_path):
    crit, vuln = cell_of(campaign, "CRIT_SCORE"), cell_of(campaign, "VULN_SCORE")

    def change(wb):
        wb["Saisie"][crit] = "=1+1"
        wb["Saisie"][vuln] = "=2+2"

    report = validate_file(tampered(campaign, tmp_path, change), pack)
    (found,) = [p for p in report.problems if p.code == "formula-changed"]
    assert found.message == "2 formulas differ from the generator's: CRIT_SCORE, VULN_SCORE"
    assert (found.cell, found.sheet, found.row, found.device_id) == (crit, "Saisie", 5, "DM-000001")


def test_each_constant_typed_over_a_formula_is_reported(campaign, pack, tmp_path):
    crit, level = cell_of(campaign, "CRIT_SCORE"), cell_of(campaign, "VULN_LEVEL")

    def change(wb):
        wb["Saisie"][crit] = 20
        wb["Saisie"][level] = 3

    report = validate_file(tampered(campaign, tmp_path, change), pack)
    assert sorted(p.cell for p in report.problems if p.code == "formula-replaced") == sorted([crit, level])


def test_short_formula_cuts_at_the_limit():
    from medrisk_xl.validate.checks.computed_cells import short_formula

    assert short_formula("=" + "x" * 69) == "=" + "x" * 69  # 70 characters: kept
    assert short_formula("=" + "x" * 70) == "=" + "x" * 68 + "…"  # 71: 69 kept and an ellipsis
    assert short_formula("=SUM(A1:A9)", limit=6) == "=SUM(…"


def test_wrong_cached_value(campaign, pack, tmp_path):
    """A cached result that differs from the recomputation: the department saw a wrong figure."""
    import re
    import zipfile

    book = open_book(campaign["book"])
    target = cell_of(campaign, "CRIT_SCORE")
    src = tmp_path / "src.xlsx"
    # Cached values as generated (XlsxWriter stores them): change one in the sheet XML.
    out = tmp_path / "cached.xlsx"
    shutil.copy(campaign["book"], src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                pattern = rf'(<c r="{target}"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)'
                text, n = re.subn(pattern, r"\g<1>999\g<2>", text)
                assert n == 1
                text = re.sub(rf'<c r="{target}"([^>]*) t="str"', rf'<c r="{target}"\1', text)
                data = text.encode()
            zout.writestr(item, data)
    assert book.meta["input_sheet"] == "Saisie"
    report = validate_file(out, pack)
    wrong = [p for p in report.problems if p.code == "wrong-cached-value"]
    assert [(p.cell, p.sheet, p.row, p.device_id) for p in wrong] == [(target, "Saisie", 5, "DM-000001")]
    assert wrong[0].message == "CRIT_SCORE shows 999, the method computes ''"  # a device not started


def test_rows_deleted_inserted_duplicated_and_identity(campaign, pack, tmp_path):
    first = int(open_book(campaign["book"]).meta["first_row"])
    report = validate_file(tampered(campaign, tmp_path, lambda wb: wb["Saisie"].delete_rows(first + 2)), pack)
    assert "device-missing" in codes(report) and "device-moved" in codes(report)
    # Row 7 (DM-000003) deleted: DM-000004 moves up from row 8 to 7.
    places = {(p.code, p.device_id): (p.message, p.sheet, p.row) for p in report.problems}
    assert places[("device-missing", "DM-000003")] == (
        "device DM-000003 (row 7 as generated) is no longer in the workbook",
        "Saisie",
        7,
    )
    assert places[("device-moved", "DM-000004")] == (
        "device DM-000004 was generated on row 8 and is now on row 7",
        "Saisie",
        7,
    )
    report = validate_file(tampered(campaign, tmp_path, lambda wb: wb["Saisie"].insert_rows(first + 1)), pack)
    assert "device-moved" in codes(report)
    designation = cell_of(campaign, "DESIGNATION", first + 1)
    report = validate_file(
        tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(designation, "Autre")), pack
    )
    changed = [p for p in report.problems if p.code == "identity-changed"]
    assert [(p.cell, p.sheet, p.row, p.device_id, p.message) for p in changed] == [
        (designation, "Saisie", 6, "DM-000002", "DESIGNATION reads 'Autre', the inventory gave 'Appareil 2'")
    ]
    last_spare = int(open_book(campaign["book"]).meta["first_spare_row"]) + 2  # the grid's last row
    spare_id = cell_of(campaign, "ID", last_spare)
    report = validate_file(
        tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(spare_id, "DM-000001")), pack
    )
    (duplicated,) = [p for p in report.problems if p.code == "device-duplicated"]
    assert (duplicated.message, duplicated.sheet, duplicated.device_id) == (
        "device DM-000001 appears on rows 5, 19",  # the first device row, and the last free row
        "Saisie",
        "DM-000001",
    )
    first_id = cell_of(campaign, "ID")
    report = validate_file(
        tampered(campaign, tmp_path, lambda wb: wb["Saisie"].__setitem__(first_id, "ZZZ")), pack
    )
    assert {"device-missing", "unexpected-row"} <= codes(report)


def test_added_device_in_a_free_row_is_info(campaign, pack, tmp_path):
    book = open_book(campaign["book"])
    r = int(book.meta["first_spare_row"])
    answers = {"ID": "NEW-1", **crit_with_sum(20), **vuln_with_sum(3)}
    out = tmp_path / "added.xlsx"
    fill(campaign["filled"], out, {r: answers})
    report = validate_file(out, pack)
    assert report.status == "valid" and report.devices["added"] == 1 and report.devices["total"] == 13
    assert any(p.code == "added-device" and p.severity == "info" for p in report.problems)


def test_relabelled_options_and_missing_sheet(campaign, pack, tmp_path):
    report = validate_file(
        tampered(campaign, tmp_path, lambda wb: wb["Listes"].__setitem__("L2", "OUI!")), pack
    )
    (relabelled,) = [p for p in report.problems if p.code == "relabelled-options"]
    assert (relabelled.sheet, relabelled.cell) == ("Listes", "L2")  # column L: V2's options
    assert relabelled.message == (
        "the options of V2 read ['OUI!', 'NON', 'NE SAIT PAS'], the method's are ['OUI', 'NON', 'NE SAIT PAS']"
    )
    report = validate_file(tampered(campaign, tmp_path, lambda wb: wb.remove(wb["Listes"])), pack)
    assert "sheet-missing" in errors(report)


def test_protection_removed_and_password_changed(campaign, pack, tmp_path):
    def unprotect(wb):
        wb["Saisie"].protection.sheet = False

    report = validate_file(tampered(campaign, tmp_path, unprotect), pack)
    assert [p.sheet for p in report.problems if p.code == "protection-removed"] == ["Saisie"]
    assert report.status == "valid"  # a warning

    def repassword(wb):
        wb["Matrice"].protection.set_password("other")

    path = tampered(campaign, tmp_path, repassword)
    (report,) = validate([path], manifest=campaign["manifest"], pack=pack).files
    assert [p.sheet for p in report.problems if p.code == "password-changed"] == ["Matrice"]


def test_manifest_checks(campaign, pack, tmp_path):
    data = json.loads(campaign["manifest"].read_text(encoding="utf-8"))
    data["workbooks"][0]["device_ids"] = [*data["workbooks"][0]["device_ids"][1:], "DM-999999"]
    manifest = tmp_path / "campaign.json"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (report,) = validate([campaign["filled"]], manifest=manifest, pack=pack).files
    assert {"not-in-manifest", "missing-from-return"} <= errors(report)
    data["campaign"] = "other"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (report,) = validate([campaign["filled"]], manifest=manifest, pack=pack).files
    assert errors(report) == {"other-campaign"}


def test_identity_problems(campaign, pack, tmp_path, edit_pack):
    from medrisk_xl import load_pack

    def old_schema(wb):
        ws = wb["_meta"]
        ws["B1"] = "1"

    report = validate_file(tampered(campaign, tmp_path, old_schema), pack)
    assert errors(report) == {"unknown-schema"}
    site = load_pack(edit_pack("fr/labels.yaml", lambda d: d["status"].update(complete="Fini")))
    assert errors(validate_file(campaign["filled"], site)) == {"other-content"}
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    report = validate_file(plain, pack)
    assert [p.code for p in report.problems] == ["not-medrisk"] and report.status == "invalid"


@pytest.mark.parametrize(
    "content", [b"", b"N inventaire;Service\nA1;Rea\n", b"%PDF-1.4 not a workbook", b"PK\x03\x04 cut"]
)
def test_unreadable_files_get_one_clear_problem(tmp_path, pack, content):
    path = tmp_path / "return.xlsx"
    path.write_bytes(content)
    report = validate_file(path, pack)
    assert report.status == "unreadable" and [p.code for p in report.problems] == ["unreadable"]


def test_cli_text_json_and_exit_codes(campaign, tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    other = tmp_path / "notes.txt"
    other.write_text("x")
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(campaign["filled"], folder / "renamed by the department.xlsx")
    res = runner.invoke(cli, ["validate", str(folder), "--manifest", str(campaign["manifest"])])
    assert res.exit_code == 0, res.output
    assert "VALID" in res.output and "renamed by the department.xlsx" in res.output
    res = runner.invoke(cli, ["validate", str(folder), str(bad), str(tmp_path), "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["valid"] is False and data["summary"]["unreadable"] >= 1
    assert str(other) in data["skipped"]
    lib = validate([folder, bad, tmp_path]).to_dict()
    assert data == lib
    for f in data["files"]:
        assert set(f) == {"path", "status", "kind", "campaign", "department", "devices", "problems"}
        for p in f["problems"]:
            assert set(p) == {"code", "severity", "sheet", "cell", "row", "device_id", "message"}
            assert p["code"] in CATALOGUE
    res = runner.invoke(cli, ["validate"])
    assert res.exit_code == 2


def test_every_code_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for code, (severity, _) in CATALOGUE.items():
        assert f"| `{code}` | {severity} |" in readme, code


def test_readme_shows_the_real_output_on_the_sample_returns(monkeypatch):
    """The README's validate example is this run's output (samples/returns/, made by
    scripts/make_returns.py)."""
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = "$ medrisk-xl validate samples/returns --manifest samples/campaign/campaign.json\n"
    shown = readme.split(command, 1)[1].split("\n```", 1)[0]
    res = CliRunner().invoke(cli, command[2:].split()[1:])
    assert res.exit_code == 1  # two returns were tampered with
    assert res.output.rstrip("\n") == shown


def test_a_sheet_claiming_a_million_rows_is_refused_quickly(campaign, pack, tmp_path):
    import time
    import zipfile

    out = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(campaign["filled"]) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(
                    b"<sheetData>", b'<sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row>', 1
                )
            zout.writestr(item, data)
    start = time.perf_counter()
    report = validate_file(out, pack)
    assert report.status == "unreadable" and time.perf_counter() - start < 5
    assert "too large" in report.problems[0].message or "too-large" in report.problems[0].message


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_returns_never_traceback_nor_change(campaign, pack, tmp_path, data):
    """Mutated bytes of a valid return: a report every time, the file untouched."""
    raw = bytearray(campaign["filled"].read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    report = validate_file(path, pack)
    assert report.status in ("valid", "invalid", "unreadable")
    assert path.read_bytes() == before


def test_form_layout_returns(pack, tmp_path):
    from support.wbtools import fill_forms

    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Achats": 3})
    result = generate(inv, tmp_path / "c", Options(layout="form", split_by="none"), pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    forms = json.loads(open_book(path).meta["forms"])
    plan = {
        forms[0]: {**crit_with_sum(20), **vuln_with_sum(4)},
        forms[1]: {**crit_with_sum(12), **vuln_with_sum(2), "V5": "peut-être"},
    }
    fill_forms(path, tmp_path / "filled.xlsx", plan)
    report = validate_file(tmp_path / "filled.xlsx", pack)
    bad = [p for p in report.problems if p.code == "invalid-answer"]
    assert [(p.sheet, p.cell) for p in bad] == [(forms[1], bad[0].cell)] and bad[0].cell.startswith("G")
    assert report.devices["complete"] == 1 and report.devices["invalid"] == 1
    assert report.devices["total"] == 3
    assert errors(report) == {"invalid-answer"}  # every points helper and result formula matched

    def tamper(wb):
        ws = wb[forms[0]]
        rows = {c.value: c.row for c in ws["A"] if c.value}
        ws.cell(rows["CRIT_SCORE"], 7).value = 12
        ws.cell(rows["V2"], 8).value = "=1"

    wb = openpyxl.load_workbook(tmp_path / "filled.xlsx")
    tamper(wb)
    wb.save(tmp_path / "tampered.xlsx")
    report = validate_file(tmp_path / "tampered.xlsx", pack)
    assert {(p.code, p.sheet) for p in report.problems if p.code.startswith("formula")} == {
        ("formula-replaced", forms[0]),
        ("formula-changed", forms[0]),
    }


def test_jobs_give_the_same_report(campaign, pack, tmp_path, monkeypatch):
    monkeypatch.setattr("medrisk_xl.validate.files.FILES_PER_PROCESS", 1)  # a pool for 4 files
    folder = tmp_path / "returns"
    folder.mkdir()
    for i in range(3):
        shutil.copy(campaign["filled"], folder / f"r{i}.xlsx")
    shutil.copy(campaign["book"], folder / "fresh.xlsx")
    one = validate([folder], pack=pack, jobs=1).to_dict()
    two = validate([folder], pack=pack, jobs=2).to_dict()
    assert one == two and one["summary"]["files"] == 4


def test_two_far_apart_cells_are_refused_before_loading(campaign, pack, tmp_path):
    """A tiny file whose _meta uses a huge range (a reader would allocate every cell)."""
    import zipfile

    out = tmp_path / "far.xlsx"
    with zipfile.ZipFile(campaign["filled"]) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = [i.filename for i in zin.infolist()]
        meta_part = max(n for n in names if n.startswith("xl/worksheets/sheet"))
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == meta_part:
                far = b'<row r="20000"><c r="ALL20000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
                data = data.replace(b"</sheetData>", far, 1)
            zout.writestr(item, data)
    report = validate_file(out, pack)
    assert report.status == "unreadable" and "cells" in report.problems[0].message


def test_a_renamed_ods_or_xlsx_is_read_from_its_bytes(campaign, pack, tmp_path):
    renamed = tmp_path / "retour.ods"
    shutil.copy(campaign["filled"], renamed)
    assert validate_file(renamed, pack).status == "valid"


def test_manifest_with_rows_per_device_type(pack, tmp_path):
    """--per cneh: a row stands for every device of its type; the manifest lists the devices."""
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": 10})
    inv.write_text(inv.read_text(encoding="utf-8-sig").replace("Classe CE", "Code CNEH"), "utf-8")
    generate(inv, tmp_path / "c", Options(per="cneh", campaign="types"), pack)
    manifest = tmp_path / "c" / "campaign.json"
    book = next((tmp_path / "c").glob("*.xlsx"))
    (report,) = validate([book], manifest=manifest, pack=pack).files
    assert errors(report) == set(), report.problems
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["workbooks"][0]["device_ids"].append("DM-999999")
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (report,) = validate([book], manifest=manifest, pack=pack).files
    assert [p.device_id for p in report.problems if p.code == "missing-from-return"] == ["DM-999999"]


def test_text_folds_a_problem_repeated_on_many_devices_and_summary_counts_codes(campaign, tmp_path):
    """An untouched return: its twelve "no answer yet" said once with how many, first and last
    device; --summary: the head line and the count per code; JSON keeps one problem per device."""
    runner = CliRunner()
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(campaign["book"], folder / "untouched.xlsx")
    shutil.copy(campaign["filled"], folder / "filled.xlsx")
    report = validate([folder])
    untouched = next(f for f in report.files if f.path.endswith("untouched.xlsx"))
    devices = [p.device_id for p in untouched.problems if p.code == "not-started"]
    assert len(devices) == 12 > FOLD_AT
    text = runner.invoke(cli, ["validate", str(folder)]).output.splitlines()
    folded = [line for line in text if "[not-started]" in line]
    assert folded == [
        f"  warning: no answer yet: 12 devices ({devices[0]}, …, {devices[-1]}; each one with --format json) [not-started]"
    ]
    assert not any(devices[1] in line for line in text)  # no line per device
    res = runner.invoke(cli, ["validate", "--summary", str(folder)], env={"MEDRISK_LANG": "fr"})
    lines = res.output.splitlines()
    heads = [line for line in lines if line.startswith(str(folder))]
    assert len(heads) == 2 and all("VALIDE" in line for line in heads)
    counts = {c: n for f in report.files for c, n in Counter(p.code for p in f.problems).items()}
    by_code = lines[lines.index("Problèmes par code :") + 1 : -1]
    severity = {p.code: render(f"severity.{p.severity}", "fr") for f in report.files for p in f.problems}
    assert severity["not-started"] == "avertissement"
    assert sorted(by_code) == sorted(f"  {severity[code]} [{code}] : {n}" for code, n in counts.items())
    data = json.loads(runner.invoke(cli, ["validate", "--format", "json", str(folder)]).output)
    assert sum(p["code"] == "not-started" for f in data["files"] for p in f["problems"]) == 12


def test_only_located_problems_stay_on_their_own_line_when_a_text_repeats():
    """Six devices "no answer yet" fold into one line; the same text on a cell (located) keeps
    its line, and a problem said on five devices or fewer is never folded."""
    f = FileReport("r.xlsx")
    for i in range(6):
        f.add(
            Problem(
                "not-started",
                "no answer yet",
                sheet="Saisie",
                row=5 + i,
                severity="warning",
                device_id=f"D{i}",
            )
        )
    f.add(
        Problem(
            "not-started", "no answer yet", sheet="Saisie", cell="K20", severity="warning", device_id="D9"
        )
    )
    for i in range(FOLD_AT):
        f.add(
            Problem(
                "missing-answers", "unanswered: C5", sheet="Saisie", severity="warning", device_id=f"E{i}"
            )
        )
    lines = Report([f.finish()]).to_text().splitlines()
    assert (
        "  warning: no answer yet: 6 devices (D0, …, D5; each one with --format json) [not-started]" in lines
    )
    assert "  D9: warning: no answer yet (Saisie!K20) [not-started]" in lines
    assert sum("[missing-answers]" in line for line in lines) == FOLD_AT
