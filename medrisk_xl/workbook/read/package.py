"""An opened zip package (.xlsx/.xlsm or .ods): its members, streamed within the limits, and its kind."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Literal

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook.read.limits import Limits
from medrisk_xl.workbook.read.member_stream import CHUNK_BYTES, MemberStream
from medrisk_xl.workbook.read.part_findings import Inventory
from medrisk_xl.workbook.read.refusals import MiB, damaged, human_size, io_error, not_workbook, too_large
from medrisk_xl.workbook.read.safe_xml import Unreadable, iterparse

Kind = Literal["xlsx", "ods"]

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_KINDS = ("text", "presentation", "graphics")  # said by templates open.what.odf-<kind>
_XLSX_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    }
)
_XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_OOXML_OTHERS = {"wordprocessingml": "word", "presentationml": "powerpoint"}  # open.what.<name>
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 16 * MiB
# A member read whole is kept, up to these sizes, so that the scan of every member (workbook.read.
# parts) and the readers that follow inflate each part once: a return's parts are a few kB each.
KEEP_MEMBER_BYTES = 8 * MiB
KEEP_TOTAL_BYTES = 64 * MiB


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
        self.inventory: Inventory | None = None  # set by open_package (see workbook.read.parts)
        self._kept: dict[str, bytes] = {}  # members read whole, inflated (see KEEP_MEMBER_BYTES)
        self._kept_bytes = 0

    def file(self) -> BinaryIO:
        """The whole file, rewound (opened read-only): for a reader that parses the package itself."""
        self._fp.seek(0)
        return self._fp

    def open(self, name: str) -> BinaryIO:
        """A file object streaming the member ``name``; reading it raises :class:`Unreadable`
        (``truncated``) past its declared size, on a CRC error or on corrupt data."""
        kept = self._kept.get(name)
        if kept is not None:
            return io.BytesIO(kept)
        info, data_offset = self._locate(name)
        return io.BufferedReader(MemberStream(self._fp, info, data_offset), buffer_size=CHUNK_BYTES)

    def _locate(self, name: str) -> tuple[zipfile.ZipInfo, int]:
        """Member ``name`` and where its data starts, checked within the file."""
        info = self._infos.get(name)
        if info is None:
            raise damaged("part-missing", part=name)
        if not 0 <= info.header_offset <= self._size - 30:
            raise damaged("part-outside", part=name)
        try:
            self._fp.seek(info.header_offset)
            local = self._fp.read(30)
        except OSError as exc:
            raise io_error(exc) from None
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise damaged("header-missing", part=name)
        name_len, extra_len = struct.unpack_from("<HH", local, 26)
        data_offset = info.header_offset + 30 + name_len + extra_len
        if data_offset + info.compress_size > self._size:
            raise damaged("part-cut", part=name)
        return info, data_offset

    def _inflate_whole(self, name: str) -> bytes:
        """A small member inflated in one call (what :class:`MemberStream` checks, checked at once:
        a streamed read of each small part cost twice as much)."""
        info, data_offset = self._locate(name)
        try:
            self._fp.seek(data_offset)
            raw = self._fp.read(info.compress_size)
        except OSError as exc:
            raise io_error(exc) from None
        if len(raw) < info.compress_size:
            raise damaged("part-cut", part=name)
        data = raw
        if info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            try:
                data = inflater.decompress(raw, info.file_size + 1)
            except zlib.error as exc:
                raise damaged("part-inflate", part=name, error=str(exc)) from None
            if len(data) > info.file_size:
                raise damaged("part-more", part=name)
            if not inflater.eof:
                raise damaged("part-ends-early", part=name)
        if len(data) != info.file_size:
            raise damaged("part-less", part=name)
        if zlib.crc32(data) != info.CRC:
            raise damaged("part-crc", part=name)
        return data

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The inflated bytes of member ``name``; ``too-large`` when it declares more than ``max_bytes``."""
        info = self._infos.get(name)
        if info is not None and max_bytes is not None and info.file_size > max_bytes:
            raise too_large(
                "part-size", part=name, size=human_size(info.file_size), limit=human_size(max_bytes)
            )
        kept = self._kept.get(name)
        if kept is not None:
            return kept
        if info is not None and info.file_size <= KEEP_MEMBER_BYTES:
            data = self._inflate_whole(name)
        else:
            with self.open(name) as stream:
                data = stream.read()
        if len(data) <= KEEP_MEMBER_BYTES and self._kept_bytes + len(data) <= KEEP_TOTAL_BYTES:
            self._kept[name] = data
            self._kept_bytes += len(data)
        return data

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


def identify_kind(package: Package) -> None:
    """Set ``kind`` and ``workbook_part``, or raise ``not-a-workbook``."""
    names = set(package.names)
    if "mimetype" in names:
        mimetype = package.read("mimetype", max_bytes=256) if package.size("mimetype") <= 256 else b""
        mimetype = mimetype.strip()
        if mimetype == _ODS_MIMETYPE or mimetype == _ODS_MIMETYPE + b"-template":
            if "content.xml" not in names:
                raise damaged("content-missing")
            package.kind, package.workbook_part = "ods", "content.xml"
            return
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            kind = mimetype.rsplit(b".", 1)[-1].decode("ascii", errors="replace")
            raise not_workbook(msg(f"open.what.odf-{kind if kind in _ODF_KINDS else 'other'}"))
    if _CONTENT_TYPES in names:
        part = _ooxml_workbook_part(package)
        if part not in names:
            raise damaged("workbook-part-missing", part=part)
        package.kind, package.workbook_part = "xlsx", part
        return
    count = len(package.names)
    raise not_workbook(msg("open.what.zip-archive", count=count))


def _ooxml_workbook_part(package: Package) -> str:
    """The workbook part named by ``[Content_Types].xml`` (as openpyxl finds it)."""
    if package.size(_CONTENT_TYPES) > _CONTENT_TYPES_MAX:
        raise too_large("content-types", part=_CONTENT_TYPES, size=human_size(package.size(_CONTENT_TYPES)))
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
        raise Unreadable("not-a-workbook", msg("open.xlsb"))
    for content_type in (*overrides, *defaults):
        for marker, what in _OOXML_OTHERS.items():
            if marker in content_type:
                raise not_workbook(msg(f"open.what.{what}"))
    raise not_workbook(msg("open.what.no-workbook"))
