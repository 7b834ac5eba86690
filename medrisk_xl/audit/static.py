"""Static audit: the workbook against its reference (what the generator writes for it), part by part.

Compared: every formula cell (text, without case or spaces); the functions used (only those every
engine supports, no volatile one); defined names and external links; the sheets and their
visibility; every dropdown (its list, and whether it refuses other values); the lock of every
answer and formula cell and each sheet's protection; every value of the list sheet (labels,
points, thresholds, matrix, and with a risk register its lists, scale ranks, severity ×
probability grid and proposals: the data the formulas read). The register sheet, the change form
and the forms' proposals for the register are compared as every other sheet, with the same codes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook as XlBook

from medrisk_xl.audit.finding_codes import finding
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.engines import norm
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import normalise
from medrisk_xl.workbook.lint import lint_formula

VOLATILE = frozenset(
    {"NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY", "OFFSET", "INDIRECT", "CELL", "INFO"}
)
_FUNCTION = re.compile(r"([A-Z][A-Z0-9._]*)\s*\(")
_STRING = re.compile(r'"(?:[^"]|"")*"')
MAX_LISTED = 20  # findings of one kind listed per sheet before they are summed up


def formula_text(value: Any) -> str | None:
    """The formula a cell holds (openpyxl gives text, or an array formula object), else None."""
    text = getattr(value, "text", value)
    return text if isinstance(text, str) and text.startswith("=") else None


def functions(formula: str) -> set[str]:
    """Function names a formula calls (string literals left out)."""
    return {name.upper() for name in _FUNCTION.findall(_STRING.sub('""', formula))}


def cell_name(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _cells(ws) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


def audit_static(path: Path, original: XlBook, reference: XlBook) -> tuple[list[Problem], dict[str, int]]:
    """Every difference between ``original`` and ``reference`` that matters to the method, and
    what was compared (counts)."""
    out: list[Problem] = []
    counts = {"formulas": 0, "dropdown_cells": 0, "list_cells": 0, "answer_cells": 0, "sheets": 0}
    out += _links(path, original)
    out += _names(original, reference)
    out += _sheets(original, reference, counts)
    for ref_ws in reference.worksheets:
        if ref_ws.title not in original.sheetnames:
            continue
        ws = original[ref_ws.title]
        out += _formulas(ws, ref_ws, counts)
        out += _dropdowns(ws, ref_ws, counts)
        out += _locks(ws, ref_ws, counts)
    lists = reference.defined_names and _lists_name(reference)
    if lists and lists in original.sheetnames:
        out += _list_values(original[lists], reference[lists], counts)
    return out, counts


def _lists_name(reference: XlBook) -> str | None:
    meta = reference[contract.META_SHEET]
    for key, value in meta.iter_rows(max_col=2, values_only=True):
        if key == contract.Meta.LISTS_SHEET:
            return str(value)
    return None


def _links(path: Path, original: XlBook) -> list[Problem]:
    out = []
    with zipfile.ZipFile(path) as z:
        links = [n for n in z.namelist() if n.lower().startswith("xl/externallinks/")]
    if links:
        out.append(finding("external-link", msg("audit.external-links", count=len(links), first=links[0])))
    return out


def _names(original: XlBook, reference: XlBook) -> list[Problem]:
    out = []
    want = {name: str(dn.attr_text) for name, dn in reference.defined_names.items()}
    got = {name: str(dn.attr_text) for name, dn in original.defined_names.items()}
    for ws in original.worksheets:  # sheet-scoped names (print areas are the generator's)
        for name, dn in ws.defined_names.items():
            if not name.startswith("_xlnm."):
                got[f"{ws.title}!{name}"] = str(dn.attr_text)
    for name, ref in got.items():
        if "[" in ref or ":\\" in ref or "://" in ref:
            out.append(finding("external-link", msg("audit.name-outside", name=name, ref=ref)))
        elif name not in want and not name.startswith("_xlnm."):
            out.append(finding("unexpected-name", msg("audit.unexpected-name", name=name, ref=ref)))
    for name, ref in want.items():
        if name not in got:
            out.append(finding("name-changed", msg("audit.name-missing", name=name, ref=ref)))
        elif normalise(got[name]) != normalise(ref):
            out.append(
                finding("name-changed", msg("audit.name-changed", name=name, found=got[name], ref=ref))
            )
    return out


def _sheets(original: XlBook, reference: XlBook, counts: dict[str, int]) -> list[Problem]:
    out = []
    want = {ws.title: ws.sheet_state for ws in reference.worksheets}
    counts["sheets"] = len(want)
    for ws in original.worksheets:
        if ws.title not in want:
            state = ws.sheet_state
            code = "unexpected-sheet" if state != "visible" else "added-sheet"
            said = msg("audit.sheet-added", sheet=ws.title, state=_state(state))
            out.append(finding(code, said, sheet=ws.title))
        elif ws.sheet_state != want[ws.title]:
            out.append(
                finding(
                    "sheet-state",
                    msg(
                        "audit.sheet-state",
                        sheet=ws.title,
                        state=_state(ws.sheet_state),
                        expected=_state(want[ws.title]),
                    ),
                    sheet=ws.title,
                )
            )
    for title in want:
        if title not in original.sheetnames:
            out.append(finding("sheet-missing", msg("audit.sheet-missing", sheet=title), sheet=title))
    for ws in original.chartsheets:
        out.append(finding("unexpected-sheet", msg("audit.chart-sheet", sheet=ws.title)))
    return out


def _capped(found: list[Problem], code: str, sheet: str) -> list[Problem]:
    """At most MAX_LISTED findings of ``code`` on a sheet; the rest summed up in one."""
    mine = [p for p in found if p.code == code]
    if len(mine) <= MAX_LISTED:
        return found
    rest = len(mine) - MAX_LISTED
    kept = [p for p in found if p.code != code] + mine[:MAX_LISTED]
    return [*kept, finding(code, msg("audit.more-cells", count=rest), sheet=sheet)]


def _state(state: str) -> Message | str:
    """A sheet's state (visible, hidden, veryHidden) in words."""
    return msg(f"audit.sheet_state.{state}") if state in ("visible", "hidden", "veryHidden") else state


