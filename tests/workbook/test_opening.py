"""Opening returned workbooks safely: broken, foreign and hostile files (workbook/read/opening.py).

Every file is built in a temporary folder. Each refusal also checks that the input's bytes and
timestamps are unchanged.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medrisk_xl.engines import libreoffice
from medrisk_xl.workbook.read.opening import (
    DEFAULT_LIMITS,
    Limits,
    Package,
    Unreadable,
    check_dimension,
    check_extent,
    iterparse,
    open_package,
)

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b"</Types>"
)
WORKBOOK = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</worksheet>'
)


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------


def snapshot(path: Path) -> tuple[bytes, int, int]:
    st_ = path.stat()
    return path.read_bytes(), st_.st_mtime_ns, st_.st_ctime_ns


def read_everything(pkg: Package) -> None:
    """Read every member and stream every XML member, as a reader would."""
    for name in pkg.names:
        pkg.read(name)
        if name.endswith((".xml", ".rels")):
            with pkg.open(name) as stream:
                for _event, el in iterparse(stream):
                    el.clear()


def refused(path: Path, code: str, limits: Limits = DEFAULT_LIMITS, *, read: bool = False) -> Unreadable:
    """Assert that opening (and with ``read``, reading) ``path`` raises ``code``; input untouched."""
    before = snapshot(path)
    with pytest.raises(Unreadable) as info, open_package(path, limits) as pkg:
        if read:
            read_everything(pkg)
    assert info.value.code == code, info.value.message
    assert info.value.message and info.value.message[-1] == "."
    assert snapshot(path) == before
    return info.value


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def make_xlsx(path: Path, rows: int = 20) -> Path:
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("Devices")
        for r in range(rows):
            ws.write_row(r, 0, [f"DEV-{r:04d}", "Infusion pump", r * 3.5, f"=C{r + 1}*2"])
        ws.protect("secret")
    return path


def rezip(src: Path, dest: Path, change: dict[str, bytes]) -> Path:
    """Copy the zip ``src`` to ``dest`` with some members replaced (others kept as they are)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change.get(info.filename, zin.read(info.filename)))
    return dest


