"""Cell values as a spreadsheet gives them (numbers, dates, texts) turned into inventory texts.

Ids and codes are texts: a number read from a cell is written without a decimal part (``123``,
not ``123.0``). Dates are written ``dd/mm/yyyy``, whether the cell holds a real date, an Excel
serial number in a date column, or a ``dd/mm/yyyy`` (or ``yyyy-mm-dd``) text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

DATE_FORMAT = "%d/%m/%Y"
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
_LAST_SERIAL = 2_958_465  # 31/12/9999
_DATE_TEXTS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
)


def is_blank(value: Any) -> bool:
    """Whether a cell holds nothing (None, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_text(value: float) -> str:
    """``123`` for 123.0, ``13.02`` for 13.02 (15 significant digits, as Excel shows them)."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return format(value, ".15g")


def cell_text(value: Any) -> str:
    """The text of a cell value: dates ``dd/mm/yyyy``, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT) if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if is_number(value):
        return number_text(value)
    return str(value)


def parse_date(text: str) -> dt.date | None:
    """The date of a ``dd/mm/yyyy`` (also ``d.m.yyyy``) or ``yyyy-mm-dd`` text, else None."""
    text = text.strip()
    for pattern, order in _DATE_TEXTS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            try:
                return dt.date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                return None
    return None


def date_text(value: Any) -> tuple[str, bool]:
    """The text of a date cell and whether it is a date: ``dd/mm/yyyy`` when it is one."""
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT), True
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT), True
    if is_number(value) and 1 <= value <= _LAST_SERIAL:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).strftime(DATE_FORMAT), True
    text = cell_text(value).strip()
    date = parse_date(text)
    if date is not None:
        return date.strftime(DATE_FORMAT), True
    return text, not text
