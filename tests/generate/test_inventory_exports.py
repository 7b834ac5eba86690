"""The sample inventory saved the ways CMMS exports and people save it (issue 31).

Each export is built from samples/inventory.csv, read here with the csv module: the devices read
must be exactly the sample's, in its order, with the header row and sheet reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medrisk_xl import MedriskError
from medrisk_xl.cli import cli
from medrisk_xl.generate.inventory import read_inventory

ROOT = Path(__file__).resolve().parents[2]
with (ROOT / "samples" / "inventory.csv").open(encoding="utf-8-sig", newline="") as _f:
    HEADER, *ROWS = list(csv.reader(_f, delimiter=";"))
IDS = [row[0] for row in ROWS]
TITLE = "Export GMAO — parc biomédical au 01/12/2026"


def write_book(path: Path, above=(), below=(), rows=None, sheet="Parc", first_sheet=None):
    """The sample table on sheet ``sheet`` under the rows ``above``, followed by ``below``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet is not None:
        ws.title = first_sheet[0]
        for row in first_sheet[1]:
            ws.append(row)
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in (*above, HEADER, *(rows if rows is not None else ROWS), *below):
        ws.append(list(row))
    wb.save(path)
    return wb, ws


def ids(inv) -> list[str]:
    return [d.id for d in inv.devices]


def codes(inv) -> list[str]:
    return [w.code for w in inv.warnings]


def test_title_row_and_blank_row_above_the_header(tmp_path):
    write_book(tmp_path / "inv.xlsx", above=[[TITLE], []])
    inv = read_inventory(tmp_path / "inv.xlsx")
    assert ids(inv) == IDS and len(inv.devices) == 120
    assert (inv.sheet, inv.header_row, inv.warnings) == ("Parc", 3, [])
    assert inv.summary_text() == (
        "inv.xlsx, sheet 'Parc', header at row 3: 120 device(s) read, 0 row(s) ignored, 0 with a warning"
    )


def test_grouped_header_with_merged_cells(tmp_path):
    groups = ["Identification", None, None, None, "Localisation", None, "Réglementaire", None, None]
    wb, ws = write_book(tmp_path / "inv.xlsx", above=[groups])
    for cells in ("A1:D1", "E1:F1", "G1:I1"):
        ws.merge_cells(cells)
    wb.save(tmp_path / "inv.xlsx")
    inv = read_inventory(tmp_path / "inv.xlsx")
    assert ids(inv) == IDS and (inv.sheet, inv.header_row, inv.warnings) == ("Parc", 2, [])
    assert inv.devices[0].get("department") == "Bloc opératoire"


def test_table_on_the_second_sheet(tmp_path):
    params = ("Paramètres", [["Paramètre", "Valeur"], ["Date d'export", "01/12/2026"], ["Filtre", "Tous"]])
    path = tmp_path / "inv.xlsx"
    write_book(path, first_sheet=params)
    for chosen in (None, "Parc", "parc", "2"):
        inv = read_inventory(path, sheet=chosen)
        assert ids(inv) == IDS and (inv.sheet, inv.header_row) == ("Parc", 1)
    with pytest.raises(MedriskError) as err:
        read_inventory(path, sheet="Paramètres")
    (problem,) = err.value.problems
    assert (problem.code, problem.sheet, problem.row) == ("missing-column", "Paramètres", 1)
    with pytest.raises(MedriskError) as err:
        read_inventory(path, sheet="Inventaire")
    assert err.value.problems[0].code == "no-sheet"
    assert "1 'Paramètres', 2 'Parc'" in err.value.problems[0].message


def test_no_sheet_has_a_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Paramètres"
    wb.active.append(["Paramètre", "Valeur"])
    wb.create_sheet("Vide")
    wb.save(tmp_path / "inv.xlsx")
    with pytest.raises(MedriskError) as err:
        read_inventory(tmp_path / "inv.xlsx")
    found = [(p.code, p.sheet) for p in err.value.problems]
    assert found == [("no-header", "Paramètres"), ("no-header", "Vide"), ("missing-column", None)]
    assert "row 1: « Paramètre » « Valeur »" in err.value.problems[0].message
    assert "nothing (the sheet is empty)" in err.value.problems[1].message


def test_total_row_after_a_blank_row(tmp_path):
    path = tmp_path / "inv.xlsx"
    write_book(path, below=[[], ["Total", "120 équipements"]])
    inv = read_inventory(path)
    assert ids(inv) == IDS and codes(inv) == ["rows-after-blank"]
    assert inv.warnings[0].message.startswith(
        "row 123 after the empty row 122 ignored: « Total » « 120 équipements »;"
    )
    assert (inv.rows_ignored, inv.rows_warned) == (1, 0)
    assert ids(read_inventory(path, include_after_blank=True))[-1] == "Total"


