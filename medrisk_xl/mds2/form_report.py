"""Read MDS2 forms from files and folders, and report them as text or JSON
(``medrisk-xl mds2 read``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.mds2.form_reader import read_form
from medrisk_xl.mds2.item_evidence import evidence_line, with_items
from medrisk_xl.mds2.mds2_form import Mds2Form
from medrisk_xl.method.pack import ContentPack, load_pack

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".pdf")


def collect_forms(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the forms found in the folders named (searched recursively, Office
    lock files ``~$…`` left out); MedriskError ``no-form`` (exit 2) when there is none."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in FORM_SUFFIXES and p.is_file() and not p.name.startswith("~$")
            )
        else:
            found.append(path)
    if not found:
        raise MedriskError(
            [Problem("no-form", msg("mds2.no-form"))],
            exit_code=2,
        )
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Mds2Report:
    """The forms read, in the order given, each with what it says about every item."""

    forms: tuple[Mds2Form, ...]

    @property
    def all_read(self) -> bool:
        return not any(form.refused for form in self.forms)

    @property
    def exit_code(self) -> int:
        """0 when every form was read, 1 when one was refused."""
        return 0 if self.all_read else 1

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"forms": [form.to_dict(lang) for form in self.forms]}

    def to_json(self, lang: str | None = None) -> str:
        """The forms as JSON, the problems' messages in ``lang`` (codes and keys unchanged)."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def to_text(self, lang: str | None = None) -> str:
        """The forms for a person, in ``lang`` (English by default)."""
        lines: list[str] = []
        for form in self.forms:
            lines += form_text(form, lang)
        read = sum(1 for form in self.forms if not form.refused)
        total = len(self.forms)
        lines.append(render("mds2.text.total", lang, count=total, read=read, refused=total - read))
        return "\n".join(lines)


def form_text(form: Mds2Form, lang: str | None = None) -> list[str]:
    """A short summary of one form, then one line per item and its problems, in ``lang``."""
    status = render(f"mds2.status.{form.status}", lang)
    if form.refused:
        return [
            render("mds2.text.refused", lang, path=form.path, status=status),
            *(
                f"  {render(f'severity.{p.severity}', lang)}: {p.text(lang)} [{p.code}]"
                for p in form.problems
            ),
        ]
    who = " ".join(v for v in (form.manufacturer, form.model) if v) or render("mds2.text.nobody", lang)
    about = f" ({form.description})" if form.description else ""
    document = form.document_id and render("mds2.text.document", lang, document=form.document_id)
    doc = ", ".join(v for v in (document, form.date) if v)
    lines = [
        render(
            "mds2.text.read",
            lang,
            path=form.path,
            status=status,
            who=who,
            about=about,
            doc=render("mds2.text.doc", lang, doc=doc) if doc else "",
        ),
        "  "
        + render(
            "mds2.text.answered", lang, answered=form.answered, count=len(form.answers), sheet=form.sheet
        ),
    ]
    not_answered = render("mds2.text.not_answered", lang)
    for code, item in form.items.items():
        if item.suggestion:
            head = f"{item.suggestion} ({item.basis})"
        else:
            head = render("mds2.text.no_suggestion" if item.evidence else "mds2.text.nothing", lang)
        shown = "; ".join(evidence_line(e, not_answered=not_answered) for e in item.evidence)
        lines.append(f"  {code}: {head}" + (f" — {shown}" if shown else ""))
    lines += [
        f"  {render(f'severity.{p.severity}', lang)}: {p.text(lang)} ({p.cell}) [{p.code}]"
        for p in form.problems
    ]
    return lines


def read_forms(paths: Iterable[str | Path], pack: ContentPack | None = None) -> Mds2Report:
    """Every form in ``paths`` (files, or folders searched recursively), read and mapped with
    ``pack``'s mds2.yaml (the shipped pack by default). Files are never modified."""
    pack = pack or load_pack()
    forms = tuple(with_items(read_form(path), pack.mds2, pack.method.items) for path in collect_forms(paths))
    return Mds2Report(forms)
