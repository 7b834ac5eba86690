"""Read a device inventory exported by a CMMS (GMAO) as hospitals really export it.

CSV, .xlsx, .xlsm, .xls or .ods (recognised by their bytes), French or English headers; title
rows, grouped headers and other sheets above or before the table are skipped, the table ends at
its first empty row, and what the reader left out or doubts is returned as warnings.
Modules: ``locate`` (file, sheet, header row), ``table`` (header and table end), ``cells``
(numbers and dates), ``fields`` (known columns), ``messages`` (every message text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import Joined, MedriskError, Problem
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.generate.inventory.cells import cell_text, date_text, is_number, parse_date
from medrisk_xl.generate.inventory.fields import (
    CE_CLASS_NAMES,
    Field,
    ce_answer,
    column_choices,
    field_codes,
    known_fields,
    match_columns,
    split_hint,
    unique_headers,
)
from medrisk_xl.generate.inventory.grid import Grid
from medrisk_xl.generate.inventory.locate import Located, locate
from medrisk_xl.generate.inventory.messages import EXPORT_HINT, problem, row_list, row_span, warning
from medrisk_xl.generate.inventory.table import Table, header_texts, table_rows
from medrisk_xl.generate.inventory.text_file import binary_kind, decode

__all__ = [
    "CE_CLASS_NAMES",
    "EXPORT_HINT",
    "Device",
    "Field",
    "Inventory",
    "binary_kind",
    "ce_answer",
    "decode",
    "field_codes",
    "known_fields",
    "match_columns",
    "read_inventory",
]

DATE_FIELDS = ("commissioning_date",)  # read as dates, written dd/mm/yyyy


@dataclass
class Device:
    """One inventory row: known fields by name, other columns by their header."""

    row: int  # line (CSV) or row (sheet) in the source file
    fields: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    ce_answer: int | None = None  # points of C1 given by the CE class, when known

    @property
    def id(self) -> str:
        return self.fields.get("device_id", "")

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def date(self, name: str) -> dt.date | None:
        """The date of a date field (e.g. commissioning_date), None when empty or not a date."""
        return parse_date(self.get(name))


@dataclass
class Inventory:
    source: str
    fields: list[str]  # known fields present, in template order
    extra_columns: list[str]  # headers of other columns, carried along read-only
    devices: list[Device]
    warnings: list[Problem] = field(default_factory=list)
    sheet: str | None = None  # None for a CSV
    header_row: int = 1
    rows_ignored: int = 0  # non-empty rows below the header not read as devices
    rows_warned: int = 0  # rows a warning names

    def summary(self) -> dict[str, Any]:
        """What was read, for campaign.json and the ``generate`` summary."""
        return {
            "file": self.source,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows_read": len(self.devices),
            "rows_ignored": self.rows_ignored,
            "rows_warned": self.rows_warned,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary_text(self, lang: str | None = None) -> str:
        """``export.xlsx, sheet 'Parc', header at row 3: 29 device(s) read, 2 row(s) ignored, …``,
        in ``lang``."""
        where = render("generate.inventory_sheet", lang, sheet=self.sheet) if self.sheet is not None else ""
        return render(
            "generate.inventory",
            lang,
            source=self.source,
            sheet=where,
            row=self.header_row,
            devices=len(self.devices),
            ignored=self.rows_ignored,
            warned=self.rows_warned,
        )


def _existing_file(path: str | Path) -> Path:
    """``path`` as a Path; refused when it is a folder or does not exist."""
    path = Path(path)
    if path.is_dir():
        raise MedriskError([problem("not-a-file", file=str(path))])
    if not path.is_file():
        raise MedriskError([problem("missing-file", file=str(path))])
    return path


def _missing_columns(
    fields: list[Any],
    found: dict[str, int],
    require_columns: tuple[str, ...],
    require_values: tuple[str, ...],
    where: dict[str, Any],
    header_number: int,
) -> list[Problem]:
    """A problem for each field required (always, or by the options) whose column is not found."""
    out = []
    for f in fields:
        if (f.required or f.name in require_columns + require_values) and f.name not in found:
            out.append(
                problem(
                    "missing-column",
                    **where,
                    row=header_number,
                    field=f.name,
                    names=", ".join(f'"{a}"' for a in f.aliases[:3]),
                    split_hint=split_hint(f.name, require_values, found),
                )
            )
    return out


def _choice_warnings(
    headers: list[str], found: dict[str, int], mapping: dict[str, str], where: dict[str, Any], row: int
) -> list[Problem]:
    """A warning for each field the campaign can be split by that several columns could hold:
    which was read, and how to read another (:func:`.fields.column_choices`)."""
    return [
        warning(
            "column-choice",
            **where,
            row=row,
            field=name,
            used=used,
            others=", ".join(others),
            other=others[0],
        )
        for name, used, others in column_choices(headers, found, mapping)
    ]


def _table_warnings(located: Located, table: Table, where: dict[str, Any]) -> list[Problem]:
    """Warnings about the file as found: active content, rows after the table's first blank row."""
    grid = located.grid
    out = []
    if located.active:
        out.append(warning("active-content", **where, what=Joined(tuple(located.active))))
    if table.after_blank:
        numbers = [grid.numbers[i] for i in table.after_blank]
        out.append(
            warning(
                "rows-after-blank",
                **where,
                rows=row_span(numbers[0], numbers[-1], len(numbers)),
                blank=table.blank,
                preview=grid.preview(table.after_blank[0]),
            )
        )
    return out