def _formulas(ws, ref_ws, counts: dict[str, int]) -> list[Problem]:
    out: list[Problem] = []
    want: dict[tuple[int, int], str] = {}
    for cell in _cells(ref_ws):
        text = formula_text(cell.value)
        if text:
            want[(cell.row, cell.column)] = text
    counts["formulas"] += len(want)
    got: dict[tuple[int, int], str] = {}
    for cell in _cells(ws):
        text = formula_text(cell.value)
        if text:
            got[(cell.row, cell.column)] = text
    names = {}
    for pos, text in sorted(got.items()):
        where = {"sheet": ws.title, "cell": cell_name(*pos)}
        called = functions(text)
        volatile = called & VOLATILE
        if volatile:
            said = msg("audit.volatile-function", functions=", ".join(sorted(volatile)), formula=text)
            out.append(finding("volatile-function", said, **where))
        else:
            problems = lint_formula(text, names)
            if problems:
                said = msg("audit.function-not-allowed", problem=problems[0], formula=text)
                out.append(finding("function-not-allowed", said, **where))
        if pos not in want:
            out.append(finding("formula-added", msg("audit.formula-added", formula=text), **where))
    for pos, text in sorted(want.items()):
        where = {"sheet": ws.title, "cell": cell_name(*pos)}
        found = got.get(pos)
        if found is None:
            value = ws.cell(*pos).value
            said = (
                msg("audit.formula-emptied", formula=text)
                if value is None
                else msg("audit.formula-replaced", value=repr(value), formula=text)
            )
            out.append(finding("formula-replaced", said, **where))
        elif normalise(found) != normalise(text):
            out.append(
                finding("formula-changed", msg("audit.formula-changed", found=found, formula=text), **where)
            )
    for code in ("formula-changed", "formula-replaced", "formula-added", "function-not-allowed"):
        out = _capped(out, code, ws.title)
    return out