def test_total_row_in_a_csv_with_a_title(tmp_path):
    path = tmp_path / "export.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";").writerows([[TITLE], [], HEADER, *ROWS, [], ["Total", "120 équipements"]])
    inv = read_inventory(path)
    assert ids(inv) == IDS and (inv.sheet, inv.header_row) == (None, 3)
    assert codes(inv) == ["rows-after-blank"] and "« Total »" in inv.warnings[0].message


def test_subtotal_row_inside_the_table(tmp_path):
    rows = [*ROWS[:16], ["Sous-total Bloc", *[""] * 10, "16"], *ROWS[16:]]
    write_book(tmp_path / "inv.xlsx", rows=rows)
    inv = read_inventory(tmp_path / "inv.xlsx")
    assert ids(inv) == IDS and codes(inv) == ["subtotal-row"]
    assert (inv.warnings[0].row, inv.warnings[0].sheet) == (18, "Parc")
    assert "'Sous-total Bloc'" in inv.warnings[0].message
    assert (inv.rows_ignored, inv.rows_warned) == (1, 1)


def test_numeric_ids_lose_their_decimal_part_and_are_warned(tmp_path):
    rows = [[int(r[0].removeprefix("DM-")), *r[1:]] for r in ROWS]
    write_book(tmp_path / "inv.xlsx", rows=rows)
    inv = read_inventory(tmp_path / "inv.xlsx")
    assert ids(inv) == [str(int(i.removeprefix("DM-"))) for i in IDS]  # 412, not 412.0 nor 000412
    assert codes(inv) == ["numeric-ids"]
    assert inv.warnings[0].message.startswith("120 device id(s) are stored as numbers (first at row 2: 412)")
    assert "leading zeros" in inv.warnings[0].message


def test_excel_dates_and_date_texts(tmp_path):
    column = HEADER.index("Date de mise en service")
    rows = [list(r) for r in ROWS]
    for i, row in enumerate(rows):
        if row[column] and i % 2 == 0:  # half real dates, half dd/mm/yyyy texts
            row[column] = dt.datetime.strptime(row[column], "%d/%m/%Y")
    write_book(tmp_path / "inv.xlsx", rows=rows)
    inv = read_inventory(tmp_path / "inv.xlsx")
    assert [d.get("commissioning_date") for d in inv.devices] == [r[column] for r in ROWS]
    assert inv.devices[0].date("commissioning_date") == dt.date(2012, 10, 22)
    assert inv.warnings == []


def hide_rows(path: Path, numbers: list[int]) -> None:
    wb = openpyxl.load_workbook(path)
    for n in numbers:
        wb.active.row_dimensions[n].hidden = True
    wb.save(path)


HIDDEN = [5, 40, 121]  # sheet rows: devices 4, 39 and 120


def test_hidden_rows_are_read_and_counted(tmp_path):
    path = tmp_path / "inv.xlsx"
    write_book(path)
    hide_rows(path, HIDDEN)
    inv = read_inventory(path)
    assert ids(inv) == IDS and codes(inv) == ["hidden-rows"]
    assert inv.warnings[0].message.startswith(
        "3 hidden or filtered-out row(s) read as devices (rows 5, 40, 121)"
    )
    assert inv.rows_warned == 3
    inv = read_inventory(path, visible_only=True)
    assert ids(inv) == [i for n, i in enumerate(IDS, start=2) if n not in HIDDEN]
    assert codes(inv) == ["hidden-rows"] and inv.rows_ignored == 3


def test_generate_reports_what_it_read(tmp_path):
    path = tmp_path / "export.xlsx"
    write_book(path, above=[[TITLE], []], below=[[], ["Total", "120 équipements"]])
    result = CliRunner().invoke(cli, ["generate", str(path), "-o", str(tmp_path / "c"), "--split-by", "none"])
    assert result.exit_code == 0, result.output
    assert (
        "inventory: export.xlsx, sheet 'Parc', header at row 3: 120 device(s) read, 1 row(s) ignored, "
        "0 with a warning"
    ) in result.output
    assert (
        "warning: export.xlsx, sheet 'Parc': row 125 after the empty row 124 ignored: « Total »"
        in result.output
    )
    read = json.loads((tmp_path / "c" / "campaign.json").read_text(encoding="utf-8"))["inventory_read"]
    assert {
        k: read[k] for k in ("file", "sheet", "header_row", "rows_read", "rows_ignored", "rows_warned")
    } == {
        "file": "export.xlsx",
        "sheet": "Parc",
        "header_row": 3,
        "rows_read": 120,
        "rows_ignored": 1,
        "rows_warned": 0,
    }
    assert [w["code"] for w in read["warnings"]] == ["rows-after-blank"]


