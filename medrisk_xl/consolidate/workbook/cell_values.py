"""How the consolidated workbook reads a table value: empty, a number, or text to clean."""

from __future__ import annotations

import math
import numbers
from functools import lru_cache
from typing import Any

import pandas as pd

from medrisk_xl.core.textsafe import clean_text


def is_blank(value: Any) -> bool:
    """None, NA, NaN and NaT are empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def is_number(value: Any) -> bool:
    """A finite real number (not a bool): written as a number."""
    kind = value.__class__
    if kind is int or kind is float:  # most values: skip the slower abstract-class check
        return math.isfinite(value)
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """``text`` made safe for a cell (:func:`~medrisk_xl.core.textsafe.clean_text`), cached."""
    return clean_text(text)[0]
