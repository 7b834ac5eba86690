"""The input sheet as its reader first sees it on a common screen (1366 x 768): the code row
hidden, the identity columns past the first few in a collapsed outline group, and a zoom that
shows enough device rows and answer columns.

The numbers live in ``templates/grid.yaml`` (``screen``); tests/workbook/test_screen.py checks
the outcome in a real LibreOffice window.
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.styles import grid_template

PX_PER_PT = 4 / 3  # 96 dpi: what both spreadsheets draw a point at, at 100 %


def screen() -> dict[str, Any]:
    return grid_template()["screen"]


def column_px(width: float) -> int:
    """Pixels of a column ``width`` characters wide at 100 % (XlsxWriter's rule: 7 px a
    character plus 5 px of padding)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def hide_code_row(ws, height: float) -> None:
    """The code row stays the contract readers use, hidden from the people who fill the sheet."""
    ws.set_row(contract.CODE_ROW - 1, height, None, {"hidden": True})


def grouped_identity(codes: tuple[str, ...], n_identity: int) -> tuple[set[int], set[int]]:
    """Identity columns (0-based) put in the collapsed outline group: all but ``screen.shown_identity``;
    and the columns right after each run of them, which carry the group's collapsed mark."""
    shown = set(screen()["shown_identity"])
    grouped = {col for col in range(n_identity) if codes[col] not in shown}
    return grouped, {col + 1 for col in grouped if col + 1 not in grouped}


def column_options(col: int, grouped: set[int], after: set[int]) -> dict[str, Any]:
    """XlsxWriter's options of column ``col``: grouped (level 1, hidden), or the group's collapsed mark."""
    if col in grouped:
        return {"level": 1, "hidden": True}
    return {"collapsed": True} if col in after else {}


def chosen_zoom(frozen_pt: float, row_pt: float, shown_widths: list[float]) -> int:
    """The largest zoom (a multiple of 5 within ``screen.zoom``) at which ``screen.rows`` device
    rows of ``row_pt`` below a frozen header of ``frozen_pt`` and columns of ``shown_widths``
    (frozen and shown identity, then ``screen.answer_columns`` answers) fit the grid area."""
    s = screen()
    width_px, height_px = s["grid_px"]
    need_h = (frozen_pt + s["rows"] * row_pt) * PX_PER_PT
    need_w = sum(column_px(w) for w in shown_widths)
    ratio = min(width_px / need_w, height_px / need_h, 1.0)
    low, high = s["zoom"]
    return max(low, min(high, int(ratio * 100 + 1e-9) // 5 * 5))
