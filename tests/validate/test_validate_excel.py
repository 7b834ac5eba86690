"""validate: a return saved by Microsoft Excel validates clean, and tampering still shows in it.

Excel cannot run in the tests, so the fixture builds what it writes. A return is filled from its
own dropdowns and recalculated by LibreOffice (every formula then holds its correct cached value);
its XML parts are then rewritten the ways Excel writes them when it saves that workbook, one small
helper per change (see :func:`save_as_excel`):

- the worksheet root with Excel's namespaces and ``mc:Ignorable``;
- rows with ``spans`` and ``x14ac:dyDescent``, cells without LibreOffice's ``t="n"``/``aca``;
- every constant text as a shared string (``t="s"``); formula text results stay ``t="str"``;
- a formula repeated down a column as one shared formula: a master with its ``ref`` and text,
  followers ``<f t="shared" si="…"/>``, each cell keeping its cached ``<v>``;
- cross-sheet list validations moved out of ``<dataValidations>`` into the ``x14`` extension
  block, which openpyxl does not read;
- sheet protection hashed the Excel 2010+ way (SHA-512, salt, spin count) instead of the legacy
  16-bit ``password``;
- the workbook keeping what LibreOffice drops: ``_meta`` very hidden, the structure lock.
"""

from __future__ import annotations

import base64
import hashlib
import html
import random
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from medrisk_xl.validate import validate, validate_file
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.reader import grid_columns, read_workbook

pytestmark = pytest.mark.libreoffice

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
X14_VALIDATIONS_URI = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
SPIN_COUNT = 100_000


# --- What Excel changes, one helper each --------------------------------------------------------


def excel_root(xml: str) -> str:
    """The worksheet root as Excel writes it: markup compatibility (``mc:Ignorable``) for its
    x14ac/xr extensions, and the x14/xm namespaces of the extension blocks."""
    root = (
        f'<worksheet xmlns="{MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac xr xr2 xr3" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
        'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
        'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
        f'xmlns:x14="{X14}" xmlns:xm="{XM}" '
        'xr:uid="{00000000-0001-0000-0100-000000000000}">'
    )
    xml, n = re.subn(r"<worksheet\b[^>]*>", root, xml, count=1)
    assert n == 1
    return xml


def _flag(value: str) -> str:
    """Excel's booleans are 1 and 0 (LibreOffice writes true and false)."""
    return "1" if value in ("1", "true") else "0"


def excel_rows(xml: str) -> str:
    """Rows as Excel writes them: the span of their cells, only the attributes that differ from
    the defaults, booleans as 1/0, and ``x14ac:dyDescent`` (the font's descent)."""

    def row(m: re.Match) -> str:
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        columns = [column_index_from_string(c) for c in re.findall(r'<c r="([A-Z]+)\d+"', m.group(2))]
        out = f'<row r="{attrs["r"]}"'
        if columns:
            out += f' spans="{min(columns)}:{max(columns)}"'
        if "s" in attrs and _flag(attrs.get("customFormat", "0")) == "1":
            out += f' s="{attrs["s"]}" customFormat="1"'
        if "ht" in attrs:
            out += f' ht="{attrs["ht"]}"'
        for name in ("hidden", "customHeight"):
            if _flag(attrs.get(name, "0")) == "1":
                out += f' {name}="1"'
        return out + f' x14ac:dyDescent="0.25">{m.group(2)}</row>'

    # An empty row (<row .../>, which Excel does not write) is left as it is.
    return re.sub(r"<row\b([^>]*[^/])>(.*?)</row>", row, xml, flags=re.S)


def excel_cells(xml: str) -> str:
    """Cells as Excel writes them: a number has no ``t`` (LibreOffice writes ``t="n"``) and a
    formula's ``<f>`` has no ``aca`` attribute."""
    xml = re.sub(r'(<c r="[A-Z]+\d+"[^>]*?) t="n"', r"\1", xml)
    return xml.replace('<f aca="false">', "<f>")


