"""The file itself: opened read-only, and recognised by its first bytes, never by its name."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Literal

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.workbook.read.refusals import io_error
from medrisk_xl.workbook.read.safe_xml import Unreadable


def open_readonly(path: Path) -> BinaryIO:
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
        raise io_error(exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("cannot-read", msg("open.not-regular"))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
HEAD_BYTES = 8192

_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (  # said by templates open.what.<name>
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"{\\rtf", "rtf"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x1f\x8b", "gzip"),
)


def describe(head: bytes) -> Message:
    """A short description of a file that is neither a zip nor an OLE2 file."""
    return msg(f"open.what.{_kind(head)}")


def _kind(head: bytes) -> str:
    for magic, what in _BINARY_MAGICS:
        if head.startswith(magic):
            return what
    text = _as_text(head)
    if text is None:
        return "binary"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered[:1024]:
        return "html"
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return "xml-2003" if "urn:schemas-microsoft-com:office:spreadsheet" in lowered else "xml"
    return "text"


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


def looks_like(head: bytes) -> Literal["zip", "ole", "other"]:
    """What the first bytes of a file say it is: a zip package, an OLE2 compound file, or other."""
    if head.startswith(ZIP_MAGICS):
        return "zip"
    return "ole" if head.startswith(OLE_MAGIC) else "other"