def data_span(data: bytes, name: str) -> tuple[int, int]:
    """(offset, length) of member ``name``'s compressed data in the zip bytes ``data``."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def patch_headers(data: bytearray, name: str, *, crc: int, file_size: int) -> None:
    """Rewrite the CRC and uncompressed size of ``name`` in its local and central headers."""
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 14, crc)
    struct.pack_into("<I", data, info.header_offset + 22, file_size)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, at + 16, crc)
            struct.pack_into("<I", data, at + 24, file_size)
            return
        at += 4
    raise AssertionError(f"no central entry for {name}")


def make_ole(path: Path, names: list[str], sector_shift: int = 9) -> Path:
    """A minimal valid OLE2 compound file whose directory lists ``names`` as empty streams.

    The directory spans two sectors stored in reverse order, so reading it follows the FAT.
    """
    size = 1 << sector_shift
    per_dir = size // 128
    entries = [("Root Entry", 5), *((n, 2) for n in names)]
    while len(entries) < 2 * per_dir:
        entries.append(("", 0))
    assert len(entries) == 2 * per_dir, "too many names for two directory sectors"

    def entry(index: int, name: str, kind: int) -> bytes:
        raw = name.encode("utf-16-le")
        nostream = 0xFFFFFFFF
        child = 1 if kind == 5 and len(names) else nostream
        right = index + 1 if kind == 2 and index < len(names) else nostream
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB3I", len(raw) + 2 if name else 0, kind, 1, nostream, right, child)
            + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", 0xFFFFFFFE, 0)
        )

    directory = b"".join(entry(i, n, k) for i, (n, k) in enumerate(entries))
    # Sector 0: FAT; sector 1: second half of the directory; sector 2: first half.
    fat = [0xFFFFFFFD, 0xFFFFFFFE, 1] + [0xFFFFFFFF] * (size // 4 - 3)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if sector_shift == 9 else 4, 0xFFFE, sector_shift, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 2, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    body = struct.pack(f"<{size // 4}I", *fat) + directory[size:] + directory[:size]
    path.write_bytes(bytes(header).ljust(size, b"\x00") + body)
    return path


# ------------------------------------------------------------------------------------------------
# Not a zip
# ------------------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(b"")
    assert "empty" in refused(path, "empty-file").message


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    path.write_text("id;device;answer\nDEV-1;Pompe à perfusion;OUI\n", encoding="utf-8")
    assert "CSV" in refused(path, "not-a-spreadsheet").message


def test_csv_in_windows_code_page(tmp_path: Path) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes("id;device\r\nDEV-1;Pompe à perfusion\r\n".encode("cp1252"))
    assert "CSV" in refused(path, "not-a-spreadsheet").message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "XML"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(100), "RAR"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(content)
    assert expected in refused(path, "not-a-spreadsheet").message


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(os.urandom(50_000))
    refused(path, "not-a-spreadsheet")


@pytest.mark.parametrize("name", [".", "missing.xlsx"])
def test_not_a_regular_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(Unreadable) as info:
        open_package(tmp_path / name)
    assert info.value.code == "cannot-read"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(Unreadable) as info:
        open_package(fifo)
    assert info.value.code == "cannot-read"
    assert time.monotonic() - start < 2


@pytest.mark.skipif(not hasattr(os, "O_NOATIME"), reason="no O_NOATIME here")
def test_access_time_untouched(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "Cardiologie.xlsx")
    if path.stat().st_uid != os.geteuid() and os.geteuid() != 0:
        pytest.skip("O_NOATIME needs to own the file")
    os.utime(path, ns=(1_000_000_000_000_000_000, path.stat().st_mtime_ns))  # atime before mtime
    before = path.stat()
    with open_package(path) as pkg:
        read_everything(pkg)
    after = path.stat()
    assert (after.st_atime_ns, after.st_mtime_ns, after.st_ctime_ns) == (
        before.st_atime_ns,
        before.st_mtime_ns,
        before.st_ctime_ns,
    )


# ------------------------------------------------------------------------------------------------
# Valid packages
# ------------------------------------------------------------------------------------------------


def test_xlsxwriter_workbook_is_accepted(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "Cardiologie.xlsx")
    before = snapshot(path)
    with open_package(path) as pkg:
        assert pkg.kind == "xlsx"
        assert pkg.workbook_part == "xl/workbook.xml"
        assert "xl/worksheets/sheet1.xml" in pkg.names
        read_everything(pkg)
        with pkg.open("xl/worksheets/sheet1.xml") as stream:
            tags = {el.tag.rsplit("}", 1)[-1] for _event, el in iterparse(stream, events=("start",))}
        assert {"worksheet", "dimension", "row", "c", "f", "sheetProtection"} <= tags
        assert pkg.read("xl/workbook.xml").startswith(b"<?xml")
    assert snapshot(path) == before


def test_recognised_by_bytes_not_by_name(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "returned.csv")
    with open_package(path) as pkg:
        assert pkg.kind == "xlsx"


def test_package_read_limits_and_missing_part(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "Cardiologie.xlsx", rows=200)
    with open_package(path) as pkg:
        size = pkg.size("xl/worksheets/sheet1.xml")
        assert len(pkg.read("xl/worksheets/sheet1.xml", max_bytes=size)) == size
        with pytest.raises(Unreadable) as info:
            pkg.read("xl/worksheets/sheet1.xml", max_bytes=size - 1)
        assert info.value.code == "too-large"
        with pytest.raises(Unreadable) as info:
            pkg.open("xl/worksheets/sheet99.xml")
        assert info.value.code == "truncated"
        # Streaming in small reads gives the same bytes.
        with pkg.open("xl/worksheets/sheet1.xml") as stream:
            chunks = iter(lambda: stream.read(777), b"")
            assert b"".join(chunks) == pkg.read("xl/worksheets/sheet1.xml")


def test_stored_members_are_read(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "stored.xlsx",
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": WORKBOOK},
        zipfile.ZIP_STORED,
    )
    with open_package(path) as pkg:
        assert pkg.read("xl/workbook.xml") == WORKBOOK


@pytest.fixture(scope="module")
def libreoffice_files(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One workbook converted by LibreOffice headless to .ods, .xlsx and .xls (Excel 97)."""
    src = make_xlsx(tmp_path_factory.mktemp("lo-src") / "Cardiologie.xlsx")
    out = tmp_path_factory.mktemp("lo-out")
    return {fmt: libreoffice.convert([src], out / fmt, fmt)[0] for fmt in ("ods", "xlsx", "xls")}


@pytest.mark.libreoffice
def test_libreoffice_ods_is_accepted(libreoffice_files: dict[str, Path]) -> None:
    path = libreoffice_files["ods"]
    before = snapshot(path)
    with open_package(path) as pkg:
        assert pkg.kind == "ods"
        assert pkg.workbook_part == "content.xml"
        read_everything(pkg)
    assert snapshot(path) == before