class DeviceRows:
    """Reads the table's rows into devices one by one; keeps what the warnings need: the rows
    with a numeric id, the hidden rows, the rows left out, the rows warned about."""

    def __init__(
        self,
        grid: Grid,
        headers: list[str],
        found: dict[str, int],
        extra: list[int],
        where: dict[str, Any],
        warnings: list[Problem],
        warned: set[int],
    ) -> None:
        self.grid = grid
        self.headers = headers
        self.found = found
        self.extra = extra
        self.where = where
        self.warnings = warnings
        self.warned = warned
        self.devices: list[Device] = []
        self.numeric_ids: list[tuple[int, str]] = []
        self.hidden: list[int] = []
        self.miscounted: list[int] = []  # CSV rows whose field count differs from the header's
        self.left_out = 0

    def read(self, i: int, miscounted: bool, visible_only: bool) -> None:
        """Row ``i`` of the grid: a device, unless its fields miscount or it is hidden and left out."""
        number, cells = self.grid.numbers[i], self.grid.rows[i]
        if miscounted:
            self.miscounted.append(i)
            return
        if number in self.grid.hidden:
            self.hidden.append(number)
            if visible_only:
                self.left_out += 1
                return
        found, where = self.found, self.where
        values = {name: self.cell(cells, number, idx) for name, idx in found.items()}
        for name in DATE_FIELDS:
            if name in found and values[name]:
                text, is_date = date_text(cells[found[name]] if found[name] < len(cells) else None)
                if is_date:
                    values[name] = text
                else:
                    self.warned.add(number)
                    header = self.headers[found[name]]
                    self.warnings.append(
                        warning("bad-date", **where, row=number, header=header, value=values[name])
                    )
        raw_id = cells[found["device_id"]] if found["device_id"] < len(cells) else None
        if is_number(raw_id) and values["device_id"]:
            self.numeric_ids.append((number, values["device_id"]))
        extra = {self.headers[idx]: self.cell(cells, number, idx) for idx in self.extra}
        self.devices.append(Device(number, values, extra))

    def field_count_problems(self, n_headers: int) -> list[Problem]:
        """A problem for each CSV row whose field count differs from the header's."""
        grid = self.grid
        return [
            problem(
                "field-count", **self.where, row=grid.numbers[i], cells=len(grid.rows[i]), headers=n_headers
            )
            for i in self.miscounted
        ]

    def drop_subtotals(self, others: list[str]) -> int:
        """Drop the rows holding only their id while most rows fill other columns (a subtotal or
        a note); how many."""
        devices = self.devices
        filled = [d for d in devices if any(d.get(name) for name in others)]
        dropped = 0
        if others and len(filled) * 2 > len(devices):
            for device in [d for d in devices if d.id and d not in filled]:
                devices.remove(device)
                dropped += 1
                self.warned.add(device.row)
                self.warnings.append(warning("subtotal-row", **self.where, row=device.row, id=device.id))
        return dropped

    def warn_ids_and_hidden(self, visible_only: bool) -> None:
        """One warning for the numeric ids, one for the hidden rows (left out or not)."""
        numeric_ids, hidden = self.numeric_ids, self.hidden
        if numeric_ids:
            self.warnings.append(
                warning(
                    "numeric-ids",
                    **self.where,
                    count=len(numeric_ids),
                    first=numeric_ids[0][0],
                    example=numeric_ids[0][1],
                )
            )
        if hidden:
            key = "hidden-rows.left-out" if visible_only else "hidden-rows"
            self.warnings.append(warning(key, **self.where, count=len(hidden), rows=row_list(hidden)))
            if not visible_only:
                self.warned.update(hidden)

    def cell(self, cells: list[Any], number: int, idx: int) -> str:
        """The text of a cell, cleaned; a warning when it had to be cut."""
        value = cells[idx] if idx < len(cells) else None
        text, cut = clean_text(cell_text(value))
        if cut:
            self.warned.add(number)
            self.warnings.append(
                warning("text-truncated", **self.where, row=number, header=self.headers[idx])
            )
        return text