class SharedStrings:
    """xl/sharedStrings.xml: the strings it holds, and those appended to it."""

    def __init__(self, xml: str):
        self.xml = xml
        self.items = re.findall(r"<si>(.*?)</si>", xml, re.S)
        self.index = {
            html.unescape(m.group(1)): i
            for i, item in enumerate(self.items)
            if (m := re.fullmatch(r"<t(?: [^>]*)?>([^<]*)</t>", item))
        }
        self.references = 0

    def add(self, text: str) -> int:
        self.references += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(f'<t xml:space="preserve">{html.escape(text, quote=False)}</t>')
        return self.index[text]

    def to_xml(self) -> str:
        count = int(re.search(r'\bcount="(\d+)"', self.xml).group(1)) + self.references
        items = "".join(f"<si>{item}</si>" for item in self.items)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{len(self.items)}">{items}</sst>'
        )


def shared_string_cells(xml: str, sst: SharedStrings) -> str:
    """Every constant text as a shared string: inline strings and constant ``t="str"`` cells
    become ``t="s"`` with the string's index. A formula's text result stays ``t="str"``.
    (LibreOffice already writes its texts so; this keeps the fixture Excel-shaped whatever wrote
    its input, and the first test checks that no other form is left.)"""

    def inline(m: re.Match) -> str:
        text = html.unescape("".join(re.findall(r"<t\b[^>]*>([^<]*)</t>", m.group(2))))
        return f'<c{m.group(1)} t="s"><v>{sst.add(text)}</v></c>'

    def constant(m: re.Match) -> str:
        return f'<c{m.group(1)} t="s"><v>{sst.add(html.unescape(m.group(2)))}</v></c>'

    xml = re.sub(r'<c( r="[A-Z]+\d+"[^>]*?) t="inlineStr"[^>]*><is>(.*?)</is></c>', inline, xml)
    return re.sub(r'<c( r="[A-Z]+\d+"[^>]*?) t="str"><v>([^<]*)</v></c>', constant, xml)


_FORMULA_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*)><f>([^<]*)</f>')
_CELL_REF = re.compile(r"(?<![A-Za-z0-9_.])(\$?[A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])")


def _r1c1_rows(formula: str, row: int) -> str:
    """``formula`` (as in the XML) with its relative row numbers written as offsets from ``row``,
    as Excel's R1C1 form does, outside string literals: two cells of a column hold the same
    formula for Excel when these agree. (Written apart from the reader's Translator, so that the
    fixture does not share the reader's mistakes.)"""
    parts = re.split(r'("(?:[^"]|"")*")', html.unescape(formula))
    return "".join(
        p
        if p.startswith('"')
        else _CELL_REF.sub(
            lambda m: m.group(0) if m.group(2) else f"{m.group(1)}R[{int(m.group(3)) - row}]", p
        )
        for p in parts
    )


def shared_formulas(xml: str) -> str:
    """A formula repeated down a column as Excel stores it: the first cell holds the text with
    ``t="shared" ref="Z5:Z19" si="0"``, the following ones only ``<f t="shared" si="0"/>``; each
    keeps its cached ``<v>``. Groups are numbered in document order, as Excel does."""
    by_column: dict[str, list[tuple[int, str]]] = {}
    for letters, row, _, text in _FORMULA_CELL.findall(xml):
        by_column.setdefault(letters, []).append((int(row), _r1c1_rows(text, int(row))))
    groups: list[tuple[int, int, str, int]] = []  # first row, column, letters, last row
    for letters, cells in by_column.items():
        first, last, key = None, None, None
        for row, r1c1 in [*sorted(cells), (0, "")]:
            if first is not None and row == last + 1 and r1c1 == key:
                last = row
                continue
            if first is not None and last > first:  # a formula alone stays as it is
                groups.append((first, column_index_from_string(letters), letters, last))
            first, last, key = row, row, r1c1
    role: dict[str, str] = {}  # cell -> the master's <f> attributes, or a follower's whole <f/>
    for si, (first, _, letters, last) in enumerate(sorted(groups)):
        role[f"{letters}{first}"] = f't="shared" ref="{letters}{first}:{letters}{last}" si="{si}"'
        for row in range(first + 1, last + 1):
            role[f"{letters}{row}"] = f'<f t="shared" si="{si}"/>'

    def cell(m: re.Match) -> str:
        ref = m.group(1) + m.group(2)
        if ref not in role:
            return m.group(0)
        head = f'<c r="{ref}"{m.group(3)}>'
        if role[ref].startswith("<f"):
            return head + role[ref]
        return head + f"<f {role[ref]}>{m.group(4)}</f>"

    return _FORMULA_CELL.sub(cell, xml)


