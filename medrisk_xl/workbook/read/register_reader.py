"""Read the risk register sheet and the change form of a returned workbook (see
:mod:`medrisk_xl.workbook.write.register_sheet` and :mod:`medrisk_xl.workbook.write.change_form`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medrisk_xl.core.matching import INVALID, match_answer
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import list_codes, register_options
from medrisk_xl.workbook.read.reader import Sheet, Workbook

ANSWERS = tuple(
    code for code in contract.REGISTER_CODES if code != "REG_ID" and code not in contract.REGISTER_LEVELS
)  # the cells a department fills in


@dataclass(frozen=True)
class RegisterRow:
    """One row of the register sheet as returned."""

    row: int  # 1-based sheet row
    values: dict[str, Any]  # column code -> cleaned value ("" when empty), computed cells included

    @property
    def id(self) -> str:
        return str(self.values.get("REG_ID", ""))

    @property
    def filled(self) -> bool:
        """The department wrote something in one of the row's answer cells."""
        return any(self.values.get(code, "") != "" for code in ANSWERS)


def register_sheet(book: Workbook) -> Sheet | None:
    """The register sheet, or None when the workbook has none (or lost it)."""
    name = book.meta.get(contract.Meta.REGISTER_SHEET)
    return book.sheet(name) if name else None


def register_columns(sheet: Sheet, code_row: int = contract.CODE_ROW) -> dict[str, int]:
    """Column code -> 1-based column, from the register sheet's code row."""
    return {v: c for c, v in enumerate(sheet.row(code_row), start=1) if isinstance(v, str) and v}


def _meta_int(book: Workbook, key: str, default: int) -> int:
    try:
        return int(book.meta.get(key) or default)
    except ValueError:
        return default


def register_span(book: Workbook) -> tuple[int, int]:
    """The 1-based first and last register rows, as generated."""
    first = _meta_int(book, contract.Meta.REGISTER_FIRST_ROW, contract.FIRST_ROW)
    last = _meta_int(book, contract.Meta.REGISTER_LAST_ROW, first + contract.REGISTER_MIN_ROWS - 1)
    return first, last


def read_register_rows(book: Workbook) -> list[RegisterRow]:
    """Every row of the register sheet from its first row to its last (generated) row and any
    row below holding a value, by the code row's columns."""
    sheet = register_sheet(book)
    if sheet is None:
        return []
    columns = register_columns(sheet)
    first, last = register_span(book)
    end = max(last, sheet.n_rows)
    rows = []
    for r in range(first, end + 1):
        values = {code: sheet.value(r, c) for code, c in columns.items()}
        if r <= last or any(v != "" for v in values.values()):
            rows.append(RegisterRow(r, values))
    return rows


def read_change_form(book: Workbook) -> dict[str, Any]:
    """The change form's values by field code (column A code, column C value)."""
    name = book.meta.get(contract.Meta.CHANGE_SHEET)
    sheet = book.sheet(name) if name else None
    if sheet is None:
        return {}
    out = {}
    for r in range(1, sheet.n_rows + 1):
        code = sheet.value(r, contract.CHANGE_CODE_COL + 1)
        if isinstance(code, str) and code:
            out[code] = sheet.value(r, contract.CHANGE_VALUE_COL + 1)
    return out


@dataclass(frozen=True)
class RegisterEntry:
    """What a register row means, by the matching rule (:mod:`medrisk_xl.core.matching`).

    ``codes`` gives, for each answer restricted to a list (scales, key property, type of control,
    status) and each library answer (hazard, cause, situation) matching a library entry, the
    pack's code of the answer; ``invalid`` the restricted answers holding anything else; the
    levels are the grid's (None while not assessed or when an answer is invalid).
    """

    row: RegisterRow
    codes: dict[str, str]
    invalid: tuple[str, ...]
    initial: int | None
    residual: int | None

    @property
    def texts(self) -> dict[str, str]:
        """Every answer as text ("" when empty)."""
        return {code: str(self.row.values.get(code, "")) for code in ANSWERS}

    @property
    def needs_decision(self) -> bool:
        """A high residual risk: a documented risk/benefit decision is required (7.4.6)."""
        return self.residual == contract.REGISTER_HIGH


def interpret_row(row: RegisterRow, pack: ContentPack, language: Language) -> RegisterEntry:
    """The meaning of ``row`` under ``pack`` in ``language`` (the workbook's)."""
    options = register_options(pack, language)
    reg = pack.register
    lists = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}
    codes: dict[str, str] = {}
    invalid = []
    for code, name in lists.items():
        match = match_answer(row.values.get(code, ""), options[name])
        if isinstance(match, int):
            codes[code] = list_codes(pack, name)[match]
        elif match == INVALID and code not in contract.REGISTER_SUGGESTIONS:
            invalid.append(code)
    levels = {}
    for level, (sev, prob) in contract.REGISTER_LEVELS.items():
        both = sev in codes and prob in codes
        levels[level] = reg.level(codes[sev], codes[prob]) if both else None
    return RegisterEntry(row, codes, tuple(invalid), levels["RISK_INITIAL"], levels["RISK_RESIDUAL"])
