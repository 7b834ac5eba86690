"""Why a file is not read as an MDS2 form, one clear message each, saying what to ask for: a PDF,
the older 2013 form, a workbook that is not a form, or a file the safe opening refuses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from medrisk_xl.core.message_templates import text_in
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.mds2.answer_text import cell_text
from medrisk_xl.mds2.mds2_form import NOT_MDS2, UNREADABLE, Mds2Form
from medrisk_xl.workbook.read.opening import Unreadable

PDF_MAGIC = b"%PDF-"
# The 2013 form numbers its sections ("1 AUTOMATIC LOGOFF (ALOF)") and questions ("1-1").
_ID_2013 = re.compile(r"\d{1,2}-\d{1,2}")
_SECTION_2013 = re.compile(r"\d{1,2}\s*[.)]?\s+(automatic logoff|audit controls|authorization)\b.*", re.I)
_TITLE_2013 = re.compile(r".*\bHN\s*1\s*-\s*2013\b.*", re.I)
MIN_2013_IDS = 5


def refused(path: Path, status: str, problem: Problem) -> Mds2Form:
    return Mds2Form(path=path, status=status, problems=(problem,))


def pdf_form(path: Path) -> Mds2Form:
    return refused(
        path,
        UNREADABLE,
        Problem(
            "pdf-form",
            msg("mds2.pdf-form", ask=msg("mds2.ask")),
            file=str(path),
        ),
    )


def unreadable_form(path: Path, exc: Unreadable) -> Mds2Form:
    """The safe opening's refusal, told for a manufacturer's form rather than a department's return."""
    if exc.code in ("active-content", "external-link"):
        return refused(path, UNREADABLE, Problem(exc.code, msg(f"mds2.{exc.code}"), file=str(path)))
    said = msg("mds2.unreadable", reason=FirstSentence(exc.said), code=exc.code, ask=msg("mds2.ask"))
    return refused(path, UNREADABLE, Problem("unreadable", said, file=str(path)))


class FirstSentence(NamedTuple):
    """The first sentence of the opening's refusal (what is wrong, without its advice to a
    department), in the language it is rendered in."""

    said: Message | str

    def text(self, lang: str | None = None) -> str:
        return text_in(self.said, lang).split(". ", 1)[0].rstrip(".")


def is_2013_form(sheets: dict[str, list[list[Any]]]) -> bool:
    """Whether a sheet shows the 2013 form's numbered sections, ids or title."""
    for values in sheets.values():
        ids = 0
        for row in values:
            for value in row:
                text = cell_text(value)
                if _SECTION_2013.fullmatch(text) or _TITLE_2013.fullmatch(text):
                    return True
                ids += bool(_ID_2013.fullmatch(text))
        if ids >= MIN_2013_IDS:
            return True
    return False


def form_2013(path: Path) -> Mds2Form:
    return refused(
        path,
        NOT_MDS2,
        Problem(
            "form-2013",
            msg("mds2.form-2013", ask=msg("mds2.ask")),
            file=str(path),
        ),
    )


def not_mds2(path: Path) -> Mds2Form:
    return refused(
        path,
        NOT_MDS2,
        Problem(
            "not-mds2",
            msg("mds2.not-mds2"),
            file=str(path),
        ),
    )
