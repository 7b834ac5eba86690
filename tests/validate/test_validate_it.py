"""``validate`` on an IT workbook (issue 25): the samples' IT workbook, built once by the library,
then copies of it tampered with as a user (or a script) would with openpyxl; each finding is
checked by code, severity, sheet, cell and row, through the command line, and the tampered file is
left byte-identical."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support.it_returns import MANIFEST, SAMPLE_ROWS, sample_it_workbook, sha256
from support.package_edits import rebuild, vba_project

from medrisk_xl.cli import cli
from medrisk_xl.validate import validate_file

SHEET = "Réponses informatique"
# Where things are on the samples' answer sheet (fr, by model), by hand: the code row is row 3, the
# rows start on row 5 and end on row 45 (41 rows); GROUP is column A, MODEL D, DEVICE_IDS F, ITEM G
# and IT_ANSWER L. Row 5 is G0001 (Calorys BB500+, DM-035048) V2, row 6 G0001 V9, row 7 G0002 V3,
# row 8 G0002 V9.
CODES = {"A": "GROUP", "D": "MODEL", "F": "DEVICE_IDS", "G": "ITEM", "L": "IT_ANSWER"}
LAST_ROW = 45


@pytest.fixture(scope="module")
def it_book(tmp_path_factory, pack) -> Path:
    return sample_it_workbook(tmp_path_factory.mktemp("it") / "A-CONFIRMER.xlsx", pack)


def tampered(src: Path, out: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(out)
    return out


def set_meta(key: str, value: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["_meta"]
        (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key]
        ws.cell(row, 2).value = value

    return edit


def validated(path: Path, *options: str) -> tuple[int, dict, str]:
    """Exit code, the file's JSON report and the text report of ``medrisk-xl validate``; the file
    is left as it was."""
    before = sha256(path)
    runner = CliRunner()
    res = runner.invoke(cli, ["validate", str(path), "--format", "json", *options])
    text = runner.invoke(cli, ["validate", str(path), *options])
    assert "Traceback" not in res.output + text.output
    assert res.exit_code == text.exit_code
    assert sha256(path) == before
    (report,) = json.loads(res.output)["files"]
    return res.exit_code, report, text.output


def found(report: dict) -> list[tuple]:
    return [
        (p["code"], p["severity"], p.get("sheet"), p.get("cell"), p.get("row")) for p in report["problems"]
    ]


def test_the_workbook_as_built_is_valid_and_unanswered(it_book):
    wb = openpyxl.load_workbook(it_book)
    ws = wb[SHEET]
    assert {letter: ws[f"{letter}3"].value for letter in CODES} == CODES
    assert [ws.cell(5, c).value for c in (1, 4, 6, 7)] == ["G0001", "BB500+", "DM-035048", "V2"]
    assert ws[f"A{LAST_ROW}"].value and ws[f"A{LAST_ROW + 1}"].value is None
    code, report, text = validated(it_book)
    assert code == 0 and report["status"] == "valid" and found(report) == []
    assert (report["kind"], report["it_rows"], report["it_answered"]) == ("it", SAMPLE_ROWS, 0)
    assert "VALID" in text and "rows: 0 answered of 41" in text


def test_a_filled_copy_is_valid_and_its_answers_are_counted(it_book, pack, tmp_path):
    def fill(wb: openpyxl.Workbook) -> None:
        ws = wb[SHEET]
        ws["L5"], ws["L6"], ws["L7"], ws["L8"] = "oui", "NON", "NE SAIT PAS", "OUI"  # case is forgiven
        ws["M5"], ws["N5"], ws["O5"] = "sans connexion réseau", "DSI", dt.datetime(2026, 12, 10)
        ws["M9"] = "à vérifier avec le fabricant"  # a comment without an answer: not answered

    path = tampered(it_book, tmp_path / "filled.xlsx", fill)
    code, report, text = validated(path, "--manifest", str(MANIFEST))
    assert code == 0 and report["status"] == "valid" and found(report) == []
    assert (report["kind"], report["it_rows"], report["it_answered"]) == ("it", 41, 4)
    assert "VALID" in text and "rows: 4 answered of 41" in text
    answers = validate_file(path, pack).it_answers
    assert [(a.row, a.group, a.item, a.answer, a.label) for a in answers] == [
        (5, "G0001", "V2", 0, "OUI"),
        (6, "G0001", "V9", 1, "NON"),
        (7, "G0002", "V3", 2, "NE SAIT PAS"),
        (8, "G0002", "V9", 0, "OUI"),
    ]
    assert answers[0].devices == (("DM-035048", "Néonatologie", ("V2", "V9")),)
    assert (answers[0].site, answers[0].brand, answers[0].model) == ("Hôpital Sud", "Calorys", "BB500+")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("A5", "G0002"),
        ("D5", "BB500"),
        ("F5", "DM-035048, DM-000001"),
        ("G5", "V3"),
        ("A5", '="G0001"'),  # the same text, but as a formula
    ],
)
def test_an_edited_identity_cell_is_named(it_book, tmp_path, cell, value):
    def edit(wb: openpyxl.Workbook) -> None:
        wb[SHEET][cell] = value

    code, report, _ = validated(tampered(it_book, tmp_path / "edited.xlsx", edit))
    assert code == 1 and report["status"] == "invalid"
    assert found(report) == [("it-row-changed", "error", SHEET, cell, 5)]
    assert CODES[cell[0]] in report["problems"][0]["message"]


def test_an_emptied_row_is_missing(it_book, tmp_path):
    def empty(wb: openpyxl.Workbook) -> None:
        for cell in wb[SHEET][7]:
            cell.value = None

    code, report, _ = validated(tampered(it_book, tmp_path / "emptied.xlsx", empty))
    assert code == 1 and found(report) == [("it-row-missing", "error", SHEET, None, 7)]
    assert "G0002 V3" in report["problems"][0]["message"]


def test_a_deleted_row_is_never_valid(it_book, tmp_path):
    code, report, _ = validated(
        tampered(it_book, tmp_path / "deleted.xlsx", lambda wb: wb[SHEET].delete_rows(7))
    )
    assert code == 1 and report["status"] == "invalid"
    problems = found(report)
    assert {p[:3] for p in problems} == {
        ("it-row-changed", "error", SHEET),
        ("it-row-missing", "error", SHEET),
    }
    assert ("it-row-changed", "error", SHEET, "G7", 7) in problems  # G0002 V9 moved up onto V3's row
    assert problems[-1] == ("it-row-missing", "error", SHEET, None, LAST_ROW)  # the last row is empty


@pytest.mark.parametrize(("cell", "row"), [("L46", 46), ("M50", 50)])
def test_anything_written_below_the_rows_is_refused(it_book, tmp_path, cell, row):
    def add(wb: openpyxl.Workbook) -> None:
        wb[SHEET][cell] = "OUI"

    code, report, _ = validated(tampered(it_book, tmp_path / "added.xlsx", add))
    assert code == 1 and found(report) == [("it-row-added", "error", SHEET, None, row)]


@pytest.mark.parametrize("value", ["PEUT-ÊTRE", 1, True, " OUI", "OUI ", "YES"])
def test_an_answer_outside_the_dropdown_is_invalid(it_book, tmp_path, value):
    def answer(wb: openpyxl.Workbook) -> None:
        wb[SHEET]["L5"] = value
        wb[SHEET]["L6"] = "NON"  # a good answer beside it

    code, report, _ = validated(tampered(it_book, tmp_path / "answer.xlsx", answer))
    assert code == 1 and report["status"] == "invalid"
    assert found(report) == [("invalid-answer", "error", SHEET, "L5", 5)]
    assert report["it_answered"] == 1


def test_a_deleted_column_code_is_column_missing(it_book, tmp_path):
    def delete(wb: openpyxl.Workbook) -> None:
        wb[SHEET]["L3"] = None

    code, report, _ = validated(tampered(it_book, tmp_path / "code.xlsx", delete))
    assert code == 1 and found(report) == [("column-missing", "error", SHEET, None, None)]
    assert "IT_ANSWER" in report["problems"][0]["message"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("campaign", "autre-2026", "other-campaign"),
        ("content_hash", "0" * 64, "other-content"),
        ("schema_version", "99", "unknown-schema"),
    ],
)
def test_meta_of_another_campaign_pack_or_schema_is_refused(it_book, tmp_path, key, value, expected):
    path = tampered(it_book, tmp_path / "meta.xlsx", set_meta(key, value))
    code, report, _ = validated(path, "--manifest", str(MANIFEST))
    assert code == 1 and report["status"] == "invalid" and report["kind"] == "it"
    assert found(report) == [(expected, "error", None, None, None)]


def test_another_campaign_needs_the_manifest_to_be_seen(it_book, tmp_path):
    path = tampered(it_book, tmp_path / "meta.xlsx", set_meta("campaign", "autre-2026"))
    code, report, _ = validated(path)
    assert code == 0 and found(report) == [] and report["campaign"] == "autre-2026"


def test_a_vba_project_is_refused(it_book, tmp_path):
    path = rebuild(it_book, tmp_path / "macro.xlsx", vba_project)
    code, report, _ = validated(path)
    assert code == 1 and report["status"] == "invalid"
    assert {p[:2] for p in found(report)} == {("active-content", "error")}
    assert any("xl/vbaProject.bin" in p["message"] for p in report["problems"])


def test_a_removed_protection_is_a_warning(it_book, tmp_path):
    def unprotect(wb: openpyxl.Workbook) -> None:
        wb[SHEET].protection.sheet = False

    code, report, _ = validated(tampered(it_book, tmp_path / "open.xlsx", unprotect))
    # a warning, as for a department workbook: the file is still read and its answers counted
    assert found(report) == [("protection-removed", "warning", SHEET, None, None)]
    assert code == 0 and report["status"] == "valid" and report["it_rows"] == 41


def test_a_password_changed_against_the_manifest_is_reported(it_book, tmp_path):
    """The IT workbook is protected with the campaign's password (the manifest's): another one on
    its answer sheet is reported with the manifest, as for a department workbook."""

    def repassword(wb: openpyxl.Workbook) -> None:
        wb[SHEET].protection.password = "not-the-campaign-password"

    path = tampered(it_book, tmp_path / "other-password.xlsx", repassword)
    code, report, _ = validated(path, "--manifest", str(MANIFEST))
    assert ("password-changed", "warning", SHEET, None, None) in found(report)
    assert code == 0
    code, report, _ = validated(path)  # without the manifest, no password to compare with
    assert not [p for p in found(report) if p[0] == "password-changed"]
