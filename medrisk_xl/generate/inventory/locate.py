"""Find the inventory table in a file: open it by its bytes, choose the sheet, find the header row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medrisk_xl.core.problems import MedriskError, Message, msg
from medrisk_xl.generate.inventory.fields import known_fields
from medrisk_xl.generate.inventory.grid import Grid
from medrisk_xl.generate.inventory.messages import problem
from medrisk_xl.generate.inventory.spreadsheet import Spreadsheet
from medrisk_xl.generate.inventory.table import HEADER_SEARCH_ROWS, find_header
from medrisk_xl.generate.inventory.text_file import binary_kind, read_csv
from medrisk_xl.workbook.read.opening import DEFAULT_LIMITS, Unreadable, looks_like


@dataclass
class Located:
    """The grid holding the table and the index of its header row in ``grid.rows``."""

    kind: str  # csv | xlsx | ods | xls
    grid: Grid
    header: int
    active: tuple[Message, ...] = ()  # macros and the like the file holds (never run: values only)


def _unreadable(exc: Unreadable, source: str) -> MedriskError:
    reason = exc.message.split(". ", 1)[0].rstrip(".")
    return MedriskError([problem("unreadable", file=source, reason=reason, detail=exc.code)])


def _read_head(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(8)
    except OSError as exc:
        raise MedriskError([problem("unreadable.os", file=source, reason=exc.strerror or exc)]) from None


def locate(
    path: Path, mapping: Mapping[str, str], sheet: str | None = None, header_row: int | None = None
) -> Located:
    """The table of ``path``; raise :class:`MedriskError` when the file or the table cannot be read."""
    source = path.name
    head = looks_like(_read_head(path, source))
    if head == "other":
        return _locate_csv(path, source, mapping, header_row)
    try:
        with Spreadsheet(path, head) as book:
            located = _locate_sheet(book, source, mapping, sheet, header_row)
            located.active = book.active
            return located
    except Unreadable as exc:
        raise _unreadable(exc, source) from None


def _locate_csv(path: Path, source: str, mapping: Mapping[str, str], header_row: int | None) -> Located:
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            raise _unreadable(Unreadable("too-large", "The file is too large to read safely."), source)
        data = path.read_bytes()
    except OSError as exc:
        raise MedriskError([problem("unreadable.os", file=source, reason=exc.strerror or exc)]) from None
    kind = None if data.startswith((b"\xff\xfe", b"\xfe\xff")) else binary_kind(data)
    if kind is not None:
        raise MedriskError([problem("bad-format", file=source, kind=kind)])
    grid, problems = read_csv(data, source)
    if problems:
        raise MedriskError(problems)
    return Located("csv", grid, _header(grid, source, mapping, header_row, fallback=True))


def _header(
    grid: Grid, source: str, mapping: Mapping[str, str], header_row: int | None, fallback: bool
) -> int:
    """The header's index: row ``header_row``, else the one found; with ``fallback`` the first
    non-empty row (whose missing columns are then reported), else -1 when none is found."""
    if header_row is not None:
        if header_row not in grid.numbers:
            raise MedriskError(
                [
                    problem(
                        "bad-header-row",
                        file=source,
                        sheet=grid.sheet,
                        number=header_row,
                        rows=len(grid.rows),
                    )
                ]
            )
        return grid.numbers.index(header_row)
    index, _strong = find_header(grid, mapping)
    if index is not None:
        return index
    first = next((i for i in range(len(grid.rows)) if not grid.blank(i)), None)
    if first is None and fallback:
        raise MedriskError([problem("empty-inventory.header", file=source, sheet=grid.sheet)])
    return first if fallback and first is not None else -1


def _chosen(book: Spreadsheet, wanted: str | None, source: str) -> list[str]:
    names = book.sheet_names
    if wanted is None:
        return names
    for name in names:
        if name == wanted or name.casefold() == wanted.strip().casefold():
            return [name]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return [names[int(wanted) - 1]]
    listed = ", ".join(f"{i} {n!r}" for i, n in enumerate(names, start=1))
    raise MedriskError([problem("no-sheet", file=source, wanted=wanted, sheets=listed)])


def _locate_sheet(
    book: Spreadsheet, source: str, mapping: Mapping[str, str], wanted: str | None, header_row: int | None
) -> Located:
    names = _chosen(book, wanted, source)
    if not names:
        raise MedriskError([problem("empty-inventory.header", file=source)])
    if header_row is not None or len(names) == 1:
        grid = book.grid(names[0])
        return Located(book.kind, grid, _header(grid, source, mapping, header_row, fallback=True))
    grids: list[Grid] = []
    weak: Located | None = None
    for name in names:
        grid = book.grid(name)
        index, strong = find_header(grid, mapping)
        if index is not None and strong:
            return Located(book.kind, grid, index)
        if index is not None and weak is None:
            weak = Located(book.kind, grid, index)
        grids.append(grid)
    if weak is not None:
        return weak
    device_id = next(f for f in known_fields() if f.name == "device_id")
    names_hint = ", ".join(f'"{a}"' for a in device_id.aliases[:3])
    problems = [
        problem("no-header", file=source, sheet=g.sheet, limit=HEADER_SEARCH_ROWS, preview=g.first_rows())
        for g in grids
    ]
    problems.append(
        problem(
            "missing-column",
            file=source,
            field="device_id",
            names=names_hint,
            split_hint=msg("inventory-text.sheet-hint"),
        )
    )
    raise MedriskError(problems)
