"""The one rule that decides which option a department's answer cell holds.

An answer cell holds option *k* when its value is text equal to option *k*'s label, ignoring
upper and lower case: what the spreadsheet ``=`` comparison does in Excel, LibreOffice, Gnumeric
and the Python engine ``formulas``. Nothing else is forgiven: a space before or after, a missing
accent, the other language's label, points typed as a number, a wildcard, an error value or a
formula result that is not such a text. An empty cell or an empty text is no answer.

The workbook's formulas and conditional formats apply this rule (``workbook/formulas.py``), and
so does everything that reads returned workbooks. The scorer's tolerant parsing (labels of any
language, accents, points) is for ``medrisk-xl score`` and the library API only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

EMPTY = "empty"
INVALID = "invalid"


def fold(text: str) -> str:
    """The case-insensitive form of a text, as the engines compare them."""
    return text.lower()


def match_answer(value: Any, labels: Sequence[str]) -> int | str:
    """Option index (0-based) of ``value`` among ``labels``, or :data:`EMPTY` / :data:`INVALID`."""
    if value is None or value == "":
        return EMPTY
    if not isinstance(value, str):
        return INVALID  # numbers, booleans, dates and error values never equal a label
    return _options(tuple(labels)).get(fold(value), INVALID)


@lru_cache(maxsize=512)
def _options(labels: tuple[str, ...]) -> dict[str, int | str]:
    """Folded label -> its option index, INVALID for a text two labels fold to (built once per
    list of labels: a campaign's returns hold the same few lists in every row)."""
    options: dict[str, int | str] = {}
    for index, label in enumerate(labels):
        key = fold(label)
        options[key] = INVALID if key in options else index
    return options