def test_header_row_option(tmp_path):
    path = tmp_path / "inv.xlsx"
    write_book(path, above=[[TITLE], ["N° inventaire", "Note"]])  # a decoy the search would take
    assert read_inventory(path).header_row == 3  # the id and another known column win
    with pytest.raises(MedriskError) as err:
        read_inventory(path, header_row=500)
    assert err.value.problems[0].code == "bad-header-row"
    assert ids(read_inventory(path, header_row=3)) == IDS


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory) -> dict[str, Path]:
    """The export with a title row and three hidden rows, saved by LibreOffice as .xls and .ods."""
    from medrisk_xl.engines import libreoffice

    src = tmp_path_factory.mktemp("src") / "export.xlsx"
    write_book(src, above=[[TITLE], []], below=[[], ["Total", "120 équipements"]])
    hide_rows(src, [n + 2 for n in HIDDEN])
    out = tmp_path_factory.mktemp("out")
    return {fmt: libreoffice.convert([src], out / fmt, fmt, recalc=False)[0] for fmt in ("xls", "ods")}


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_exports(converted, fmt, tmp_path):
    path = converted[fmt]
    before = path.read_bytes()
    inv = read_inventory(path)
    assert ids(inv) == IDS and (inv.sheet, inv.header_row) == ("Parc", 3)
    column = HEADER.index("Date de mise en service")
    assert [d.get("commissioning_date") for d in inv.devices] == [r[column] for r in ROWS]
    # .xls row visibility is not read (documented); .ods says which rows are hidden
    expected = ["rows-after-blank", "hidden-rows"] if fmt == "ods" else ["rows-after-blank"]
    assert codes(inv) == expected
    if fmt == "ods":
        assert "(rows 7, 42, 123)" in inv.warnings[1].message
    renamed = tmp_path / "export.xlsx"  # recognised by its bytes, not its name
    renamed.write_bytes(before)
    assert ids(read_inventory(renamed)) == IDS
    assert path.read_bytes() == before  # never modified


SHORT = ROWS[:8]
TITLES = st.sampled_from([TITLE, "Parc biomédical", "Filtre : tous les services", "Édité le 01/12/2026", ""])
FOOTER_CELL = st.sampled_from(
    ["Total", "Sous-total", "120 équipements", "Note : export partiel", "Fin", "42"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["csv", "xlsx"]),
    titles=st.lists(TITLES, max_size=10),
    left=st.integers(0, 3),
    subtotal=st.booleans(),
    footers=st.lists(st.lists(FOOTER_CELL, min_size=1, max_size=3), max_size=3),
)
def test_placement_never_takes_a_non_device_row_silently(fmt, titles, left, subtotal, footers):
    """Title rows 0–10, blank columns on the left, a subtotal under the table, footer rows after
    a blank: the devices read are exactly the table's, and every other row below it is warned."""
    pad = [""] * left
    width = len(HEADER)
    rows = [[*pad, t] for t in titles]
    header_number = len(rows) + 1
    rows += [[*pad, *HEADER], *([*pad, *r] for r in SHORT)]
    extra = []  # rows below the table that are not devices
    if subtotal:  # its id and a count in an extra column, nothing in the known ones
        rows.append([*pad, "Sous-total", *[""] * (width - 2), "8"])
        extra.append(len(rows))
    if footers:
        rows.append([])
        for cells in footers:
            rows.append([*pad, *cells])
            extra.append(len(rows))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export.{fmt}"
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, delimiter=";").writerows(rows)
        else:
            wb = openpyxl.Workbook()
            for row in rows:
                wb.active.append([c if c != "" else None for c in row] or [None])
            wb.save(path)
        inv = read_inventory(path)
    assert ids(inv) == [r[0] for r in SHORT]
    assert inv.header_row == header_number
    warned = set()
    for w in inv.warnings:
        if w.row is not None:
            warned.add(w.row)
        found = re.match(r"rows? (\d+)(?:–(\d+))?", w.message)
        if w.code == "rows-after-blank" and found:
            warned.update(range(int(found.group(1)), int(found.group(2) or found.group(1)) + 1))
    assert set(extra) <= warned


def test_a_macro_enabled_export_is_read_for_its_values_only(tmp_path):
    """An .xlsm export with a VBA project: its values are read (macros never run) and a warning
    says what it holds, while the same package as a department return would be refused."""
    from support.package_edits import rebuild, vba_project

    from medrisk_xl.workbook.read.opening import open_package
    from medrisk_xl.workbook.read.parts import ActiveContent

    write_book(tmp_path / "plain.xlsx", above=[[TITLE], []])
    xlsm = rebuild(tmp_path / "plain.xlsx", tmp_path / "Parc GMAO.xlsm", vba_project)
    before = xlsm.read_bytes()
    inv = read_inventory(xlsm)
    assert ids(inv) == IDS
    assert codes(inv) == ["active-content"]
    assert "xl/vbaProject.bin" in inv.warnings[0].message
    assert xlsm.read_bytes() == before
    with pytest.raises(ActiveContent):
        open_package(xlsm)
