"""An it-mode campaign (``generate --vulnerability-by it``) in real engines: the department
workbooks, filled from their own dropdowns (plus a pasted text and an incomplete row), show in
LibreOffice, Gnumeric and ``formulas`` exactly what the Python twin says (``shown_values`` with
the criteria-only pack); saved by LibreOffice as .xlsx and .ods with the filled IT workbook, they
validate as the openpyxl originals do and consolidate into the register of the oracle
(tests/support/it_mode.py).

Two LibreOffice runs in all (all files at once: .xlsx recalculated, then .ods), in a module fixture.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from support.engines import ERRORS, read_values, recalculate
from support.it_answers_oracle import read_rows
from support.it_mode import (
    FULL,
    INVALID,
    PARTIAL,
    UNTOUCHED,
    expected_register,
    fill_departments,
    fill_it_workbook,
    it_answers,
    it_campaign,
    mismatches,
    waiting,
    write_it_inventory,
)
from support.wbtools import open_book

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.contract import row_status_keys
from medrisk_xl.workbook.lists import status_texts
from medrisk_xl.workbook.questions import asked_pack
from medrisk_xl.workbook.shown import BLANK, SCORED, shown_values, view_row

pytestmark = pytest.mark.libreoffice

EXTRA = 40  # devices beside tests/support/it_mode.DEVICES: 56 in all
INVALID_DEVICE, PARTIAL_DEVICE = "DM-1000", "DM-1001"  # both in the Bloc workbook


@pytest.fixture(scope="module")
def campaign(soffice, tmp_path_factory, pack) -> dict:
    """The it-mode campaign filled with openpyxl, then every return (IT workbook included) saved by
    LibreOffice as .xlsx (recalculated) and as .ods: two soffice runs."""
    base = tmp_path_factory.mktemp("it_mode_engine")
    inv = write_it_inventory(base / "inventaire.csv", extra=EXTRA)
    manifest = it_campaign(inv, base / "out", pack).manifest
    rng = random.Random(20261203)
    books = [base / "out" / w["file"] for w in manifest["workbooks"]]
    forced = {INVALID_DEVICE: INVALID, PARTIAL_DEVICE: PARTIAL}
    departments = fill_departments(books, base / "filled", rng, (FULL,) * 8 + (PARTIAL, UNTOUCHED), forced)
    it_book = fill_it_workbook(
        base / "out" / manifest["it_workbook"]["file"], base / "filled" / manifest["it_workbook"]["file"], rng
    )
    assert departments[INVALID_DEVICE].file == departments[PARTIAL_DEVICE].file  # one workbook for formulas
    filled = [base / "filled" / b.name for b in books]
    every = [*filled, it_book]
    return {
        "base": base,
        "manifest": base / "out" / "campaign.json",
        "books": books,
        "filled": filled,
        "it": it_book,
        "departments": departments,
        "answers": it_answers(read_rows(it_book)),
        "xlsx": convert(every, base / "lo-xlsx", "xlsx"),
        "ods": convert(every, base / "lo-ods", "ods"),
    }


def wanted(book_path: Path, filled_path: Path, pack) -> dict[int, dict[str, object]]:
    """Row -> what each computed cell of the filled workbook must show (the Python twin, with the
    pack as the workbook asks it), for every row of the input sheet, free rows included."""
    book = open_book(book_path, data_only=True)  # as generated: the pre-filled helpers' cached points
    filled = open_book(filled_path)
    meta, cols = book.meta, book.columns
    asked = asked_pack(pack, meta["vulnerability_by"])
    language = pack.language(meta["language"])
    first_spare = int(meta["first_spare_row"])
    out = {}
    for r in book.rows:
        values = {code: filled.input.cell(r, cols[code]).value for code in asked.method.codes}
        prefill = {}
        helper = cols.get(contract.prefill_code("C1"))
        if helper and book.input.cell(r, helper).value not in (None, ""):
            prefill["C1"] = pack.method.answer_points("C1").index(int(book.input.cell(r, helper).value))
        has_id = bool(filled.input.cell(r, cols["ID"]).value)
        view = view_row(values, asked, language, prefill, r >= first_spare, has_id)
        out[r] = {"view": view, "shown": shown_values(view, asked, language)}
    return out


def check_matrix(values, views, pack, engine: str, name: str) -> None:
    """The matrix sheet counts the devices at each criticality level (row 5, columns C to E) and
    the rows of each status (from row 15), as the rows' views say."""
    language = pack.language("fr")
    matrix = values[language.ui["sheets"]["matrix"]]
    scored = [v.result for v in views if v.status in SCORED]
    for level in (1, 2, 3):
        want = sum(1 for x in scored if x.criticality_level == level)
        assert matrix[(5, 2 + level)] == want, (engine, name, level)
    by_label = {matrix.get((r, 2)): matrix.get((r, 3)) for r in range(1, 40)}
    assert by_label[language.ui["matrix"]["total"]] == sum(1 for v in views if v.status != BLANK)
    texts = status_texts(language)
    for key in row_status_keys(asks_items=False):
        assert by_label[texts[key]] == sum(1 for v in views if v.status == key), (engine, name, key)
    assert texts["to_confirm"] not in by_label  # nothing can be "don't know" here


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric", "formulas"])
def test_engines_compute_what_the_criteria_only_twin_computes(campaign, pack, engine):
    """Every computed cell of every row (CRIT_SCORE, CRIT_LEVEL, STATUS, points helpers) equals
    ``shown_values`` of the criteria-only pack; every status and criticality level comes up; no
    error value anywhere; the matrix sheet counts the levels and statuses. (``formulas``: the workbook with the pasted text and the incomplete row
    only, the engine being slow.)"""
    if engine == "libreoffice":  # the recalculated .xlsx LibreOffice saved
        values = {src: read_values(out) for src, out in zip(campaign["filled"], campaign["xlsx"])}
        paths = campaign["filled"]
    else:
        paths = campaign["filled"]
        if engine == "formulas":
            paths = [p for p in paths if p.name == campaign["departments"][INVALID_DEVICE].file]
        values = recalculate(engine, paths, campaign["base"] / f"recalc-{engine}")
    statuses, levels, checked = Counter(), set(), 0
    for path in paths:
        book_path = next(b for b in campaign["books"] if b.name == path.name)
        book = open_book(book_path)
        sheet = values[path][book.meta["input_sheet"]]
        cols = book.columns
        for r, want in wanted(book_path, path, pack).items():
            got = {code: sheet.get((r, cols[code]), "") for code in want["shown"]}
            assert got == want["shown"], (engine, path.name, r)
            view = want["view"]
            statuses[view.status] += 1
            if view.status in SCORED:
                levels.add(view.result.criticality_level)
            checked += 1
        views = [w["view"] for w in wanted(book_path, path, pack).values()]
        check_matrix(values[path], views, pack, engine, path.name)
        errors = [(s, pos, v) for s, cells in values[path].items() for pos, v in cells.items() if v in ERRORS]
        assert errors == [], (engine, path.name, errors[:5])
    assert {"complete", "incomplete", "invalid", "empty", BLANK} <= set(statuses), statuses
    assert levels == {1, 2, 3} or engine == "formulas"
    assert "to_confirm" not in statuses  # no item asked: nothing to confirm
    assert checked >= (56 if engine != "formulas" else 10)


