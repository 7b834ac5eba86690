"""One answer cell of an MDS2 form read as meant: Yes, No or N/A whatever the case and spacing,
the text written after it ("Yes, optional"), and the notes it refers to ("See Note 3")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from medrisk_xl.mds2.mds2_form import NA, NO, YES

# "Not applicable" before "no"; "no" must end a word (not "Note", "None").
_ANSWER = re.compile(r"(not\s+applicable|n\s*/\s*a|n\.a\.?|na|yes|no)\b[\s,;:.()\[\]-]*(.*)", re.I | re.S)
_NORMAL = {"yes": YES, "no": NO}
_NUMBERS = r"(\d+(?:\s*(?:,|&|and)\s*\d+)*)"
_REF = r"notes?\s*(?:#|no\.?|n°)?\s*" + _NUMBERS + "?"
_SEE_NOTE = re.compile(r"\(?\s*see\s+" + _REF + r"\s*\)?", re.I)  # within an answer
_NOTE_CELL = re.compile(r"(?:see\s+)?" + _REF + r"|\d+", re.I)  # a whole note-reference cell
_NUMBER = re.compile(r"\d+")
_NOTE_ROW = re.compile(r"note\s*#?\s*(\d+)\s*[:.)-]?\s*(.*)", re.I | re.S)
_PLACEHOLDER = re.compile(r"[\s_\-–—.]*")  # "__", "-", "": no note


@dataclass(frozen=True)
class Answer:
    """``answer`` yes|no|n/a, or None (empty, See Note alone, free text); ``extra`` what is written
    beyond the answer and the note references; ``notes`` the numbers of the notes referred to."""

    answer: str | None
    extra: str | None
    notes: tuple[str, ...]

    @property
    def free_text(self) -> bool:
        return self.answer is None and self.extra is not None


def cell_text(value: Any) -> str:
    """A cell's value as text: dates as ISO dates, whole numbers without ".0", spaces collapsed."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or isinstance(value, bool):
        return "" if value is None else ("Yes" if value else "No")
    return " ".join(str(value).split())


def read_answer(value: Any, note_cell: Any) -> Answer:
    """The answer cell ``value`` and the note-reference cell beside it, read as meant."""
    text, notes = _strip_note_refs(cell_text(value))
    found = _ANSWER.fullmatch(text)
    if found:
        word = found.group(1).casefold()
        answer: str | None = _NORMAL.get(word, NA)
        extra = found.group(2).strip(" ,;:.-") or None
    else:
        answer, extra = None, text or None
    return Answer(answer, extra, tuple(dict.fromkeys([*notes, *note_numbers(note_cell)])))


def note_numbers(value: Any) -> list[str]:
    """The note numbers a note-reference cell gives ("See Note 2", "Notes 2, 3", 2, "__")."""
    text = cell_text(value)
    if _PLACEHOLDER.fullmatch(text):
        return []
    return [str(int(n)) for n in _NUMBER.findall(text)] if _NOTE_CELL.fullmatch(text) else []


def _strip_note_refs(text: str) -> tuple[str, list[str]]:
    """``text`` without its "See Note N" clauses, and the note numbers they gave."""
    numbers = [str(int(n)) for found in _SEE_NOTE.finditer(text) for n in _NUMBER.findall(found.group(0))]
    stripped = _SEE_NOTE.sub(" ", text)
    return " ".join(stripped.split()).strip(" ,;:.-"), numbers


def note_row(value: Any) -> tuple[str, str] | None:
    """(number, text in the same cell) when ``value`` opens a note ("Note 1", "Note 2: text")."""
    found = _NOTE_ROW.fullmatch(cell_text(value))
    return (str(int(found.group(1))), found.group(2).strip()) if found else None
