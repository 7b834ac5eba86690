"""One zip member read as a stream: inflated in chunks, checked against its size and CRC."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import BinaryIO

from medrisk_xl.workbook.read.refusals import damaged, io_error
from medrisk_xl.workbook.read.safe_xml import Unreadable

CHUNK_BYTES = 64 * 1024


class MemberStream(io.RawIOBase):
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
            raise io_error(exc) from None
        if not data:
            raise damaged("part-cut", part=self.name)
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
                src = tail or (self._raw(CHUNK_BYTES) if self._raw_left else b"")
                try:
                    out = self._z.decompress(src, n)
                except zlib.error as exc:
                    raise damaged("part-inflate", part=self.name, error=str(exc)) from None
                if not out and not self._z.eof:
                    if not src or (tail and self._z.unconsumed_tail == tail):
                        raise damaged("part-ends-early", part=self.name)
                    continue
            if not out:
                self._finish()
                return b""
            self._out += len(out)
            if self._out > self._info.file_size:
                raise damaged("part-more", part=self.name)
            self._crc = zlib.crc32(out, self._crc)
            return out
        return b""

    def _finish(self) -> None:
        self._done = True
        if self._out != self._info.file_size:
            raise damaged("part-less", part=self.name)
        if self._crc != self._info.CRC:
            raise damaged("part-crc", part=self.name)

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
        while chunk := self._produce(4 * CHUNK_BYTES):
            parts += chunk
        return bytes(parts)