def x14_validations(xml: str) -> str:
    """Cross-sheet list validations moved, as Excel 2010+ writes them, from ``<dataValidations>``
    into ``<extLst><ext uri="{CCE6A557-…}"><x14:dataValidations>`` (formula in ``<xm:f>``, range in
    ``<xm:sqref>``); any other validation stays where it was."""
    block = re.search(r"<dataValidations\b[^>]*>(.*?)</dataValidations>", xml, re.S)
    if not block:
        return xml
    moved, kept = [], []
    for whole, raw, body in re.findall(
        r"(<dataValidation\b([^>]*)>(.*?)</dataValidation>)", block.group(1), re.S
    ):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', raw))
        formula = re.search(r"<formula1>(.*?)</formula1>", body, re.S).group(1)
        if attrs.get("type") != "list" or "!" not in formula:
            kept.append(whole)
            continue
        out = '<x14:dataValidation type="list"'
        for name in ("allowBlank", "showInputMessage", "showErrorMessage"):
            if _flag(attrs.get(name, "0")) == "1":
                out += f' {name}="1"'
        for name in ("errorTitle", "error", "promptTitle", "prompt"):
            if attrs.get(name):
                out += f' {name}="{attrs[name]}"'
        out += f"><x14:formula1><xm:f>{formula.lstrip('=')}</xm:f></x14:formula1>"
        moved.append(out + f"<xm:sqref>{attrs['sqref']}</xm:sqref></x14:dataValidation>")
    legacy = f'<dataValidations count="{len(kept)}">{"".join(kept)}</dataValidations>' if kept else ""
    xml = xml.replace(block.group(0), legacy)
    ext = (
        f'<ext uri="{X14_VALIDATIONS_URI}">'
        f'<x14:dataValidations count="{len(moved)}">{"".join(moved)}</x14:dataValidations></ext>'
    )
    if "</extLst>" in xml:
        return xml.replace("</extLst>", ext + "</extLst>", 1)
    return xml.replace("</worksheet>", f"<extLst>{ext}</extLst></worksheet>", 1)


def excel_hash(password: str, salt: bytes, spin: int = SPIN_COUNT) -> str:
    """Excel 2010+ protection hash: SHA-512 of the salt and the UTF-16LE password, hashed again
    ``spin`` times with the iteration number (4 bytes, little-endian) appended; base64."""
    digest = hashlib.sha512(salt + password.encode("utf-16-le")).digest()
    for i in range(spin):
        digest = hashlib.sha512(digest + i.to_bytes(4, "little")).digest()
    return base64.b64encode(digest).decode()


def excel_protection(xml: str, password: str, salt: bytes) -> str:
    """``<sheetProtection>`` as Excel 2010+ writes it: the same options as 1/0, the password as
    ``algorithmName="SHA-512" hashValue saltValue spinCount`` instead of the legacy 16-bit hash."""

    def protection(m: re.Match) -> str:
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        options = " ".join(f'{k}="{_flag(v)}"' for k, v in attrs.items() if k != "password")
        return (
            f'<sheetProtection algorithmName="SHA-512" hashValue="{excel_hash(password, salt)}" '
            f'saltValue="{base64.b64encode(salt).decode()}" spinCount="{SPIN_COUNT}" {options}/>'
        )

    xml, n = re.subn(r"<sheetProtection\b([^>]*?)/?>", protection, xml, count=1)
    assert n == 1
    return xml


