"""A plan's cells as ``actions import`` compares and stores them: text as the workbook wrote it,
due dates as yyyy-mm-dd, and the code row that names the columns (found by code, never by
position, so the team may sort, filter or move columns)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from medrisk_xl.consolidate.workbook import DATE_RANGE
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.history.stored_values import is_missing
from medrisk_xl.workbook.read.reader import Sheet, clean

EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet date serial
# The date texts a due date may be typed as: (pattern, strptime format)
DATE_TEXTS = ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"))
CODE_ROW_SEARCH = 10  # rows searched for the code row when it is not where _meta says


def cell_text(value: Any) -> str:
    """A cell value as compared with what was written: text, line breaks normalised."""
    value = clean(value)
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def written_text(value: Any, code: str) -> str:
    """What the workbook wrote for an identity value (register text is cleaned as it is written)."""
    if is_missing(value):
        return ""
    if code in ("department", "designation", "device_id"):
        return clean_text(value)[0]
    return cell_text(value)


def shortened(text: str, n: int = 60) -> str:
    """``text`` on one line, cut to ``n`` characters for a message."""
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _typed_date(text: str) -> tuple[dt.date | None, bool]:
    """A date typed as text (yyyy-mm-dd or dd/mm/yyyy): (date or None, whether it is valid)."""
    if not text:
        return None, True
    day = None
    for pattern, form in DATE_TEXTS:
        if re.fullmatch(pattern, text):
            try:
                day = dt.datetime.strptime(text, form).date()
            except ValueError:
                return None, False
    return day, day is not None


def _cell_date(value: Any) -> tuple[dt.date | None, bool]:
    """A due date cell as a date: (date or None when empty, whether it is valid)."""
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)):  # a date serial whose date format was lost by a paste
        if not float(value).is_integer():
            return None, False
        try:
            return EXCEL_EPOCH + dt.timedelta(days=int(value)), True
        except OverflowError:
            return None, False
    if isinstance(value, str):
        return _typed_date(value.strip())
    return None, value is None  # None: empty; else a time, a duration...


def due_date(value: Any) -> tuple[str | None, bool]:
    """A due date cell as yyyy-mm-dd: (date or None when empty, whether it is valid)."""
    day, ok = _cell_date(value)
    if day is None:
        return None, ok
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        return None, False
    return day.isoformat(), True


def find_code_row(sheet: Sheet, start: int, wanted: Sequence[str]) -> tuple[int | None, dict[str, int]]:
    """The row holding the column codes (``start`` first, then the first rows) and code -> column."""
    for r in [start, *(r for r in range(1, CODE_ROW_SEARCH + 1) if r != start)]:
        codes = {v: c for c, v in enumerate(sheet.row(r), start=1) if isinstance(v, str) and v}
        if all(code in codes for code in wanted):
            return r, codes
    return None, {}
