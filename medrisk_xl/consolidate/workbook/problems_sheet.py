"""The problems sheet: every problem of every file, its severity coloured."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.tables import PROBLEM_COLUMNS
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import print_fitted, table_rows, write_table


def problem_columns(book: Book) -> list[Column]:
    """Columns of the problems table."""
    h, widths = book.ui["problem_columns"], book.t["widths"]
    kinds: dict[str, tuple[float, ToCell]] = {
        "file": (WIDTHS["file"], book.text_writer()),
        "code": (widths["identity"] + 4, book.text_writer()),
        "severity": (widths["identity"], book.label_writer(book.ui["severity"], book.severity)),
        "sheet": (WIDTHS["sheet"], book.text_writer()),
        "cell": (WIDTHS["item"], book.text_writer()),
        "row": (WIDTHS["item"], book.number_writer()),
        "device_id": (widths["ID"], book.text_writer()),
        "message": (WIDTHS["message"], book.text_writer()),
    }
    return [Column(code, h[code], *kinds[code]) for code in PROBLEM_COLUMNS]


def write_problems(book: Book, problems: pd.DataFrame) -> None:
    """Every problem of every file, its severity coloured."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        print_fitted(book, ws, first)

    columns = problem_columns(book)
    write_table(
        book, "problems", columns, table_rows(problems, PROBLEM_COLUMNS), freeze_cols=0, finish=finish
    )