def excel_workbook(xml: str, password: str, salt: bytes) -> str:
    """xl/workbook.xml as Excel keeps it: ``_meta`` still very hidden and the structure still
    locked (LibreOffice turned the one into hidden and dropped the other), written by "xl"."""
    xml = re.sub(
        r"<fileVersion\b[^>]*/>",
        '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/>',
        xml,
    )
    xml = xml.replace(' state="visible"', "")
    meta = re.escape(contract.META_SHEET)
    xml, n = re.subn(rf'(<sheet name="{meta}"[^>]*?) state="hidden"', r'\1 state="veryHidden"', xml)
    assert n == 1
    lock = (
        f'<workbookProtection workbookAlgorithmName="SHA-512" workbookHashValue="{excel_hash(password, salt)}" '
        f'workbookSaltValue="{base64.b64encode(salt).decode()}" workbookSpinCount="{SPIN_COUNT}" lockStructure="1"/>'
    )
    xml, n = re.subn(r"<workbookProtection\b[^>]*/>", lock, xml)
    assert n == 1
    return xml


def excel_app(xml: str) -> str:
    """docProps/app.xml naming Excel as the application."""
    return re.sub(r"<Application>[^<]*</Application>", "<Application>Microsoft Excel</Application>", xml)


def save_as_excel(src: Path, dst: Path, password: str) -> Path:
    """``src`` (saved by LibreOffice, cached values correct) as Microsoft Excel writes it."""
    rng = random.Random(12)
    with zipfile.ZipFile(src) as zin:
        items = [(item, zin.read(item.filename)) for item in zin.infolist()]
    parts = {item.filename: data for item, data in items}
    sst = SharedStrings(parts["xl/sharedStrings.xml"].decode())
    for name in parts:
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
            xml = parts[name].decode()
            xml = excel_root(xml)
            xml = excel_rows(xml)
            xml = excel_cells(xml)
            xml = shared_string_cells(xml, sst)
            xml = shared_formulas(xml)
            xml = x14_validations(xml)
            xml = excel_protection(xml, password, rng.randbytes(16))
            parts[name] = xml.encode()
    parts["xl/workbook.xml"] = excel_workbook(
        parts["xl/workbook.xml"].decode(), password, rng.randbytes(16)
    ).encode()
    parts["xl/sharedStrings.xml"] = sst.to_xml().encode()
    parts["docProps/app.xml"] = excel_app(parts["docProps/app.xml"].decode()).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, _ in items:
            zout.writestr(item, parts[item.filename])
    return dst


# --- Fixture and helpers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved(tmp_path_factory, campaign, soffice):
    """One return filled from its own dropdowns (conftest's session ``campaign``), saved by
    LibreOffice (recalculated) and as Excel writes it."""
    from medrisk_xl.engines.libreoffice import convert

    base = tmp_path_factory.mktemp("validate_excel")
    (lo,) = convert([campaign["filled"]], base / "lo")
    excel = save_as_excel(lo, base / "excel.xlsx", campaign["password"])
    return {"manifest": campaign["manifest"], "lo": lo, "excel": excel, "rows": sorted(campaign["plan"])}


def input_part(path: Path) -> str:
    """The package part of the input sheet."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet name="Saisie"[^>]*?r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*?Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def changed(src: Path, dst: Path, change: Callable[[str], str]) -> Path:
    """A copy of ``src`` whose input sheet XML went through ``change``."""
    part = input_part(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                new = change(data.decode())
                assert new != data.decode(), "the change found nothing to change"
                data = new.encode()
            zout.writestr(item, data)
    return dst


def crit_column(path: Path) -> str:
    """The column letters of CRIT_SCORE, from the code row."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(grid_columns(read_workbook(path))["CRIT_SCORE"])


