"""The audit's result as data, and its renderings: text for a person, JSON for tools, and an
evidence report (Markdown or .xlsx) for a quality department or an auditor."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.audit.dynamic import EngineRun
from medrisk_xl.audit.evidence import FIRST_MISMATCHES, heads, static_state, verdict, write_evidence
from medrisk_xl.core.message_templates import render, text_in
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

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
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
                    "error": text_in(r.error, lang) if r.error else r.error,
                    "cases": r.cases,
                    "register_cases": r.register_cases,
                    "cells": r.cells,
                    "register_cells": r.register_cells,
                    "mismatches": r.mismatches,
                    "first": [
                        {**asdict(m), "case": text_in(m.case, lang)} for m in r.first[:FIRST_MISMATCHES]
                    ],
                }
                for r in self.runs
            ],
            "findings": [p.to_dict(lang) for p in self.findings],
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
    pack: tuple[str, str] | None = None  # the content pack's name and hash, said in each language

    def content_in(self, lang: str | None) -> str:
        """The content pack audited with, in ``lang`` (``content`` as JSON gives it otherwise)."""
        if self.pack is None:
            return self.content
        return render("audit.content", lang, pack=self.pack[0], hash=self.pack[1])

    @property
    def passed(self) -> bool:
        return bool(self.files) and all(f.passed for f in self.files)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "date": self.date,
            "tool": self.tool,
            "content": self.content,
            "engine": self.engine,
            "samples": self.samples,
            "seed": self.seed,
            "engines_available": {k: v is None for k, v in self.available.items()},
            "files": [f.to_dict(lang) for f in self.files],
        }

    def to_json(self, lang: str | None = None) -> str:
        """The audit as JSON, the findings' messages in ``lang`` (codes and keys unchanged)."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2, default=str)

    def to_text(self, lang: str | None = None) -> str:
        """The audit for a person, in ``lang`` (English by default)."""
        lines = []
        for f in self.files:
            lines += _file_text(f, lang)
        lines.append(
            render(
                "audit.text.total",
                lang,
                count=len(self.files),
                content=self.content_in(lang),
                tool=self.tool,
                verdict=verdict(self.passed, lang),
            )
        )
        return "\n".join(lines)

    def to_markdown(self, lang: str | None = None) -> str:
        """The evidence report in Markdown, in ``lang``."""
        out = [
            f"# {render('audit.md.title', lang)}",
            "",
            f"- {render('audit.md.date', lang, date=self.date)}",
            f"- {render('audit.md.tool', lang, tool=self.tool)}",
            f"- {render('audit.md.content', lang, content=self.content_in(lang))}",
            f"- {render('audit.md.engines', lang, engine=self.engine, samples=self.samples, seed=self.seed)}",
            f"- **{render('audit.md.verdict', lang, verdict=verdict(self.passed, lang))}**",
            "",
        ]
        for f in self.files:
            out += _file_markdown(f, lang)
        return "\n".join(out)

    def write(self, path: Path, lang: str | None = None) -> None:
        """The evidence report: Markdown, or .xlsx (by the suffix), written atomically in ``lang``."""
        write_evidence(self, path, lang)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _file_markdown(f: FileAudit, lang: str | None) -> list[str]:
    out = [
        f"## {Path(f.path).name}",
        "",
        f"- sha256: `{f.sha256}`",
        f"- {render('audit.md.layout', lang, layout=f.layout, language=f.language)}",
        f"- {render('audit.md.static', lang, state=static_state(f, lang), counts=_counts(f.counts, lang))}",
    ]
    out += [f"- {run_text(r, lang)}" for r in f.runs]
    out.append(f"- **{render('audit.md.verdict', lang, verdict=verdict(f.passed, lang))}**")
    if f.findings:
        names = heads("audit.head.findings", lang)
        out += ["", _md_row(names), "|" + "---|" * len(names)]
        for p in f.findings:
            where = " ".join(x for x in (p.sheet, p.cell) if x)
            severity = render(f"severity.{p.severity}", lang)
            out.append(_md_row([severity, f"`{p.code}`", _md(where), _md(p.text(lang))]))
    mismatches = [m for r in f.runs for m in r.first[:FIRST_MISMATCHES]]
    if mismatches:
        names = heads("audit.head.mismatches", lang)
        out += [
            "",
            render("audit.md.first_mismatches", lang),
            "",
            _md_row(names),
            "|" + "---|" * len(names),
        ]
        for m in mismatches:
            cells = [
                m.engine,
                _md(m.sheet),
                m.cell,
                _md(text_in(m.case, lang)),
                _md(repr(m.expected)),
                _md(repr(m.got)),
            ]
            out.append(_md_row(cells))
    out.append("")
    return out


_COUNTED = ("formulas", "dropdown_cells", "answer_cells", "list_cells", "sheets")


def _counts(counts: dict[str, int], lang: str | None = None) -> str:
    return ", ".join(render(f"audit.compared.{k}", lang, count=counts[k]) for k in _COUNTED if k in counts)


def run_text(r: EngineRun, lang: str | None = None) -> str:
    """One line on an engine run: cases, cells compared and the verdict (text report and tests)."""
    if not r.ran:
        return render("audit.run.not_run", lang, engine=r.engine, error=r.error)
    said = (
        render("audit.run.no_mismatch", lang)
        if not r.mismatches
        else render("audit.run.mismatches", lang, count=r.mismatches)
    )
    register = render("audit.run.register", lang, count=r.register_cases) if r.register_cases else ""
    return render(
        "audit.run.line", lang, engine=r.engine, cases=r.cases, register=register, cells=r.cells, verdict=said
    )


def _file_text(f: FileAudit, lang: str | None) -> list[str]:
    about = [f"sha256 {f.sha256[:12]}" if f.sha256 else "", f.layout or "", f.language or ""]
    lines = [f"{f.path} ({', '.join(x for x in about if x)})" if any(about) else f.path]
    if f.static_done:
        lines.append(
            "  "
            + render("audit.text.static", lang, state=static_state(f, lang), counts=_counts(f.counts, lang))
        )
    for r in f.runs:
        lines.append("  " + render("audit.text.dynamic", lang, run=run_text(r, lang)))
    for p in f.findings:
        lines.append(f"  {render(f'severity.{p.severity}', lang)}: {p.to_text(lang)}")
    lines.append("  " + render("audit.text.verdict", lang, verdict=verdict(f.passed, lang)))
    return lines
