"""Open a returned workbook safely: recognise it by its bytes, refuse broken and hostile files.

This is the first thing the reader of returned workbooks calls on each file, before any parser
touches it. :func:`open_package` never writes to the file (it is opened read-only, without
updating its access time where the system allows), reads a bounded number of bytes to recognise
it, and checks the zip central directory against :class:`Limits` before inflating anything.
Every failure is an :class:`Unreadable` with a stable code and a message saying what to do.

Codes: ``empty-file``, ``not-a-spreadsheet``, ``legacy-xls``, ``encrypted``, ``truncated``,
``not-a-workbook``, ``too-large``, ``hostile-xml``, ``malformed-xml`` and ``cannot-read`` (the
file cannot be opened at all: missing, a folder, no permission); then every member is sorted by
:mod:`medrisk_xl.workbook.parts`, which refuses active content (``active-content``,
``external-link``) and a DTD in any XML member.

A :class:`Package` is not thread-safe: use one per thread or process.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from medrisk_xl.workbook.parts import Inventory, inspect_package
from medrisk_xl.workbook.safe_xml import AGAIN as _AGAIN
from medrisk_xl.workbook.safe_xml import Unreadable, hostile_xml, iterparse

__all__ = ["DEFAULT_LIMITS", "Limits", "Package", "Unreadable", "hostile_xml", "iterparse", "open_package"]


MiB = 1 << 20
GiB = 1 << 30


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

Kind = Literal["xlsx", "ods"]


def _damaged(detail: str) -> Unreadable:
    return Unreadable(
        "truncated",
        f"The file is damaged or incomplete ({detail}); it was probably cut while being sent or saved. "
        + _AGAIN,
    )


def _too_large(detail: str) -> Unreadable:
    return Unreadable(
        "too-large",
        f"The file is too large to check safely ({detail}). A workbook returned by a department is "
        "far smaller: it may hold far more than the form, or be built to exhaust the computer "
        "(a 'zip bomb'). Do not open it; ask the department to send the workbook itself, saved again "
        "as .xlsx from Excel or LibreOffice.",
    )


def _not_spreadsheet(what: str) -> Unreadable:
    return Unreadable(
        "not-a-spreadsheet",
        f"The file is not a spreadsheet: it looks like {what}. Ask the department to send the workbook "
        "they received, filled in and saved as .xlsx from Excel or LibreOffice.",
    )


def _not_workbook(what: str) -> Unreadable:
    return Unreadable(
        "not-a-workbook",
        f"The file is {what}, not a spreadsheet workbook. Ask the department to send the workbook "
        "itself, saved as .xlsx from Excel or LibreOffice.",
    )


def _human(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Opening the file read-only
# --------------------------------------------------------------------------------------------


def _io_error(exc: OSError) -> Unreadable:
    return Unreadable(
        "cannot-read",
        f"The file cannot be read ({exc.strerror or exc}). Check that it exists and that you may read it.",
    )


def _open_readonly(path: Path) -> BinaryIO:
    """Open ``path`` read-only, not following into FIFOs or devices, without touching atime."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    noatime = getattr(os, "O_NOATIME", 0)
    try:
        try:
            fd = os.open(path, flags | noatime)
        except PermissionError:  # O_NOATIME needs to own the file
            if not noatime:
                raise
            fd = os.open(path, flags)
    except OSError as exc:
        raise _io_error(exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("cannot-read", "This is not a regular file (a folder, a pipe or a device).")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --------------------------------------------------------------------------------------------
# Recognising what is not a zip
# --------------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HEAD = 8192

_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract the workbook from it first)"),
    (b"Rar!\x1a\x07", "a RAR archive (extract the workbook from it first)"),
    (b"\x1f\x8b", "a gzip archive (extract the workbook from it first)"),
)