def shared_group(xml: str, letters: str) -> tuple[str, int, int]:
    """The si, first and last row of the shared formula that starts column ``letters``."""
    m = re.search(rf'<f t="shared" ref="{letters}(\d+):{letters}(\d+)" si="(\d+)">', xml)
    assert m, f"column {letters} holds no shared formula"
    return m.group(3), int(m.group(1)), int(m.group(2))


def read_part(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode()


def where(report, code: str) -> list[str]:
    return [p.cell for p in report.problems if p.code == code]


def errors(report) -> set[str]:
    return {p.code for p in report.problems if p.severity == "error"}


def not_errors(report) -> list[tuple]:
    return [
        (p.code, p.sheet, p.cell, p.row, p.device_id, p.message)
        for p in report.problems
        if p.severity != "error"
    ]


# --- Tests ---------------------------------------------------------------------------------------


def test_the_fixture_writes_what_excel_writes(saved):
    """The Excel-style file holds each of Excel's ways (so the tests below exercise them)."""
    xml = read_part(saved["excel"], input_part(saved["excel"]))
    # the 19 answers' lists name the list sheet: x14; the device status's inline list stays put
    assert '<dataValidations count="1">' in xml and "Réformé" in xml.split("<dataValidations", 1)[1]
    assert xml.count("<x14:dataValidation ") == 19 and f'<ext uri="{X14_VALIDATIONS_URI}">' in xml
    assert "<xm:f>Listes!$B$2:$B$5</xm:f>" in xml and 'mc:Ignorable="x14ac xr xr2 xr3"' in xml
    letters = crit_column(saved["excel"])
    si, first, last = shared_group(xml, letters)
    assert si == "0" and (first, last) == (saved["rows"][0], saved["rows"][-1] + 3)  # + the spare rows
    assert xml.count(f'<f t="shared" si="{si}"/>') == last - first
    assert re.search(rf'<c r="{letters}{first + 1}" s="\d+"><f t="shared" si="0"/><v>\d+</v></c>', xml)
    assert xml.count('<f t="shared" ref=') >= 25 and not re.search(r"<c [^>]*><f>", xml)
    assert 'x14ac:dyDescent="0.25"' in xml and 'aca="' not in xml and ' t="n"' not in xml
    assert "inlineStr" not in xml and not re.search(r'<c [^>]*t="str"><v>', xml)  # texts are shared
    assert 'algorithmName="SHA-512"' in xml and " password=" not in xml
    workbook = read_part(saved["excel"], "xl/workbook.xml")
    assert re.search(r'<sheet name="_meta"[^>]*state="veryHidden"', workbook)
    assert 'lockStructure="1"' in workbook


def test_openpyxl_sees_no_validation_in_the_excel_file(saved):
    """openpyxl drops the x14 block: validate must not depend on the dropdowns' definitions."""
    lo = openpyxl.load_workbook(saved["lo"])
    assert len(lo["Saisie"].data_validations.dataValidation) == 20  # 19 answers, the device status
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Data Validation extension is not supported"
        excel = openpyxl.load_workbook(saved["excel"])
    (kept,) = excel["Saisie"].data_validations.dataValidation  # only the inline list is left
    assert kept.formula1.startswith('"Présent,')


def test_a_return_saved_by_excel_validates_clean(saved, pack):
    lo, excel = validate_file(saved["lo"], pack), validate_file(saved["excel"], pack)
    assert errors(excel) == set(), excel.problems
    assert excel.status == "valid" and excel.devices == lo.devices and excel.devices["total"] == 12
    assert not_errors(excel) == not_errors(lo)
    (with_manifest,) = validate([saved["excel"]], manifest=saved["manifest"], pack=pack).files
    assert not_errors(with_manifest) == not_errors(lo) and errors(with_manifest) == set()
    # What the reader made of Excel's XML is what it made of LibreOffice's: shared formulas
    # expanded, the same cached values found, the same values.
    a, b = read_workbook(saved["lo"]).sheets["Saisie"], read_workbook(saved["excel"]).sheets["Saisie"]
    assert b.xml.formulas == a.xml.formulas and b.xml.cached == a.xml.cached and b.values == a.values
    assert len(b.xml.cached) >= 12 * 25
    # ... although the code row the reader reads is hidden in both (people never see it).
    for path in (saved["lo"], saved["excel"]):
        row = re.search(
            rf'<row [^>]*?r="{contract.CODE_ROW}"[^>]*>', read_part(path, input_part(path))
        ).group(0)
        assert re.search(r'hidden="(1|true)"', row), (path.name, row)
    book = read_workbook(saved["excel"])
    assert book.sheets["_meta"].state == "veryHidden" and book.structure_locked
    assert all(s.xml.protected and s.xml.password_hash.startswith("SHA-512:") for s in book.sheets.values())


def test_a_shared_formula_typed_over_is_a_replaced_formula(saved, pack, tmp_path):
    letters = crit_column(saved["excel"])
    target = f"{letters}{saved['rows'][1]}"

    def type_over(xml: str) -> str:
        si, _, _ = shared_group(xml, letters)
        return re.sub(
            rf'(<c r="{target}"[^>]*>)<f t="shared" si="{si}"/><v>[^<]*</v>', r"\g<1><v>12</v>", xml
        )

    report = validate_file(changed(saved["excel"], tmp_path / "typed.xlsx", type_over), pack)
    assert where(report, "formula-replaced") == [target] and errors(report) == {"formula-replaced"}


def test_a_changed_shared_master_changes_its_followers(saved, pack, tmp_path):
    letters = crit_column(saved["excel"])
    _, first, last = shared_group(read_part(saved["excel"], input_part(saved["excel"])), letters)
    assert first == saved["rows"][0] and last >= saved["rows"][-1]

    def change_master(xml: str) -> str:
        return re.sub(rf'(<c r="{letters}{first}"[^>]*><f t="shared"[^>]*>[^<]*?)SUM\(', r"\1 1+SUM(", xml)

    report = validate_file(changed(saved["excel"], tmp_path / "master.xlsx", change_master), pack)
    # Every device row of the group: the followers' formulas expand from the changed master.
    assert where(report, "formula-changed") == [f"{letters}{r}" for r in saved["rows"]]
    assert errors(report) == {"formula-changed"}


def test_a_wrong_cached_value_on_a_follower(saved, pack, tmp_path):
    letters = crit_column(saved["excel"])
    target = f"{letters}{saved['rows'][2]}"

    def wrong(xml: str) -> str:
        return re.sub(rf'(<c r="{target}"[^>]*><f t="shared" si="\d+"/><v>)[^<]*(</v>)', r"\g<1>999\2", xml)

    report = validate_file(changed(saved["excel"], tmp_path / "cached.xlsx", wrong), pack)
    assert where(report, "wrong-cached-value") == [target] and errors(report) == {"wrong-cached-value"}
    assert "999" in next(p.message for p in report.problems if p.code == "wrong-cached-value")


def test_excel_protection_hash_and_removed_protection(saved, pack, tmp_path):
    """validate compares legacy 16-bit hashes only: an SHA-512 hash is never "password-changed";
    a removed <sheetProtection> is reported."""
    (report,) = validate([saved["excel"]], manifest=saved["manifest"], pack=pack).files
    assert "password-changed" not in {p.code for p in report.problems}
    assert "protection-removed" not in {p.code for p in report.problems}

    def unprotect(xml: str) -> str:
        return re.sub(r"<sheetProtection\b[^>]*/>", "", xml)

    path = changed(saved["excel"], tmp_path / "unprotected.xlsx", unprotect)
    (report,) = validate([path], manifest=saved["manifest"], pack=pack).files
    assert [p.sheet for p in report.problems if p.code == "protection-removed"] == ["Saisie"]
    assert report.status == "valid"  # a warning
