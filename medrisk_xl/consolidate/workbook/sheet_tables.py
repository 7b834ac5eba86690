"""Tables of the consolidated workbook: headers, rows, continuation sheets and print setups."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NoReturn

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.workbook.map_book import Book, Column
from medrisk_xl.consolidate.workbook.xml_rows import RowWriter
from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.workbook.write.printing import footer_text, setup_reading_print
from medrisk_xl.workbook.write.text import fit_height

MAX_ROWS = 1_048_576  # rows of a sheet before a table continues on another (tests lower it)
SHEET_ROWS = 1_048_576  # rows of a sheet in Excel and LibreOffice: a table without continuation stops here
NOTE = {"x_scale": 3.0, "y_scale": 1.6, "author": "medrisk-xl"}


def table_rows(df: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``df`` (``columns`` in order) as plain Python values."""
    return zip(*(df[c].tolist() for c in columns))


def head(book: Book, ws: Worksheet, r: int, columns: Sequence[Column], code_row: bool) -> int:
    """Column widths, the code row (optional) and the header row from row ``r``; returns the
    first data row."""
    t = book.t
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width, col.fmt)
    if code_row:
        ws.set_row(r, t["heights"]["code"])
        for c, col in enumerate(columns):
            ws.write_string(r, c, col.code, book.styles.code)
        r += 1
    cells = [(col.header, col.width) for col in columns]
    ws.set_row(r, fit_height(cells, t["wrap"]["header_chars_per_width"], t["heights"]["header_min"]))
    for c, col in enumerate(columns):
        ws.write_string(r, c, col.header, book.styles.header)
        if col.note:
            ws.write_comment(r, c, col.note, NOTE)
    return r + 1


def write_rows(
    ws: Worksheet,
    r: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    limit: int | None = None,
    height: Callable[[Sequence[Any]], float] | None = None,
) -> tuple[int, Sequence[Any] | None]:
    """Write ``rows`` from row ``r`` until ``limit``; returns the next row and the first row that did
    not fit (None when all did). A row shorter than the columns leaves the last ones empty;
    ``height(row)`` sets each row's height. Without ``limit``, a table that would run past the
    sheet's last row is refused (:func:`refuse_overflow`): a spreadsheet drops such rows unsaid."""
    out = RowWriter(ws, [col.to_cell for col in columns])
    rows = iter(rows)
    for row in rows:
        if r >= (SHEET_ROWS if limit is None else limit):
            if limit is None:
                refuse_overflow(ws, r, itertools.chain([row], rows))
            return r, row
        out.write(r, row, height(row) if height else None)
        r += 1
    return r, None


def refuse_overflow(ws: Worksheet, written: int, rest: Iterable[Any]) -> NoReturn:
    """Refuse a table that does not fit its sheet, saying which and by how many rows."""
    total = written + sum(1 for _ in rest)
    raise MedriskError(
        [
            Problem(
                "sheet-too-long",
                f"the sheet {ws.get_name()!r} would need {total:,} rows; a spreadsheet holds "
                f"{SHEET_ROWS:,}: nothing was written (split the campaign, or group the action plan "
                "with --plan-by model or department)",
                sheet=ws.get_name(),
            )
        ]
    )


def write_table(
    book: Book,
    key: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    code_row: bool = False,
    freeze_cols: int = 0,
    finish: Callable[[Worksheet, int, int], None] | None = None,
    height: Callable[[Sequence[Any]], float] | None = None,
) -> list[Worksheet]:
    """A sheet holding one table (filters, frozen header), continued on further sheets past the
    row limit. ``finish(ws, first, last)`` completes each sheet (data rows ``first..last``)."""
    rows = iter(rows)
    sheets: list[Worksheet] = []
    pending: Sequence[Any] | None = None
    while True:
        ws = book.sheet(key, len(sheets) + 1)
        sheets.append(ws)
        top = head(book, ws, 0, columns, code_row)
        source = rows if pending is None else itertools.chain([pending], rows)  # never closes rows
        r, pending = write_rows(ws, top, columns, source, MAX_ROWS, height)
        ws.freeze_panes(top, freeze_cols)
        ws.autofilter(top - 1, 0, max(top - 1, r - 1), len(columns) - 1)
        if finish:
            finish(ws, top, r - 1)
        if pending is None:
            return sheets


def print_wide(book: Book, ws: Worksheet, header_rows: int) -> None:
    """A wide table printed as the department input sheet: landscape A4 at a readable fixed scale,
    several pages wide, header rows and the first two columns on every page."""
    p = book.t["print"]
    ws.set_paper(p["paper"])
    ws.set_landscape()
    m = p["margins"]
    ws.set_margins(left=m["left"], right=m["right"], top=m["top"], bottom=m["bottom"])
    ws.set_footer(footer_text(book.scope), {"margin": p["footer_margin"]})
    ws.set_print_scale(p["input"]["scale"])
    ws.print_across()
    ws.repeat_rows(0, header_rows - 1)
    ws.repeat_columns(0, p["input"]["repeat_columns"] - 1)


def print_fitted(book: Book, ws: Worksheet, header_rows: int) -> None:
    """A table fitted to one page wide, its header on every page."""
    setup_reading_print(ws, book.scope, "reading")
    ws.repeat_rows(0, header_rows - 1)
