"""The computed cells (points, scores, levels) hold the generator's formulas and, when the file
stores cached results, show what the method computes: what the department saw is the method's."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.formulas import normalise
from medrisk_xl.workbook.read.reader import Sheet
from medrisk_xl.workbook.shown import RowView, shown_values

# code -> (1-based row, 1-based column, the generator's formula)
ExpectedFormulas = dict[str, tuple[int, int, str]]


def computed_problems(
    sheet: Sheet,
    view: RowView,
    expected: ExpectedFormulas,
    pack: ContentPack,
    language: Language,
    device: str,
    report: FileReport,
) -> None:
    """Each computed cell of a device holds its formula and shows what the method computes."""
    formula_problems(sheet, shown_values(view, pack, language), expected, device, report)


def formula_problems(
    sheet: Sheet,
    shown: dict[str, Any],
    expected: ExpectedFormulas,
    device: str | None,
    report: FileReport,
) -> None:
    """Each computed cell holds its formula and, when the file stores cached results, shows
    ``shown[code]``: formula-replaced, wrong-cached-value, and one formula-changed for the cells
    whose formula differs."""
    changed: list[tuple[str, str, str, str]] = []  # code, cell, found, expected
    for code, (row, col, formula) in expected.items():
        found = sheet.formula(row, col)
        if found == formula[1:] and (row, col) not in sheet.xml.cached:
            continue  # the generator's formula, nothing cached to compare: the usual case, first
        cell = f"{column_letter(col)}{row}"
        if found is None:
            report.add(
                problem(
                    "formula-replaced",
                    msg("validate.formula-replaced", code=code, value=sheet.value(row, col)),
                    sheet=sheet.name,
                    cell=cell,
                    row=row,
                    device_id=device,
                )
            )
            continue
        # An .ods formula with no reliable A1 spelling is not compared (it is still no constant,
        # and its cached value is still checked below).
        unconverted = (row, col) in sheet.xml.unconverted
        if not unconverted and found != formula[1:] and normalise(found) != normalise(formula):
            changed.append((code, cell, found, formula))
            continue
        if (row, col) in sheet.xml.cached and sheet.value(row, col) != shown[code]:
            report.add(
                problem(
                    "wrong-cached-value",
                    msg(
                        "validate.wrong-cached-value",
                        code=code,
                        value=sheet.value(row, col),
                        expected=shown[code],
                    ),
                    sheet=sheet.name,
                    cell=cell,
                    row=row,
                    device_id=device,
                )
            )
    if changed:
        first_row = min((row for row, _, _ in expected.values()), default=None)
        report.add(_changed_problem(changed, sheet.name, first_row, device))


def _changed_problem(
    changed: list[tuple[str, str, str, str]], sheet: str, row: int | None, device: str | None
) -> Problem:
    """One formula-changed for the changed cells (several are usually rows moved by hand)."""
    if len(changed) == 1:
        code, _, found, formula = changed[0]
        message = msg(
            "validate.formula-changed", code=code, found=short_formula(found), expected=short_formula(formula)
        )
    else:
        message = msg("validate.formulas-changed", count=len(changed), codes=", ".join(c[0] for c in changed))
    return problem("formula-changed", message, sheet=sheet, cell=changed[0][1], row=row, device_id=device)


def short_formula(formula: str, limit: int = 70) -> str:
    """A formula cut to ``limit`` characters for a message."""
    return formula if len(formula) <= limit else formula[: limit - 1] + "…"