def _describe(head: bytes) -> str:
    """A short description of a file that is neither a zip nor an OLE2 file."""
    for magic, what in _BINARY_MAGICS:
        if head.startswith(magic):
            return what
    text = _as_text(head)
    if text is None:
        return "unknown binary data"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered[:1024]:
        return "an HTML page (a sheet saved as a web page, or a page saved from a browser)"
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            return "an Excel 2003 XML spreadsheet"
        return "an XML file"
    return "CSV or plain text (a sheet exported as text, perhaps renamed .xlsx)"


def _as_text(head: bytes) -> str | None:
    """``head`` decoded when it looks like text (UTF-8, UTF-16 with BOM or a single-byte code page)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].decode("utf-16-le" if head[:1] == b"\xff" else "utf-16-be", errors="replace")
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="ignore") if _mostly_utf8(head) else head.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return text if controls <= len(text) // 100 else None


def _mostly_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


# OLE2 compound file (MS-CFB): just enough to list the names in its directory.
_OLE_ENDOFCHAIN = 0xFFFFFFFE
_OLE_MAXREGSECT = 0xFFFFFFFA
_OLE_MAX_DIR_SECTORS = 1024
_OLE_MAX_DIFAT_SECTORS = 1024
_OLE_SCAN_BYTES = 1 * MiB


class _OleError(Exception):
    pass


def _ole_names(fp: BinaryIO, size: int) -> set[str]:
    """Names of the storages and streams in an OLE2 directory (bounded reads; :class:`_OleError`)."""
    fp.seek(0)
    header = fp.read(512)
    if len(header) < 512:
        raise _OleError("header cut short")
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise _OleError(f"sector shift {shift}")
    sector = 1 << shift
    first_dir, _transaction, _cutoff, _minifat, _nminifat, first_difat, n_difat = struct.unpack_from(
        "<7I", header, 0x30
    )
    header_difat = struct.unpack_from("<109I", header, 0x4C)
    per_sector = sector // 4

    def read_sector(sid: int) -> bytes:
        offset = (sid + 1) * sector
        if sid > _OLE_MAXREGSECT or offset + sector > size:
            raise _OleError(f"sector {sid} outside the file")
        fp.seek(offset)
        data = fp.read(sector)
        if len(data) < sector:
            raise _OleError(f"sector {sid} cut short")
        return data

    difat_cache: list[int] = []

    def fat_sector(index: int) -> int:
        if index < 109:
            return header_difat[index]
        index -= 109
        sid, seen = first_difat, 0
        while len(difat_cache) <= index:
            if seen >= min(n_difat, _OLE_MAX_DIFAT_SECTORS):
                raise _OleError("FAT index beyond the DIFAT")
            entries = struct.unpack(f"<{per_sector}I", read_sector(sid))
            difat_cache.extend(entries[:-1])
            sid, seen = entries[-1], seen + 1
        return difat_cache[index]

    def next_sector(sid: int) -> int:
        data = read_sector(fat_sector(sid // per_sector))
        return struct.unpack_from("<I", data, (sid % per_sector) * 4)[0]

    names: set[str] = set()
    sid, visited = first_dir, set()
    while sid != _OLE_ENDOFCHAIN:
        if sid in visited or len(visited) >= _OLE_MAX_DIR_SECTORS:
            raise _OleError("directory chain loops or is too long")
        visited.add(sid)
        data = read_sector(sid)
        for offset in range(0, sector, 128):
            name_len, kind = struct.unpack_from("<HB", data, offset + 64)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(data[offset : offset + name_len - 2].decode("utf-16-le", errors="replace"))
        sid = next_sector(sid)
    return names


_OLE_ENCRYPTED = ("encryptioninfo", "encryptedpackage")
_OLE_WORKBOOK = ("workbook", "book")


def _classify_ole(fp: BinaryIO, size: int) -> Unreadable:
    """The :class:`Unreadable` for an OLE2 compound file (never accepted)."""
    try:
        names = {name.lower() for name in _ole_names(fp, size)}
    except (_OleError, struct.error, OSError) as exc:
        # A damaged directory: fall back on the UTF-16LE names in the first bytes.
        fp.seek(0)
        head = fp.read(_OLE_SCAN_BYTES).lower()
        names = {n for n in (*_OLE_ENCRYPTED, *_OLE_WORKBOOK) if n.encode("utf-16-le") + b"\x00\x00" in head}
        if not names:
            return _damaged(f"old Office file with an unreadable directory: {exc}")
    if any(n in names for n in _OLE_ENCRYPTED):
        return Unreadable(
            "encrypted",
            "The workbook is protected by a password to open, so it cannot be read. Ask the department "
            "to remove that password (Excel: File > Info > Protect Workbook > Encrypt with Password, "
            "empty it; LibreOffice: File > Save As, untick 'Save with password') and send it again. "
            "The sheet protection password is fine and can stay.",
        )
    if any(n in names for n in _OLE_WORKBOOK):
        return Unreadable(
            "legacy-xls",
            "The file is an old Excel 97-2003 workbook (.xls), which cannot be checked. Ask the "
            "department to open it and save it as .xlsx (Excel Workbook) from Excel or LibreOffice.",
        )
    return _not_spreadsheet("an old-format Office document (Word, PowerPoint or Outlook?)")


# --------------------------------------------------------------------------------------------
# The zip package
# --------------------------------------------------------------------------------------------

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_KINDS = {
    "text": "an OpenDocument text document (.odt)",
    "presentation": "an OpenDocument presentation (.odp)",
    "graphics": "an OpenDocument drawing (.odg)",
}
_XLSX_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    }
)
_XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_OOXML_OTHERS = {"wordprocessingml": "a Word document", "presentationml": "a PowerPoint presentation"}
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 16 * MiB
_CHUNK = 64 * 1024


def _check_central_directory(fp: BinaryIO, size: int, limits: Limits) -> None:
    """Refuse a central directory with too many entries before :mod:`zipfile` parses it."""
    tail_len = min(size, 22 + 65535)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise _damaged("the zip directory at the end of the file is missing")
    entries, cd_size = struct.unpack_from("<HI", tail, at + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20:
        locator = tail[at - 20 : at]
        if locator[:4] == b"PK\x06\x07":
            fp.seek(struct.unpack_from("<Q", locator, 8)[0])
            record = fp.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", record, 32)
    if entries > limits.max_members:
        raise _too_large(f"{entries:,} parts, the limit is {limits.max_members:,}")
    if cd_size > limits.max_members * 1024:
        raise _too_large(f"a {_human(cd_size)} zip directory")


def _check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse what would inflate past the limits, from the central directory alone."""
    if len(infos) > limits.max_members:
        raise _too_large(f"{len(infos):,} parts, the limit is {limits.max_members:,}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise _damaged(f"the part {name} appears twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise Unreadable(
                "encrypted",
                "The file is a password-protected zip, which cannot be read. Ask the department to send "
                "the workbook without a password to open, saved as .xlsx from Excel or LibreOffice.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_workbook(
                f"a zip compressed with method {info.compress_type}, which Excel and LibreOffice never use"
            )
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _damaged(f"the part {name} has inconsistent sizes")
        if info.file_size > limits.max_member_bytes:
            raise _too_large(
                f"the part {name} would inflate to {_human(info.file_size)}, "
                f"the limit is {_human(limits.max_member_bytes)}"
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _too_large(
                f"the part {name} would inflate {ratio:,.0f} times, to {_human(info.file_size)}; "
                f"the limit is {limits.max_ratio:,.0f} times"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _too_large(f"its parts would inflate to more than {_human(limits.max_total_bytes)} in all")


class _MemberStream(io.RawIOBase):
    """One zip member, inflated in chunks, refused past its declared size or on a CRC mismatch."""

    def __init__(self, fp: BinaryIO, info: zipfile.ZipInfo, data_offset: int) -> None:
        super().__init__()
        self.name = info.filename
        self._fp = fp
        self._info = info
        self._raw_pos = data_offset
        self._raw_left = info.compress_size
        self._z = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        self._out = 0
        self._crc = 0
        self._done = False
        self._error: Unreadable | None = None

    def readable(self) -> bool:
        return True

    def _raw(self, n: int) -> bytes:
        try:
            self._fp.seek(self._raw_pos)
            data = self._fp.read(min(n, self._raw_left))
        except OSError as exc:
            raise _io_error(exc) from None
        if not data:
            raise _damaged(f"the part {self.name} is cut short")
        self._raw_pos += len(data)
        self._raw_left -= len(data)
        return data

    def _produce(self, n: int) -> bytes:
        """Up to ``n`` (> 0) more bytes; b"" at the end, after the size and CRC are checked."""
        if self._error is not None:
            raise self._error
        try:
            return self._inflate(n)
        except Unreadable as exc:
            self._error = exc  # a damaged part stays damaged for later reads
            raise

    def _inflate(self, n: int) -> bytes:
        while not self._done:
            if self._z is None:
                out = self._raw(n) if self._raw_left else b""
            elif self._z.eof:
                out = b""
            else:
                tail = self._z.unconsumed_tail
                src = tail or (self._raw(_CHUNK) if self._raw_left else b"")
                try:
                    out = self._z.decompress(src, n)
                except zlib.error as exc:
                    raise _damaged(f"the part {self.name} cannot be inflated: {exc}") from None
                if not out and not self._z.eof:
                    if not src or (tail and self._z.unconsumed_tail == tail):
                        raise _damaged(f"the compressed data of the part {self.name} ends early")
                    continue
            if not out:
                self._finish()
                return b""
            self._out += len(out)
            if self._out > self._info.file_size:
                raise _damaged(f"the part {self.name} holds more data than its header declares")
            self._crc = zlib.crc32(out, self._crc)
            return out
        return b""

    def _finish(self) -> None:
        self._done = True
        if self._out != self._info.file_size:
            raise _damaged(f"the part {self.name} holds less data than its header declares")
        if self._crc != self._info.CRC:
            raise _damaged(f"the part {self.name} fails its CRC check")

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if not len(view):
            return 0
        data = self._produce(len(view))
        view[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._produce(size) if size else b""
        return self.readall()

    def readall(self) -> bytes:
        parts = bytearray()
        while chunk := self._produce(4 * _CHUNK):
            parts += chunk
        return bytes(parts)


class Package:
    """An opened .xlsx/.xlsm or .ods zip package whose central directory passed the limits."""

    def __init__(self, path: Path, fp: BinaryIO, zf: zipfile.ZipFile, size: int, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self._fp = fp
        self._zip = zf
        self._size = size
        self._infos = {info.filename: info for info in zf.infolist()}
        self.names: tuple[str, ...] = tuple(self._infos)
        self.kind: Kind = "xlsx"
        self.workbook_part = ""
        self.inventory: Inventory | None = None  # set by open_package (see workbook.parts)

    def file(self) -> BinaryIO:
        """The whole file, rewound (opened read-only): for a reader that parses the package itself."""
        self._fp.seek(0)
        return self._fp

    def open(self, name: str) -> BinaryIO:
        """A file object streaming the member ``name``; reading it raises :class:`Unreadable`
        (``truncated``) past its declared size, on a CRC error or on corrupt data."""
        info = self._infos.get(name)
        if info is None:
            raise _damaged(f"the part {name} is missing")
        if not 0 <= info.header_offset <= self._size - 30:
            raise _damaged(f"the part {name} points outside the file")
        try:
            self._fp.seek(info.header_offset)
            local = self._fp.read(30)
        except OSError as exc:
            raise _io_error(exc) from None
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise _damaged(f"the local header of the part {name} is missing")
        name_len, extra_len = struct.unpack_from("<HH", local, 26)
        data_offset = info.header_offset + 30 + name_len + extra_len
        if data_offset + info.compress_size > self._size:
            raise _damaged(f"the part {name} is cut short")
        return io.BufferedReader(_MemberStream(self._fp, info, data_offset), buffer_size=_CHUNK)

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The inflated bytes of member ``name``; ``too-large`` when it declares more than ``max_bytes``."""
        info = self._infos.get(name)
        if info is not None and max_bytes is not None and info.file_size > max_bytes:
            raise _too_large(
                f"the part {name} holds {_human(info.file_size)}, the limit is {_human(max_bytes)}"
            )
        with self.open(name) as stream:
            return stream.read()

    def size(self, name: str) -> int:
        """The uncompressed size that member ``name`` declares (already within the limits)."""
        return self._infos[name].file_size

    def close(self) -> None:
        """Close the file."""
        self._zip.close()
        self._fp.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Package({str(self.path)!r}, kind={self.kind!r}, {len(self.names)} parts)"


def _identify(package: Package) -> None:
    """Set ``kind`` and ``workbook_part``, or raise ``not-a-workbook``."""
    names = set(package.names)
    if "mimetype" in names:
        mimetype = package.read("mimetype", max_bytes=256) if package.size("mimetype") <= 256 else b""
        mimetype = mimetype.strip()
        if mimetype == _ODS_MIMETYPE or mimetype == _ODS_MIMETYPE + b"-template":
            if "content.xml" not in names:
                raise _damaged("the spreadsheet's content.xml is missing")
            package.kind, package.workbook_part = "ods", "content.xml"
            return
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            kind = mimetype.rsplit(b".", 1)[-1].decode("ascii", errors="replace")
            raise _not_workbook(_ODF_KINDS.get(kind, "an OpenDocument file that is not a spreadsheet"))
    if _CONTENT_TYPES in names:
        part = _ooxml_workbook_part(package)
        if part not in names:
            raise _damaged(f"the workbook part {part} is missing")
        package.kind, package.workbook_part = "xlsx", part
        return
    count = len(package.names)
    raise _not_workbook(
        f"a zip archive of {count} file{'s' if count != 1 else ''} (if the workbook is inside, "
        "extract it and check the .xlsx itself)"
    )


def _ooxml_workbook_part(package: Package) -> str:
    """The workbook part named by ``[Content_Types].xml`` (as openpyxl finds it)."""
    if package.size(_CONTENT_TYPES) > _CONTENT_TYPES_MAX:
        raise _too_large(f"its {_CONTENT_TYPES} holds {_human(package.size(_CONTENT_TYPES))}")
    overrides: dict[str, str] = {}
    defaults: set[str] = set()
    with package.open(_CONTENT_TYPES) as stream:
        for _event, el in iterparse(stream, events=("end",)):
            local = el.tag.rsplit("}", 1)[-1]
            if local == "Override":
                overrides[el.get("ContentType", "").strip()] = el.get("PartName", "")
            elif local == "Default":
                defaults.add(el.get("ContentType", "").strip())
            el.clear()
    for content_type, part in overrides.items():
        if content_type in _XLSX_MAIN_TYPES:
            return part.lstrip("/")
    if defaults & _XLSX_MAIN_TYPES:
        return "xl/workbook.xml"
    if _XLSB_TYPE in overrides:
        raise Unreadable(
            "not-a-workbook",
            "The file is an Excel binary workbook (.xlsb), which cannot be checked. Ask the department "
            "to save it as .xlsx (Excel Workbook) from Excel and send it again.",
        )
    for content_type in (*overrides, *defaults):
        for marker, what in _OOXML_OTHERS.items():
            if marker in content_type:
                raise _not_workbook(what)
    raise _not_workbook("an Office Open XML package that holds no workbook")


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    struct.error,
    NotImplementedError,
    IndexError,
    KeyError,
    OverflowError,
)


def open_package(path: Path, limits: Limits = DEFAULT_LIMITS, *, refuse_active: bool = True) -> Package:
    """Open ``path`` as an .xlsx/.xlsm or .ods package, recognised by its bytes, not its name.

    Raises :class:`Unreadable` for anything else, or for a package that breaks ``limits``.
    Active or outward-pointing content is refused (a return must never carry it); with
    ``refuse_active=False`` (the engineer's own CMMS export, read for its values only) it is
    listed in ``package.inventory.active`` instead. A DTD is refused in every case.
    The file is only ever read; close the package (or use it as a context manager) when done.
    """
    path = Path(path)
    fp = _open_readonly(path)
    try:
        size = os.fstat(fp.fileno()).st_size
        if size == 0:
            raise Unreadable(
                "empty-file",
                "The file is empty (0 bytes): it was not saved or not attached completely. "
                "Ask the department to send the workbook again.",
            )
        head = fp.read(_HEAD)
        if head.startswith(_OLE_MAGIC):
            raise _classify_ole(fp, size)
        if not head.startswith(_ZIP_MAGICS):
            raise _not_spreadsheet(_describe(head))
        if size > limits.max_file_bytes:
            raise _too_large(f"{_human(size)} on disk, the limit is {_human(limits.max_file_bytes)}")
        try:
            _check_central_directory(fp, size, limits)
            zf = zipfile.ZipFile(fp)
        except Unreadable:
            raise
        except _ZIP_ERRORS as exc:
            raise _damaged(f"its zip directory cannot be read: {exc}") from None
        package = Package(path, fp, zf, size, limits)
        try:
            _check_members(zf.infolist(), limits)
            _identify(package)
            package.inventory = inspect_package(package, refuse_active=refuse_active)
        except BaseException:
            zf.close()
            raise
        return package
    except OSError as exc:  # the zip's own errors are handled above: this is the disk
        fp.close()
        raise _io_error(exc) from None
    except BaseException:
        fp.close()
        raise


def looks_like(head: bytes) -> Literal["zip", "ole", "other"]:
    """What the first bytes of a file say it is: a zip package, an OLE2 compound file, or other."""
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    return "ole" if head.startswith(_OLE_MAGIC) else "other"


def open_legacy_xls(path: Path, limits: Limits = DEFAULT_LIMITS) -> BinaryIO:
    """Open an Excel 97-2003 workbook (.xls, OLE2) read-only, for a reader that accepts one.

    Returns do not (they are refused as ``legacy-xls``), but a CMMS inventory often is one. Only
    the file size can be bounded before a parser runs (the format bounds a sheet to 65,536 rows
    by 256 columns); an encrypted or other OLE2 file raises :class:`Unreadable`.
    """
    fp = _open_readonly(Path(path))
    try:
        size = os.fstat(fp.fileno()).st_size
        head = fp.read(_HEAD)
        if not head.startswith(_OLE_MAGIC):
            raise _not_spreadsheet(_describe(head))
        if size > limits.max_file_bytes:
            raise _too_large(f"{_human(size)} on disk, the limit is {_human(limits.max_file_bytes)}")
        found = _classify_ole(fp, size)
        if found.code != "legacy-xls":
            raise found
        fp.seek(0)
        return fp
    except OSError as exc:
        fp.close()
        raise _io_error(exc) from None
    except BaseException:
        fp.close()
        raise


# --------------------------------------------------------------------------------------------
# XML and sheet extent
# --------------------------------------------------------------------------------------------


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def check_extent(rows: int, columns: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``too-large`` when a sheet's used range spans more than the limits allow.

    Count only rows and columns that hold something: an .ods repeats empty rows to the end of the sheet.
    """
    if rows > limits.max_rows or columns > limits.max_columns:
        raise _too_large(
            f"a sheet spans {rows:,} rows and {columns:,} columns, the limit is "
            f"{limits.max_rows:,} rows and {limits.max_columns:,} columns"
        )
    if rows * columns > limits.max_cells:
        raise _too_large(
            f"a sheet spans {rows:,} rows by {columns:,} columns, more than {limits.max_cells:,} cells"
        )


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
    columns = abs(_column_number(col2) - _column_number(col1)) + 1
    check_extent(rows, columns, limits)
