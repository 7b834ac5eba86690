"""Table rows handed to XlsxWriter as ready-made worksheet XML.

The register and the action plan hold millions of cells (50,000 devices: 3 million register
cells, 440,000 action rows). XlsxWriter spends several microseconds on each cell (a tuple per
cell, an attribute list, every string escaped again on every row), which made writing the
workbook three quarters of ``consolidate``. In constant-memory mode XlsxWriter writes each row out
when the next one starts; :class:`TableSheet` writes a table row itself at that point, as one
``<row>`` element, and :class:`RowWriter` renders each distinct (value, format) of a table once:
only the cell reference changes from row to row.

Texts go to the workbook's shared strings, as XlsxWriter stores them outside constant-memory
mode, rather than inline: the action plan repeats the same long action texts on every device, and
writing and compressing them inline was a third of the time. The tests check that every cell,
format and row height is the one XlsxWriter writes through its own API.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

Cell = tuple[Any, Any]  # (value, format): a text, a number or a date, and its (non-None) format
ToCell = Callable[[Any], "Cell | None"]  # a table value -> its cell; None leaves the cell empty

STRING_MAX = 32767  # UTF-16 units of a cell's text (XlsxWriter truncates longer ones)
CACHE_MAX = 1 << 14  # rendered cells kept per table (unique texts such as device ids pass through)
_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")  # a literal _xHHHH_ is escaped itself
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_LEADING, _TRAILING = re.compile(r"^\s"), re.compile(r"\s$")


class TableSheet(Worksheet):
    """A worksheet that also takes whole rows as ready-made XML (constant-memory mode)."""

    def begin_row(self, row: int) -> None:
        """Write out the row kept so far if ``row`` is a later one, as writing a cell would."""
        if row > self.previous_row:
            self._write_single_row(row)

    def put_row(self, row: int, first: int, last: int, cells: str, height: float | None = None) -> None:
        """Write ``row`` (after :meth:`begin_row`, instead of any cell or :meth:`set_row` of it):
        its cells ``first``..``last`` as the XML ``cells``, ``height`` points tall (None: the
        default height). A row without cells is left out, as XlsxWriter leaves it out."""
        if not cells:
            return
        if row != self.previous_row or self.table:
            raise ValueError(f"row {row + 1} must follow the rows already written")
        if self._check_dimensions(row, first) or self._check_dimensions(row, last):
            raise ValueError(f"row {row + 1} is out of the sheet")
        self.fh.write(f'<row r="{row + 1}"{row_height(height)}>{cells}</row>')

    def _write_cell(self, row: int, col: int, cell: Any) -> None:  # XlsxWriter hook
        """A text written through the API that looks like rich-text XML is escaped (XlsxWriter
        would write it unescaped: a return's "<r>…</r>" could inject a formula)."""
        if self.constant_memory and cell.__class__.__name__ == "String" and _rich_looking(cell.string):
            style = f' s="{cell.format._get_xf_index()}"' if cell.format else ""
            ref = xl_rowcol_to_cell(row, col)
            self.fh.write(f'<c r="{ref}"{style} t="inlineStr">{inline_string(cell.string)}</c>')
        else:
            super()._write_cell(row, col, cell)


@lru_cache(maxsize=256)
def row_height(points: float | None) -> str:
    """The ``<row>`` attributes of a height in points, as XlsxWriter writes them: the height
    rounded to whole pixels, nothing for the default height (15 points, 20 pixels)."""
    if points is None:
        return ""
    pixels = int(points * 4.0 / 3.0 + 0.5)
    return "" if pixels == 20 else f' ht="{pixels * 0.75:.16g}" customHeight="1"'


def utf16_truncate(text: str) -> str:
    """``text`` cut to :data:`STRING_MAX` UTF-16 units, a character above U+FFFF kept whole."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > STRING_MAX:
            return text[:index]
    return text


def _rich_looking(text: str) -> bool:
    """XlsxWriter writes a text "<r>…</r>" unescaped (as rich-text XML): such a text is kept out
    of the shared strings and written inline, escaped."""
    return text.startswith("<r>") and text.endswith("</r>")


def inline_string(text: str) -> str:
    """The ``<is>`` element of an inline string cell holding ``text``, as XlsxWriter writes it:
    control characters as ``_xHHHH_``, XML escaped, leading or trailing spaces preserved (even a
    text that looks like rich-text XML, which XlsxWriter would write unescaped)."""
    text = _ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if _LEADING.search(text) or _TRAILING.search(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<is><t{space}>{text}</t></is>"


def write_cell(ws: Worksheet, r: int, c: int, cell: Cell) -> None:
    """Write one cell through XlsxWriter's own API (a sheet :class:`RowWriter` cannot write)."""
    value, fmt = cell
    if isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)


Rendered = tuple[str, int]  # a cell's XML after its row number, and 1 for a shared string


class RowWriter:
    """Writes the rows of one table on one sheet: each value through its column's ``to_cell``."""

    def __init__(self, ws: Worksheet, to_cell: Sequence[ToCell]):
        self.ws = ws
        self.to_cell = list(to_cell)
        self.columns = range(len(self.to_cell))
        self.fast = (
            isinstance(ws, TableSheet)
            and bool(ws.constant_memory)
            and getattr(ws, "excel_version", 2007) == 2007
        )
        self.refs = [f'<c r="{xl_col_to_name(c)}' for c in self.columns]
        self.cache: dict[Cell, Rendered] = {}

    def _render(self, cell: Cell) -> Rendered:
        """The cell's XML after its row number (style, type and value), cached; a text is added to
        the shared strings (and counted there once)."""
        value, fmt = cell
        style = f'" s="{fmt._get_xf_index()}"'
        shared = 0
        if isinstance(value, str):
            if len(value) > STRING_MAX // 2:
                value = utf16_truncate(value)
            if _rich_looking(value):
                xml = f'{style} t="inlineStr">{inline_string(value)}</c>'
            else:
                xml, shared = (
                    f'{style} t="s"><v>{self.ws.str_table._get_shared_string_index(value)}</v></c>',
                    1,
                )
        else:
            if isinstance(value, dt.datetime):
                value = self.ws._convert_date_time(value)
            xml = f"{style}><v>{value:.16G}</v></c>"
        if len(self.cache) >= CACHE_MAX:
            self.cache.clear()
        self.cache[cell] = (xml, shared)
        return xml, shared

    def write(self, r: int, row: Sequence[Any], height: float | None = None) -> None:
        """Write ``row`` (values in column order; a short row leaves the last cells empty) at ``r``,
        ``height`` points tall (None: the default height)."""
        ws = self.ws
        if not self.fast:
            if height is not None:
                ws.set_row(r, height)
            for c, (to_cell, value) in enumerate(zip(self.to_cell, row)):
                cell = to_cell(value)
                if cell is not None:
                    write_cell(ws, r, c, cell)
            return
        ws.begin_row(r)  # first, so that formats are numbered in XlsxWriter's order
        number, refs, cache = str(r + 1), self.refs, self.cache
        parts: list[str] = []
        first = last = -1
        shared = 0  # references to shared strings already there (each counts in the table)
        for c, to_cell, value in zip(self.columns, self.to_cell, row):
            cell = to_cell(value)
            if cell is not None:
                rendered = cache.get(cell)
                if rendered is None:
                    rendered = self._render(cell)
                else:
                    shared += rendered[1]
                parts += (refs[c], number, rendered[0])
                if first < 0:
                    first = c
                last = c
        ws.str_table.count += shared
        ws.put_row(r, first, last, "".join(parts), height)
