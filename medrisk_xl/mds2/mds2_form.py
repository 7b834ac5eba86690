"""What a manufacturer's MDS2 form says, as data: its identity (DOC-1 to DOC-7), each question's
answer normalised, the notes, and, once the pack's mapping is applied, what it suggests per item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Problem

READ, NOT_MDS2, UNREADABLE = "read", "not-mds2", "unreadable"
YES, NO, NA = "yes", "no", "n/a"


@dataclass(frozen=True)
class Evidence:
    """One question bearing on an item: its answer (None: not answered) and what the form adds
    (the text after the answer, the notes it refers to)."""

    question: str
    answer: str | None
    text: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "text": self.text}


@dataclass(frozen=True)
class ItemEvidence:
    """What the form says about one item: a suggestion (an answer code of the method, or None),
    its basis ("by-design" when a rule of the mapping gave it, "evidence" when answers only
    inform), and the answers themselves."""

    suggestion: str | None = None
    basis: str | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "suggestion": self.suggestion,
            "basis": self.basis,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Mds2Form:
    """One form file read (``status`` read), or refused (not-mds2, unreadable) with its problems."""

    path: Path
    status: str
    sheet: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    description: str | None = None
    document_id: str | None = None
    date: str | None = None
    answers: dict[str, str | None] = field(default_factory=dict)  # question id -> yes|no|n/a|None
    texts: dict[str, str] = field(default_factory=dict)  # question id -> what the form adds
    questions: dict[str, str] = field(default_factory=dict)  # question id -> its wording
    notes: dict[str, str] = field(default_factory=dict)  # note number -> its text
    problems: tuple[Problem, ...] = ()
    items: dict[str, ItemEvidence] = field(default_factory=dict)  # item code -> what it suggests

    @property
    def answered(self) -> int:
        """Questions answered Yes, No or N/A (See Note and free text alone do not count)."""
        return sum(1 for answer in self.answers.values() if answer is not None)

    @property
    def refused(self) -> bool:
        return self.status != READ

    def evidence(self, question: str) -> Evidence:
        return Evidence(question, self.answers.get(question), self.texts.get(question))

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain data, as ``mds2 read --format json`` prints it."""
        return {
            "path": str(self.path),
            "status": self.status,
            "sheet": self.sheet,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "description": self.description,
            "document_id": self.document_id,
            "date": self.date,
            "answered": self.answered,
            "answers": dict(self.answers),
            "texts": dict(self.texts),
            "notes": dict(self.notes),
            "items": {code: item.to_dict() for code, item in self.items.items()},
            "problems": [p.to_dict(lang) for p in self.problems],
        }