@pytest.mark.libreoffice
def test_libreoffice_xlsx_is_accepted(libreoffice_files: dict[str, Path]) -> None:
    with open_package(libreoffice_files["xlsx"]) as pkg:
        assert pkg.kind == "xlsx"
        read_everything(pkg)


@pytest.mark.libreoffice
def test_real_xls_is_legacy(libreoffice_files: dict[str, Path]) -> None:
    assert ".xlsx" in refused(libreoffice_files["xls"], "legacy-xls").message


# ------------------------------------------------------------------------------------------------
# Broken zips and foreign packages
# ------------------------------------------------------------------------------------------------


def test_truncated_at_half(tmp_path: Path) -> None:
    full = make_xlsx(tmp_path / "full.xlsx", rows=300).read_bytes()
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(full[: len(full) // 2])
    refused(path, "truncated")


def test_corrupted_member_fails_on_read(tmp_path: Path) -> None:
    data = bytearray(make_xlsx(tmp_path / "full.xlsx", rows=300).read_bytes())
    offset, length = data_span(bytes(data), "xl/worksheets/sheet1.xml")
    assert length > 200
    for i in range(offset + length // 2, offset + length // 2 + 8):
        data[i] ^= 0x5A
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(data)
    before = snapshot(path)
    # The directory is fine: the damage shows when the member is read, which the part inventory
    # (workbook.read.parts: every XML member is scanned for a DTD) does while opening.
    with pytest.raises(Unreadable) as info:
        open_package(path)
    assert info.value.code == "truncated" and "xl/worksheets/sheet1.xml" in info.value.message
    assert snapshot(path) == before


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "Word document"),
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "PowerPoint"),
        ("application/vnd.ms-excel.sheet.binary.macroEnabled.main", ".xlsb"),
        ("application/vnd.example.other+xml", "Office Open XML"),
    ],
)
def test_other_office_package_is_not_a_workbook(tmp_path: Path, content_type: str, expected: str) -> None:
    content_types = CONTENT_TYPES.replace(b"/xl/workbook.xml", b"/doc/main.xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", content_type.encode()
    )
    path = write_zip(
        tmp_path / "Cardiologie.xlsx", {"[Content_Types].xml": content_types, "doc/main.xml": b"<document/>"}
    )
    assert expected in refused(path, "not-a-workbook").message


def test_plain_zip_is_not_a_workbook(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "Cardiologie.xlsx", {"notes.txt": b"hello", "answers.txt": b"OUI"})
    assert "zip archive of 2 files" in refused(path, "not-a-workbook").message


def test_odt_is_not_a_workbook(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "Cardiologie.ods",
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"},
        zipfile.ZIP_STORED,
    )
    assert ".odt" in refused(path, "not-a-workbook").message


def test_password_protected_zip(tmp_path: Path) -> None:
    data = bytearray(write_zip(tmp_path / "a.zip", {"[Content_Types].xml": CONTENT_TYPES}).read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("[Content_Types].xml")
    data[info.header_offset + 6] |= 1  # general purpose flag: encrypted
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(data)
    refused(path, "encrypted")


# ------------------------------------------------------------------------------------------------
# Hostile zips
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An .xlsx-looking zip with one member of 1 GiB of zeros (about 5 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "Cardiologie.xlsx"
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(zeros)
    assert path.stat().st_size < 10 << 20
    return path


def test_zip_bomb_refused_before_inflating(zip_bomb: Path) -> None:
    start = time.monotonic()
    error = refused(zip_bomb, "too-large")
    assert time.monotonic() - start < 2
    assert "xl/worksheets/sheet1.xml" in error.message and "1.0 GiB" in error.message


def test_compression_ratio_refused(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "Cardiologie.xlsx",
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": WORKBOOK, "xl/big.xml": bytes(20 << 20)},
    )
    assert "times" in refused(path, "too-large").message


def test_total_and_member_size_limits(tmp_path: Path) -> None:
    members = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": WORKBOOK}
    members.update({f"xl/part{i}.xml": os.urandom(100_000) for i in range(3)})
    path = write_zip(tmp_path / "Cardiologie.xlsx", members)
    with open_package(path):
        pass
    assert "in all" in refused(path, "too-large", Limits(max_total_bytes=250_000)).message
    assert "would inflate to" in refused(path, "too-large", Limits(max_member_bytes=99_999)).message
    assert "on disk" in refused(path, "too-large", Limits(max_file_bytes=100_000)).message


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "Cardiologie.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        for i in range(20_000):
            zf.writestr(f"xl/media/{i}.txt", b"x")
    start = time.monotonic()
    assert "20,002 parts" in refused(path, "too-large").message
    assert time.monotonic() - start < 2


def test_member_larger_than_declared(tmp_path: Path) -> None:
    """A header declaring 1,000 bytes (with the CRC of those) over 200,000: reading stops and raises."""
    actual = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, i) for i in range(8000))[:200_000]
    src = write_zip(
        tmp_path / "src.xlsx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": WORKBOOK,
            "xl/worksheets/sheet1.xml": actual,
        },
    )
    data = bytearray(src.read_bytes())
    patch_headers(data, "xl/worksheets/sheet1.xml", crc=zlib.crc32(actual[:1000]), file_size=1000)
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(data)
    before = snapshot(path)
    with pytest.raises(Unreadable) as info:  # read while opening: every XML member is scanned
        open_package(path)
    assert info.value.code == "truncated" and "more data" in info.value.message
    assert snapshot(path) == before


