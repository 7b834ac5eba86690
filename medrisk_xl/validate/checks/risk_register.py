"""The risk register sheet (IEC/TR 80001-2-1): every generated row keeps its id and the
generator's formulas and shows what :func:`register_shown` computes; each filled row's restricted
answers are from their lists and its risk is estimated; rows written below the generated ones are
kept and reported. Returns the filled rows, interpreted (see
:mod:`medrisk_xl.workbook.read.register_reader`)."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.checks.change_form_values import check_change_form
from medrisk_xl.validate.checks.computed_cells import formula_problems
from medrisk_xl.validate.checks.register_rows import assessment_problems, cell_ref, id_problems
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import make_lists, make_register_lists, register_options
from medrisk_xl.workbook.read.reader import Sheet, Workbook
from medrisk_xl.workbook.read.register_reader import (
    RegisterEntry,
    RegisterRow,
    interpret_row,
    read_register_rows,
    register_columns,
    register_span,
)
from medrisk_xl.workbook.shown import register_shown
from medrisk_xl.workbook.write.input_sheet import TEMPLATE_REF, TEMPLATE_ROW
from medrisk_xl.workbook.write.register_sheet import RegisterLayout
from medrisk_xl.workbook.write.register_sheet import row_formulas as register_row_formulas


def check_register(
    book: Workbook, pack: ContentPack, language: Language, report: FileReport
) -> list[RegisterEntry]:
    """Check the risk register sheet and the change form, when ``_meta`` names them, and return
    the register's filled rows, interpreted ([] without a register)."""
    name = book.meta.get(contract.Meta.REGISTER_SHEET)
    if not name:
        return []
    entries = _check_register_sheet(book, name, pack, language, report)
    check_change_form(book, pack, language, report)
    return entries


def _check_register_sheet(
    book: Workbook, name: str, pack: ContentPack, language: Language, report: FileReport
) -> list[RegisterEntry]:
    sheet = book.sheet(name)
    if sheet is None:
        report.add(problem("sheet-missing", msg("validate.register-missing", sheet=name), sheet=name))
        return []
    rows = read_register_rows(book)
    entries = [interpret_row(row, pack, language) for row in rows if row.filled]
    cols = register_columns(sheet)
    damaged = [code for i, code in enumerate(contract.register_codes(), start=1) if cols.get(code) != i]
    if damaged:
        report.add(
            problem(
                "sheet-missing",
                msg("validate.register-code-row-damaged", row=contract.CODE_ROW, codes=", ".join(damaged)),
                sheet=name,
                row=contract.CODE_ROW,
            )
        )
        return entries
    _check_register_rows(book, sheet, rows, entries, cols, pack, language, report)
    return entries


def _check_register_rows(
    book: Workbook,
    sheet: Sheet,
    rows: list[RegisterRow],
    entries: list[RegisterEntry],
    cols: dict[str, int],
    pack: ContentPack,
    language: Language,
    report: FileReport,
) -> None:
    """Each row's answers, risk estimate and computed cells, then the ids not where generated."""
    first, last = register_span(book)
    templates = register_templates(book.meta[contract.Meta.LISTS_SHEET], pack, language)
    options = register_options(pack, language)
    by_row = {e.row.row: e for e in entries}
    moved: list[tuple[int, Any, str]] = []  # row, id found, id generated
    shown: dict[tuple, dict[str, Any]] = {}  # the scale answers -> what the computed cells show
    for row in rows:
        r, generated = row.row, row.row <= last
        label = (
            contract.REGISTER_ID_FORMAT.format(r - first + 1)
            if generated
            else msg("validate.register-row", row=r)
        )
        if generated and row.id != label:
            moved.append((r, row.values.get("REG_ID", ""), label))
        entry = by_row.get(r)
        if entry is not None:
            _invalid_answers(entry, label, sheet.name, cols, options, report)
            assessment_problems(entry, label, sheet.name, cols, report)
        if not generated:
            report.add(
                problem(
                    "register-row-added",
                    msg("validate.register-row-added", last=last),
                    sheet=sheet.name,
                    row=r,
                )
            )
            continue
        expected = {
            code: (r, cols[code], formula.replace(TEMPLATE_REF, str(r)))
            for code, formula in templates.items()
        }
        scales = tuple(row.values.get(code, "") for code in contract.REGISTER_SCALES)
        if scales not in shown:  # most rows are empty: computed once
            shown[scales] = register_shown(dict(zip(contract.REGISTER_SCALES, scales)), pack, language)
        formula_problems(sheet, shown[scales], expected, None, report)
    id_problems(moved, sheet.name, cols, report)


def _invalid_answers(
    entry: RegisterEntry,
    label: str | Message,
    sheet: str,
    cols: dict[str, int],
    options: dict[str, list[str]],
    report: FileReport,
) -> None:
    """invalid-answer for each restricted answer of a filled row that is not from its list."""
    lists = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES}
    r = entry.row.row
    for code in entry.invalid:
        report.add(
            problem(
                "invalid-answer",
                msg(
                    "validate.register-invalid-answer",
                    code=code,
                    label=label,
                    value=entry.row.values[code],
                    options=", ".join(options[lists[code]]),
                ),
                sheet=sheet,
                cell=cell_ref(cols, code, r),
                row=r,
            )
        )


_REGISTER_TEMPLATES: dict[tuple, dict[str, str]] = {}  # the workbooks of a campaign share them


def register_templates(lists_sheet: str, pack: ContentPack, language: Language) -> dict[str, str]:
    """The generator's formulas of a register row, for the template row (code -> formula)."""
    key = (lists_sheet, pack.hash, language.code)
    if key not in _REGISTER_TEMPLATES:
        if len(_REGISTER_TEMPLATES) > 64:
            _REGISTER_TEMPLATES.clear()
        rl = make_register_lists(make_lists(pack, lists_sheet), pack, language)
        _REGISTER_TEMPLATES[key] = register_row_formulas(RegisterLayout(1), rl, TEMPLATE_ROW)
    return _REGISTER_TEMPLATES[key]
