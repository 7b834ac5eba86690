"""The change form's values: choices and yes/no answers among their options, dates as dates and
numbers as numbers (0 or more); text fields take anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from medrisk_xl.core.matching import INVALID, match_answer
from medrisk_xl.core.problems import Message, msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.read.reader import Sheet, Workbook
from medrisk_xl.workbook.write.change_form import field_options

CODE_COL = contract.CHANGE_CODE_COL + 1  # 1-based columns of the change form
VALUE_COL = contract.CHANGE_VALUE_COL + 1


def check_change_form(book: Workbook, pack: ContentPack, language: Language, report: FileReport) -> None:
    """sheet-missing when the change form (named by ``_meta``) or a field code is missing, and
    change-form-value for each value that is not what its field takes."""
    name = book.meta.get(contract.Meta.CHANGE_SHEET)
    if not name:
        return
    sheet = book.sheet(name)
    if sheet is None:
        report.add(problem("sheet-missing", msg("validate.change-form-missing", sheet=name), sheet=name))
        return
    rows = _field_rows(sheet)
    fields = pack.register.change_form
    missing = [f.code for f in fields if f.code not in rows]
    if missing:
        report.add(
            problem(
                "sheet-missing",
                msg("validate.change-form-damaged", codes=", ".join(missing)),
                sheet=name,
            )
        )
    options = field_options(pack, language)
    for fld in fields:
        if fld.code not in rows:
            continue
        r = rows[fld.code]
        value = sheet.value(r, VALUE_COL)
        if value == "":
            continue
        wanted = _unexpected(value, fld.kind, options.get(fld.code))
        if wanted:
            report.add(
                problem(
                    "change-form-value",
                    msg("validate.change-form-value", code=fld.code, value=value, expected=wanted),
                    sheet=name,
                    cell=f"{column_letter(VALUE_COL)}{r}",
                    row=r,
                )
            )


def _field_rows(sheet: Sheet) -> dict[str, int]:
    """Each field code of column A -> its 1-based row."""
    return {
        sheet.value(r, CODE_COL): r
        for r in range(1, sheet.n_rows + 1)
        if isinstance(sheet.value(r, CODE_COL), str)
    }


def _unexpected(value: Any, kind: str, options: list[str] | None) -> Message | None:
    """What the field expected ("a date"…) when ``value`` is not that, else None (text fields,
    or a right value)."""
    if options is not None:
        bad = match_answer(value, options) == INVALID
        wanted = msg("validate.expected.one-of", options=", ".join(options))
    elif kind == "date":
        bad, wanted = not isinstance(value, (dt.date, dt.datetime)), msg("validate.expected.date")
    elif kind == "number":
        bad = isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
        wanted = msg("validate.expected.number")
    else:
        return None
    return wanted if bad else None
