"""How opening a file refuses it: each :class:`Unreadable` with its code and a message saying what to do.

Shared by every step of opening (the zip checks, the member stream, the package, OLE2 files and the
sheet limits), so that one kind of refusal reads the same wherever it is raised.
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.workbook.read.safe_xml import Unreadable

MiB = 1 << 20
GiB = 1 << 30


def damaged(detail: str, /, **fields: Any) -> Unreadable:
    """``truncated``, what is damaged said by template ``open.detail.<detail>``."""
    return Unreadable("truncated", msg("open.damaged-file", detail=msg(f"open.detail.{detail}", **fields)))


def too_large(detail: str, /, **fields: Any) -> Unreadable:
    """``too-large``, what is too large said by template ``open.detail.<detail>``."""
    return Unreadable("too-large", msg("open.too-large", detail=msg(f"open.detail.{detail}", **fields)))


def not_spreadsheet(what: Message) -> Unreadable:
    return Unreadable("not-a-spreadsheet", msg("open.not-a-spreadsheet", what=what))


def not_workbook(what: Message) -> Unreadable:
    return Unreadable("not-a-workbook", msg("open.not-a-workbook", what=what))


def human_size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def io_error(exc: OSError) -> Unreadable:
    return Unreadable("cannot-read", msg("open.cannot-read", reason=exc.strerror or exc))
