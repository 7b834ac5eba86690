"""The evidence report of an audit, for a quality department or an auditor: Markdown, or an
.xlsx workbook (summary, findings, first mismatches), written atomically. Text from the audited
workbooks is always written as text, never as a formula."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from medrisk_xl.core.atomic import atomic_write
from medrisk_xl.core.message_templates import render, text_in

if TYPE_CHECKING:
    from medrisk_xl.audit.audit_report import AuditReport, FileAudit

SUFFIXES = (".md", ".xlsx")
FIRST_MISMATCHES = 10  # listed per engine in the evidence report


def verdict(passed: bool, lang: str | None) -> str:
    """PASS or FAIL, in ``lang``."""
    return render("audit.verdict.pass" if passed else "audit.verdict.fail", lang)


def static_state(f: FileAudit, lang: str | None) -> str:
    """The static audit's state (pass or FAIL), in ``lang``."""
    return render("audit.state.pass" if f.static_passed else "audit.state.fail", lang)


def heads(key: str, lang: str | None) -> list[str]:
    """The column heads of template ``key`` (written ``a|b|c``), in ``lang``."""
    return render(key, lang).split("|")


def write_evidence(report: AuditReport, path: Path, lang: str | None = None) -> None:
    """Markdown for ``.md``, a workbook for ``.xlsx``, in ``lang`` (English by default)."""
    path = Path(path)
    if path.suffix.lower() == ".md":
        atomic_write(path, lambda tmp: tmp.write_text(report.to_markdown(lang), encoding="utf-8"))
    elif path.suffix.lower() == ".xlsx":
        atomic_write(path, lambda tmp: _xlsx(report, tmp, lang))
    else:
        raise ValueError(f"{path.name}: the report is .md or .xlsx")


def _xlsx(report: AuditReport, path: Path, lang: str | None) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    names = heads("audit.xlsx.sheets", lang)
    _summary(wb.add_worksheet(names[0]), report, bold, lang)
    findings = wb.add_worksheet(names[1])
    _heads(findings, heads("audit.xlsx.findings", lang), bold)
    r = 0
    for f in report.files:
        for p in f.findings:
            r += 1
            severity = render(f"severity.{p.severity}", lang)
            cells = [Path(f.path).name, severity, p.code, p.sheet or "", p.cell or "", p.text(lang)]
            for c, value in enumerate(cells):
                findings.write_string(r, c, value)
    findings.set_column(0, 4, 16)
    findings.set_column(5, 5, 100)
    mismatches = wb.add_worksheet(names[2])
    _heads(mismatches, heads("audit.xlsx.mismatches", lang), bold)
    r = 0
    for f in report.files:
        for run in f.runs:
            for m in run.first[:FIRST_MISMATCHES]:
                r += 1
                values = [
                    Path(f.path).name,
                    m.engine,
                    m.sheet,
                    m.cell,
                    text_in(m.case, lang),
                    repr(m.expected),
                    repr(m.got),
                ]
                for c, value in enumerate(values):
                    mismatches.write_string(r, c, value)
    mismatches.set_column(0, 6, 20)
    wb.close()


def _heads(ws, names: list[str], bold, row: int = 0) -> None:
    for c, head in enumerate(names):
        ws.write_string(row, c, head, bold)


def _summary(summary, report: AuditReport, bold, lang: str | None) -> None:
    """The summary sheet: what the audit was run with, then one row per workbook and engine."""
    values = [
        verdict(report.passed, lang),
        report.date,
        report.tool,
        report.content_in(lang),
        report.engine,
        f"{report.samples} ({report.seed})",
    ]
    for r, (key, value) in enumerate(zip(heads("audit.xlsx.summary", lang), values)):
        summary.write_string(r, 0, key, bold)
        summary.write_string(r, 1, str(value))
    r = len(values) + 1
    _heads(summary, heads("audit.xlsx.files", lang), bold, r)
    for f in report.files:
        for run in f.runs or [None]:
            r += 1
            not_run = "" if not run or run.ran else render("audit.xlsx.not_run", lang, error=run.error)
            cells = [
                Path(f.path).name,
                f.sha256 or "",
                f.layout or "",
                f.language or "",
                static_state(f, lang),
                (run.engine if run else "") + not_run,
            ]
            for c, value in enumerate(cells):
                summary.write_string(r, c, value)
            if run and run.ran:
                for c, n in enumerate((run.cases, run.register_cases, run.cells, run.mismatches), 6):
                    summary.write_number(r, c, n)
            summary.write_string(r, 10, verdict(f.passed, lang))
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 66)
    summary.set_column(2, 10, 14)
