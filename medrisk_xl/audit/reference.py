"""The reference workbook: what the generator writes for a workbook, rebuilt from its ``_meta``.

The specification of a workbook is the generator itself: from the ``_meta`` sheet (language,
layout, content pack, the device rows as generated, the input sheet's columns, the form sheets,
the risk register's rows) the plan is rebuilt and written again by the same code that wrote the
original. Every formula, dropdown, lock and list-sheet value of the reference is then what the
original must hold; and a reference written with answers filled in carries, as cached values, what
every computed cell must show for them (the writer computes them with the reference scorer and
its register twin).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.reader import Workbook, form_sheets, grid_columns
from medrisk_xl.workbook.read.register_reader import ANSWERS, read_register_rows, register_span
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.plan import SheetRow, WorkbookPlan

# _meta keys that fix the structure: the reference must reproduce them exactly.
STRUCTURE_KEYS = (
    contract.Meta.LAYOUT,
    contract.Meta.PREVIOUS,
    contract.Meta.LISTS_SHEET,
    contract.Meta.INPUT_SHEET,
    contract.Meta.CODE_ROW,
    contract.Meta.HEADER_ROW,
    contract.Meta.FIRST_ROW,
    contract.Meta.LAST_ROW,
    contract.Meta.FIRST_SPARE_ROW,
    contract.Meta.COLUMNS,
    contract.Meta.FORMS,
    contract.Meta.REGISTER_SHEET,
    contract.Meta.REGISTER_FIRST_ROW,
    contract.Meta.REGISTER_LAST_ROW,
    contract.Meta.REGISTER_COLUMNS,
    contract.Meta.CHANGE_SHEET,
    contract.Meta.VULNERABILITY_BY,
    contract.Meta.LOCK_PREFILLED,
)
PASSWORD = "medrisk-xl-audit"  # the reference's own (never compared: validate checks passwords)


class RebuildError(Exception):
    """The workbook's _meta does not describe a workbook the generator can write again (``said``:
    why, as a message of the catalogue)."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.said = msg(f"audit.rebuild.{key}", **params)
        super().__init__(self.said.text())


def rebuild_plan(book: Workbook, pack: ContentPack) -> WorkbookPlan:
    """The plan the generator wrote ``book`` from, as far as formulas, dropdowns and locks go:
    layout, columns, device and free rows, pre-filled answers (identity texts do not matter), and
    the risk register with its rows as returned (a register sheet named in _meta)."""
    meta = book.meta
    try:
        layout = meta[contract.Meta.LAYOUT]
        language = meta[contract.Meta.LANGUAGE]
        created = dt.datetime.fromisoformat(meta.get(contract.Meta.CREATED) or "2000-01-01T00:00:00")
    except (KeyError, ValueError) as exc:
        raise RebuildError("meta-incomplete", missing=str(exc)) from None
    if language not in pack.languages:
        raise RebuildError("language", language=language)
    vulnerability_by = contract.vulnerability_by(meta)
    if vulnerability_by not in contract.VULNERABILITY_BYS:
        raise RebuildError("vulnerability-by", value=vulnerability_by)
    if not book.meta_rows and not meta.get(contract.Meta.FIRST_SPARE_ROW) and layout == "grid":
        raise RebuildError("no-rows")
    codes = _identity_codes(book, pack)
    places = {r[contract.META_ROWS_PLACE]: r for r in book.meta_rows}
    if layout == "form":
        rows = [_row(places.get(name), codes) for name in form_sheets(book)]
        for name, row in zip(form_sheets(book), rows):
            row.answers = _form_prefill(book, name, pack)
    elif layout == "grid":
        rows = _grid_rows(book, pack, codes, places)
    else:
        raise RebuildError("layout", layout=layout)
    if not rows:
        raise RebuildError("no-row-no-form")
    register = bool(meta.get(contract.Meta.REGISTER_SHEET))
    return WorkbookPlan(
        campaign=meta.get(contract.Meta.CAMPAIGN, ""),
        department=meta.get(contract.Meta.DEPARTMENT) or None,
        site=meta.get(contract.Meta.SITE) or None,
        identity=[(code, code) for code in codes],
        rows=rows,
        language=language,
        password=PASSWORD,
        created=created,
        per=meta.get(contract.Meta.PER, "device"),
        layout=layout,
        split_by=meta.get(contract.Meta.SPLIT_BY, "department"),
        scope=meta.get(contract.Meta.SCOPE, ""),
        register=register,
        register_rows=register_answers(book) if register else [],
        vulnerability_by=vulnerability_by,
        lock_prefilled=meta.get(contract.Meta.LOCK_PREFILLED) == "1",
        previous=contract.previous_campaign(meta),
        device_status=contract.DEVICE_STATUS_CODE in meta.get(contract.Meta.COLUMNS, "").split(","),
    )


def register_answers(book: Workbook) -> list[dict[str, Any]]:
    """What the answer cells of every generated register row hold (code -> value, None when
    empty), one dict per row from the first to the last row of _meta: as many rows as the
    generator wrote, so that the reference has the same rows, and its cached values are what the
    register shows for the answers as returned. Rows of a lost sheet are empty."""
    first, last = register_span(book)
    found = {row.row: row.values for row in read_register_rows(book)}
    out = []
    for r in range(first, last + 1):
        values = found.get(r, {})
        out.append({code: None if values.get(code, "") == "" else values[code] for code in ANSWERS})
    return out


