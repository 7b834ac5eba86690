"""What reading a returned workbook gives, the same for .xlsx and .ods: sheets, values, ``_meta``.

Its own module so that the .xlsx and .ods readers share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.workbook import contract


def clean(value: Any) -> Any:
    """A cell value as the contract compares them: "" for empty, int for whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class SheetXml:
    """What the values reader does not give: formulas, cached-value presence, protection."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based -> text
    cached: set[tuple[int, int]] = field(default_factory=set)  # formula cells with a stored value
    protected: bool = False
    password_hash: str | None = None  # legacy 16-bit hash, or "algorithm:hash" (Excel 2010+)
    # .ods: formula cells whose OpenFormula text has no reliable A1 spelling (kept as written)
    unconverted: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Sheet:
    name: str
    state: str  # visible | hidden | veryHidden
    values: list[list[Any]]  # from A1, every row padded to the same width
    xml: SheetXml

    def value(self, row: int, col: int) -> Any:
        """Value of the 1-based (row, col), "" when outside the used range."""
        if 0 < row <= len(self.values) and 0 < col <= len(self.values[row - 1]):
            return clean(self.values[row - 1][col - 1])
        return ""

    def row(self, row: int) -> list[Any]:
        """The cleaned values of a 1-based row, padded to the sheet's width ("" beyond)."""
        width = len(self.values[0]) if self.values else 0
        raw = self.values[row - 1] if 0 < row <= len(self.values) else []
        return [clean(v) for v in raw] + [""] * max(0, width - len(raw))

    def formula(self, row: int, col: int) -> str | None:
        return self.xml.formulas.get((row, col))

    @property
    def n_rows(self) -> int:
        return len(self.values)


@dataclass
class Workbook:
    """A returned workbook: its sheets (by name, in order) and its ``_meta`` pairs."""

    path: Path
    kind: str  # xlsx | ods
    sheets: dict[str, Sheet]
    meta: dict[str, str]
    meta_rows: list[dict[str, str]]  # the device rows as generated (place + identity codes)
    structure_locked: bool
    saved: str | None = None  # the workbook's own last save time (docProps/core.xml), ISO text
    # Warnings from opening it (workbook.read.parts: hyperlinks to files or shares), as Findings.
    notices: tuple = ()

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(name)


def read_meta(sheet: Sheet | None) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The ``_meta`` sheet's key/value pairs (column A/B), and the device rows as generated
    (place and identity codes, from column META_ROWS_COL on)."""
    if sheet is None:
        return {}, []
    meta: dict[str, str] = {}
    for r in range(1, sheet.n_rows + 1):
        key = sheet.value(r, 1)
        if isinstance(key, str) and key:
            meta[key] = str(sheet.value(r, 2))
    c0 = contract.META_ROWS_COL + 1
    head = []
    c = c0
    while isinstance(sheet.value(1, c), str) and sheet.value(1, c):
        head.append(sheet.value(1, c))
        c += 1
    rows = []
    for r in range(2, sheet.n_rows + 1):
        values = {code: str(sheet.value(r, c0 + i)) for i, code in enumerate(head)}
        if values.get(contract.META_ROWS_PLACE):
            rows.append(values)
    return meta, rows
