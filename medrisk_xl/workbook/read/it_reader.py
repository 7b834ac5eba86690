"""An IT workbook as read back, before any judgement: its answer sheet's cells by column code, and
the two tables ``_meta`` holds as generated (see :mod:`medrisk_xl.workbook.it_contract`).

Checking what was read (edited, added or missing rows, answers outside the dropdown) is
``validate``'s; this module only locates the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.workbook import contract, it_contract
from medrisk_xl.workbook.it_contract import ItMeta
from medrisk_xl.workbook.read.read_model import Sheet, Workbook


@dataclass
class ItSheetRow:
    """One row of the answer sheet: its 1-based row number and its cells by column code."""

    row: int
    cells: dict[str, Any]


@dataclass
class ItRead:
    """What an IT workbook holds: rows as written now, and as generated."""

    sheet: Sheet | None
    columns: dict[str, int]  # code -> 1-based column, from the code row
    rows: list[ItSheetRow]  # every row from the first data row that holds anything
    generated: list[dict[str, str]]  # _meta's answer rows (it_contract.ROW_FIELDS)
    devices: list[dict[str, str]] = field(default_factory=list)  # _meta's devices (DEVICE_FIELDS)


def _int(meta: dict[str, str], key: str, default: int) -> int:
    try:
        return int(meta.get(key, default))
    except ValueError:
        return default


def code_columns(sheet: Sheet, code_row: int) -> dict[str, int]:
    """Column code -> 1-based column, from a sheet's code row (the first of a repeated code)."""
    found: dict[str, int] = {}
    for c, value in enumerate(sheet.row(code_row), start=1):
        if isinstance(value, str) and value and value not in found:
            found[value] = c
    return found


def meta_table(meta_sheet: Sheet | None, first_col: int) -> list[dict[str, str]]:
    """A table of ``_meta`` from the 0-based column ``first_col``: its header on row 1 (up to the
    first empty cell), one dict of texts per following row that holds anything."""
    if meta_sheet is None:
        return []
    c0 = first_col + 1
    head: list[str] = []
    while isinstance(meta_sheet.value(1, c0 + len(head)), str) and meta_sheet.value(1, c0 + len(head)):
        head.append(meta_sheet.value(1, c0 + len(head)))
    rows = []
    for r in range(2, meta_sheet.n_rows + 1):
        values = {code: str(meta_sheet.value(r, c0 + i)) for i, code in enumerate(head)}
        if any(values.values()):
            rows.append(values)
    return rows


def read_it(book: Workbook) -> ItRead:
    """The answer sheet's rows and ``_meta``'s tables of an IT workbook (``it_contract.is_it_meta``)."""
    meta = book.meta
    sheet = book.sheet(meta.get(ItMeta.ANSWER_SHEET, ""))
    generated = book.meta_rows
    devices = meta_table(book.sheet(contract.META_SHEET), it_contract.DEVICE_TABLE_COL)
    if sheet is None:
        return ItRead(None, {}, [], generated, devices)
    columns = code_columns(sheet, _int(meta, ItMeta.CODE_ROW, contract.CODE_ROW))
    first = _int(meta, ItMeta.FIRST_ROW, contract.FIRST_ROW)
    rows = []
    for r in range(first, sheet.n_rows + 1):
        cells = {code: sheet.value(r, c) for code, c in columns.items()}
        formulas = any(sheet.formula(r, c) for c in columns.values())
        if formulas or any(v != "" for v in cells.values()):
            rows.append(ItSheetRow(r, cells))
    return ItRead(sheet, columns, rows, generated, devices)