def read_inventory(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    require_columns: tuple[str, ...] = (),
    require_values: tuple[str, ...] = (),
    sheet: str | None = None,
    header_row: int | None = None,
    include_after_blank: bool = False,
    visible_only: bool = False,
) -> Inventory:
    """Read and check an inventory; raise :class:`MedriskError` listing every problem.

    ``require_columns`` names fields whose column must exist (e.g. ``cneh`` for ``--per cneh``),
    ``require_values`` fields that every row must fill (e.g. ``department`` to split by it).
    ``sheet`` (a name or a 1-based number) and ``header_row`` override what is found.
    """
    path = _existing_file(path)
    source = path.name
    located = locate(path, mapping or {}, sheet, header_row)
    grid, header = located.grid, located.header
    where = {"file": source, "sheet": grid.sheet}
    header_number = grid.numbers[header]
    raw_headers = grid.rows[header]
    headers = unique_headers(header_texts(raw_headers))
    found, extra, problems = match_columns(headers, mapping or {}, source, header_number, grid.sheet)
    fields = known_fields()
    problems += _missing_columns(fields, found, require_columns, require_values, where, header_number)
    if problems:
        raise MedriskError(problems)
    table = table_rows(grid, header, include_after_blank)
    warnings = _choice_warnings(headers, found, mapping or {}, where, header_number)
    warnings += _table_warnings(located, table, where)
    warned: set[int] = set()
    others = [name for name in found if name != "device_id"]
    rows = DeviceRows(grid, headers, found, extra, where, warnings, warned)
    for i in table.rows:
        rows.read(i, located.kind == "csv" and len(grid.rows[i]) != len(raw_headers), visible_only)
    problems += rows.field_count_problems(len(raw_headers))
    devices = rows.devices
    ignored = len(table.after_blank) + rows.left_out + rows.drop_subtotals(others)
    rows.warn_ids_and_hidden(visible_only)
    problems += _check(devices, where, found, require_values)
    if not devices and not problems:
        problems.append(problem("empty-inventory.devices", **where))
    if problems:
        raise MedriskError(sorted(problems, key=lambda p: p.row or 0))
    return Inventory(
        source=source,
        fields=[f.name for f in fields if f.name in found],
        extra_columns=[headers[i] for i in extra],
        devices=devices,
        warnings=warnings,
        sheet=grid.sheet,
        header_row=header_number,
        rows_ignored=ignored,
        rows_warned=len(warned),
    )


def _check(
    devices: list[Device], where: dict, found: Mapping[str, int], require_values: tuple[str, ...]
) -> list[Problem]:
    """Ids present and unique, values needed to split present, CE classes known."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for device in devices:
        number = device.row
        if not device.id:
            problems.append(problem("empty-id", **where, row=number))
        elif device.id.casefold() in seen:
            problems.append(
                problem("duplicate-id", **where, row=number, id=device.id, first=seen[device.id.casefold()])
            )
        else:
            seen[device.id.casefold()] = number
        for name in require_values:
            if name in found and not device.get(name):
                hint = split_hint(name, require_values, found)
                problems.append(problem("empty-field", **where, row=number, field=name, split_hint=hint))
        ce = device.get("ce_class")
        if ce:
            device.ce_answer = ce_answer(ce)
            if device.ce_answer is None:
                problems.append(problem("unknown-ce-class", **where, row=number, value=ce))
    return problems
