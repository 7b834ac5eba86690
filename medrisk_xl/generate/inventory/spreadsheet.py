"""Open an inventory workbook (.xlsx, .xlsm, .xls, .ods), recognised by its bytes, and read its
sheets' values with python-calamine, one sheet at a time.

The opening is the one returns get (``workbook/read/opening.py``: size limits, zip bombs, hostile
XML), except that an Excel 97-2003 .xls is accepted (only its file size can be bounded before
calamine parses it). Macros never run: only cell values are read. python-calamine calls used:
``CalamineWorkbook.from_filelike``, ``.sheet_names``, ``.get_sheet_by_name(...).to_python``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from python_calamine import CalamineWorkbook

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.generate.inventory.grid import Grid
from medrisk_xl.generate.inventory.hidden_rows import ods_hidden_rows, xlsx_hidden_rows
from medrisk_xl.workbook.read.opening import Package, Unreadable, check_extent, open_legacy_xls, open_package
from medrisk_xl.workbook.read.reader import check_used_range, sheet_parts


class Spreadsheet:
    """An opened workbook: its sheet names, and each sheet read on demand (:meth:`grid`)."""

    def __init__(self, path: Path, head: str) -> None:
        self._package: Package | None = None
        self._fp: BinaryIO | None = None
        self._parts: dict[str, tuple[str, str]] = {}
        self._ods_hidden: dict[str, list[tuple[int, int]]] = {}
        self.active: tuple[Message, ...] = ()  # what active content the file holds, in words
        if head == "ole":
            self.kind = "xls"
            self._fp = open_legacy_xls(path)
            source: BinaryIO = self._fp
        else:
            # The engineer's own export, read for its values only: macros are listed, never run.
            self._package = open_package(path, refuse_active=False)
            self.kind = self._package.kind
            found = self._package.inventory.active if self._package.inventory else ()
            pairs = sorted({(f.what, f.part): f for f in found}.items())
            self.active = tuple(msg("open.what-part", what=f.named, part=f.part) for _, f in pairs)
            try:
                if self.kind == "ods":
                    self._ods_hidden = ods_hidden_rows(self._package)  # bounds the extent first
                else:
                    self._parts = sheet_parts(self._package)
                    self._parts.pop("", None)
            except BaseException:
                self.close()
                raise
            source = self._package.file()
        try:
            self._book = CalamineWorkbook.from_filelike(source)
            self.sheet_names: list[str] = list(self._book.sheet_names)
        except Exception as exc:  # calamine raises its own error types
            self.close()
            raise Unreadable("truncated", f"the workbook's contents cannot be read ({exc})") from None

    def grid(self, name: str) -> Grid:
        """The values of sheet ``name`` from A1, and its hidden rows."""
        hidden: set[int] = set()
        part = self._parts.get(name, ("", ""))[0]
        if self._package is not None and part in self._package.names:
            data = self._package.read(part)
            check_used_range(data, self._package)  # before calamine loads it
            hidden = xlsx_hidden_rows(data)
        try:
            values: list[list[Any]] = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types
            raise Unreadable("truncated", f"sheet {name!r} cannot be read ({exc})") from None
        check_extent(len(values), max((len(r) for r in values), default=0))
        for first, last in self._ods_hidden.get(name, []):
            hidden.update(range(first, min(last, len(values)) + 1))
        return Grid(name, values, list(range(1, len(values) + 1)), hidden)

    def close(self) -> None:
        if self._package is not None:
            self._package.close()
        if self._fp is not None:
            self._fp.close()

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
