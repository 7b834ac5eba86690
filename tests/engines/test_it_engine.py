"""Issue 25's proof in LibreOffice: the IT workbook built from the sample returns, answered from
its own dropdowns, saved by LibreOffice headless as .xlsx and as .ods, then consolidated with the
returns: every device's risk is the reference scorer's with the IT answers in place of NE SAIT
PAS (tests/support/it_answers_oracle.py), the sources are exact, and both formats agree.

Two LibreOffice conversions in all (one per format), in a module fixture.
"""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest
from support.it_answers_oracle import (
    DEPARTMENT,
    IT,
    ITEMS,
    MANIFEST,
    RETURNS,
    UNKNOWN,
    answer_sheet,
    build,
    by_device,
    columns,
    expected,
    mismatches,
    read_rows,
    substitutions,
)
from support.wbtools import dropdowns

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.exports import write_csv
from medrisk_xl.engines.libreoffice import convert

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def it_books(soffice, tmp_path_factory) -> dict[str, object]:
    """The IT workbook answered from its dropdowns (each option and a blank in turn), then saved by
    LibreOffice as .xlsx and as .ods."""
    base = tmp_path_factory.mktemp("it_engine")
    book = build(base / "A-CONFIRMER.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = answer_sheet(wb)
    col = columns(ws)["IT_ANSWER"]
    lists = dropdowns(wb, ws)
    chosen: dict[int, str | None] = {}
    for i, row in enumerate(read_rows(book)):
        cell = ws.cell(row.row, col)
        options = lists[cell.coordinate]  # every answer cell has its dropdown
        assert len(options) == 3 and UNKNOWN in options
        choice = [*options, None][i % 4]
        cell.value = chosen[row.row] = choice
    filled = base / "filled" / "A-CONFIRMER.xlsx"
    filled.parent.mkdir()
    wb.save(filled)
    digest = hashlib.sha256(filled.read_bytes()).hexdigest()
    (as_xlsx,) = convert([filled], base / "xlsx", "xlsx")
    (as_ods,) = convert([filled], base / "ods", "ods")
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == digest
    return {"filled": filled, "chosen": chosen, "xlsx": as_xlsx, "ods": as_ods}


@pytest.fixture(scope="module")
def results(pack, it_books) -> dict[str, object]:
    out = {"before": consolidate([RETURNS], manifest=MANIFEST, pack=pack)}
    for fmt in ("xlsx", "ods"):
        out[fmt] = consolidate([RETURNS, it_books[fmt]], manifest=MANIFEST, pack=pack)
    return out


def test_libreoffice_keeps_the_answers_chosen_from_the_dropdowns(it_books):
    chosen = it_books["chosen"]
    assert set(chosen.values()) == {"OUI", "NON", UNKNOWN, None}
    assert {r.row: r.answer for r in read_rows(it_books["xlsx"])} == chosen


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_every_device_is_scored_with_the_it_answers(pack, it_books, results, fmt):
    result, before = results[fmt], results["before"]
    files = result.files.set_index("file")
    assert files.loc[str(it_books[fmt]), "status"] == "valid"
    problems = result.problems
    assert problems[problems["file"] == str(it_books[fmt])].empty
    assert problems[problems["code"].str.startswith("it-")].empty
    subs = substitutions(read_rows(it_books["filled"]))
    assert mismatches(result.register, expected(before.register, subs, pack)) == []
    was, now = by_device(before.register), by_device(result.register)
    applied = {(d, i) for (d, i) in subs if was[d][f"{i}_answer"] == UNKNOWN}
    assert (
        applied and {(d, i) for d, rec in now.items() for i in ITEMS if rec[f"{i}_source"] == IT} == applied
    )
    assert all(
        rec[f"{i}_source"] == (DEPARTMENT if was[d][f"{i}_answer"] is not None else None)
        for d, rec in now.items()
        for i in ITEMS
        if (d, i) not in applied
    )
    # Some risk went down, as the issue promises.
    assert any(now[d]["risk_level"] < was[d]["risk_level"] for d in now if was[d]["risk_level"] is not None)


def test_the_xlsx_and_the_ods_give_the_same_register(results, tmp_path):
    pd.testing.assert_frame_equal(results["xlsx"].register, results["ods"].register)
    write_csv(results["xlsx"].register, tmp_path / "xlsx.csv")
    write_csv(results["ods"].register, tmp_path / "ods.csv")
    assert (tmp_path / "xlsx.csv").read_bytes() == (tmp_path / "ods.csv").read_bytes()
