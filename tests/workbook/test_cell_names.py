"""Column names computed without openpyxl, against openpyxl's own (the oracle) on every column it
names; and the commands that read returns start without importing openpyxl at all."""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from medrisk_xl.workbook.cell_names import MAX_NAMED, column_index, column_letter


def test_every_column_is_named_as_openpyxl_names_it():
    for col in range(1, MAX_NAMED + 1):
        letters = get_column_letter(col)
        assert column_letter(col) == letters
        assert column_index(letters) == column_index_from_string(letters) == col
    assert column_index("xfd") == 16384


@pytest.mark.parametrize("col", [0, -1, MAX_NAMED + 1])
def test_a_column_outside_the_named_range_is_refused(col):
    with pytest.raises(ValueError):
        get_column_letter(col)
    with pytest.raises(ValueError):
        column_letter(col)


@pytest.mark.parametrize("letters", ["", "AAAA", "A1", "É", "$A"])
def test_a_text_that_is_no_column_name_is_refused(letters):
    with pytest.raises(ValueError):
        column_index(letters)


def test_validating_returns_imports_no_openpyxl():
    """validate's modules load without openpyxl (0.15 s of every start, numpy with it)."""
    code = (
        "import sys; import medrisk_xl.cli, medrisk_xl.validate.files; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
