"""Open a returned workbook safely: recognise it by its bytes, refuse broken and hostile files.

This is the first thing the reader of returned workbooks calls on each file, before any parser
touches it. :func:`open_package` never writes to the file (it is opened read-only, without
updating its access time where the system allows), reads a bounded number of bytes to recognise
it, and checks the zip central directory against :class:`Limits` before inflating anything.
Every failure is an :class:`Unreadable` with a stable code and a message saying what to do.

Codes: ``empty-file``, ``not-a-spreadsheet``, ``legacy-xls``, ``encrypted``, ``truncated``,
``not-a-workbook``, ``too-large``, ``hostile-xml``, ``malformed-xml`` and ``cannot-read`` (the
file cannot be opened at all: missing, a folder, no permission); then every member is sorted by
:mod:`medrisk_xl.workbook.read.parts`, which refuses active content (``active-content``,
``external-link``) and a DTD in any XML member.

A :class:`Package` is not thread-safe: use one per thread or process.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

from medrisk_xl.core.problems import msg
from medrisk_xl.workbook.read.file_kind import (
    HEAD_BYTES,
    OLE_MAGIC,
    ZIP_MAGICS,
    describe,
    looks_like,
    open_readonly,
)
from medrisk_xl.workbook.read.limits import DEFAULT_LIMITS, Limits, check_dimension, check_extent
from medrisk_xl.workbook.read.ole2 import classify_ole, open_legacy_xls
from medrisk_xl.workbook.read.package import Package, identify_kind
from medrisk_xl.workbook.read.parts import inspect_package
from medrisk_xl.workbook.read.refusals import damaged, human_size, io_error, not_spreadsheet, too_large
from medrisk_xl.workbook.read.safe_xml import Unreadable, hostile_xml, iterparse
from medrisk_xl.workbook.read.zip_checks import check_central_directory, check_members

# What callers of opening use, wherever it is defined.
__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Package",
    "Unreadable",
    "check_dimension",
    "check_extent",
    "hostile_xml",
    "iterparse",
    "looks_like",
    "open_legacy_xls",
    "open_package",
]

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
    fp = open_readonly(path)
    try:
        size = os.fstat(fp.fileno()).st_size
        if size == 0:
            raise Unreadable("empty-file", msg("open.empty-file"))
        head = fp.read(HEAD_BYTES)
        if head.startswith(OLE_MAGIC):
            raise classify_ole(fp, size)
        if not head.startswith(ZIP_MAGICS):
            raise not_spreadsheet(describe(head))
        if size > limits.max_file_bytes:
            raise too_large("file-size", size=human_size(size), limit=human_size(limits.max_file_bytes))
        try:
            check_central_directory(fp, size, limits)
            zf = zipfile.ZipFile(fp)
        except Unreadable:
            raise
        except _ZIP_ERRORS as exc:
            raise damaged("zip-directory", error=str(exc)) from None
        package = Package(path, fp, zf, size, limits)
        try:
            check_members(zf.infolist(), limits)
            identify_kind(package)
            package.inventory = inspect_package(package, refuse_active=refuse_active)
        except BaseException:
            zf.close()
            raise
        return package
    except OSError as exc:  # the zip's own errors are handled above: this is the disk
        fp.close()
        raise io_error(exc) from None
    except BaseException:
        fp.close()
        raise
