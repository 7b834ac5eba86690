"""Read a returned workbook back through its contract, without trusting what it computed.

Values come from python-calamine (fast, xlsx and ods); formulas, cached-value presence, sheet
protection and sheet states come from streaming the sheet XML. Nothing is written, ever.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from python_calamine import CalamineWorkbook

from medrisk_xl.workbook import contract
from medrisk_xl.workbook.opening import (
    Package,
    Unreadable,
    check_dimension,
    check_extent,
    iterparse,
    open_package,
)

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_M = "{" + NS["m"] + "}"
_R = "{" + NS["r"] + "}"


def clean(value: Any) -> Any:
    """A cell value as the contract compares them: "" for empty, int for whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class SheetXml:
    """What the values reader does not give: formulas, cached-value presence, protection."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based -> text
    cached: set[tuple[int, int]] = field(default_factory=set)  # formula cells with a stored value
    protected: bool = False
    password_hash: str | None = None  # legacy 16-bit hash, or "algorithm:hash" (Excel 2010+)


@dataclass
class Sheet:
    name: str
    state: str  # visible | hidden | veryHidden
    values: list[list[Any]]  # from A1, every row padded to the same width
    xml: SheetXml

    def value(self, row: int, col: int) -> Any:
        """Value of the 1-based (row, col), "" when outside the used range."""
        if 0 < row <= len(self.values) and 0 < col <= len(self.values[row - 1]):
            return clean(self.values[row - 1][col - 1])
        return ""

    def formula(self, row: int, col: int) -> str | None:
        return self.xml.formulas.get((row, col))

    @property
    def n_rows(self) -> int:
        return len(self.values)


@dataclass
class Workbook:
    """A returned workbook: its sheets (by name, in order) and its ``_meta`` pairs."""

    path: Path
    kind: str  # xlsx | ods
    sheets: dict[str, Sheet]
    meta: dict[str, str]
    meta_rows: list[dict[str, str]]  # the device rows as generated (place + identity codes)
    structure_locked: bool

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(name)


def _read_xml(package: Package, name: str):
    with package.open(name) as f:
        yield from iterparse(f, events=("start", "end"))


def _sheet_parts(package: Package) -> dict[str, tuple[str, str]]:
    """Sheet name -> (part name, state), and whether the structure is locked (key "")."""
    rels = {}
    for event, el in _read_xml(package, "xl/_rels/workbook.xml.rels"):
        if event == "end" and el.tag.endswith("Relationship"):
            target = el.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            rels[el.get("Id")] = part
    parts: dict[str, tuple[str, str]] = {}
    locked = False
    for event, el in _read_xml(package, "xl/workbook.xml"):
        if event != "end":
            continue
        if el.tag == f"{_M}sheet":
            parts[el.get("name", "")] = (rels.get(el.get(f"{_R}id"), ""), el.get("state", "visible"))
        elif el.tag == f"{_M}workbookProtection":
            locked = el.get("lockStructure") in ("1", "true")
    parts[""] = ("", "locked" if locked else "")
    return parts


def read_sheet_xml(package: Package, part: str) -> SheetXml:
    """Stream one sheet part: formulas (shared ones expanded), cached values, protection."""
    out = SheetXml()
    shared: dict[str, tuple[str, str]] = {}  # si -> (formula, origin cell)
    cell, kind, formula, has_value = "", "", None, False
    for event, el in _read_xml(package, part):
        tag = el.tag
        if event == "start":
            if tag == f"{_M}c":
                cell, kind, formula, has_value = el.get("r", ""), el.get("t", ""), None, False
            continue
        if tag == f"{_M}f":
            text = el.text or ""
            si = el.get("si")
            if el.get("t") == "shared" and si is not None:
                if text:
                    shared[si] = (text, cell)
                elif si in shared:
                    master, origin = shared[si]
                    text = Translator("=" + master, origin).translate_formula(cell)[1:]
            formula = text
        elif tag == f"{_M}v":
            # An empty <v/> is no cached value (openpyxl writes one), except for an empty text result.
            has_value = bool(el.text) or kind == "str"
        elif tag == f"{_M}c":
            if formula is not None and cell:
                letters, row = coordinate_from_string(cell)
                pos = (row, column_index_from_string(letters))
                out.formulas[pos] = formula
                if has_value:
                    out.cached.add(pos)
            el.clear()
        elif tag == f"{_M}row":
            check_extent(int(el.get("r") or 0), 0, package.limits)
            el.clear()
        elif tag == f"{_M}dimension":
            check_dimension(el.get("ref", ""), package.limits)
        elif tag == f"{_M}sheetProtection":
            out.protected = el.get("sheet") in ("1", "true")
            if el.get("password"):
                out.password_hash = el.get("password", "").upper()
            elif el.get("hashValue"):
                out.password_hash = f"{el.get('algorithmName')}:{el.get('hashValue')}"
    return out


def read_workbook(path: str | Path) -> Workbook:
    """Read ``path`` (never modified). Raises :class:`Unreadable` for a file that is not a
    readable spreadsheet; a spreadsheet that is not a medrisk-xl workbook reads with empty meta."""
    path = Path(path)
    with open_package(path) as package:
        if package.kind != "xlsx":
            raise Unreadable("unsupported-format", "only .xlsx returns are read for now: save it as .xlsx")
        parts = _sheet_parts(package)
        locked = parts.pop("")[1] == "locked"
        # The sheet XML first: a sheet that claims a million rows is refused before any load.
        xmls = {
            name: read_sheet_xml(package, part) if part in package.names else SheetXml()
            for name, (part, _) in parts.items()
        }
        try:
            calamine = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types
            raise Unreadable("truncated", f"the workbook's contents cannot be read ({exc})") from None
        sheets = {}
        for name, (_part, state) in parts.items():
            try:
                values = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise Unreadable("truncated", f"sheet {name!r} cannot be read ({exc})") from None
            sheets[name] = Sheet(name, state, values, xmls[name])
    meta, meta_rows = _meta(sheets.get(contract.META_SHEET))
    return Workbook(path, package.kind, sheets, meta, meta_rows, locked)


def _meta(sheet: Sheet | None) -> tuple[dict[str, str], list[dict[str, str]]]:
    if sheet is None:
        return {}, []
    meta: dict[str, str] = {}
    for r in range(1, sheet.n_rows + 1):
        key = sheet.value(r, 1)
        if isinstance(key, str) and key:
            meta[key] = str(sheet.value(r, 2))
    c0 = contract.META_ROWS_COL + 1
    head = []
    c = c0
    while isinstance(sheet.value(1, c), str) and sheet.value(1, c):
        head.append(sheet.value(1, c))
        c += 1
    rows = []
    for r in range(2, sheet.n_rows + 1):
        values = {code: str(sheet.value(r, c0 + i)) for i, code in enumerate(head)}
        if values.get(contract.META_ROWS_PLACE):
            rows.append(values)
    return meta, rows


def grid_columns(book: Workbook) -> dict[str, int]:
    """Column code -> 1-based column, from the input sheet's code row."""
    sheet = book.sheets[book.meta["input_sheet"]]
    row = int(book.meta.get("code_row", contract.CODE_ROW))
    width = max((len(r) for r in sheet.values), default=0)
    return {
        sheet.value(row, c): c
        for c in range(1, width + 1)
        if isinstance(sheet.value(row, c), str) and sheet.value(row, c)
    }


def form_sheets(book: Workbook) -> list[str]:
    return list(json.loads(book.meta.get("forms", "[]")))


def column_letter(col: int) -> str:
    return get_column_letter(col)