def report(paths: list[Path], manifest: Path) -> tuple[int, dict[str, dict]]:
    """``medrisk-xl validate --format json`` on ``paths``: its exit code and each file's report by
    file name (path left out)."""
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", "--manifest", str(manifest), *map(str, paths)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    files = json.loads(result.output)["files"]
    return result.exit_code, {Path(f.pop("path")).stem: f for f in files}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_returns_validate_as_the_originals(campaign, fmt):
    """Saved by LibreOffice, every return is judged as the openpyxl original: valid, except the
    one holding the pasted text, invalid for that one cell only."""
    code, before = report([*campaign["filled"], campaign["it"]], campaign["manifest"])
    code_lo, after = report(campaign[fmt], campaign["manifest"])
    assert code == code_lo == 1  # the pasted text is an error
    assert after == before
    bad = campaign["departments"][INVALID_DEVICE]
    for stem, f in after.items():
        if stem == Path(bad.file).stem:
            assert f["status"] == "invalid"
            errors = [p for p in f["problems"] if p["severity"] == "error"]
            assert [(p["code"], p["device_id"], p["row"]) for p in errors] == [
                ("invalid-answer", INVALID_DEVICE, bad.row)
            ]
        else:
            assert f["status"] == "valid", (stem, f["problems"])
    it = after[Path(campaign["it"]).stem]
    assert it["kind"] == "it" and it["it_answered"] == sum(
        1 for r in read_rows(campaign["it"]) if r.answer is not None
    )


@pytest.fixture(scope="module")
def registers(campaign, pack) -> dict[str, object]:
    return {
        fmt: consolidate(campaign[fmt], manifest=campaign["manifest"], pack=pack) for fmt in ("xlsx", "ods")
    }


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_returns_consolidate_into_the_oracle_s_register(campaign, registers, pack, fmt):
    """Consolidated from LibreOffice's .xlsx or .ods, every device is what the reference scorer
    makes of its criteria and its group's IT answers; the waiting devices are counted."""
    result = registers[fmt]
    want = expected_register(campaign["departments"], campaign["answers"], pack)
    assert mismatches(result.register, want) == []
    assert result.accounting["devices_awaiting_it"] == waiting(campaign["departments"], campaign["answers"])
    kinds = {d.kind for d in campaign["departments"].values()}
    assert kinds == {FULL, PARTIAL, UNTOUCHED, INVALID}


def test_the_xlsx_and_the_ods_give_the_same_register(registers):
    xlsx, ods = (registers[f].register.drop(columns="source_file") for f in ("xlsx", "ods"))
    pd.testing.assert_frame_equal(xlsx, ods)
    assert registers["xlsx"].accounting == registers["ods"].accounting


def test_libreoffice_keeps_the_it_answers(campaign):
    """The IT answers read back from LibreOffice's .xlsx are the ones written."""
    lo_it = next(p for p in campaign["xlsx"] if p.stem == Path(campaign["it"]).stem)
    assert [(r.row, r.answer) for r in read_rows(lo_it)] == [
        (r.row, r.answer) for r in read_rows(campaign["it"])
    ]
    assert openpyxl.load_workbook(lo_it).sheetnames == openpyxl.load_workbook(campaign["it"]).sheetnames
