"""The audit's result as data, and its renderings: text for a person, JSON for tools, and an
evidence report (Markdown or .xlsx) for a quality department or an auditor."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.audit.dynamic import EngineRun
from medrisk_xl.audit.evidence import FIRST_MISMATCHES, write_evidence
from medrisk_xl.core.problems import Problem


@dataclass
class FileAudit:
    """The audit of one workbook."""

    path: str
    sha256: str | None = None
    layout: str | None = None
    language: str | None = None
    static_done: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # what the static audit compared
    findings: list[Problem] = field(default_factory=list)
    runs: list[EngineRun] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.findings if p.severity == "error"]

    @property
    def static_passed(self) -> bool:
        dynamic = {"engine-mismatch", "engine-failed", "engine-missing"}
        return self.static_done and not [p for p in self.errors if p.code not in dynamic]

    @property
    def dynamic_passed(self) -> bool:
        ran = [r for r in self.runs if r.ran]
        return (
            bool(ran)
            and all(r.mismatches == 0 for r in ran)
            and not any(p.code in ("engine-mismatch", "engine-failed") for p in self.errors)
        )

    @property
    def passed(self) -> bool:
        return self.static_passed and (self.dynamic_passed or (not self.runs and self.static_done))

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "layout": self.layout,
            "language": self.language,
            "passed": self.passed,
            "static": {"passed": self.static_passed, "compared": self.counts},
            "dynamic": [
                {
                    "engine": r.engine,
                    "ran": r.ran,
                    "error": r.error,
                    "cases": r.cases,
                    "register_cases": r.register_cases,
                    "cells": r.cells,
                    "register_cells": r.register_cells,
                    "mismatches": r.mismatches,
                    "first": [asdict(m) for m in r.first[:FIRST_MISMATCHES]],
                }
                for r in self.runs
            ],
            "findings": [p.to_dict() for p in self.findings],
        }


@dataclass
class AuditReport:
    """The audit of every workbook given, with what it was run with."""

    files: list[FileAudit]
    engine: str
    samples: int
    seed: int
    tool: str
    content: str
    date: str
    available: dict[str, str | None]

    @property
    def passed(self) -> bool:
        return bool(self.files) and all(f.passed for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "date": self.date,
            "tool": self.tool,
            "content": self.content,
            "engine": self.engine,
            "samples": self.samples,
            "seed": self.seed,
            "engines_available": {k: v is None for k, v in self.available.items()},
            "files": [f.to_dict() for f in self.files],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    def to_text(self) -> str:
        lines = []
        for f in self.files:
            lines += _file_text(f)
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(f"{len(self.files)} workbook(s) audited with {self.content}, {self.tool}: {verdict}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        out = [
            "# medrisk-xl audit report",
            "",
            f"- Date: {self.date}",
            f"- Tool: {self.tool}",
            f"- Content pack: {self.content}",
            f"- Engines asked for: {self.engine}; random samples: {self.samples} (seed {self.seed})",
            f"- **Verdict: {'PASS' if self.passed else 'FAIL'}**",
            "",
        ]
        for f in self.files:
            out += [
                f"## {Path(f.path).name}",
                "",
                f"- sha256: `{f.sha256}`",
                f"- layout: {f.layout}, language: {f.language}",
            ]
            out.append(
                f"- Static audit: {'pass' if f.static_passed else 'FAIL'}; compared: {_counts(f.counts)}"
            )
            for r in f.runs:
                out.append(f"- {run_text(r)}")
            out.append(f"- **Verdict: {'PASS' if f.passed else 'FAIL'}**")
            if f.findings:
                out += ["", "| severity | code | where | finding |", "|---|---|---|---|"]
                for p in f.findings:
                    where = " ".join(x for x in (p.sheet, p.cell) if x)
                    out.append(f"| {p.severity} | `{p.code}` | {_md(where)} | {_md(p.message)} |")
            mismatches = [m for r in f.runs for m in r.first[:FIRST_MISMATCHES]]
            if mismatches:
                out += ["", "First mismatches:", "", "| engine | sheet | cell | case | expected | computed |"]
                out.append("|---|---|---|---|---|---|")
                for m in mismatches:
                    out.append(
                        f"| {m.engine} | {_md(m.sheet)} | {m.cell} | {_md(m.case)} | {_md(repr(m.expected))} | "
                        f"{_md(repr(m.got))} |"
                    )
            out.append("")
        return "\n".join(out)

    def write(self, path: Path) -> None:
        """The evidence report: Markdown, or .xlsx (by the suffix), written atomically."""
        write_evidence(self, path)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _counts(counts: dict[str, int]) -> str:
    names = {
        "formulas": "formulas",
        "dropdown_cells": "dropdown cells",
        "answer_cells": "answer cells",
        "list_cells": "list-sheet values",
        "sheets": "sheets",
    }
    return ", ".join(f"{counts[k]} {v}" for k, v in names.items() if k in counts)


def run_text(r: EngineRun) -> str:
    """One line on an engine run: cases, cells compared and the verdict (text report and tests)."""
    if not r.ran:
        return f"{r.engine}: not run ({r.error})"
    verdict = "0 mismatches" if not r.mismatches else f"{r.mismatches} MISMATCHING cell(s)"
    register = f", {r.register_cases} register cases" if r.register_cases else ""
    return f"{r.engine}: {r.cases} cases{register}, {r.cells} computed cells compared, {verdict}"


def _file_text(f: FileAudit) -> list[str]:
    about = [f"sha256 {f.sha256[:12]}" if f.sha256 else "", f.layout or "", f.language or ""]
    lines = [f"{f.path} ({', '.join(x for x in about if x)})" if any(about) else f.path]
    if f.static_done:
        state = "pass" if f.static_passed else "FAIL"
        lines.append(f"  static audit: {state} ({_counts(f.counts)} compared with the generator's)")
    for r in f.runs:
        lines.append(f"  dynamic audit, {run_text(r)}")
    for p in f.findings:
        where = ", ".join(x for x in (p.sheet and f"sheet {p.sheet!r}", p.cell and f"cell {p.cell}") if x)
        lines.append(f"  {p.severity}: {where + ': ' if where else ''}{p.message} [{p.code}]")
    lines.append(f"  verdict: {'PASS' if f.passed else 'FAIL'}")
    return lines
