"""The form sheets (one device per sheet, codes in column A): each is there with its codes, holds
the inventory's id, and its answers and computed cells are right; returns the devices read."""

from __future__ import annotations

from collections import Counter

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.checks.answers import answer_problems, count_key, device_counts, read_prefill
from medrisk_xl.validate.checks.computed_cells import computed_problems
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import DeviceRow, FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.formulas import form_formulas
from medrisk_xl.workbook.lists import Lists, make_lists
from medrisk_xl.workbook.read.reader import Sheet, Workbook, form_sheets
from medrisk_xl.workbook.shown import RowView, view_row

CODE_COL = contract.FORM_CODE_COL + 1  # 1-based columns of a form sheet
VALUE_COL = contract.FORM_VALUE_COL + 1
PREFILL_COL = contract.FORM_PREFILL_COL + 1


def check_forms(book: Workbook, pack: ContentPack, language: Language, report: FileReport) -> list[DeviceRow]:
    """Check every form sheet the contract lists and return their devices."""
    devices = []
    counts: Counter[str] = Counter()
    expected_rows = {r[contract.META_ROWS_PLACE]: r for r in book.meta_rows}
    lists = make_lists(pack, book.meta[contract.Meta.LISTS_SHEET])
    for name in form_sheets(book):
        sheet = book.sheet(name)
        if sheet is None:
            report.add(problem("sheet-missing", msg("validate.form-missing", sheet=name), sheet=name))
            continue
        rows = _code_rows(sheet)
        if any(code not in rows for code in pack.method.codes):
            report.add(problem("sheet-missing", msg("validate.form-damaged", sheet=name), sheet=name))
            continue
        device = _form_device(sheet, rows, expected_rows.get(name), lists, pack, language, report)
        counts[count_key(device.view)] += 1
        devices.append(device)
    report.devices = device_counts(counts)
    return devices


def _code_rows(sheet: Sheet) -> dict[str, int]:
    """Each code of column A -> its 1-based row."""
    return {
        sheet.value(r, CODE_COL): r
        for r in range(1, sheet.n_rows + 1)
        if isinstance(sheet.value(r, CODE_COL), str)
    }


def _form_device(
    sheet: Sheet,
    rows: dict[str, int],
    gen: dict[str, str] | None,
    lists: Lists,
    pack: ContentPack,
    language: Language,
    report: FileReport,
) -> DeviceRow:
    """The device of a form sheet with its problems reported (``gen``: its contract row)."""
    m, name = pack.method, sheet.name
    values = {code: sheet.value(rows[code], VALUE_COL) for code in m.codes}
    pre: dict[str, int] = {}
    for code in m.codes:  # C1 from the CE class, items from an MDS2 form
        read_prefill(pre, m, code, sheet.value(rows[code], PREFILL_COL))
    device_id = str(sheet.value(rows["ID"], VALUE_COL)) if "ID" in rows else ""
    if gen and gen.get("ID") and gen["ID"] != device_id:
        report.add(
            problem(
                "identity-changed",
                msg("validate.form-identity-changed", value=device_id, expected=gen["ID"]),
                sheet=name,
                cell=f"{column_letter(VALUE_COL)}{rows['ID']}",
                device_id=gen["ID"],
            )
        )
    view = view_row(values, pack, language, pre)
    label = device_id or name
    cells = {c: f"{column_letter(VALUE_COL)}{rows[c]}" for c in m.codes}
    answer_problems(view, values, cells, name, rows[m.codes[0]], label, report)
    _form_computed_problems(sheet, rows, view, lists, pack, language, label, report)
    identity = {
        str(sheet.value(r, CODE_COL)): sheet.value(r, VALUE_COL)
        for r in range(rows.get("ID", 1), rows[m.codes[0]])
        if isinstance(sheet.value(r, CODE_COL), str) and sheet.value(r, CODE_COL)
    }
    return DeviceRow(label, rows[m.codes[0]], view, identity=identity, sheet=name)


def _form_computed_problems(
    sheet: Sheet,
    rows: dict[str, int],
    view: RowView,
    lists: Lists,
    pack: ContentPack,
    language: Language,
    label: str,
    report: FileReport,
) -> None:
    """The points (column H) and results (column G) of a form hold the generator's formulas."""
    m = pack.method
    answer_rows = {c: rows[c] - 1 for c in m.codes}
    result_rows = {c: rows[c] - 1 for c in contract.RESULT_CODES if c in rows}
    if len(result_rows) != len(contract.RESULT_CODES):
        report.add(
            problem("sheet-missing", msg("validate.form-results-lost", sheet=sheet.name), sheet=sheet.name)
        )
        return
    prefilled = tuple(c for c in m.codes if isinstance(sheet.value(rows[c], PREFILL_COL), int))
    made = form_formulas(answer_rows, result_rows, lists, m.criterion_codes, m.items, prefilled)
    # code -> 0-based (row, column) of its formula
    places = {contract.points_code(c): (r, contract.FORM_POINTS_COL) for c, r in answer_rows.items()}
    places |= {c: (r, contract.FORM_VALUE_COL) for c, r in result_rows.items()}
    expected = {code: (r + 1, c + 1, made[(r, c)]) for code, (r, c) in places.items()}
    computed_problems(sheet, view, expected, pack, language, label, report)
