"""The zip central directory checked against the limits before anything is inflated."""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook.read.limits import Limits
from medrisk_xl.workbook.read.refusals import damaged, human_size, not_workbook, too_large
from medrisk_xl.workbook.read.safe_xml import Unreadable


def check_central_directory(fp: BinaryIO, size: int, limits: Limits) -> None:
    """Refuse a central directory with too many entries before :mod:`zipfile` parses it."""
    tail_len = min(size, 22 + 65535)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise damaged("directory-missing")
    entries, cd_size = struct.unpack_from("<HI", tail, at + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20:
        locator = tail[at - 20 : at]
        if locator[:4] == b"PK\x06\x07":
            fp.seek(struct.unpack_from("<Q", locator, 8)[0])
            record = fp.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", record, 32)
    if entries > limits.max_members:
        raise too_large("parts", count=entries, limit=limits.max_members)
    if cd_size > limits.max_members * 1024:
        raise too_large("zip-directory-size", size=human_size(cd_size))


def check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse what would inflate past the limits, from the central directory alone."""
    if len(infos) > limits.max_members:
        raise too_large("parts", count=len(infos), limit=limits.max_members)
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise damaged("part-twice", part=name)
        seen.add(name)
        if info.flag_bits & 0x1:
            raise Unreadable("encrypted", msg("open.encrypted-zip"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise not_workbook(msg("open.what.zip-method", method=info.compress_type))
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise damaged("part-sizes", part=name)
        if info.file_size > limits.max_member_bytes:
            raise too_large(
                "part-inflates",
                part=name,
                size=human_size(info.file_size),
                limit=human_size(limits.max_member_bytes),
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            said = {
                "ratio": round(ratio),
                "size": human_size(info.file_size),
                "limit": round(limits.max_ratio),
            }
            raise too_large("part-ratio", part=name, **said)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise too_large("total", limit=human_size(limits.max_total_bytes))
