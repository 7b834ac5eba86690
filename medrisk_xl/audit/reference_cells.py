"""What a probe's reference holds: its formula cells and the values cached in them.

The reference is the generator's own workbook, written by XlsxWriter, read back here with the
package's reader of returned workbooks (the sheet XML for the formulas, python-calamine for the
values) instead of openpyxl, whose two passes over each reference took a third of an audit's
time. Its cached values are numbers and texts (the twin of the formulas never shows an error or
a date); a formula showing an empty text reads as no value, which the comparison treats alike.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from python_calamine import CalamineWorkbook

from medrisk_xl.engines import Sheets, norm
from medrisk_xl.workbook.read.opening import open_package
from medrisk_xl.workbook.read.reader import read_sheet_xml, sheet_parts

FormulaCells = dict[str, set[tuple[int, int]]]  # sheet -> (row, col) 1-based of its formulas


def reference_cells(path: Path, skip: Collection[str] = ()) -> tuple[Sheets, FormulaCells]:
    """The formula cells of every sheet of the reference at ``path`` but those of ``skip``, and
    their cached values."""
    with open_package(path) as package:
        parts = sheet_parts(package)
        parts.pop("")
        book = CalamineWorkbook.from_filelike(package.file())
        values: Sheets = {}
        formulas: FormulaCells = {}
        for name, (part, _state) in parts.items():
            if name in skip:
                continue
            cells = set(read_sheet_xml(package, part).formulas)
            formulas[name] = cells
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False) if cells else []
            values[name] = {
                (r, c): norm(rows[r - 1][c - 1])
                for r, c in cells
                if r <= len(rows) and c <= len(rows[r - 1]) and rows[r - 1][c - 1] != ""
            }
    return values, formulas
