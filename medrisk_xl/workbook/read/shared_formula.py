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

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import column_index_from_string, get_column_letter

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
    return text if text.startswith("$") else (False, column_index_from_string(text))


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
    return str(moved) if is_row else get_column_letter(moved)


class SharedFormula:
    """The formula of a shared group, written at ``origin`` (row, column), for any cell of it: one
    format template whose fields are the references' relative rows and columns."""

    def __init__(self, formula: str, origin: tuple[int, int]) -> None:
        self.formula = formula
        self.row, self.column = origin
        template: list[str] = []
        self._parts: list[Part] = []
        for token in Tokenizer("=" + formula).items:
            ref = token.type == Token.OPERAND and token.subtype == Token.RANGE
            for piece in _pieces(token.value) if ref else [token.value]:
                if isinstance(piece, str):
                    template.append(piece.replace("{", "{{").replace("}", "}}"))
                else:
                    template.append("{}")
                    self._parts.append(piece)
        self._template = "".join(template)

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
        for token in Tokenizer("=" + self.formula).items:
            if token.type == Token.OPERAND and token.subtype == Token.RANGE:
                moved = [
                    p if isinstance(p, str) else _shifted(p, rows, columns) for p in _pieces(token.value)
                ]
                out.append("#REF!" if None in moved else "".join(moved))  # type: ignore[arg-type]
            else:
                out.append(token.value)
        return "".join(out)
