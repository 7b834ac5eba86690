"""The problems sheet: every problem of every file, its severity coloured."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.tables import PROBLEM_COLUMNS
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import print_fitted, table_rows, write_table
from medrisk_xl.core.inclusion_rules import effect

EFFECT = "effect"  # the sheet's own last column: what the problem keeps out of the map


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
    effects = book.ui["problem_effect"]
    return [
        *(Column(code, h[code], *kinds[code]) for code in PROBLEM_COLUMNS),
        Column(EFFECT, effects["header"], WIDTHS["change"], book.label_writer(effects)),
    ]


def write_problems(book: Book, problems: pd.DataFrame, strict: bool = False) -> None:
    """Every problem of every file, its severity coloured, and what it keeps out of the map (its
    file, its device or nothing: core.inclusion_rules; ``strict``: every error its file)."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        print_fitted(book, ws, first)

    columns = problem_columns(book)
    write_table(book, "problems", columns, _with_effects(problems, strict), freeze_cols=0, finish=finish)


def _with_effects(problems: pd.DataFrame, strict: bool):
    """The problem rows, each followed by its effect on the map."""
    effects = [effect(c, s, strict) for c, s in zip(problems["code"].tolist(), problems["severity"].tolist())]
    for row, found in zip(table_rows(problems, PROBLEM_COLUMNS), effects):
        yield (*row, found)
