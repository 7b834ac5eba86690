"""Read an .ods return (a workbook saved by LibreOffice as OpenDocument) with the checks the format allows.

Values come from python-calamine, as for .xlsx. ``content.xml`` is streamed once for what the
values do not give: the sheet names in order, which sheets are hidden (their table style says
``table:display="false"``), sheet protection, the workbook-structure lock, the formulas and
whether each formula cell holds a cached result.

Formulas are stored in OpenFormula (``of:=IF([.$K5]="";"";[$Listes.$B$2])``); they are converted
to the A1 syntax the contract compares (``IF($K5="","",Listes!$B$2)``). A formula that cannot be
converted reliably (a namespaced function, a union or intersection operator, a reference to
another file or across sheets) is kept as written and listed in ``SheetXml.unconverted``:
validate then skips its formula comparison rather than report a formula that was not changed.

What the format does not allow: ODS stores another protection-password hash than Excel's, so
``password_hash`` is None (whether a sheet is protected is read; its password is not compared).

The stream is bounded: ODS repeats empty rows and cells up to the end of the sheet
(``table:number-rows-repeated="1048550"``); repeated empty cells are only counted, never
expanded, and only rows and columns holding something count towards the sheet's extent.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from python_calamine import CalamineWorkbook
from xlsxwriter.utility import quote_sheetname

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.opening import Package, Unreadable, check_extent, iterparse
from medrisk_xl.workbook.read.read_model import Sheet, SheetXml, Workbook, read_meta

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"

_SHEET = _TABLE + "table"
_ROW = _TABLE + "table-row"
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
_PARAGRAPH = _TEXT + "p"

# Formula cells that a repeated cell element may stand for, per sheet. LibreOffice never repeats a
# formula cell (it writes each one); another writer could, and the expansion must stay bounded.
MAX_REPEATED_FORMULA_CELLS = 100_000
# Cells of the used ranges (last row x last column holding something) of all sheets together are
# bounded by Limits.max_cells: python-calamine builds every sheet's used range in full when it
# opens an .ods, and a repeated cell of a few bytes can stand for millions of cells.


def read_ods(path: Path, package: Package) -> Workbook:
    """Read the .ods ``package`` opened from ``path`` (never modified) into a :class:`Workbook`."""
    sheets_xml, states, locked = _read_content(package)
    try:
        # From the bytes, not the name: a department may have renamed its .ods to .xlsx.
        calamine = CalamineWorkbook.from_filelike(package.file())
    except Exception as exc:  # calamine raises its own error types
        raise Unreadable("truncated", msg("open.contents-unreadable", error=str(exc))) from None
    sheets = {}
    for name, xml in sheets_xml.items():
        try:
            values = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise Unreadable("truncated", msg("open.sheet-unreadable", sheet=name, error=str(exc))) from None
        sheets[name] = Sheet(name, states[name], values, xml)
    meta, meta_rows = read_meta(sheets.get(contract.META_SHEET))
    notices = package.inventory.warnings if package.inventory else ()
    return Workbook(path, "ods", sheets, meta, meta_rows, locked, notices=notices)


def _repeat(el: Element, attribute: str) -> int:
    raw = el.get(_TABLE + attribute)
    if raw is None:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise Unreadable(
            "malformed-xml",
            msg("open.repeats", times=raw),
        )
    return int(raw)


def _read_content(package: Package) -> tuple[dict[str, SheetXml], dict[str, str], bool]:
    """Stream content.xml: sheet name -> SheetXml (in order), sheet name -> state, structure lock."""
    content = ContentReader(package)
    with package.open("content.xml") as stream:
        for event, el in iterparse(stream, events=("start", "end")):
            if event == "start":
                content.start(el)
            else:
                content.end(el)
    hidden = content.hidden_styles
    states = {n: "hidden" if content.styles.get(n) in hidden else "visible" for n in content.sheets}
    return content.sheets, states, content.locked


class ContentReader:
    """The state of one pass over content.xml: where the stream stands (sheet, row, column, cell
    nesting) and what it has found so far, element start after element end."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.sheets: dict[str, SheetXml] = {}
        self.styles: dict[str, str] = {}  # sheet name -> its table style
        self.hidden_styles: set[str] = set()
        self.locked = False
        self.xml: SheetXml | None = None
        self.name = ""
        self.in_cell = 0  # nesting of cells: a table inside a cell (a sub-table) is not a sheet
        self.row = 0  # rows of the sheet before the current row element
        self.row_repeat = 1
        self.col = 0  # columns of the current row before the current cell element
        self.expanded = 0  # formula cells stood for by repeated elements in this sheet
        self.last_row = self.last_col = 0  # the extent of the cells holding something in this sheet
        self.cells = 0  # the used ranges of the sheets read so far

    def start(self, el: Element) -> None:
        """An element opens: a cell, a row, a sheet, or the spreadsheet (its structure lock)."""
        tag = el.tag
        if tag in _CELLS:
            self.in_cell += 1
        elif self.in_cell:
            return
        elif tag == _ROW and self.xml is not None:
            self.row_repeat, self.col = _repeat(el, "number-rows-repeated"), 0
        elif tag == _SHEET:
            self.name = el.get(_TABLE + "name", "")
            self.styles[self.name] = el.get(_TABLE + "style-name", "")
            self.xml = SheetXml(protected=el.get(_TABLE + "protected") == "true")
            self.row, self.expanded, self.last_row, self.last_col = 0, 0, 0, 0
        elif tag == _OFFICE + "spreadsheet":
            self.locked = el.get(_TABLE + "structure-protected") == "true"

    def end(self, el: Element) -> None:
        """An element closes: a cell, a row, a sheet (its size checked), or a table style."""
        tag = el.tag
        if tag in _CELLS:
            self.in_cell -= 1
            if self.in_cell or self.xml is None:
                return
            self.end_cell(el, self.xml)
            el.clear()
        elif self.in_cell:
            return
        elif tag == _ROW and self.xml is not None:
            self.row += self.row_repeat
            el.clear()
        elif tag == _SHEET and self.xml is not None:
            self.cells += self.last_row * self.last_col
            if self.cells > self.package.limits.max_cells:
                raise _too_many_cells(self.name, self.last_row, self.last_col, self.package.limits.max_cells)
            self.sheets.setdefault(self.name, self.xml)
            self.xml = None
            el.clear()
        elif tag == _STYLE + "style" and el.get(_STYLE + "family") == "table":
            properties = el.find(_STYLE + "table-properties")
            style = el.get(_STYLE + "name")
            if style and properties is not None and properties.get(_TABLE + "display") == "false":
                self.hidden_styles.add(style)
            el.clear()

    def end_cell(self, el: Element, xml: SheetXml) -> None:
        """A cell of the sheet (repeated, maybe): the extent it reaches, and its formula."""
        repeat = _repeat(el, "number-columns-repeated")
        first_col, self.col = self.col + 1, self.col + repeat
        formula = el.get(_TABLE + "formula")
        has_text = any(child.tag == _PARAGRAPH for child in el)
        has_value = el.get(_OFFICE + "value-type") is not None or has_text
        if formula is not None or has_value:
            # Something is here: it counts towards the extent (checked before expanding).
            self.last_row = max(self.last_row, self.row + self.row_repeat)
            self.last_col = max(self.last_col, self.col)
            check_extent(self.last_row, self.last_col, self.package.limits)
        if formula is None:
            return
        if self.row_repeat * repeat > 1:  # counted before anything is expanded
            self.expanded += self.row_repeat * repeat
            if self.expanded > MAX_REPEATED_FORMULA_CELLS:
                raise _too_many_repeats(self.name)
        converted = openformula_to_a1(formula)
        rows, cols = range(self.row + 1, self.row + self.row_repeat + 1), range(first_col, self.col + 1)
        for pos in ((r, c) for r in rows for c in cols):
            xml.formulas[pos] = formula if converted is None else converted
            if converted is None:
                xml.unconverted.add(pos)
            if has_value:
                xml.cached.add(pos)


