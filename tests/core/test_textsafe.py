"""Inventory text made safe for a cell: spaces for breaks, no control characters, Excel's limit."""

from __future__ import annotations

import pytest

from medrisk_xl.core.textsafe import clean_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        (0, "0"),
        (12.5, "12.5"),
        ("  Pompe\tà\r\nperfusion  ", "Pompe à perfusion"),
        ("a\x00b\x1fc\x7fd\x9fe", "abcde"),
        ("=SUM(A1)", "=SUM(A1)"),  # written as text, never as a formula: left as typed
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == (expected, False)


def test_excel_cell_limit_is_kept_exactly_and_cut_above():
    assert clean_text("x" * 32767) == ("x" * 32767, False)
    assert clean_text("x" * 32768) == ("x" * 32767, True)
