"""One sheet (or the CSV) as read: raw cell values by row, each with its number in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.generate.inventory.cells import cell_text, is_blank


@dataclass
class Grid:
    """Rows of cell values (texts for a CSV; numbers, dates, texts for a sheet)."""

    sheet: str | None  # None for a CSV
    rows: list[list[Any]]
    numbers: list[int]  # row (sheet) or line (CSV, where the record ends) of each row
    hidden: set[int] = field(default_factory=set)  # numbers of hidden or filtered-out rows

    def blank(self, index: int) -> bool:
        return all(is_blank(v) for v in self.rows[index])

    def preview(self, index: int, cells: int = 3, width: int = 40) -> str:
        """The first non-empty cells of a row, quoted, for a message: « Total » « 29 » …"""
        texts = [cell_text(v).strip() for v in self.rows[index] if not is_blank(v)]
        shown = [f"« {t[:width]}{'…' if len(t) > width else ''} »" for t in texts[:cells]]
        return " ".join(shown) + (" …" if len(texts) > cells else "")

    def first_rows(self, count: int = 3) -> str:
        """What the first non-empty rows hold (row number and preview), for an error listing sheets."""
        shown = [
            f"row {self.numbers[i]}: {self.preview(i)}" for i in range(len(self.rows)) if not self.blank(i)
        ]
        return "; ".join(shown[:count]) or "nothing (the sheet is empty)"
