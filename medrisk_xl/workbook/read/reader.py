"""Read a returned workbook back through its contract, without trusting what it computed.

Values come from python-calamine (fast, xlsx and ods); formulas, cached-value presence, sheet
protection and sheet states come from streaming the sheet XML. Nothing is written, ever.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_index
from medrisk_xl.workbook.it_contract import ItMeta
from medrisk_xl.workbook.read.opening import (
    Package,
    Unreadable,
    check_dimension,
    check_extent,
    iterparse,
    open_package,
)
from medrisk_xl.workbook.read.read_model import Sheet, SheetXml, Workbook, read_meta
from medrisk_xl.workbook.read.read_model import (
    clean as clean,  # re-exported: the readers of other parts use it
)
from medrisk_xl.workbook.read.reader_ods import read_ods
from medrisk_xl.workbook.read.shared_formula import SharedFormula, shared_text

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_M = "{" + NS["m"] + "}"
_R = "{" + NS["r"] + "}"


def _read_xml(package: Package, name: str):
    with package.open(name) as f:
        yield from iterparse(f, events=("start", "end"))


def sheet_parts(package: Package) -> dict[str, tuple[str, str]]:
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


# Sheet parts are scanned with regular expressions over their bytes (read within the package's
# limits): a cell with a formula, its <f> and whether a <v> follows. No XML parser runs, so no DTD
# or entity is ever expanded; a part that is not what Excel, LibreOffice or a library writes
# simply yields no formula, which validate reports.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)"
    rb"\s*(<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?v>))?"
)
_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b([^>]*)>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_SHARED = re.compile(rb'\bt="shared"')
_SHARED_INDEX = re.compile(rb'\bsi="([^"]*)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(raw)}


_REF = re.compile(rb'\br="\$?([A-Z]{1,3})\$?(\d+)"')
_ROWS = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    if "&" not in text:
        return text
    if "&#" in text:
        return html.unescape(text)
    if "&quot;" in text:  # LibreOffice escapes every quote of a formula: often the only entity
        text = text.replace("&quot;", '"')
        if "&" not in text:
            return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'").replace("&amp;", "&")


def read_sheet_xml(package: Package, part: str) -> SheetXml:
    """Scan one sheet part: formulas (shared ones expanded), which formula cells hold a cached
    value, the sheet's protection and size (a sheet claiming a million rows is refused)."""
    data = package.read(part)
    out = _protection(data, package)
    check_used_range(data, package)
    # si -> the group's formula, parsed once at its origin cell (Excel shares one formula over a
    # whole column: parsing it again for each cell was most of the time of reading its returns)
    shared: dict[bytes, SharedFormula] = {}
    if len(_CELLS) > _CELLS_MAX:
        _CELLS.clear()
    cells = _CELLS
    for match in _FORMULA_CELL.finditer(data):
        cell_attrs, f_attrs, f_text, v_element, v_text = match.groups()
        known = cells.get((cell_attrs, f_text))
        if known is None:
            known = cells[(cell_attrs, f_text)] = _formula_cell(cell_attrs, f_text)
        where, text = known
        if not where:
            continue
        group = _SHARED_INDEX.search(f_attrs) if b"shared" in f_attrs and _SHARED.search(f_attrs) else None
        if group:
            si = group.group(1)
            if text:
                shared[si] = SharedFormula(text, where)
            elif si in shared:
                text = shared_text(shared[si], *where)
        out.formulas[where] = text
        # An empty <v/> is no cached value (openpyxl writes one), except for an empty text result.
        if v_element and (v_text or b't="str"' in cell_attrs):
            out.cached.add(where)
    return out


# (cell attributes, formula text) as written -> ((row, column), the formula's text); () for a cell
# without a reference. The returns of a campaign hold the same cells (the same row, the same
# formula): each is parsed once per process, not once per file.
_CELLS: dict[tuple[bytes, bytes], tuple[tuple[int, int] | tuple[()], str]] = {}
_CELLS_MAX = 50_000  # about 20 MB at most; a campaign holds a few thousand distinct cells


def _formula_cell(cell_attrs: bytes, f_text: bytes) -> tuple[tuple[int, int] | tuple[()], str]:
    ref = _REF.search(cell_attrs)
    if not ref:
        return (), ""
    where = (int(ref.group(2)), column_index(ref.group(1).decode()))
    return where, _text(f_text) if f_text else ""


_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_LETTERS = re.compile(rb"\$?([A-Z]{1,3})\$?\d")


def check_used_range(data: bytes, package: Package) -> None:
    """The rows and columns a sheet part really uses (not what it declares) within the limits."""
    rows = [int(r) for r in _ROWS.findall(data)]
    # A row's cells stand in column order: its last cell gives its last column.
    letters: set[bytes] = set()
    pos = 0
    for row_end in _ROW_END.finditer(data):
        cell = data.rfind(b'c r="', pos, row_end.start())
        found = _LETTERS.match(data, cell + 5) if cell >= 0 else None
        if found:
            letters.add(found.group(1))
        pos = row_end.end()
    columns = max((column_index(c.decode()) for c in letters), default=0)
    check_extent(max(rows, default=0), columns, package.limits)