def _too_many_cells(sheet: str, rows: int, columns: int, limit: int) -> Unreadable:
    return Unreadable(
        "too-large",
        msg("open.too-many-cells", sheet=sheet, rows=rows, columns=columns, limit=limit),
    )


def _too_many_repeats(sheet: str) -> Unreadable:
    return Unreadable(
        "too-large",
        msg("open.too-many-repeats", sheet=sheet, limit=MAX_REPEATED_FORMULA_CELLS),
    )


# --------------------------------------------------------------------------------------------
# OpenFormula -> A1 syntax
# --------------------------------------------------------------------------------------------

_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA)", re.IGNORECASE)
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[^\W\d][\w.]*")  # a function, or a named expression
_PART = re.compile(r"(\$?)('(?:[^']|'')*'|[^'.$:#][^.:#]*)?\.(\$?[A-Za-z]{1,3})?(\$?[0-9]{1,7})?")
_OPERATORS = set("+-*/^&=<>%():") | {" ", "\t", "\n", "\r"}


def openformula_to_a1(formula: str) -> str | None:
    """The OOXML (A1) text of an ODF ``table:formula``, without "=": ``of:=SUM([.A1:.A3];[$'S 1'.B1])``
    gives ``SUM(A1:A3,'S 1'!B1)``. None when it cannot be converted reliably."""
    prefix = re.match(r"([A-Za-z][\w.-]*):(?==)", formula)
    namespace = prefix.group(1).lower() if prefix else "of"
    body = formula[prefix.end() :] if prefix else formula
    if namespace == "msoxl":  # Excel 2007 SP2 wrote its own syntax in ODF
        return body[1:]
    if namespace not in ("of", "oooc") or not body.startswith("="):
        return None
    out: list[str] = []
    i, n = 1, len(body)
    in_array = False
    while i < n:
        ch = body[i]
        if (ch == "{" and not in_array) or (ch == "}" and in_array):
            in_array = ch == "{"
            out.append(ch)
            i += 1
        elif ch == ";":  # the argument separator; in an inline array, the column separator
            out.append(",")
            i += 1
        elif ch == "|" and in_array:  # an inline array's row separator
            out.append(";")
            i += 1
        else:
            token = _token(body, i)
            if token is None:
                return None
            text, i = token
            out.append(text)
    return None if in_array else "".join(out)


