"""The input grid (one device per row): its code row, where each device is, and each device row's
answers and computed cells; returns the devices read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.checks.answers import answer_problems, count_key, device_counts, read_prefill
from medrisk_xl.validate.checks.computed_cells import computed_problems
from medrisk_xl.validate.checks.device_places import GeneratedDevices, check_device_places, rows_by_device
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import DeviceRow, FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.lists import Lists, make_lists
from medrisk_xl.workbook.questions import asked_pack
from medrisk_xl.workbook.read.reader import Sheet, Workbook, grid_columns
from medrisk_xl.workbook.shown import BLANK, RowView, device_status, view_row
from medrisk_xl.workbook.write.input_layout import device_texts, review_texts
from medrisk_xl.workbook.write.input_sheet import TEMPLATE_REF, TEMPLATE_ROW, InputLayout, row_formulas


@dataclass(frozen=True)
class InputGrid:
    """What the contract says of a return's input sheet, read once for all its rows."""

    sheet: Sheet
    cols: dict[str, int]  # code -> 1-based column
    codes: tuple[str, ...]  # the columns' codes, in order
    prefill: tuple[str, ...]  # the criteria with a pre-filled points column
    first: int  # the first device row
    last: int  # the last device row
    first_spare: int  # the first free row (devices added by the department)
    templates: dict[bool, dict[str, str]]  # free row? -> code -> the generator's formula
    expected: GeneratedDevices
    previous: str  # year two: the campaign whose answers were carried over ("" otherwise)
    answer_codes: tuple[str, ...]  # the questions the rows answer, in order


# What a department fills on a row besides the answers: its review (year two), its device status.
ROW_INPUTS = (contract.REVIEW_CODE, contract.DEVICE_STATUS_CODE, contract.DEVICE_NOTE_CODE)


def check_input_grid(
    book: Workbook, pack: ContentPack, language: Language, report: FileReport
) -> list[DeviceRow] | None:
    """Check the input sheet and return its devices; None when it is missing or its codes damaged.
    The rows are read as the workbook asks them (:func:`asked_pack`); its list sheet, as every
    list sheet, holds the whole method."""
    meta = book.meta
    lists = make_lists(pack, meta.get(contract.Meta.LISTS_SHEET, ""))
    pack = asked_pack(pack, contract.vulnerability_by(meta))
    sheet = book.sheet(meta.get(contract.Meta.INPUT_SHEET, ""))
    if sheet is None:
        report.add(
            problem(
                "sheet-missing",
                msg("validate.input-sheet-missing"),
                sheet=meta.get(contract.Meta.INPUT_SHEET),
            )
        )
        return None
    grid = _input_grid(book, sheet, pack, lists, language)
    id_col = grid.cols.get("ID")
    if id_col is None or any(code not in grid.cols for code in pack.method.codes):
        report.add(problem("sheet-missing", msg("validate.code-row-damaged"), sheet=sheet.name))
        return None
    where_is = rows_by_device(sheet, id_col, grid.first, grid.last)
    check_device_places(sheet, where_is, grid.expected, grid.cols, report)
    devices: list[DeviceRow] = []
    counts: Counter[str] = Counter()
    for r in range(grid.first, grid.last + 1):
        device = _device_row(grid, r, id_col, pack, language, report)
        if device is None:
            continue
        counts["added"] += device.added
        counts[count_key(device.view)] += 1
        devices.append(device)
    report.devices = device_counts(counts)
    return devices


def _input_grid(
    book: Workbook, sheet: Sheet, pack: ContentPack, lists: Lists, language: Language
) -> InputGrid:
    meta = book.meta
    codes = tuple(meta.get(contract.Meta.COLUMNS, "").split(","))
    prefill = tuple(c for c in pack.method.codes if contract.prefill_code(c) in codes)
    first, last = int(meta[contract.Meta.FIRST_ROW]), int(meta[contract.Meta.LAST_ROW])
    first_spare = (
        int(meta[contract.Meta.FIRST_SPARE_ROW]) if meta.get(contract.Meta.FIRST_SPARE_ROW) else last + 1
    )
    layout = InputLayout(
        codes, last - first + 1, prefill, review_texts(codes, language), device_texts(codes, language)
    )
    return InputGrid(
        sheet=sheet,
        cols=grid_columns(book),
        codes=codes,
        prefill=prefill,
        first=first,
        last=last,
        first_spare=first_spare,
        templates=row_templates(layout, lists, pack),
        expected={r["ID"]: r for r in book.meta_rows},
        previous=contract.previous_campaign(meta),
        answer_codes=pack.method.codes,
    )