def _protection(data: bytes, package: Package) -> SheetXml:
    """A sheet's protection, and its declared size checked against the limits."""
    out = SheetXml()
    dimension = _DIMENSION.search(data, 0, 4096)
    if dimension:
        check_dimension(dimension.group(1).decode(errors="replace"), package.limits)
    # The schema puts <sheetProtection> after <sheetData>: start there, not at the first cell.
    end = data.rfind(b"sheetData>")
    found = _PROTECTION.search(data, end if end >= 0 else 0) or (
        _PROTECTION.search(data) if end >= 0 else None
    )
    if found:
        attrs = _attrs(found.group(1))
        out.protected = attrs.get("sheet") in ("1", "true")
        if attrs.get("password"):
            out.password_hash = attrs["password"].upper()
        elif attrs.get("hashValue"):
            out.password_hash = f"{attrs.get('algorithmName')}:{attrs['hashValue']}"
    return out


def read_protection(package: Package, part: str, loaded: bool = False) -> SheetXml:
    """Only the protection (and the declared size) of a sheet whose formulas are not checked;
    with ``loaded`` (its values will be read) its used range is checked too."""
    data = package.read(part)
    if loaded:
        check_used_range(data, package)
    return _protection(data, package)


def _values(calamine: CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        return calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise Unreadable("truncated", msg("open.sheet-unreadable", sheet=name, error=str(exc))) from None


def read_workbook(
    path: str | Path, *, also_read: Callable[[dict[str, str]], Iterable[str]] | None = None
) -> Workbook:
    """Read ``path`` (never modified). Raises :class:`Unreadable` for a file that is not a
    readable spreadsheet; a spreadsheet that is not a medrisk-xl workbook reads with empty meta.

    Only the sheets the contract reads (``_meta``, the list sheet, the input sheet or the forms)
    are loaded; of the others, only their protection is read. ``also_read`` names, from the
    ``_meta`` pairs, more sheets whose values and formulas are read (the consolidated workbook's
    action plan); an .ods has every sheet read anyway.
    """
    path = Path(path)
    with open_package(path) as package:
        if package.kind == "ods":
            return read_ods(path, package)
        parts = sheet_parts(package)
        locked = parts.pop("")[1] == "locked"
        try:
            # From the bytes, not the name: a department may rename its file.
            calamine = CalamineWorkbook.from_filelike(package.file())
        except Exception as exc:  # calamine raises its own error types
            raise Unreadable("truncated", msg("open.contents-unreadable", error=str(exc))) from None
        meta_values = []
        meta_part = parts.get(contract.META_SHEET, ("", ""))[0]
        if meta_part in package.names:
            check_used_range(package.read(meta_part), package)  # before calamine loads it
            meta_values = _values(calamine, contract.META_SHEET)
        meta, meta_rows = read_meta(Sheet(contract.META_SHEET, "", meta_values, SheetXml()))
        wanted, computed = _sheets_to_read(meta, also_read)
        sheets = {}
        for name, (part, state) in parts.items():
            if part not in package.names:
                xml = SheetXml()
            elif name in computed:
                xml = read_sheet_xml(package, part)  # before loading: a huge sheet is refused first
            else:
                xml = read_protection(package, part, loaded=name in wanted)
            if name == contract.META_SHEET:
                values = meta_values
            else:
                values = _values(calamine, name) if name in wanted else []
            sheets[name] = Sheet(name, state, values, xml)
        saved = _saved(package)
        notices = package.inventory.warnings if package.inventory else ()
    return Workbook(path, package.kind, sheets, meta, meta_rows, locked, saved, notices)


_MODIFIED = re.compile(rb"<(?:\w+:)?modified\b[^>]*>([^<]{1,64})<")


def _sheets_to_read(
    meta: dict[str, str], also_read: Callable[[dict[str, str]], Iterable[str]] | None
) -> tuple[set[str | None], set[str | None]]:
    """The sheets whose values are loaded, and those of them whose formulas are checked."""
    wanted = {
        contract.META_SHEET,
        meta.get(contract.Meta.INPUT_SHEET),
        meta.get(contract.Meta.LISTS_SHEET),
        meta.get(contract.Meta.REGISTER_SHEET),
        meta.get(contract.Meta.CHANGE_SHEET),
        meta.get(ItMeta.ANSWER_SHEET),
        *_forms(meta),
    }
    computed = {
        meta.get(ItMeta.ANSWER_SHEET),
        meta.get(contract.Meta.INPUT_SHEET),
        meta.get(contract.Meta.REGISTER_SHEET),
        *_forms(meta),
    }
    if also_read is not None:
        extra = set(also_read(meta))
        wanted |= extra
        computed |= extra
    return wanted, computed


def _saved(package: Package) -> str | None:
    """The save time a spreadsheet application records in docProps/core.xml."""
    if "docProps/core.xml" not in package.names:
        return None
    found = _MODIFIED.search(package.read("docProps/core.xml", max_bytes=1 << 20))
    return found.group(1).decode("ascii", "replace").strip() if found else None


def _forms(meta: dict[str, str]) -> list[str]:
    try:
        forms = json.loads(meta.get(contract.Meta.FORMS) or "[]")
    except ValueError:
        return []
    return [f for f in forms if isinstance(f, str)] if isinstance(forms, list) else []


def grid_columns(book: Workbook) -> dict[str, int]:
    """Column code -> 1-based column, from the input sheet's code row."""
    sheet = book.sheets[book.meta[contract.Meta.INPUT_SHEET]]
    row = int(book.meta.get(contract.Meta.CODE_ROW, contract.CODE_ROW))
    width = max((len(r) for r in sheet.values), default=0)
    return {
        sheet.value(row, c): c
        for c in range(1, width + 1)
        if isinstance(sheet.value(row, c), str) and sheet.value(row, c)
    }


def form_sheets(book: Workbook) -> list[str]:
    return _forms(book.meta)
