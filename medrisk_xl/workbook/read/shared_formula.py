"""A shared formula (Excel writes one formula for a whole column: ``<f t="shared" si="0">`` at the
group's first cell, an empty ``<f t="shared" si="0"/>`` in the others) as each cell of the group
holds it.

openpyxl's :class:`~openpyxl.formula.translate.Translator` tokenizes the formula once but parses
every reference again for every cell: that was most of the time of validating a return saved by
Excel (850 cells a return). Here the formula is split once, at the group's first cell, into fixed
text and parsed references, and a cell's text is the references shifted by its offset: the same
text as openpyxl's translation (the tests compare both on every formula the generator writes),
except that a reference shifted off the sheet's top or left edge reads ``#REF!``, as in Excel,
where openpyxl raises.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.metadata import version

from medrisk_xl.core.parsed_cache import parsed
from medrisk_xl.workbook.cell_names import column_index, column_letter

# The shapes openpyxl's Translator knows (a whole-row range, a whole-column range, a cell).
_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")
MAX_COLUMN = 16384  # XFD


# A reference's relative parts: (True, row number) or (False, column index); absolute ones ($) are
# fixed text.
Part = tuple[bool, int]


def _row(text: str) -> str | Part:
    return text if text.startswith("$") else (True, int(text))


def _column(text: str) -> str | Part:
    return text if text.startswith("$") else (False, column_index(text))


def _pieces(ref: str) -> list[str | Part]:
    """A reference (as the tokenizer gives it) split as openpyxl's ``translate_range`` reads it."""
    sheet, here = ("", ref) if "!" not in ref else (ref.rsplit("!", 1)[0] + "!", ref.rsplit("!", 1)[1])
    if found := _ROW_RANGE.match(here):
        return [sheet, _row(found.group(1)), ":", _row(found.group(2))]
    if found := _COL_RANGE.match(here):
        return [sheet, _column(found.group(1)), ":", _column(found.group(2))]
    if ":" in here:
        out: list[str | Part] = [sheet]
        for i, part in enumerate(here.split(":")):
            out += ([":"] if i else []) + _pieces(part)
        return out
    if found := _CELL.match(here):
        return [sheet, _column(found.group(1)), _row(found.group(2))]
    return [ref]  # a defined name


def _shifted(part: Part, rows: int, columns: int) -> str | None:
    """A relative row or column moved by the offset; None off the sheet's top or left edge."""
    is_row, value = part
    moved = value + (rows if is_row else columns)
    if moved <= 0 or (not is_row and moved > MAX_COLUMN):
        return None
    return str(moved) if is_row else column_letter(moved)


@lru_cache(maxsize=1024)
def _tokens(formula: str) -> tuple[tuple[bool, str], ...]:
    """Each token of ``formula`` (without its ``=``): whether it is a reference, and its text.
    openpyxl's tokenizer is imported here, on first use: only returns saved by Excel share
    formulas, and importing openpyxl costs every other command start 0.15 s."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    return tuple(
        (t.type == Token.OPERAND and t.subtype == Token.RANGE, t.value)
        for t in Tokenizer("=" + formula).items
    )


@lru_cache(maxsize=1024)
def _compiled(formula: str) -> tuple[str, tuple[Part, ...]]:
    """``formula`` as one format template and the relative parts of its references, in order.

    Every return of a campaign shares the same formulas: each is tokenized once per process, and
    kept in the parsed cache, so that a ``validate`` of returns saved by Excel neither tokenizes
    again nor imports openpyxl (0.2 s in each worker process)."""
    template, parts = parsed(_parser(), formula.encode("utf-8"), lambda: _compile(formula))
    return template, tuple((bool(is_row), int(value)) for is_row, value in parts)


@lru_cache(maxsize=1)
def _parser() -> str:
    """What a compiled formula depends on besides its text: the cache key's salt."""
    return f"shared formula 1, openpyxl {version('openpyxl')}"


def _compile(formula: str) -> tuple[str, tuple[Part, ...]]:
    template: list[str] = []
    parts: list[Part] = []
    for ref, text in _tokens(formula):
        for piece in _pieces(text) if ref else [text]:
            if isinstance(piece, str):
                template.append(piece.replace("{", "{{").replace("}", "}}"))
            else:
                template.append("{}")
                parts.append(piece)
    return "".join(template), tuple(parts)


class SharedFormula:
    """The formula of a shared group, written at ``origin`` (row, column), for any cell of it: one
    format template whose fields are the references' relative rows and columns."""

    def __init__(self, formula: str, origin: tuple[int, int]) -> None:
        self.formula = formula
        self.row, self.column = origin
        self._template, self._parts = _compiled(formula)

    def at(self, row: int, column: int) -> str:
        """The formula (without its ``=``) as the cell at (row, column) holds it."""
        rows, columns = row - self.row, column - self.column
        if not rows and not columns:
            return self.formula
        values = [_shifted(part, rows, columns) for part in self._parts]
        if None not in values:
            return self._template.format(*values)
        return self._with_ref_errors(rows, columns)

    def _with_ref_errors(self, rows: int, columns: int) -> str:
        """The formula where a reference moved off the sheet reads ``#REF!``, as Excel shows it."""
        out = []
        for ref, text in _tokens(self.formula):
            if ref:
                moved = [p if isinstance(p, str) else _shifted(p, rows, columns) for p in _pieces(text)]
                out.append("#REF!" if None in moved else "".join(moved))  # type: ignore[arg-type]
            else:
                out.append(text)
        return "".join(out)


def shared_text(group: SharedFormula, row: int, column: int) -> str:
    """What :meth:`SharedFormula.at` gives, kept per process: the returns of a campaign share the
    same groups at the same places."""
    return _shared_text(group.formula, group.row, group.column, row, column)


@lru_cache(maxsize=1 << 16)
def _shared_text(formula: str, origin_row: int, origin_column: int, row: int, column: int) -> str:
    return SharedFormula(formula, (origin_row, origin_column)).at(row, column)
