"""Edits that add active content to a workbook package the way Excel writes it: the content
types, relationship types and part names of Excel-made files (XlsxWriter's Excel-made .xlsm test
files, [MS-OFFMACRO2], ECMA-376 Part 1). Shared by the tests of returns and of inventories."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MSR = "http://schemas.microsoft.com/office/2006/relationships"
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE2 header, as vbaProject.bin starts
SHEET_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xm:macrosheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1">'
    b'<f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData>'
    b"</xm:macrosheet>"
)

Edit = Callable[[dict[str, bytes]], None]


def rebuild(src: Path, out: Path, edit: Edit) -> Path:
    """A copy of the zip ``src`` whose members (name -> bytes) are changed by ``edit``."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def override(parts: dict[str, bytes], part: str, content_type: str) -> None:
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')
    parts["[Content_Types].xml"] = types.encode()


def default(parts: dict[str, bytes], extension: str, content_type: str) -> None:
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>", f'<Default Extension="{extension}" ContentType="{content_type}"/></Types>'
    )
    parts["[Content_Types].xml"] = types.encode()


def relate(
    parts: dict[str, bytes], rels: str, rel_id: str, rel_type: str, target: str, external: bool = False
) -> None:
    """Add a relationship to the .rels member ``rels`` (created when missing)."""
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"{mode}/>'
    text = parts.get(rels, b"").decode() or (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    )
    parts[rels] = text.replace("</Relationships>", rel + "</Relationships>").encode()


WB_RELS = "xl/_rels/workbook.xml.rels"
SHEET1_RELS = "xl/worksheets/_rels/sheet1.xml.rels"


def add_part(
    parts: dict[str, bytes],
    name: str,
    data: bytes,
    content_type: str | None,
    rels: str,
    rel_id: str,
    rel_type: str,
    target: str,
) -> None:
    """The steps every edit takes: the part ``name`` holding ``data``, its content type override
    (none when ``content_type`` is None: a Default covers its extension, or Excel declares none),
    and the relationship ``rel_id`` of ``rel_type`` from the .rels member ``rels`` to ``target``
    (the part's path relative to that relationship's source)."""
    parts[name] = data
    if content_type is not None:
        override(parts, name, content_type)
    relate(parts, rels, rel_id, rel_type, target)


def vba_project(parts: dict[str, bytes]) -> None:
    """An .xlsm as Excel saves it: macro-enabled main type, vbaProject.bin as a Default bin part."""
    types = parts["[Content_Types].xml"].decode().replace(MAIN, XLSM_MAIN)
    parts["[Content_Types].xml"] = types.encode()
    default(parts, "bin", "application/vnd.ms-office.vbaProject")
    vba = OLE_HEAD + b'Attribute VB_Name = "ThisWorkbook"\x00Sub Workbook_Open()'
    add_part(parts, "xl/vbaProject.bin", vba, None, WB_RELS, "rIdVba", f"{MSR}/vbaProject", "vbaProject.bin")


def macro_sheet(parts: dict[str, bytes]) -> None:
    """An Excel 4.0 macro sheet, hidden, reached from the workbook like a sheet."""
    add_part(
        parts,
        "xl/macrosheets/sheet1.xml",
        SHEET_XML,
        "application/vnd.ms-excel.macrosheet+xml",
        WB_RELS,
        "rIdMacro",
        f"{MSR}/xlMacrosheet",
        "macrosheets/sheet1.xml",
    )
    book = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = book.replace(
        "</sheets>", '<sheet name="Macro1" sheetId="99" state="veryHidden" r:id="rIdMacro"/></sheets>'
    ).encode()


def dialog_sheet(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "xl/dialogsheets/sheet1.xml",
        b'<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr/></dialogsheet>',
        "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml",
        WB_RELS,
        "rIdDlg",
        f"{R}/dialogsheet",
        "dialogsheets/sheet1.xml",
    )


def activex(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "xl/activeX/activeX1.xml",
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStorage" r:id="rId1" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>',
        "application/vnd.ms-office.activeX+xml",
        SHEET1_RELS,
        "rIdAx",
        f"{R}/control",
        "../activeX/activeX1.xml",
    )
    add_part(
        parts,
        "xl/activeX/activeX1.bin",
        OLE_HEAD,
        "application/vnd.ms-office.activeX",
        "xl/activeX/_rels/activeX1.xml.rels",
        "rId1",
        f"{MSR}/activeXControlBinary",
        "activeX1.bin",
    )


def ole_object(parts: dict[str, bytes]) -> None:
    default(parts, "bin", "application/vnd.openxmlformats-officedocument.oleObject")
    add_part(
        parts,
        "xl/embeddings/oleObject1.bin",
        OLE_HEAD,
        None,
        SHEET1_RELS,
        "rIdOle",
        f"{R}/oleObject",
        "../embeddings/oleObject1.bin",
    )


def external_link(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "xl/externalLinks/externalLink1.xml",
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<externalBook r:id="rId1"><sheetNames><sheetName val="x"/></sheetNames></externalBook></externalLink>',
        "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
        WB_RELS,
        "rIdExt",
        f"{R}/externalLink",
        "externalLinks/externalLink1.xml",
    )
    relate(  # the link's own target: a file outside the package, no part of it
        parts,
        "xl/externalLinks/_rels/externalLink1.xml.rels",
        "rId1",
        f"{R}/externalLinkPath",
        "file://host/share/x.xlsx",
        external=True,
    )


def connections(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "xl/connections.xml",
        b'<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<connection id="1" name="q" type="4" refreshOnLoad="1"><webPr url="http://evil.example/x"/>'
        b"</connection></connections>",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml",
        WB_RELS,
        "rIdConn",
        f"{R}/connections",
        "connections.xml",
    )


def query_table(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "xl/queryTables/queryTable1.xml",
        b'<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="q" connectionId="1"/>',
        "application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml",
        SHEET1_RELS,
        "rIdQt",
        f"{R}/queryTable",
        "../queryTables/queryTable1.xml",
    )


def custom_ui(parts: dict[str, bytes]) -> None:
    add_part(
        parts,
        "customUI/customUI14.xml",
        b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui" onLoad="Ribbon_Load"/>',
        None,
        "_rels/.rels",
        "rIdUi",
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
        "customUI/customUI14.xml",
    )
