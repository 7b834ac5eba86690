"""How opening a file refuses it: each :class:`Unreadable` with its code and a message saying what to do.

Shared by every step of opening (the zip checks, the member stream, the package, OLE2 files and the
sheet limits), so that one kind of refusal reads the same wherever it is raised.
"""

from __future__ import annotations

from medrisk_xl.workbook.read.safe_xml import AGAIN, Unreadable

MiB = 1 << 20
GiB = 1 << 30


def damaged(detail: str) -> Unreadable:
    return Unreadable(
        "truncated",
        f"The file is damaged or incomplete ({detail}); it was probably cut while being sent or saved. "
        + AGAIN,
    )


def too_large(detail: str) -> Unreadable:
    return Unreadable(
        "too-large",
        f"The file is too large to check safely ({detail}). A workbook returned by a department is "
        "far smaller: it may hold far more than the form, or be built to exhaust the computer "
        "(a 'zip bomb'). Do not open it; ask the department to send the workbook itself, saved again "
        "as .xlsx from Excel or LibreOffice.",
    )


def not_spreadsheet(what: str) -> Unreadable:
    return Unreadable(
        "not-a-spreadsheet",
        f"The file is not a spreadsheet: it looks like {what}. Ask the department to send the workbook "
        "they received, filled in and saved as .xlsx from Excel or LibreOffice.",
    )


def not_workbook(what: str) -> Unreadable:
    return Unreadable(
        "not-a-workbook",
        f"The file is {what}, not a spreadsheet workbook. Ask the department to send the workbook "
        "itself, saved as .xlsx from Excel or LibreOffice.",
    )


def human_size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def io_error(exc: OSError) -> Unreadable:
    return Unreadable(
        "cannot-read",
        f"The file cannot be read ({exc.strerror or exc}). Check that it exists and that you may read it.",
    )