def _token(body: str, i: int) -> tuple[str, int] | None:
    """The A1 text of the token at ``i`` of an OpenFormula and the index after it (a string, a
    reference, an error, a number, a name or an operator); None when it has no reliable A1 text."""
    ch = body[i]
    if ch == '"':  # a string literal, "" inside it is one quote
        j = _string_end(body, i)
        return None if j < 0 else (body[i : j + 1], j + 1)
    if ch == "[":
        j = _closing_bracket(body, i)
        reference = None if j < 0 else _reference(body[i + 1 : j])
        return None if reference is None else (reference, j + 1)
    if ch == "#":
        match = _ERROR.match(body, i)
        return None if match is None else (match.group(0), match.end())
    if ch.isdigit() or (ch == "." and body[i + 1 : i + 2].isdigit()):
        match = _NUMBER.match(body, i)
        assert match is not None
        return match.group(0), match.end()
    if _NAME.match(body, i):
        return _name(body, i)
    if ch in _OPERATORS:
        return ch, i + 1
    return None  # "~" (union), "!" (intersection), or anything else: no reliable A1 text


def _string_end(body: str, start: int) -> int:
    """Index of the quote closing the string literal opened at ``start`` ("" inside is one quote), or -1."""
    j = start + 1
    while True:
        j = body.find('"', j)
        if j < 0 or not body.startswith('""', j):
            return j
        j += 2


def _name(body: str, i: int) -> tuple[str, int] | None:
    """A function or a named expression at ``i``; None for a namespaced function."""
    match = _NAME.match(body, i)
    assert match is not None
    word, i = match.group(0), match.end()
    call = body[i:].lstrip(" ").startswith("(")
    if call and "." in word:  # COM.MICROSOFT.*, ORG.OPENOFFICE.*: no A1 spelling known here
        return None
    if call and word.upper() in ("TRUE", "FALSE") and body[i:].replace(" ", "").startswith("()"):
        i = body.index(")", i) + 1  # ODF writes TRUE(), Excel's text is TRUE
    return word, i


def _closing_bracket(text: str, start: int) -> int:
    """Index of the "]" closing the reference opened at ``start`` (quoted sheet names may hold one)."""
    quoted = False
    for j in range(start + 1, len(text)):
        if text[j] == "'":
            quoted = not quoted  # '' inside a quoted name toggles twice
        elif text[j] == "]" and not quoted:
            return j
    return -1


def _split_range(inner: str) -> list[str]:
    parts, quoted, start = [], False, 0
    for j, ch in enumerate(inner):
        if ch == "'":
            quoted = not quoted
        elif ch == ":" and not quoted:
            parts.append(inner[start:j])
            start = j + 1
    parts.append(inner[start:])
    return parts


def _reference(inner: str) -> str | None:
    """``$Listes.$B$2:.$B$5`` -> ``Listes!$B$2:$B$5``; ``.A1`` -> ``A1``; None if not reliable."""
    if "#REF!" in inner.upper():
        return "#REF!"  # a deleted cell or sheet, as Excel spells it
    parts = _split_range(inner)
    if len(parts) > 2:
        return None
    found = []
    for part in parts:
        match = _PART.fullmatch(part)
        if match is None:  # another file ('file:///…'#$Sheet1.A1) or a malformed reference
            return None
        _absolute, sheet, column, row = match.groups()
        if sheet and sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        found.append((sheet, column or "", row or ""))
    (sheet, column, row), *rest = found
    if rest:
        other_sheet, column2, row2 = rest[0]
        if other_sheet and other_sheet != sheet:  # across sheets (3D): no A1 spelling
            return None
        if bool(column) != bool(column2) or bool(row) != bool(row2) or not (column or row):
            return None
        area = f"{column}{row}:{column2}{row2}"
    elif column and row:
        area = f"{column}{row}"
    else:
        return None
    return f"{quote_sheetname(sheet)}!{area}" if sheet else area
