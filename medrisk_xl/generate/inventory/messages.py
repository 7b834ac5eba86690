"""Every message the inventory reader gives, one template per message id (a later issue moves
them into the fr/en catalogue). The problem code is the id up to its first "."."""

from __future__ import annotations

from medrisk_xl.core.problems import Problem

EXPORT_HINT = "export the inventory from the CMMS as CSV (UTF-8 or Windows-1252), XLSX, XLS or ODS"

MESSAGES: dict[str, str] = {
    "not-a-file": "this is a folder, not an inventory file; {hint}",
    "missing-file": "inventory file not found",
    "unreadable.os": "cannot read the file: {reason}",
    "unreadable": "cannot read the file as a spreadsheet: {reason} ({detail}); {hint}",
    "bad-format": "the file is neither a spreadsheet nor a text CSV (it looks like {kind}); {hint}",
    "not-text": "the file is not a text CSV (it looks like {kind}); {hint}",
    "undecodable-bytes": "bytes {data} at column {column} are neither UTF-8 nor Windows-1252",
    "bad-csv": "malformed CSV: {error}",
    "no-sheet": "no sheet {wanted!r} in the workbook (its sheets: {sheets})",
    "bad-header-row": "--header-row {number}: the sheet has {rows} row(s)",
    "no-header": "no header row with a device id column in the first {limit} rows; they hold: {preview}",
    "bad-map.field": "--map {column}={target}: unknown field (known: {known})",
    "bad-map.column": "--map {column}={target}: no column named {column!r}",
    "missing-column": "required column for {field} is missing (expected a header such as {names}, "
    "or use --map COLUMN={field}{split_hint})",
    "empty-inventory.header": "the inventory has no header row",
    "empty-inventory.devices": "the inventory has a header but no device",
    "field-count": "row has {cells} fields but the header has {headers} "
    "(usually a separator inside a value, e.g. a designation, that is not quoted: "
    "put the value in double quotes or export the file again)",
    "text-truncated": "{header!r} was cut to 32,767 characters (Excel's cell limit)",
    "empty-id": "device id is empty",
    "duplicate-id": "device id {id!r} already appears at row {first}",
    "empty-field": "{field} is empty (needed to split the campaign{split_hint})",
    "unknown-ce-class": "unknown CE class {value!r} (expected I, IIa, IIb or III)",
    "bad-date": "{header!r} holds {value!r}, which is not a date (dd/mm/yyyy): kept as text",
    # Warnings about where the table is and what its cells hold.
    "rows-after-blank": "{rows} after the empty row {blank} ignored: {preview}; "
    "--include-after-blank reads them as devices",
    "subtotal-row": "only the id {id!r} is filled, unlike most rows (a subtotal or a note?): left out; "
    "fill in its other columns in the export to keep it as a device",
    "hidden-rows": "{count} hidden or filtered-out row(s) read as devices ({rows}): a filter in the "
    "export is not a choice of devices; --visible-only leaves them out",
    "hidden-rows.left-out": "{count} hidden or filtered-out row(s) left out (--visible-only): {rows}",
    "active-content": "the file holds {what}: only cell values were read, nothing in it was run; "
    "do not send this file on to departments",
    "numeric-ids": "{count} device id(s) are stored as numbers (first at row {first}: {example}): "
    "leading zeros may have been lost by the export, and ids must match from one campaign to the "
    "next; export the id column as text",
}


def problem(
    key: str,
    *,
    file: str | None,
    sheet: str | None = None,
    row: int | None = None,
    severity: str = "error",
    **params: object,
) -> Problem:
    """The :class:`Problem` of message ``key`` filled with ``params``."""
    if "{hint}" in MESSAGES[key]:
        params.setdefault("hint", EXPORT_HINT)
    return Problem(
        key.split(".", 1)[0],
        MESSAGES[key].format(**params),
        file=file,
        sheet=sheet,
        row=row,
        severity=severity,
    )


def warning(key: str, **kwargs: object) -> Problem:
    """A warning: the inventory is read, and the user is told what to check."""
    return problem(key, severity="warning", **kwargs)  # type: ignore[arg-type]


def row_list(rows: list[int], shown: int = 8) -> str:
    """``rows 5, 9, 12 …`` for a warning: the first ``shown`` rows, then how many more."""
    head = ", ".join(str(r) for r in rows[:shown])
    more = len(rows) - shown
    return f"row {head}" if len(rows) == 1 else f"rows {head}" + (f" and {more} more" if more > 0 else "")


def row_span(first: int, last: int, count: int) -> str:
    """``row 33`` or ``rows 33–40 (5 rows)`` (the count says when some rows between are empty)."""
    return f"row {first}" if count == 1 else f"rows {first}–{last} ({count} rows)"
