"""The IT workbook's answer sheet: one row per group of devices and vulnerability item.

Laid out like a department's input sheet (code row, human headers, rows from
:data:`contract.FIRST_ROW`), so that the same habits and the same reading rules apply; only the IT
team's columns (:data:`it_contract.INPUT_COLUMNS`) are unlocked, and sorting stays off: rows are
read back by their place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_range

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook import contract, it_contract
from medrisk_xl.workbook.lists import Lists
from medrisk_xl.workbook.write.input_sheet import TABLE_PROTECTION, span, write_filled
from medrisk_xl.workbook.write.it_plan import ItPlan, ItRow
from medrisk_xl.workbook.write.printing import setup_table_print
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import fit_height

CODES = it_contract.COLUMNS
R0 = contract.FIRST_ROW - 1  # 0-based first answer row
# Row 2: the groups of columns (first and last code), texts in ui.yaml it_workbook.groups.
GROUPS = {
    "device": ("GROUP", "DEVICE_IDS"),
    "question": ("ITEM", "HELP"),
    "known": ("DEPARTMENT_ANSWERS", "EVIDENCE"),
    "answer": ("IT_ANSWER", "CONFIRMED_ON"),
    "previous": ("PREVIOUS", "PREVIOUS"),
}
WRAPPED = ("DEVICE_IDS", "STATEMENT", "HELP")  # long texts: the row grows to show them, up to a cap
FROZEN_COLS = CODES.index("MODEL") + 1  # the group stays in view (and on every printed page)


def col(code: str) -> int:
    return CODES.index(code)


@dataclass(frozen=True)
class ItFormats:
    """The cell formats of the answer sheet."""

    locked: Any  # what the generator wrote: grey, text
    number: Any
    answer: Any  # the IT team's cells: white, unlocked
    answer_date: Any


def it_formats(styles: Styles, language: Language) -> ItFormats:
    """The answer sheet's formats, the department workbook's where they exist."""
    colors = styles.t["colors"]
    return ItFormats(
        locked=styles.identity,
        number=styles.new_format(bg_color=colors["locked_fill"], align="center", **styles.border),
        answer=styles.answer,
        answer_date=styles.new_format(
            bg_color=colors["answer_fill"],
            locked=False,
            num_format=language.ui.get("date_format", "yyyy-mm-dd"),
            align="left",
            **styles.border,
        ),
    )


def write_answer_sheet(ws, plan: ItPlan, language: Language, lists: Lists, styles: Styles) -> int:
    """The whole answer sheet, protected; returns its 0-based last row (the header's when empty)."""
    texts = language.ui["it_workbook"]
    write_heads(ws, texts, styles, plan.campaign)
    write_rows(ws, plan.rows, language, styles, it_formats(styles, language))
    last = R0 + len(plan.rows) - 1 if plan.rows else contract.HEADER_ROW - 1
    add_answer_dropdowns(ws, plan.rows, lists, texts)
    ws.freeze_panes(contract.HEADER_ROW, FROZEN_COLS)
    ws.autofilter(contract.HEADER_ROW - 1, 0, last, len(CODES) - 1)
    setup_table_print(ws, plan.campaign, last, len(CODES) - 1, FROZEN_COLS)
    ws.protect(plan.password, TABLE_PROTECTION)
    return last


def write_heads(ws, texts: dict, styles: Styles, campaign: str) -> None:
    """Title, column groups, code row and header row; the column widths."""
    t = styles.t
    ws.write_string(0, 0, texts["answer_title"].format(campaign=campaign), styles.title)
    ws.set_row(0, 24)
    for group, (first, last) in GROUPS.items():
        span(ws, 1, col(first), col(last), texts["groups"][group], styles.group)
    ws.set_row(1, 20)
    ws.set_row(contract.CODE_ROW - 1, t["heights"]["code"])
    cells = []
    for c, code in enumerate(CODES):
        width = t["widths"]["it"][code]
        ws.set_column(c, c, width)
        ws.write_string(contract.CODE_ROW - 1, c, code, styles.code)
        ws.write_string(contract.HEADER_ROW - 1, c, texts["columns"][code], styles.header)
        cells.append((texts["columns"][code], width))
    height = fit_height(cells, t["wrap"]["header_chars_per_width"], t["heights"]["header_min"])
    ws.set_row(contract.HEADER_ROW - 1, height)


def row_texts(row: ItRow, language: Language) -> dict[str, str]:
    """What the generator writes in a row, by column code (DEVICE_COUNT apart: a number)."""
    group = row.group
    return {
        "GROUP": group.group,
        "SITE": group.site,
        "BRAND": group.brand,
        "MODEL": group.model,
        "DEVICE_IDS": it_contract.device_ids_text(group.device_ids),
        "ITEM": row.item,
        "STATEMENT": language.title(row.item),
        "HELP": language.long_help(row.item),
        "DEPARTMENT_ANSWERS": row.department_answers,
        "EVIDENCE": row.evidence,
        "PREVIOUS": row.previous,
    }


def write_rows(ws, rows: list[ItRow], language: Language, styles: Styles, fmts: ItFormats) -> None:
    """Every answer row: the generator's cells locked (inventory text written as text, never as a
    formula), the IT team's cells unlocked, blank or as ``row.filled`` gives them."""
    t = styles.t
    per_width, low, cap = t["wrap"]["body_chars_per_width"], t["heights"]["row"], t["heights"]["it_row_max"]
    widths = t["widths"]["it"]
    for i, row in enumerate(rows):
        r = R0 + i
        texts = row_texts(row, language)
        for code, text in texts.items():
            if text:
                ws.write_string(r, col(code), text, fmts.locked)
            else:
                ws.write_blank(r, col(code), None, fmts.locked)
        ws.write_number(r, col("DEVICE_COUNT"), len(row.group.devices), fmts.number)
        for code in it_contract.INPUT_COLUMNS:
            fmt = fmts.answer_date if code == "CONFIRMED_ON" else fmts.answer
            write_input(ws, r, col(code), (row.filled or {}).get(code), fmt)
        height = fit_height([(texts[code], widths[code]) for code in WRAPPED], per_width, low)
        ws.set_row(r, min(height, cap))


def write_input(ws, r: int, c: int, value: object, fmt) -> None:
    """An IT cell: a date as a date, anything else as :func:`write_filled` writes it."""
    if isinstance(value, dt.date):
        ws.write_datetime(r, c, value, fmt)
    else:
        write_filled(ws, r, c, value, fmt)


def item_ranges(rows: list[ItRow]) -> dict[str, list[tuple[int, int]]]:
    """The 0-based (first, last) runs of rows of each item, in the order items first appear."""
    runs: dict[str, list[tuple[int, int]]] = {}
    for i, row in enumerate(rows):
        r = R0 + i
        spans = runs.setdefault(row.item, [])
        if spans and spans[-1][1] == r - 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    return runs


def add_answer_dropdowns(ws, rows: list[ItRow], lists: Lists, texts: dict) -> None:
    """On every IT_ANSWER cell, the dropdown of its item's answers (one validation per item over
    all its rows), refusing any other value; a blank cell stays allowed."""
    c = col(it_contract.ANSWER)
    for item, spans in item_ranges(rows).items():
        (first, last), *_ = spans
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "list",
                "source": "=" + lists.labels_of(item),
                "ignore_blank": True,
                "input_title": texts["input_title"],
                "input_message": texts["input_message"],
                "error_title": texts["error_title"],
                "error_message": texts["error_message"],
                "error_type": "stop",
                "multi_range": " ".join(xl_range(a, c, b, c) for a, b in spans),
            },
        )
