"""The team's own actions as the plan writers show them: what ``consolidate --db`` carried into
``Consolidation.carried`` (rows holding a ``text``, their ref ``TEAM-...``), written after the
generated rows, one per device (``--plan-by device``) or one per action and its devices (grouped).
The history decides which to carry (:mod:`medrisk_xl.history.actions.carrying`); the writers only
show them, so that ``actions import`` reads them back like any row the team added."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import CARRIED_COLUMNS
from medrisk_xl.consolidate.workbook.cell_values import is_blank, is_number
from medrisk_xl.consolidate.workbook.map_book import Book
from medrisk_xl.consolidate.workbook.sheet_tables import table_rows
from medrisk_xl.workbook.it_contract import CELL_TEXT_LIMIT, IDS_SEPARATOR
from medrisk_xl.workbook.write.text import fit_height

TEXT = CARRIED_COLUMNS.index("text")


def team_carried(carried: pd.DataFrame | None) -> list[tuple[Any, ...]]:
    """The carried rows (``CARRIED_COLUMNS``) of the team's own actions, in their order."""
    if carried is None or not len(carried):
        return []
    return [row for row in table_rows(carried, CARRIED_COLUMNS) if not is_blank(row[TEXT])]


def device_values(register: pd.DataFrame, columns: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Device id -> ``columns`` of its first register row (a team action names devices by id)."""
    out: dict[str, tuple[Any, ...]] = {}
    for values in table_rows(register, ("device_id", *columns)):
        out.setdefault(str(values[0]), tuple(values[1:]))
    return out


def id_chunks(devices: Sequence[str]) -> list[list[str]]:
    """The devices in lists whose ids cell fits a cell whole (a team row's list is never cut)."""
    chunks: list[list[str]] = [[]]
    for device in devices:
        if chunks[-1] and len(IDS_SEPARATOR.join([*chunks[-1], device])) > CELL_TEXT_LIMIT:
            chunks.append([])
        chunks[-1].append(device)
    return [c for c in chunks if c]


def highest(values: Sequence[Any]) -> int | None:
    """The highest level among ``values`` (None when none is known)."""
    levels = [int(v) for v in values if is_number(v)]
    return max(levels) if levels else None


def text_height(book: Book, width: float, text: Any) -> float:
    """The height of a row whose tallest cell is the team's action text."""
    return fit_height([(str(text), width)], book.t["wrap"]["body_chars_per_width"])