def _identity_codes(book: Workbook, pack: ContentPack) -> list[str]:
    """Identity column codes, in order: the input sheet's columns before the first answer (grid),
    or the _meta device rows' header (form)."""
    columns = [c for c in book.meta.get(contract.Meta.COLUMNS, "").split(",") if c]
    first = pack.method.codes[0]
    if first in columns:
        return columns[: columns.index(first)]
    forms = form_sheets(book)
    sheet = book.sheet(forms[0]) if forms else None
    if sheet is None:
        raise RebuildError("no-sheet")
    codes = []
    for r in range(1, sheet.n_rows + 1):  # a form's code column: identity codes, then answers
        code = sheet.value(r, contract.FORM_CODE_COL + 1)
        if code == first:
            return codes
        if isinstance(code, str) and code:
            codes.append(code)
    raise RebuildError("form-no-row", sheet=forms[0], code=first)


def _grid_rows(
    book: Workbook, pack: ContentPack, codes: list[str], places: dict[str, dict[str, str]]
) -> list[SheetRow]:
    """The rows of a grid workbook as generated: identity from _meta, pre-filled answers from the
    hidden helpers, and a free row's id as the department typed it (it then shows its results)."""
    meta = book.meta
    first, last = int(meta[contract.Meta.FIRST_ROW]), int(meta[contract.Meta.LAST_ROW])
    spare = int(meta.get(contract.Meta.FIRST_SPARE_ROW) or last + 1)
    rows = [_row(places.get(str(r)), codes, spare=r >= spare) for r in range(first, last + 1)]
    prefill = _grid_prefill(book, pack)
    sheet, id_col = book.sheet(meta[contract.Meta.INPUT_SHEET]), grid_columns(book).get("ID")
    for r, row in zip(range(first, last + 1), rows):
        row.answers = prefill.get(r, {})
        ident = sheet.value(r, id_col) if sheet and id_col else ""
        if ident != "":
            row.identity["ID"] = str(ident)
        else:
            row.identity.pop("ID", None)
    return rows


def _row(generated: Mapping[str, str] | None, codes: Sequence[str], spare: bool = False) -> SheetRow:
    if generated is None:
        return SheetRow({}, spare=True)
    identity = {code: generated.get(code, "") for code in codes if generated.get(code)}
    return SheetRow(
        identity, spare=spare, devices=[identity.get("ID", "")], carried=contract.carried_codes(generated)
    )


def _option(pack: ContentPack, code: str, points: Any) -> int | None:
    """The option a pre-filled points cell stands for."""
    if isinstance(points, float) and points.is_integer():
        points = int(points)
    options = pack.method.answer_points(code)
    return options.index(points) if isinstance(points, int) and points in options else None


def _grid_prefill(book: Workbook, pack: ContentPack) -> dict[int, dict[str, int]]:
    """Row -> pre-filled answers, read from the hidden pre-filled points columns."""
    sheet = book.sheet(book.meta.get(contract.Meta.INPUT_SHEET, ""))
    if sheet is None:
        raise RebuildError("input-missing")
    cols = grid_columns(book)
    first, last = int(book.meta[contract.Meta.FIRST_ROW]), int(book.meta[contract.Meta.LAST_ROW])
    out: dict[int, dict[str, int]] = {}
    for code in pack.method.codes:
        col = cols.get(contract.prefill_code(code))
        if col is None:
            continue
        for r in range(first, last + 1):
            index = _option(pack, code, sheet.value(r, col))
            if index is not None:
                out.setdefault(r, {})[code] = index
    prefilled = [c for c in pack.method.codes if contract.prefill_code(c) in cols]
    if prefilled and not any(c in a for a in out.values() for c in prefilled):
        # The layout keeps a pre-filled column only when a row uses it: keep it in the reference.
        out.setdefault(first, {}).update({c: 0 for c in prefilled})
    return out


def _form_prefill(book: Workbook, name: str, pack: ContentPack) -> dict[str, int]:
    sheet = book.sheet(name)
    if sheet is None:
        raise RebuildError("form-missing", sheet=name)
    out: dict[str, int] = {}
    for r in range(1, sheet.n_rows + 1):
        code = sheet.value(r, contract.FORM_CODE_COL + 1)
        if code in pack.method.codes:
            index = _option(pack, code, sheet.value(r, contract.FORM_PREFILL_COL + 1))
            if index is not None:
                out[code] = index
    return out


def build_reference(plan: WorkbookPlan, pack: ContentPack) -> bytes:
    """The reference workbook's bytes."""
    return build_workbook(plan, pack)


def structure_differences(book: Workbook, reference_meta: Mapping[str, str]) -> list[str]:
    """The structure keys of _meta where the rebuilt reference differs from the workbook."""
    return [key for key in STRUCTURE_KEYS if (book.meta.get(key) or "") != (reference_meta.get(key) or "")]


def read_meta(data: bytes) -> dict[str, str]:
    """The _meta pairs of workbook bytes (the reference)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {
            str(row[0]): "" if row[1] is None else str(row[1])
            for row in wb[contract.META_SHEET].iter_rows(max_col=2, values_only=True)
            if row[0]
        }
    finally:
        wb.close()
