"""The change form sheet: the change-permit route of IEC/TR 80001-2-1 (its change-window form).

One row per field of the pack's ``change_form``: column A its code, B its label, C the value to
fill in (unlocked): a dropdown for a choice or a yes/no field, a date or a number check for the
others.
"""

from __future__ import annotations

import datetime as dt

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.printing import setup_reading_print
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import fit_height

FIRST_FIELD_ROW = 3  # 0-based: title, intro, blank, then the fields


def field_options(pack: ContentPack, language: Language) -> dict[str, list[str]]:
    """The labels a choice or yes/no field accepts, by field code."""
    texts = language.register["change_form"]
    out: dict[str, list[str]] = {}
    for fld in pack.register.change_form:
        if fld.kind == "choice":
            out[fld.code] = [texts["fields"][fld.code]["options"][o] for o in fld.options]
        elif fld.kind == "yes_no":
            out[fld.code] = [texts["yes"], texts["no"]]
    return out


def field_rows(pack: ContentPack) -> dict[str, int]:
    """The 0-based row of each field."""
    return {fld.code: FIRST_FIELD_ROW + i for i, fld in enumerate(pack.register.change_form)}


def write_change_form(ws, plan: WorkbookPlan, pack: ContentPack, language: Language, styles: Styles) -> None:
    texts = language.register["change_form"]
    widths = styles.t["widths"]["change_form"]
    code_col, label_col, value_col = (
        contract.CHANGE_CODE_COL,
        contract.CHANGE_LABEL_COL,
        contract.CHANGE_VALUE_COL,
    )
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.merge_range(0, label_col, 0, value_col, texts["title"], styles.title_wrap)
    ws.set_row(0, 24)
    ws.merge_range(1, label_col, 1, value_col, texts["intro"], styles.text)
    ws.set_row(1, fit_height([(texts["intro"], widths[1] + widths[2])], 1.1))
    options = field_options(pack, language)
    rows = field_rows(pack)
    for fld in pack.register.change_form:
        r = rows[fld.code]
        label = texts["fields"][fld.code]["label"]
        ws.write_string(r, code_col, fld.code, styles.code)
        ws.write_string(r, label_col, label, styles.table_head)
        tall = fld.kind == "text" and fld.code not in ("requester",)
        ws.set_row(r, 45 if tall else fit_height([(label, widths[1])], 1.1, 20))
        fmt = styles.answer_date if fld.kind == "date" else styles.answer
        ws.write_blank(r, value_col, None, fmt)
        if fld.code in options:
            ws.data_validation(r, value_col, r, value_col, {"validate": "list", "source": options[fld.code]})
        elif fld.kind == "date":
            ws.data_validation(
                r,
                value_col,
                r,
                value_col,
                {"validate": "date", "criteria": ">=", "value": dt.date(2000, 1, 1)},
            )
        elif fld.kind == "number":
            ws.data_validation(
                r, value_col, r, value_col, {"validate": "decimal", "criteria": ">=", "value": 0}
            )
    setup_reading_print(ws, plan.scope or plan.campaign)
    ws.protect(
        plan.password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
