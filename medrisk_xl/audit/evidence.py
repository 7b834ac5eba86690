"""The evidence report of an audit, for a quality department or an auditor: Markdown, or an
.xlsx workbook (summary, findings, first mismatches), written atomically. Text from the audited
workbooks is always written as text, never as a formula."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from medrisk_xl.core.atomic import atomic_write

if TYPE_CHECKING:
    from medrisk_xl.audit.audit_report import AuditReport

SUFFIXES = (".md", ".xlsx")
FIRST_MISMATCHES = 10  # listed per engine in the evidence report


def write_evidence(report: AuditReport, path: Path) -> None:
    """Markdown for ``.md``, a workbook for ``.xlsx``."""
    path = Path(path)
    if path.suffix.lower() == ".md":
        atomic_write(path, lambda tmp: tmp.write_text(report.to_markdown(), encoding="utf-8"))
    elif path.suffix.lower() == ".xlsx":
        atomic_write(path, lambda tmp: _xlsx(report, tmp))
    else:
        raise ValueError(f"{path.name}: the report is .md or .xlsx")


def _xlsx(report: AuditReport, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    summary = wb.add_worksheet("Audit")
    rows = [
        ("Verdict", "PASS" if report.passed else "FAIL"),
        ("Date", report.date),
        ("Tool", report.tool),
        ("Content pack", report.content),
        ("Engines asked for", report.engine),
        ("Random samples (seed)", f"{report.samples} ({report.seed})"),
    ]
    for r, (key, value) in enumerate(rows):
        summary.write_string(r, 0, key, bold)
        summary.write_string(r, 1, str(value))
    r = len(rows) + 1
    heads = [
        "Workbook",
        "sha256",
        "Layout",
        "Language",
        "Static audit",
        "Engine",
        "Cases",
        "Register cases",
        "Cells",
        "Mismatches",
        "Verdict",
    ]
    for c, head in enumerate(heads):
        summary.write_string(r, c, head, bold)
    for f in report.files:
        for run in f.runs or [None]:
            r += 1
            cells = [
                Path(f.path).name,
                f.sha256 or "",
                f.layout or "",
                f.language or "",
                "pass" if f.static_passed else "FAIL",
                (run.engine if run else "") + ("" if not run or run.ran else f" (not run: {run.error})"),
            ]
            for c, value in enumerate(cells):
                summary.write_string(r, c, value)
            if run and run.ran:
                summary.write_number(r, 6, run.cases)
                summary.write_number(r, 7, run.register_cases)
                summary.write_number(r, 8, run.cells)
                summary.write_number(r, 9, run.mismatches)
            summary.write_string(r, 10, "PASS" if f.passed else "FAIL")
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 66)
    summary.set_column(2, 10, 14)
    findings = wb.add_worksheet("Findings")
    for c, head in enumerate(["Workbook", "Severity", "Code", "Sheet", "Cell", "Finding"]):
        findings.write_string(0, c, head, bold)
    r = 0
    for f in report.files:
        for p in f.findings:
            r += 1
            for c, value in enumerate(
                [Path(f.path).name, p.severity, p.code, p.sheet or "", p.cell or "", p.message]
            ):
                findings.write_string(r, c, value)
    findings.set_column(0, 4, 16)
    findings.set_column(5, 5, 100)
    mismatches = wb.add_worksheet("Mismatches")
    for c, head in enumerate(["Workbook", "Engine", "Sheet", "Cell", "Case", "Expected", "Computed"]):
        mismatches.write_string(0, c, head, bold)
    r = 0
    for f in report.files:
        for run in f.runs:
            for m in run.first[:FIRST_MISMATCHES]:
                r += 1
                values = [Path(f.path).name, m.engine, m.sheet, m.cell, m.case, repr(m.expected), repr(m.got)]
                for c, value in enumerate(values):
                    mismatches.write_string(r, c, value)
    mismatches.set_column(0, 6, 20)
    wb.close()
