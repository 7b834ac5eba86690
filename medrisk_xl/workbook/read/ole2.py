"""OLE2 compound files (old Office formats): why one is refused, or opened as a legacy .xls.

Just enough of MS-CFB is read to list the names in the file's directory, with bounded reads: an
encrypted workbook, an Excel 97-2003 workbook and any other Office document are told apart.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook.read.file_kind import HEAD_BYTES, OLE_MAGIC, describe, open_readonly
from medrisk_xl.workbook.read.limits import DEFAULT_LIMITS, Limits
from medrisk_xl.workbook.read.refusals import MiB, damaged, human_size, io_error, not_spreadsheet, too_large
from medrisk_xl.workbook.read.safe_xml import Unreadable

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


def classify_ole(fp: BinaryIO, size: int) -> Unreadable:
    """The :class:`Unreadable` for an OLE2 compound file (never accepted)."""
    try:
        names = {name.lower() for name in _ole_names(fp, size)}
    except (_OleError, struct.error, OSError) as exc:
        # A damaged directory: fall back on the UTF-16LE names in the first bytes.
        fp.seek(0)
        head = fp.read(_OLE_SCAN_BYTES).lower()
        names = {n for n in (*_OLE_ENCRYPTED, *_OLE_WORKBOOK) if n.encode("utf-16-le") + b"\x00\x00" in head}
        if not names:
            return damaged("ole-directory", error=str(exc))
    if any(n in names for n in _OLE_ENCRYPTED):
        return Unreadable("encrypted", msg("open.encrypted"))
    if any(n in names for n in _OLE_WORKBOOK):
        return Unreadable("legacy-xls", msg("open.legacy-xls"))
    return not_spreadsheet(msg("open.what.old-office"))


# --------------------------------------------------------------------------------------------
# The zip package


def open_legacy_xls(path: Path, limits: Limits = DEFAULT_LIMITS) -> BinaryIO:
    """Open an Excel 97-2003 workbook (.xls, OLE2) read-only, for a reader that accepts one.

    Returns do not (they are refused as ``legacy-xls``), but a CMMS inventory often is one. Only
    the file size can be bounded before a parser runs (the format bounds a sheet to 65,536 rows
    by 256 columns); an encrypted or other OLE2 file raises :class:`Unreadable`.
    """
    fp = open_readonly(Path(path))
    try:
        size = os.fstat(fp.fileno()).st_size
        head = fp.read(HEAD_BYTES)
        if not head.startswith(OLE_MAGIC):
            raise not_spreadsheet(describe(head))
        if size > limits.max_file_bytes:
            raise too_large("file-size", size=human_size(size), limit=human_size(limits.max_file_bytes))
        found = classify_ole(fp, size)
        if found.code != "legacy-xls":
            raise found
        fp.seek(0)
        return fp
    except OSError as exc:
        fp.close()
        raise io_error(exc) from None
    except BaseException:
        fp.close()
        raise