def _device_row(
    grid: InputGrid, r: int, id_col: int, pack: ContentPack, language: Language, report: FileReport
) -> DeviceRow | None:
    """The device of row ``r`` with its problems reported, or None for a blank row."""
    m, sheet, cols = pack.method, grid.sheet, grid.cols
    free = r >= grid.first_spare
    ident = sheet.value(r, id_col)
    device_id = str(ident) if ident != "" else ""
    if not free and device_id and device_id not in grid.expected:
        report.add(
            problem(
                "unexpected-row",
                msg("validate.unexpected-row", row=r, device=device_id),
                sheet=sheet.name,
                row=r,
                device_id=device_id,
            )
        )
    cells = sheet.row(r)
    values = {code: cells[cols[code] - 1] for code in (*m.codes, *ROW_INPUTS) if code in cols}
    reviews = contract.REVIEW_CODE in cols
    pre: dict[str, int] = {}
    for code in grid.prefill:
        read_prefill(pre, m, code, cells[cols[contract.prefill_code(code)] - 1])
    # A row without an id holds a device only once answered (a free row, or a device row
    # whose id was deleted: reported as device-missing).
    carried = () if free else contract.carried_codes(grid.expected.get(device_id, {}))
    view = view_row(
        values, pack, language, pre, free or not device_id, bool(device_id), reviews, bool(carried)
    )
    if view.status == BLANK:
        return None
    label = device_id or f"row {r}"
    answer_cells = {c: f"{column_letter(cols[c])}{r}" for c in (*m.codes, *ROW_INPUTS) if c in cols}
    answer_problems(view, values, answer_cells, sheet.name, r, label, report, grid.previous)
    formulas = {
        code: (r, cols[code], f.replace(TEMPLATE_REF, str(r)))
        for code, f in grid.templates[free].items()
        if code in cols
    }
    computed_problems(sheet, view, formulas, pack, language, label, report)
    if free:
        report.add(
            problem(
                "added-device",
                msg("validate.added-device", device=device_id or msg("where.row", row=r)),
                sheet=sheet.name,
                row=r,
                device_id=label,
            )
        )
    device = _read_device(grid, r, label, view, free, cells, carried)
    if contract.DEVICE_STATUS_CODE in cols:
        device_status_problems(device, values, answer_cells, language, report)
    return device


def _read_device(
    grid: InputGrid, r: int, label: str, view: RowView, free: bool, cells: list, carried: tuple[str, ...]
) -> DeviceRow:
    """What consolidate keeps of a checked device row: its identity, the devices it stands for,
    the answers carried over to it."""
    cols = grid.cols
    group = cols.get("DEVICE_IDS")
    covers = tuple(x.strip() for x in str(cells[group - 1]).split(",") if x.strip()) if group else ()
    identity_codes = grid.codes[: grid.codes.index(grid.answer_codes[0])]
    identity = {code: cells[cols[code] - 1] for code in identity_codes if code in cols}
    return DeviceRow(
        label,
        r,
        view,
        added=free,
        covers=covers or (label,),
        identity=identity,
        sheet=grid.sheet.name,
        carried=carried,
    )


def device_status_problems(
    device: DeviceRow, values: dict, cells: dict[str, str], language: Language, report: FileReport
) -> None:
    """Read the row's device status into ``device``: invalid-answer for a status not in the
    list; device-status (for the inventory team) for any status but present, with the comment."""
    raw, note = values.get(contract.DEVICE_STATUS_CODE), values.get(contract.DEVICE_NOTE_CODE)
    status = device_status(raw, language)
    device.note = None if note in (None, "") else str(note)
    where = {"sheet": device.sheet, "row": device.row, "device_id": device.device_id}
    if status is None:
        message = msg("validate.invalid-answer", code=contract.DEVICE_STATUS_CODE, value=raw)
        report.add(problem("invalid-answer", message, cell=cells[contract.DEVICE_STATUS_CODE], **where))
        return
    device.status = status
    if status != contract.DEVICE_STATUSES[0]:
        comment = f" ({device.note})" if device.note else ""
        report.add(
            problem(
                "device-status",
                msg("validate.device-status", status=msg(f"device_status.{status}"), comment=comment),
                **where,
            )
        )


_TEMPLATES: dict[tuple, dict[bool, dict[str, str]]] = {}  # the workbooks of a campaign share them


def row_templates(layout: InputLayout, lists: Lists, pack: ContentPack) -> dict[bool, dict[str, str]]:
    """The generator's formulas of a device row and of a free row, for the template row."""
    key = (layout.codes, layout.prefill, lists.sheet, pack.hash, pack.method.items)
    if key not in _TEMPLATES:
        if len(_TEMPLATES) > 64:
            _TEMPLATES.clear()
        _TEMPLATES[key] = {
            free: row_formulas(layout, lists, pack.method, TEMPLATE_ROW, free) for free in (False, True)
        }
    return _TEMPLATES[key]
