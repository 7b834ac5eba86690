"""The consolidated workbook's fast rows (medrisk_xl.consolidate.workbook.xml_rows): once its shared strings
are put back inline, a sheet is byte for byte the one XlsxWriter writes through its own API, cell
by cell and for a whole consolidated workbook; a text that looks like rich-text XML stays text."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.workbook import map_book as cw_book
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.consolidate.workbook.xml_rows import (
    STRING_MAX,
    RowWriter,
    TableSheet,
    inline_string,
    row_height,
    utf16_truncate,
    write_cell,
)

TEXTS = [
    "plain",
    " leading space",
    "trailing space ",
    "a&b<c>d\"e'f",
    "line\nbreak",
    "\x01control\x1f",
    "_x0041_ looks escaped",
    "tab\tinside",
    "non-character \ufffe\uffff",
    "astral 𝄞 music",
    "é" * 20_000,  # longer than half the limit, not over it
    "x" * 40_000,  # cut to 32,767
    "",
]
NUMBERS = [0, 1, -3, 2.5, 1e20, 1 / 3, 123456789012345]
DATES = [dt.datetime(2027, 1, 15), dt.datetime(2030, 6, 30, 12, 30)]
HEIGHTS = [None, 45, None, 15, 160.5, 26.25]  # points (whole pixels); 15 is the default
RICH = '<r><t>a</t></r></is></c><c r="B1"><f>1+1</f></c><c><is><r><t>b</t></r>'  # an injection


def _rows(formats) -> list[list]:
    """Rows of (value, format) cells or None, some short, some empty."""
    a, b = formats
    values = [*TEXTS, *NUMBERS, *DATES]
    rows = []
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        rows.append([(v, a if j % 2 else b) for j, v in enumerate(chunk)] + [None, (values[i], a)])
    rows.append([None, None])  # nothing written (a height alone, on some rows)
    rows.append([None, None, None])
    rows.append([None, ("after an empty row", b)])
    rows += rows[:3]  # the same cells again (rendered from the cache)
    return rows


def inlined(path: Path) -> dict[str, bytes]:
    """The members of an xlsx with its shared strings put back inline, as constant-memory
    XlsxWriter writes them (and the sharedStrings part gone); no dates in docProps/core.xml."""
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    strings = re.findall(rb"<si>(.*?)</si>", members.pop("xl/sharedStrings.xml", b""), re.S)
    for name, data in members.items():
        if name.startswith("xl/worksheets/sheet"):
            members[name] = re.sub(
                rb'( s="\d+")? t="s"><v>(\d+)</v>',
                lambda m: (m[1] or b"") + b' t="inlineStr"><is>' + strings[int(m[2])] + b"</is>",
                data,
            )
    members["[Content_Types].xml"] = re.sub(
        rb"<Override PartName=\"/xl/sharedStrings.xml\"[^>]*/>", b"", members["[Content_Types].xml"]
    )
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = re.sub(
        rb"<Relationship Id=\"rId\d+\" Type=\"[^\"]*/sharedStrings\"[^>]*/>", b"", members[rels]
    )
    members["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"", members["docProps/core.xml"])
    return members


def _write(path: Path, fast: bool, constant_memory: bool = True) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("T", worksheet_class=TableSheet if fast else Worksheet)
    formats = (wb.add_format({"bold": True}), wb.add_format({"num_format": "0.00"}))
    ws.write_string(0, 0, "header", formats[0])
    ws.set_row(0, 30)
    out = RowWriter(ws, [lambda cell: cell] * 5)
    rows = _rows(formats)
    for r, row in enumerate(rows, start=1):
        height = HEIGHTS[r % len(HEIGHTS)]
        if fast:
            out.write(r, row, height)
        else:
            if height is not None:
                ws.set_row(r, height)
            for c, cell in enumerate(row):
                if cell is not None:
                    write_cell(ws, r, c, cell)
    ws.write_string(len(rows) + 2, 1, "footer")
    wb.close()


def test_fast_rows_are_the_xml_xlsxwriter_writes(tmp_path):
    _write(tmp_path / "api.xlsx", fast=False)
    _write(tmp_path / "fast.xlsx", fast=True)
    assert inlined(tmp_path / "fast.xlsx") == inlined(tmp_path / "api.xlsx")
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as z:
        sst = z.read("xl/sharedStrings.xml").decode()
    strings = [cell[0] for row in _rows((None, None)) for cell in row if cell and isinstance(cell[0], str)]
    assert f'count="{len(strings)}" uniqueCount="{len(set(strings))}"' in sst
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["T"]
    assert ws.cell(2, 1).value == "plain" and ws.cell(2, 2).value == " leading space"
    assert ws.row_dimensions[2].height == 45 and ws.row_dimensions[5].height == 160.5


def test_without_constant_memory_rows_go_through_the_api(tmp_path):
    _write(tmp_path / "api.xlsx", fast=False, constant_memory=False)
    _write(tmp_path / "fast.xlsx", fast=True, constant_memory=False)
    assert inlined(tmp_path / "fast.xlsx") == inlined(tmp_path / "api.xlsx")


def test_heights_in_whole_pixels_and_texts_cut_at_the_cell_limit():
    # As XlsxWriter 3.2+ writes them (3.1 wrote 26 and kept 20,000 astral characters whole).
    assert row_height(26) == ' ht="26.25" customHeight="1"' and row_height(15) == ""
    cut = utf16_truncate("𝄞" * 20_000)  # 40,000 UTF-16 units: the last character not split
    assert len(cut.encode("utf-16-le")) // 2 == STRING_MAX - 1 and set(cut) == {"𝄞"}


def test_text_that_looks_like_rich_text_stays_text(tmp_path):
    # XlsxWriter writes a constant-memory text "<r>...</r>" unescaped, as rich-text XML.
    assert inline_string("<r><t>x</t></r>") == "<is><t>&lt;r&gt;&lt;t&gt;x&lt;/t&gt;&lt;/r&gt;</t></is>"
    path = tmp_path / "rich.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("T", worksheet_class=TableSheet)
    ws.write_string(0, 0, RICH)  # through the API
    RowWriter(ws, [lambda v: (v, wb.add_format())] * 2).write(1, [RICH, "x"])  # a table row
    wb.close()
    rows = list(openpyxl.load_workbook(path)["T"].values)
    assert rows == [(RICH, None), (RICH, "x")]


def test_a_consolidated_workbook_is_the_one_xlsxwriter_writes_cell_by_cell(tmp_path, pack, monkeypatch):
    from support.consolidations import make_consolidation

    result = make_consolidation(pack)
    write_consolidated(result, tmp_path / "fast.xlsx", pack)
    monkeypatch.setattr(cw_book, "TableSheet", Worksheet)  # every cell through XlsxWriter's API
    write_consolidated(result, tmp_path / "api.xlsx", pack)
    assert inlined(tmp_path / "fast.xlsx") == inlined(tmp_path / "api.xlsx")
