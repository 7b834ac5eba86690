"""What the reading sheets (start, matrix, plans, items, guide) share: their protection, the
text of a level, and the frame of a sheet with one wide text column."""

from __future__ import annotations

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.printing import setup_reading_print
from medrisk_xl.workbook.write.styles import Styles, grid_template
from medrisk_xl.workbook.write.text import row_height

WIDE = grid_template()["widths"]["text"]  # characters of the wide text column (plans, items)


def protect_reading(ws, plan: WorkbookPlan, kind: str = "reading") -> None:
    """Protect a reading sheet and make it print one page wide (``kind``: see grid.yaml ``print``)."""
    protect_reading_sheet(ws, plan.scope or plan.campaign, plan.password, kind)


def protect_reading_sheet(ws, scope: str, password: str, kind: str = "reading") -> None:
    """Protect a sheet people only read (columns may be widened), printed one page wide with
    ``scope`` in the footer: also for the sheets of workbooks other than a department's."""
    setup_reading_print(ws, scope, kind)
    ws.protect(password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True})


def level_text(language: Language, axis: str, level: int) -> str:
    """ "2 – Medium": a level of ``axis`` as the reading sheets show it."""
    return f"{level} – {language.level_label(axis, level)}"


def text_sheet(ws, styles: Styles, title: str, intro: str, first_width: int) -> int:
    """Title and intro of a reading sheet with one wide text column; returns the next row."""
    ws.set_column(0, 0, first_width)
    ws.set_column(1, 1, WIDE)
    ws.write_string(0, 1, title, styles.title)
    ws.set_row(0, 26)
    ws.write_string(1, 1, intro, styles.text)
    ws.set_row(1, row_height(intro, WIDE))
    return 3


def bullets(ws, styles: Styles, r: int, lines: list[str]) -> int:
    """One "• line" per row in the wide column; returns the next row."""
    for line in lines:
        text = f"• {line}"
        ws.write_string(r, 1, text, styles.text)
        ws.set_row(r, row_height(text, WIDE))
        r += 1
    return r
