"""Test helpers: read a generated workbook through its contract, fill it as a user would."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import range_boundaries

from medrisk_xl.workbook import contract


@dataclass(frozen=True)
class Typed:
    """A formula typed into an answer cell, and the value it computes."""

    formula: str
    value: object


@dataclass(frozen=True, eq=False)  # 0, 0.0 and False stay three different pastes
class Raw:
    """A value pasted or typed into an answer cell as it is: a number, a boolean, a date, an
    error value ("#N/A"...) or a text, stored with the type a spreadsheet gives it."""

    value: object


def _put(cell, choice, options: list[str] | None) -> None:
    """Write a choice as a user would: an option index from the cell's dropdown, a pasted text,
    a typed formula, a raw value (:class:`Raw`), or None to clear the cell."""
    if choice is None:
        cell.value = None
    elif isinstance(choice, Typed):
        cell.value = choice.formula
    elif isinstance(choice, Raw):
        cell.value = choice.value  # openpyxl stores "#N/A"... as an error value, numbers as numbers
    elif isinstance(choice, str):
        cell.value = choice
        cell.data_type = "s"  # a pasted text stays text, even "=..." or ""
    else:
        assert options is not None, f"{cell.coordinate} has no dropdown"
        cell.value = options[choice]


@dataclass
class Book:
    wb: openpyxl.Workbook
    meta: dict[str, str]

    @property
    def input(self):
        return self.wb[self.meta["input_sheet"]]

    @property
    def lists(self):
        return self.wb[self.meta["lists_sheet"]]

    @property
    def columns(self) -> dict[str, int]:
        """Column code -> 1-based column, read from the code row."""
        row = int(self.meta["code_row"])
        return {c.value: c.column for c in self.input[row] if c.value}

    @property
    def rows(self) -> range:
        return range(int(self.meta["first_row"]), int(self.meta["last_row"]) + 1)

    @property
    def register(self):
        return self.wb[self.meta["register_sheet"]]

    def dropdowns(self, ws=None) -> dict[str, list[str]]:
        """Cell coordinate -> the options of the list validation covering it (input sheet by
        default)."""
        return dropdowns(self.wb, self.input if ws is None else ws)

    def resolve(self, formula: str) -> list[str]:
        return resolve(self.wb, formula)


def resolve(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The cells of the list sheet range a dropdown's formula names (``='Listes'!$B$2:$B$4``), or
    the options of an inline list (``"Oui"``)."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    m = re.fullmatch(r"=?'?(.+?)'?!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", formula)
    assert m, formula
    ws = wb[m.group(1).replace("''", "'")]
    return [c.value for row in ws[f"{m.group(2)}{m.group(3)}:{m.group(4)}{m.group(5)}"] for c in row]


def dropdowns(wb: openpyxl.Workbook, ws) -> dict[str, list[str]]:
    """Cell coordinate -> the options of the list validation covering it, on sheet ``ws``: what a
    user picks from."""
    out: dict[str, list[str]] = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        options = resolve(wb, dv.formula1)
        for rng in str(dv.sqref).split():
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    out[ws.cell(r, c).coordinate] = options
    return out


def open_book(path: Path, data_only: bool = False) -> Book:
    wb = openpyxl.load_workbook(path, data_only=data_only)
    meta_ws = wb["_meta"]
    meta = {row[0]: (row[1] or "") for row in meta_ws.iter_rows(values_only=True) if row[0]}
    return Book(wb, meta)


def fill(path: Path, out: Path, answers_by_row: dict[int, dict[str, object]]) -> None:
    """Write into unlocked cells only: answers taken from the cell's own dropdown (an int is an
    option index), pasted texts, typed formulas (:class:`Typed`), or None to clear."""
    book = open_book(path)
    cols = book.columns
    dropdowns = book.dropdowns()
    for row, answers in answers_by_row.items():
        for code, choice in answers.items():
            cell = book.input.cell(row, cols[code])
            assert cell.protection.locked is False, f"{cell.coordinate} is locked"
            _put(cell, choice, dropdowns.get(cell.coordinate))
    book.wb.save(out)


def fill_register(path: Path, out: Path, answers_by_row: dict[int, dict[str, object]]) -> None:
    """Fill rows of the risk register sheet (by 1-based row) as :func:`fill` fills the input sheet."""
    book = open_book(path)
    ws = book.register
    code_row = int(book.meta["code_row"])
    cols = {c.value: c.column for c in ws[code_row] if c.value}
    dropdowns = book.dropdowns(ws)
    for row, answers in answers_by_row.items():
        for code, choice in answers.items():
            cell = ws.cell(row, cols[code])
            assert cell.protection.locked is False, f"{cell.coordinate} is locked"
            _put(cell, choice, dropdowns.get(cell.coordinate))
    book.wb.save(out)


def random_answers(rng: random.Random, codes_crit: list[str], codes_vuln: list[str]) -> dict[str, int]:
    return {**{c: rng.randrange(4) for c in codes_crit}, **{v: rng.randrange(3) for v in codes_vuln}}


def form_rows(ws) -> dict[str, int]:
    """Code (column A) -> row of a form sheet."""
    return {c.value: c.row for c in ws["A"] if isinstance(c.value, str) and c.value}


def fill_forms(path: Path, out: Path, answers_by_sheet: dict[str, dict[str, object]]) -> None:
    """Fill form sheets' answer cells (column G) from their own dropdowns, as a user would."""
    import json

    book = open_book(path)
    forms = json.loads(book.meta["forms"])
    for name, answers in answers_by_sheet.items():
        assert name in forms
        ws = book.wb[name]
        rows = form_rows(ws)
        options = {}
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                options[rng.split(":")[0]] = book.resolve(dv.formula1)
        for code, choice in answers.items():
            cell = ws.cell(rows[code], 7)
            assert cell.protection.locked is False, f"{name}!{cell.coordinate} is locked"
            _put(cell, choice, options.get(cell.coordinate))
    book.wb.save(out)


def codes_of(ws) -> dict[str, int]:
    """Column code -> 1-based column, from the code row of an input sheet."""
    return {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}


def column_width(ws, col: int) -> float:
    """The width given to set_column for 1-based ``col`` (the file adds 5 px of a 7 px unit;
    openpyxl keeps a run of equal columns once, as min..max); Excel's default when none is set."""
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max and dim.width:
            return dim.width - 5 / 7
    return 8.43


def hidden_columns(ws) -> set[int]:
    """The 1-based columns the sheet hides (runs of equal columns spread out)."""
    return {c for d in ws.column_dimensions.values() if d.hidden for c in range(d.min, d.max + 1)}
