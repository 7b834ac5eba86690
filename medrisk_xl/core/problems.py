"""Problems as data: a stable code, a message, and where it happened.

A problem built from a :class:`Message` (a template key and its fields) keeps them, so that its
sentence is rendered in the language chosen when it is shown; ``message`` holds its English text
(the library's own language, stable for callers and tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from medrisk_xl.core.message_templates import FALLBACK, Joined, Message, msg, text_in
from medrisk_xl.core.message_templates import render as render_template

__all__ = ["Joined", "MedriskError", "Message", "MessageError", "Problem", "msg", "render"]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input (content pack, inventory, workbook)."""

    code: str
    message: str
    file: str | None = None
    path: str | None = None  # key path inside a data file, e.g. criticality.levels[1]
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    severity: str = "error"  # error | warning | info
    device_id: str | None = None
    # Given a Message as ``message``: its template and fields, rendered again in other languages.
    template: Message | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.message, Message):
            object.__setattr__(self, "template", self.message)
            object.__setattr__(self, "message", self.message.text(FALLBACK))

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (its English text when it has no template)."""
        return self.template.text(lang) if self.template and lang else self.message

    def where_in(self, lang: str | None = None) -> str:
        """Human-readable location: file, then sheet, cell, row, device and key path."""
        parts = [p for p in (self.file,) if p]
        if self.sheet:
            parts.append(render_template("where.sheet", lang, sheet=self.sheet))
        if self.cell:
            parts.append(render_template("where.cell", lang, cell=self.cell))
        if self.row is not None:
            parts.append(render_template("where.row", lang, row=self.row))
        if self.device_id:
            parts.append(render_template("where.device", lang, device=self.device_id))
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)

    @property
    def where(self) -> str:
        return self.where_in()

    def to_text(self, lang: str | None = None) -> str:
        """``where: message [code]``, in ``lang`` when the message has a template (a message not
        converted yet stays English, its location words too, rather than mixing languages)."""
        lang = lang if self.template else None
        where, message = self.where_in(lang), self.text(lang)
        return f"{where}: {message} [{self.code}]" if where else f"{message} [{self.code}]"

    def to_dict(self, lang: str | None = None) -> dict:
        """Plain data: every set field (the severity always), the message in ``lang``."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "template"}
        data = {k: v for k, v in data.items() if v is not None}
        return {**data, "message": self.text(lang)}


class MedriskError(Exception):
    """An error carrying one or more problems; the CLI renders them, never a traceback."""

    def __init__(self, problems: Iterable[Problem], exit_code: int = 1):
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(p.to_text() for p in self.problems))


def render(problems: Iterable[Problem], fmt: str = "text", lang: str | None = None) -> str:
    """Render problems as text lines or a JSON document, their messages in ``lang``."""
    problems = list(problems)
    if fmt == "json":
        return json.dumps(
            {"valid": not problems, "problems": [p.to_dict(lang) for p in problems]},
            ensure_ascii=False,
            indent=2,
        )
    return "\n".join(p.to_text(lang) for p in problems)


class MessageError(Exception):
    """An error whose text is a :class:`Message`, said in the language of whoever reports it
    (``str()`` gives English)."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return text_in(self.message, None)