def test_member_smaller_than_declared(tmp_path: Path) -> None:
    actual = b"<sheet/>" * 100
    src = write_zip(
        tmp_path / "src.xlsx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": WORKBOOK,
            "xl/worksheets/sheet1.xml": actual,
        },
    )
    data = bytearray(src.read_bytes())
    patch_headers(data, "xl/worksheets/sheet1.xml", crc=zlib.crc32(actual), file_size=5000)
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(data)
    assert "less data" in refused(path, "truncated", read=True).message


def test_billion_laughs_in_content_types(tmp_path: Path) -> None:
    hostile = BILLION_LAUGHS.replace(b"<worksheet", b"<Types").replace(b"</worksheet>", b"</Types>")
    path = write_zip(
        tmp_path / "Cardiologie.xlsx", {"[Content_Types].xml": hostile, "xl/workbook.xml": WORKBOOK}
    )
    start = time.monotonic()
    assert "[Content_Types].xml" in refused(path, "hostile-xml").message
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(
    "sheet",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet>&e;</worksheet>',
        b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://127.0.0.1/x.dtd"><worksheet/>',
    ],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_hostile_sheet_xml(tmp_path: Path, sheet: bytes) -> None:
    path = write_zip(
        tmp_path / "Cardiologie.xlsx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": WORKBOOK,
            "xl/worksheets/sheet1.xml": sheet,
        },
    )
    assert "xl/worksheets/sheet1.xml" in refused(path, "hostile-xml", read=True).message


def test_malformed_xml(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "Cardiologie.xlsx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": WORKBOOK,
            "xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>",
        },
    )
    refused(path, "malformed-xml", read=True)


def test_huge_dimension_refused_while_streaming(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "src.xlsx")
    with zipfile.ZipFile(src) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:D20"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert b"XFD1048576" in sheet
    path = rezip(src, tmp_path / "Cardiologie.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    before = snapshot(path)
    with (
        open_package(path) as pkg,
        pkg.open("xl/worksheets/sheet1.xml") as stream,
        pytest.raises(Unreadable) as info,
    ):
        for event, el in iterparse(stream, events=("start",)):
            if event == "start" and el.tag.endswith("}dimension"):
                check_dimension(el.get("ref", ""))
    assert info.value.code == "too-large"
    assert "1,048,576 rows" in info.value.message
    assert snapshot(path) == before


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("A1:XFD1048576", False),
        ("A1:B200001", False),
        ("A1:BXY10", False),  # 2,001 columns
        ("A1:BXX10", True),  # 2,000 columns
        ("A1:BE28", True),
        ("$A$1:$E$200000", True),
        ("C7", True),
        ("b2:a1", True),
        ("not a reference", True),  # only a hint: ignored
        ("", True),
    ],
)
def test_check_dimension(ref: str, ok: bool) -> None:
    if ok:
        check_dimension(ref)
    else:
        with pytest.raises(Unreadable) as info:
            check_dimension(ref)
        assert info.value.code == "too-large"


def test_check_extent_and_custom_limits() -> None:
    check_extent(200_000, 25)
    check_extent(2_500, 2_000)
    for rows, columns in ((200_001, 1), (1, 2_001), (200_000, 26)):
        with pytest.raises(Unreadable):
            check_extent(rows, columns)
    with pytest.raises(Unreadable):
        check_dimension("A1:A11", Limits(max_rows=10))