def _validations(ws) -> dict[tuple[int, int], tuple[str, str, bool]]:
    """Cell -> (type, source, strict) of every data validation of a sheet; strict: a value
    outside the list is refused (a suggestion list, like the register's libraries, is not)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        key = (str(dv.type), normalise(str(dv.formula1 or "")), bool(dv.showErrorMessage))
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    out[(r, c)] = key
    return out


def _strictness(strict: bool) -> Message:
    return msg("audit.strict") if strict else msg("audit.lenient")


def _dropdowns(ws, ref_ws, counts: dict[str, int]) -> list[Problem]:
    want, got = _validations(ref_ws), _validations(ws)
    counts["dropdown_cells"] += len(want)
    out = []
    for pos, (kind, source, strict) in sorted(want.items()):
        found = got.get(pos)
        where = {"sheet": ws.title, "cell": cell_name(*pos)}
        if found is None:
            out.append(
                finding(
                    "dropdown-missing",
                    msg("audit.dropdown-missing", source=source),
                    **where,
                )
            )
        elif found[:2] != (kind, source):
            out.append(
                finding(
                    "dropdown-changed", msg("audit.dropdown-changed", found=found[1], source=source), **where
                )
            )
        elif found[2] != strict:
            out.append(
                finding(
                    "dropdown-changed",
                    msg(
                        "audit.dropdown-strictness",
                        source=source,
                        found=_strictness(found[2]),
                        expected=_strictness(strict),
                    ),
                    **where,
                )
            )
    for code in ("dropdown-missing", "dropdown-changed"):
        out = _capped(out, code, ws.title)
    return out


def _locks(ws, ref_ws, counts: dict[str, int]) -> list[Problem]:
    out = []
    if ref_ws.protection.sheet and not ws.protection.sheet:
        out.append(
            finding("protection-removed", msg("audit.protection-removed", sheet=ws.title), sheet=ws.title)
        )
    for cell in _cells(ref_ws):
        ref_locked = cell.protection.locked if cell.has_style else True
        here = ws.cell(cell.row, cell.column)
        locked = here.protection.locked if here.has_style else True
        where = {"sheet": ws.title, "cell": cell.coordinate}
        if not ref_locked:
            counts["answer_cells"] += 1
            if locked:
                out.append(finding("answer-locked", msg("audit.answer-locked"), **where))
        elif formula_text(cell.value) and not locked:
            out.append(finding("formula-unlocked", msg("audit.formula-unlocked"), **where))
    for cell in _cells(ws):  # every other cell stays locked
        if cell.has_style and not cell.protection.locked:
            ref = ref_ws.cell(cell.row, cell.column)
            if (ref.protection.locked if ref.has_style else True) and not formula_text(ref.value):
                out.append(
                    finding(
                        "cell-unlocked",
                        msg("audit.cell-unlocked"),
                        sheet=ws.title,
                        cell=cell.coordinate,
                    )
                )
    for code in ("answer-locked", "formula-unlocked", "cell-unlocked"):
        out = _capped(out, code, ws.title)
    return out


def _list_values(ws, ref_ws, counts: dict[str, int]) -> list[Problem]:
    out = []
    seen = set()
    for cell in _cells(ref_ws):
        seen.add((cell.row, cell.column))
        want = norm(cell.value)
        got = norm(ws.cell(cell.row, cell.column).value)
        counts["list_cells"] += 1 if want != "" else 0
        if got != want:
            out.append(
                finding(
                    "list-data-changed",
                    msg("audit.list-data-changed", found=repr(got), expected=repr(want)),
                    sheet=ws.title,
                    cell=cell.coordinate,
                )
            )
    for cell in _cells(ws):
        if (cell.row, cell.column) not in seen and norm(cell.value) != "":
            out.append(
                finding(
                    "list-data-changed",
                    msg("audit.list-data-added", value=repr(cell.value)),
                    sheet=ws.title,
                    cell=cell.coordinate,
                )
            )
    return _capped(out, "list-data-changed", ws.title)
