"""Which rows of a sheet are hidden or filtered out (python-calamine does not say).

.xlsx/.xlsm: ``<row r="5" hidden="1">`` in the sheet part, scanned with a regular expression over
its bytes (read within the package's limits; no XML parser runs). .ods: ``table:visibility`` of
each ``table:table-row`` ("collapse" when hidden, "filter" when filtered out), streamed from
content.xml through the safe parser, which also bounds the extent of every sheet before
python-calamine (which builds every sheet's used range when it opens an .ods) runs.
.xls: not read (its row records are not scanned): no hidden row is reported.
"""

from __future__ import annotations

import re

from medrisk_xl.workbook.read.opening import Package, Unreadable, check_extent, iterparse

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_R = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def xlsx_hidden_rows(data: bytes) -> set[int]:
    """Numbers of the rows a sheet part marks hidden."""
    hidden = set()
    for match in _ROW.finditer(data):
        attrs = match.group(1)
        number = _R.search(attrs)
        if number and _HIDDEN.search(attrs):
            hidden.add(int(number.group(1)))
    return hidden


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
_SHEET, _ROW_TAG = _TABLE + "table", _TABLE + "table-row"
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")


def _repeat(el, attribute: str) -> int:
    raw = el.get(_TABLE + attribute, "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Unreadable(
            "malformed-xml", f"content.xml repeats a row or cell {raw!r} times: the file is damaged"
        )
    return int(raw)


def ods_hidden_rows(package: Package) -> dict[str, list[tuple[int, int]]]:
    """Sheet name -> ranges (first, last) of hidden or filtered-out rows; ``too-large`` when a
    sheet (or all together) spans more rows, columns or cells than the limits allow."""
    hidden: dict[str, list[tuple[int, int]]] = {}
    name: str | None = None
    in_cell = row = row_repeat = col = last_row = last_col = cells = 0
    with package.open("content.xml") as stream:
        for event, el in iterparse(stream, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag in _CELLS:
                    in_cell += 1
                elif in_cell:
                    continue
                elif tag == _ROW_TAG and name is not None:
                    row_repeat, col = _repeat(el, "number-rows-repeated"), 0
                    if el.get(_TABLE + "visibility") in ("collapse", "filter"):
                        hidden[name].append((row + 1, row + row_repeat))
                elif tag == _SHEET:
                    name = el.get(_TABLE + "name", "")
                    hidden.setdefault(name, [])
                    row = last_row = last_col = 0
                continue
            if tag in _CELLS:
                in_cell -= 1
                if in_cell or name is None:
                    continue
                col += _repeat(el, "number-columns-repeated")
                if el.get(_OFFICE + "value-type") is not None or any(c.tag == _TEXT_P for c in el):
                    last_row, last_col = max(last_row, row + row_repeat), max(last_col, col)
                    check_extent(last_row, last_col, package.limits)
                el.clear()
            elif in_cell:
                continue
            elif tag == _ROW_TAG and name is not None:
                row += row_repeat
                el.clear()
            elif tag == _SHEET and name is not None:
                cells += last_row * last_col
                if cells > package.limits.max_cells:
                    raise Unreadable(
                        "too-large",
                        f"its sheets span more than {package.limits.max_cells:,} cells (with the sheet "
                        f"{name!r}, {last_row:,} rows by {last_col:,} columns)",
                    )
                name = None
                el.clear()
    return hidden
