"""Make inventory text safe to write in a spreadsheet cell."""

from __future__ import annotations

import re

CELL_MAX = 32767  # Excel's limit of characters in one cell

_SPACES = re.compile(r"[\t\r\n\v\f]+")
# C0/C1 control characters, and characters XML 1.0 cannot carry (lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> tuple[str, bool]:
    """Return (text, truncated): tabs and line breaks become spaces, control characters go,
    and text over Excel's cell limit is cut. The result is always written as text, never a formula.
    """
    text = "" if value is None else str(value)
    text = _ILLEGAL.sub("", _SPACES.sub(" ", text)).strip()
    if len(text) > CELL_MAX:
        return text[:CELL_MAX], True
    return text, False
