"""Open a form file the way every outside file is opened (``workbook/read/opening``: recognised by
its bytes, size limits, zip bombs, DTDs, active content refused), then read its sheets' values with
python-calamine. Only values are read: nothing in the file ever runs, and it is never modified."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from python_calamine import CalamineWorkbook

from medrisk_xl.workbook.read.file_kind import HEAD_BYTES, looks_like, open_readonly
from medrisk_xl.workbook.read.opening import Package, Unreadable, check_extent, open_legacy_xls, open_package
from medrisk_xl.workbook.read.reader import check_used_range, sheet_parts
from medrisk_xl.workbook.read.reader_ods import read_ods

MAX_SHEETS = 20  # a form has one sheet; a workbook with more is searched in its first sheets


def file_head(path: Path) -> bytes:
    """The first bytes of ``path`` (a PDF is told from a spreadsheet by them, not by its name)."""
    with open_readonly(path) as fp:
        return fp.read(HEAD_BYTES)


def read_sheets(path: Path, head: bytes) -> dict[str, list[list[Any]]]:
    """Sheet name -> values from A1, for the first ``MAX_SHEETS`` sheets; :class:`Unreadable`
    when the file is not a spreadsheet one may open safely."""
    if looks_like(head) == "ole":  # an Excel 97-2003 .xls: only its size can be bounded first
        with open_legacy_xls(path) as fp:
            return _calamine_sheets(fp, lambda name: None)
    with open_package(path, refuse_active=True) as package:
        if package.kind == "ods":  # read_ods refuses repeats standing for too many cells
            book = read_ods(path, package)
            return {name: sheet.values for name, sheet in list(book.sheets.items())[:MAX_SHEETS]}
        parts = sheet_parts(package)
        parts.pop("", None)
        return _calamine_sheets(package.file(), lambda name: _bound(package, parts.get(name)))


def _bound(package: Package, part: tuple[str, str] | None) -> None:
    """Refuse a sheet whose used range breaks the limits before calamine loads it."""
    if part is not None and part[0] in package.names:
        check_used_range(package.read(part[0]), package)


def _calamine_sheets(source: BinaryIO, bound: Callable[[str], None]) -> dict[str, list[list[Any]]]:
    try:
        book = CalamineWorkbook.from_filelike(source)
        names = list(book.sheet_names)[:MAX_SHEETS]
    except Exception as exc:  # calamine raises its own error types
        raise Unreadable("truncated", f"the workbook's contents cannot be read ({exc})") from None
    sheets = {}
    for name in names:
        bound(name)
        try:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types
            raise Unreadable("truncated", f"sheet {name!r} cannot be read ({exc})") from None
        check_extent(len(values), max((len(row) for row in values), default=0))
        sheets[name] = values
    return sheets
