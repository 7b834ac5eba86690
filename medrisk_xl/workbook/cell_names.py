"""A1 column names, computed here rather than imported: ``openpyxl.utils`` loads the whole of
openpyxl (and numpy) on import, about 0.15 s of every ``validate`` and ``consolidate`` start that
reads no workbook with openpyxl. Same range and results as openpyxl's (the tests compare every
column): ``A`` is 1, ``ZZZ`` 18,278."""

from __future__ import annotations

from functools import cache

MAX_NAMED = 18278  # ZZZ, the last name of three letters


@cache
def column_letter(col: int) -> str:
    """The letters of 1-based column ``col`` (1 -> A, 27 -> AA)."""
    if not 1 <= col <= MAX_NAMED:
        raise ValueError(f"column {col} is outside 1-{MAX_NAMED}")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@cache
def column_index(letters: str) -> int:
    """The 1-based column of ``letters`` (A -> 1; upper or lower case)."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column name")
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index
