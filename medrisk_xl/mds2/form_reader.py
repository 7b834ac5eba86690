"""Read an MDS2 form (ANSI/NEMA HN 1-2019) from the workbook a manufacturer publishes.

Nothing is taken from fixed rows or a fixed sheet name: the sheet is the one holding the most
question ids, the id column the one holding most of them, and the question, answer and note
columns are found by their headers ("Question", "Yes, No, N/A, or See Note", "Note #"), else
beside the ids as in NEMA's form. Notes ("Note 1" at the bottom) are joined to the answers that
refer to them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.mds2.answer_text import Answer, cell_text, note_row, read_answer
from medrisk_xl.mds2.form_opening import file_head, read_sheets
from medrisk_xl.mds2.form_refusals import (
    PDF_MAGIC,
    form_2013,
    is_2013_form,
    not_mds2,
    pdf_form,
    unreadable_form,
)
from medrisk_xl.mds2.mds2_form import READ, Mds2Form
from medrisk_xl.method.checks.expected_codes import normalize
from medrisk_xl.method.specs_mds2 import QUESTION_ID
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.read.opening import Unreadable

MIN_IDS = 10  # fewer question ids than this in every sheet: not an MDS2 form
ID_SLIPS = {"SHAD": "SAHD"}  # NEMA's own form writes SHAD-15 for SAHD-15
# DOC-1 to DOC-7 are written in, not answered; these name the form's identity.
TEXT_FIELDS = ("DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5", "DOC-6", "DOC-7")
IDENTITY = {"DOC-1": "manufacturer", "DOC-2": "description", "DOC-3": "model", "DOC-4": "document_id"}
DATE_FIELD = "DOC-7"  # Document Release Date
_ANSWER_HEADER = "yes, no"  # "Yes, No, N/A, or See Note"
_NOTE_HEADERS = ("note #", "note", "notes", "see note", "see notes", "note number")


@dataclass(frozen=True)
class Layout:
    """Where the form stands: its sheet and its 0-based columns."""

    sheet: str
    ids: int
    question: int
    answer: int
    note: int


def read_form(path: str | Path) -> Mds2Form:
    """The form at ``path`` (never modified), or why it is refused (a PDF, the 2013 form, another
    workbook, a file the safe opening refuses): problems are data, nothing is raised."""
    path = Path(path)
    try:
        head = file_head(path)
        if head.startswith(PDF_MAGIC):
            return pdf_form(path)
        sheets = read_sheets(path, head)
    except Unreadable as exc:
        return unreadable_form(path, exc)
    layout = find_layout(sheets)
    if layout is None:
        return form_2013(path) if is_2013_form(sheets) else not_mds2(path)
    return FormRows(path, layout).read(sheets[layout.sheet])


def question_id(value: Any) -> tuple[str | None, bool]:
    """The question id a cell holds (None if none), and whether it was a known slip corrected."""
    text = cell_text(value).upper()
    if not QUESTION_ID.fullmatch(text):
        return None, False
    section, rest = text.split("-", 1)
    if section in ID_SLIPS:
        return f"{ID_SLIPS[section]}-{rest}", True
    return text, False


def find_layout(sheets: dict[str, list[list[Any]]]) -> Layout | None:
    """The sheet and columns of the form, or None when no sheet holds ``MIN_IDS`` question ids."""
    best: tuple[int, str, int] | None = None
    for name, values in sheets.items():
        columns: Counter[int] = Counter()
        seen: set[tuple[int, str]] = set()
        for row in values:
            for col, value in enumerate(row):
                qid = question_id(value)[0]
                if qid is not None and (col, qid) not in seen:
                    seen.add((col, qid))
                    columns[col] += 1
        if columns:
            col, count = columns.most_common(1)[0]
            if best is None or count > best[0]:
                best = (count, name, col)
    if best is None or best[0] < MIN_IDS:
        return None
    _, name, ids = best
    return _columns(name, sheets[name], ids)


def _columns(name: str, values: list[list[Any]], ids: int) -> Layout:
    """The question, answer and note columns by their headers, on rows without a question id."""
    found: dict[str, int] = {}
    for row in values:
        if ids < len(row) and question_id(row[ids])[0] is not None:
            continue
        for col, value in enumerate(row):
            text = normalize(cell_text(value))
            if text == "question":
                found.setdefault("question", col)
            elif text.startswith(_ANSWER_HEADER):
                found.setdefault("answer", col)
            elif text in _NOTE_HEADERS:
                found.setdefault("note", col)
    answer = found.get("answer", ids + 2)
    note = found.get("note", answer + 1)
    return Layout(name, ids, found.get("question", ids + 1), answer, note if note != answer else answer + 1)


def _cell(row: list[Any], col: int) -> Any:
    return row[col] if 0 <= col < len(row) else None


class FormRows:
    """One pass over the form's rows: identity, answers, notes, and the problems found."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.path, self.layout = path, layout
        self.fields: dict[str, str] = {}
        self.answers: dict[str, str | None] = {}
        self.read_answers: dict[str, Answer] = {}
        self.questions: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.rows: dict[str, int] = {}

    def problem(self, code: str, message: Message, severity: str, row: int, col: int) -> None:
        cell = f"{column_letter(col + 1)}{row}"
        self.problems.append(
            Problem(code, message, file=str(self.path), sheet=self.layout.sheet, cell=cell, severity=severity)
        )

    def read(self, values: list[list[Any]]) -> Mds2Form:
        for number, row in enumerate(values, 1):
            qid, slipped = question_id(_cell(row, self.layout.ids))
            if qid is None:
                self._note(row)
            elif qid in self.questions:
                self.problem(
                    "duplicate-question",
                    msg("mds2.duplicate-question", question=qid, first=self.rows[qid], row=number),
                    "warning",
                    number,
                    self.layout.ids,
                )
            else:
                if slipped:
                    written = cell_text(_cell(row, self.layout.ids))
                    said = msg("mds2.corrected-id", written=written, question=qid)
                    self.problem("corrected-id", said, "info", number, self.layout.ids)
                self.rows[qid] = number
                self._question(qid, row, number)
        return self._form()

    def _question(self, qid: str, row: list[Any], number: int) -> None:
        self.questions[qid] = cell_text(_cell(row, self.layout.question))
        value = _cell(row, self.layout.answer)
        if qid in TEXT_FIELDS:
            if cell_text(value):
                self.fields[qid] = cell_text(value)
            return
        answer = read_answer(value, _cell(row, self.layout.note))
        self.answers[qid] = answer.answer
        self.read_answers[qid] = answer
        if answer.free_text:
            self.problem(
                "free-text-answer",
                msg("mds2.free-text-answer", question=qid, answer=answer.extra),
                "info",
                number,
                self.layout.answer,
            )

    def _note(self, row: list[Any]) -> None:
        """A "Note N" row: its text in the same cell or the first filled cell to its right."""
        found = note_row(_cell(row, self.layout.ids))
        if found is None:
            return
        number, text = found
        if not text:
            text = next((cell_text(v) for v in row[self.layout.ids + 1 :] if cell_text(v)), "")
        if text:
            self.notes.setdefault(number, text)

    def _texts(self) -> dict[str, str]:
        """Per question, what the form adds to the answer: the text after it and its notes."""
        texts = {qid: text for qid, text in self.fields.items() if qid not in IDENTITY and qid != DATE_FIELD}
        for qid, answer in self.read_answers.items():
            parts = [answer.extra] if answer.extra else []
            for number in answer.notes:
                if number in self.notes:
                    parts.append(f"Note {number}: {self.notes[number]}")
                else:
                    self.problem(
                        "missing-note",
                        msg("mds2.missing-note", question=qid, note=number),
                        "warning",
                        self.rows[qid],
                        self.layout.note,
                    )
            if parts:
                texts[qid] = " — ".join(parts)
        return texts

    def _form(self) -> Mds2Form:
        texts = self._texts()
        identity = {field: self.fields.get(qid) for qid, field in IDENTITY.items()}
        return Mds2Form(
            path=self.path,
            status=READ,
            sheet=self.layout.sheet,
            date=self.fields.get(DATE_FIELD),
            answers=self.answers,
            texts=texts,
            questions=self.questions,
            notes=self.notes,
            problems=tuple(self.problems),
            **identity,
        )
