"""The bounds a returned workbook must stay within, and the check of a sheet's extent against them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from medrisk_xl.workbook.cell_names import column_index
from medrisk_xl.workbook.read.refusals import GiB, MiB, too_large


@dataclass(frozen=True)
class Limits:
    """Bounds a returned workbook must stay within; every default is set here."""

    max_file_bytes: int = 200 * MiB  # size of the file on disk
    max_members: int = 10_000  # entries in the zip
    max_total_bytes: int = 1 * GiB  # uncompressed size of all entries, as declared
    max_member_bytes: int = 300 * MiB  # uncompressed size of one entry, as declared
    max_ratio: float = 200.0  # uncompressed / compressed, for entries over ratio_floor_bytes
    ratio_floor_bytes: int = 1 * MiB
    max_rows: int = 200_000  # rows of a sheet's used range
    max_columns: int = 2_000  # columns of a sheet's used range
    # Cells of a sheet's used range (rows x columns): a reader allocates the whole range, so two
    # far-apart cells in a 5 KB file would take gigabytes. A 20,000-device workbook holds < 2 M.
    max_cells: int = 5_000_000


DEFAULT_LIMITS = Limits()


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")


def check_extent(rows: int, columns: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``too-large`` when a sheet's used range spans more than the limits allow.

    Count only rows and columns that hold something: an .ods repeats empty rows to the end of the sheet.
    """
    if rows > limits.max_rows or columns > limits.max_columns:
        raise too_large(
            "sheet-span", rows=rows, columns=columns, max_rows=limits.max_rows, max_columns=limits.max_columns
        )
    if rows * columns > limits.max_cells:
        raise too_large("sheet-cells", rows=rows, columns=columns, limit=limits.max_cells)


def check_dimension(ref: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check an .xlsx ``<dimension ref="A1:XFD1048576">`` against the limits (``too-large``).

    A reference that cannot be parsed is ignored: the dimension is only a hint, so a reader must
    still apply :func:`check_extent` to the rows and cells it actually streams.
    """
    match = _REF.match(ref.strip())
    if match is None:
        return
    col1, row1, col2, row2 = match.groups()
    col2, row2 = col2 or col1, row2 or row1
    rows = abs(int(row2) - int(row1)) + 1
    columns = abs(column_index(col2) - column_index(col1)) + 1
    check_extent(rows, columns, limits)
