"""Where the inventory table is in a sheet: its header row, and where it ends.

The header row is the first row, within the first :data:`HEADER_SEARCH_ROWS` rows, holding the
device id column and at least one other known column (rows above it are titles, dates, filters
or grouped headers). The table ends at the first fully empty row: what follows (a total, a note,
another table) is not read unless asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.generate.inventory.cells import cell_text
from medrisk_xl.generate.inventory.fields import match_columns
from medrisk_xl.generate.inventory.grid import Grid

HEADER_SEARCH_ROWS = 30


def header_texts(cells: list[Any]) -> list[str]:
    return [clean_text(cell_text(v))[0] for v in cells]


def find_header(grid: Grid, mapping: Mapping[str, str]) -> tuple[int | None, bool]:
    """Index of the header row in ``grid.rows`` and whether it holds another known column than
    the id (a strong header); ``(None, False)`` when no row of the first ones holds the id column."""
    alone = None
    for i, number in enumerate(grid.numbers):
        if number > HEADER_SEARCH_ROWS:
            break
        if grid.blank(i):
            continue
        found, _, _ = match_columns(header_texts(grid.rows[i]), mapping, "")
        if "device_id" in found:
            if len(found) >= 2:
                return i, True
            if alone is None:
                alone = i
    return alone, False


@dataclass
class Table:
    """The rows of the table below its header (indexes in ``grid.rows``)."""

    header: int
    rows: list[int] = field(default_factory=list)
    after_blank: list[int] = field(default_factory=list)  # non-empty rows ignored after the end
    blank: int | None = None  # number of the empty row that ended the table


def table_rows(grid: Grid, header: int, include_after_blank: bool) -> Table:
    """The non-empty rows below ``header``, up to the first empty row unless ``include_after_blank``."""
    table = Table(header)
    for i in range(header + 1, len(grid.rows)):
        if grid.blank(i):
            if table.rows and table.blank is None and not include_after_blank:  # not right under the header
                table.blank = grid.numbers[i]
            continue
        (table.after_blank if table.blank is not None else table.rows).append(i)
    if not table.after_blank:
        table.blank = None
    return table