# ------------------------------------------------------------------------------------------------
# OLE2 compound files: .xls and workbooks encrypted with a password to open
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shift", [9, 12])
def test_ole_encrypted(tmp_path: Path, shift: int) -> None:
    path = make_ole(tmp_path / "Cardiologie.xlsx", ["EncryptionInfo", "EncryptedPackage"], shift)
    error = refused(path, "encrypted")
    assert "password to open" in error.message and "sheet protection" in error.message


def test_ole_workbook_is_legacy_xls(tmp_path: Path) -> None:
    path = make_ole(tmp_path / "Cardiologie.xlsx", ["\x05SummaryInformation", "Workbook"])
    refused(path, "legacy-xls")


def test_ole_names_found_in_second_directory_sector(tmp_path: Path) -> None:
    fillers = [f"Stream{i}" for i in range(5)]  # Root + 5 fill the first 512-byte directory sector
    refused(make_ole(tmp_path / "a.xlsx", [*fillers, "Book"]), "legacy-xls")


def test_ole_other_document(tmp_path: Path) -> None:
    path = make_ole(tmp_path / "Cardiologie.xlsx", ["WordDocument", "1Table"])
    refused(path, "not-a-spreadsheet")


def test_ole_damaged(tmp_path: Path) -> None:
    good = make_ole(tmp_path / "good.xlsx", ["EncryptionInfo", "EncryptedPackage"]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[:512])
    refused(cut, "truncated")
    # A broken sector size: the stream names are still found in the first bytes.
    bad = bytearray(good)
    struct.pack_into("<H", bad, 0x1E, 33)
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bad)
    refused(path, "encrypted")
    # A directory chain that loops on itself.
    loop = bytearray(good)
    struct.pack_into("<I", loop, 512 + 4, 2)  # FAT[1] -> 2, and FAT[2] -> 1
    path.write_bytes(loop)
    refused(path, "encrypted")


def test_real_encrypted_xlsx(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = make_xlsx(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as f:
        ooxml.OOXMLFile(f).encrypt("open-sesame", out)
    path = tmp_path / "Cardiologie.xlsx"
    path.write_bytes(out.getvalue())
    refused(path, "encrypted")


# ------------------------------------------------------------------------------------------------
# Fuzzing: mutated bytes and mutated XML never raise anything but Unreadable, and finish fast
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_xlsx(tmp_path_factory.mktemp("fuzz") / "small.xlsx", rows=5).read_bytes()


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cases")


def open_and_read_all(path: Path) -> None:
    before = snapshot(path)
    try:
        with open_package(path) as pkg:
            read_everything(pkg)
    except Unreadable as exc:
        assert exc.code and exc.message
    assert snapshot(path) == before


@settings(
    max_examples=300,
    deadline=timedelta(seconds=10),  # a hang guard on a loaded machine, not a speed claim
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutations=st.lists(
        st.tuples(st.booleans(), st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_bytes(
    small_xlsx: bytes, fuzz_dir: Path, mutations: list[tuple[bool, float, int]], cut: float | None
) -> None:
    """Byte mutations anywhere, or in the last quarter where the zip directory lies."""
    data = bytearray(small_xlsx)
    for in_directory, where, value in mutations:
        start = len(data) * 3 // 4 if in_directory else 0
        data[start + int(where * (len(data) - start))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = fuzz_dir / "mutated.xlsx"
    path.write_bytes(data)
    open_and_read_all(path)


@settings(
    max_examples=150,
    deadline=timedelta(seconds=10),  # a hang guard on a loaded machine, not a speed claim
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    member=st.sampled_from(
        ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]
    ),
    mutations=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(list(b'<>/="&;!?[]x\x00\xff '))),
        min_size=1,
        max_size=5,
    ),
)
def test_fuzz_xml(small_xlsx: bytes, fuzz_dir: Path, member: str, mutations: list[tuple[float, int]]) -> None:
    src = fuzz_dir / "src.xlsx"
    src.write_bytes(small_xlsx)
    with zipfile.ZipFile(src) as zf:
        xml = bytearray(zf.read(member))
    for where, value in mutations:
        xml[int(where * len(xml))] = value
    open_and_read_all(rezip(src, fuzz_dir / "mutated-xml.xlsx", {member: bytes(xml)}))
