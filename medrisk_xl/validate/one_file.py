"""Validating one returned workbook: read it (a file that cannot be read is reported, never a
traceback), then run every check of :mod:`medrisk_xl.validate.checks` on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.validate.checks import check_workbook
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook.read.opening import Unreadable
from medrisk_xl.workbook.read.parts import ActiveContent
from medrisk_xl.workbook.read.reader import Workbook, read_workbook


def validate_file(
    path: Path, pack: ContentPack, manifest: dict[str, Any] | None = None, keep_rows: bool = False
) -> FileReport:
    """Validate one returned workbook (``keep_rows``: keep its device rows in the report)."""
    report = FileReport(str(path))
    book = _read_or_report(path, report)
    if book is None:
        return report.finish()
    for found in book.notices:
        report.add(problem(found.code, found.said))
    check_workbook(book, pack, manifest, report)
    if not keep_rows:
        report.rows = []
    return report.finish()


def _read_or_report(path: Path, report: FileReport) -> Workbook | None:
    """The workbook at ``path``, or None with the reason it was not read added to ``report``."""
    try:
        return read_workbook(path)
    except FileNotFoundError:
        reason = msg("open.file-not-found")
    except IsADirectoryError:
        reason = msg("open.folder")
    except ActiveContent as exc:  # not read at all: one error per part, never valid
        for found in exc.findings:
            report.add(problem(found.code, found.said))
        return None
    except Unreadable as exc:
        reason = msg("open.unreadable", message=exc.said, code=exc.code)
    except OSError as exc:
        reason = msg("open.os-error", reason=exc.strerror or exc)
    except Exception as exc:  # a damaged part the checks above did not foresee: never a traceback
        reason = msg("open.damaged", error=exc.__class__.__name__)
    report.status = "unreadable"
    report.add(problem("unreadable", reason))
    return None
