"""The one-page summary for management ("Synthèse direction", issue 27): the first sheet of the
map, printed on one landscape A4 page, so that a director reads the campaign without the engineer's
tables.

Two bands. The upper one in three columns: coverage, confirmed and provisional risk by level and
the five items to settle on the most strong-risk devices (A:E); risk by site and by department,
the groups with the most strong-risk devices and the rest summed on one row, so that a hospital
of 30 departments still fits (G:K); one native chart of the department table (M). The lower band,
across the page: the ten devices to act on first and the items that make them so. The figures
come from :mod:`.direction_figures`; the texts from ui.yaml ``consolidated.direction``.

The workbook is written in constant-memory mode, row by row: the columns of a band are laid out
first, then written together. Row heights are set from the wrapped texts, so that the page fitted
by ``fit_to_pages(1, 1)`` keeps its text at 7 pt or more (tests/consolidate/test_direction_sheet.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.consolidate.workbook.cell_values import clean, is_blank, is_number
from medrisk_xl.consolidate.workbook.charts import department_chart
from medrisk_xl.consolidate.workbook.device_register_sheet import register_column
from medrisk_xl.consolidate.workbook.direction_figures import (
    ACTION_ROWS,
    DEPARTMENT_ROWS,
    SITE_ROWS,
    STRONG,
    TopDevice,
    confirmation,
    coverage_figures,
    item_actions,
    risk_groups,
    strong_plan_themes,
    top_devices,
)
from medrisk_xl.consolidate.workbook.map_book import LEVELS, Book
from medrisk_xl.workbook.write.printing import setup_reading_print
from medrisk_xl.workbook.write.styles import grid_template
from medrisk_xl.workbook.write.text import LINE_HEIGHT, PIXEL, wrapped_lines

# A:E (tables of the left), F (gap), G:K (tables of the middle), L (gap), M (the chart).
WIDTHS = (18, 8, 10, 9, 9, 1, 18, 10, 10, 10, 10, 1, 24)
LEFT, MIDDLE, CHART = 0, 6, 12  # first column of each upper column
# The ten devices, across the page: (first, last) column of designation, id, risk, criticality,
# department and reasons (the widest last: its items named).
TOP_SPANS = ((0, 1), (2, 2), (3, 3), (4, 4), (5, 6), (7, 12))
TOP_CODES = ("designation", "device_id", "risk_level", "criticality_score", "department")
ROW = 15.0  # points: a one-line row
BLANK = 6.0  # points: between blocks
CHART_MIN = 180.0  # points: the chart's least height
MIN_SCALE = 0.72  # the page printed at 7.2 pt or more (10 pt text)
A4_SHORT_SIDE = 595.3  # points
MIN_GROUPS = 2  # sites or departments shown at least before "others"
HEADER_CHARS, BODY_CHARS = 1.05, 1.3  # characters per unit of width, bold and regular 10 pt

Cell = tuple[int, Any, Any]  # column, value, format
Merges = dict[tuple[int, int], int]  # (row, first column) -> last column merged


@dataclass
class Block:
    """One column of a band being laid out: rows of cells, their heights, their merged cells."""

    rows: list[list[Cell]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    merges: Merges = field(default_factory=dict)

    def add(self, cells: Sequence[Cell], height: float = ROW, merges: Sequence[tuple[int, int]] = ()) -> int:
        self.rows.append(list(cells))
        self.heights.append(height)
        r = len(self.rows) - 1
        for first, last in merges:
            if last > first:
                self.merges[(r, first)] = last
        return r

    def blank(self) -> None:
        self.add([], BLANK)


def _width(first: int, last: int) -> float:
    return sum(WIDTHS[first : last + 1])


def _px(first: int, last: int) -> int:
    """Columns' width in pixels, as the spreadsheet draws them (Calibri 11)."""
    return sum(int(w * 7 + 0.5) + 5 for w in WIDTHS[first : last + 1])


def _height(texts: Sequence[tuple[str, float]], header: bool = False) -> float:
    """The height of a row holding ``texts`` (text, width) wrapped: at the characters per unit of
    width Excel's Calibri fits (LibreOffice fits more), not the grid's safer figures, and one
    line in a default row, which would otherwise leave a page too tall to print at 7 pt."""
    chars = HEADER_CHARS if header else BODY_CHARS
    lines = max(wrapped_lines(text, width * chars) for text, width in texts)
    return ROW if lines <= 1 else math.ceil((lines * LINE_HEIGHT + 2) / PIXEL) * PIXEL


def _row(block: Block, cells: Sequence[tuple[tuple[int, int], Any, Any]], header: bool = False) -> int:
    """A row of cells, each over its (first, last) columns, as tall as its longest text."""
    texts = [(v, _width(*span)) for span, v, _ in cells if isinstance(v, str)]
    height = _height(texts, header) if texts else ROW
    return block.add([(span[0], v, fmt) for span, v, fmt in cells], height, [span for span, _, _ in cells])


def _spans(first: int, n: int) -> list[tuple[int, int]]:
    return [(first + i, first + i) for i in range(n)]


def _coverage(book: Book, block: Block, result: Consolidation) -> None:
    """Devices expected, returned, mapped and confirmed (those the coverage has)."""
    ui, st = book.ui, book.styles
    figures = coverage_figures(result)
    spans = _spans(LEFT, 1 + len(figures))
    heads = [ui["direction"]["coverage"], *(ui["summary"][k] for k in figures)]
    _row(block, [(s, h, st.table_head) for s, h in zip(spans, heads)], header=True)
    values = [(spans[0], ui["summary"]["fleet"], book.total_label)]
    _row(block, values + [(s, n, book.number) for s, n in zip(spans[1:], figures.values())])


def _confirmation(book: Book, block: Block, result: Consolidation) -> None:
    """Per risk level: mapped devices, confirmed, provisional, and the share confirmed."""
    ui, d, st = book.ui["summary"], book.ui["direction"], book.styles
    spans = _spans(LEFT, 5)
    heads = (d["confirmation"], ui["mapped"], ui["confirmed"], d["provisional"], d["confirmed_share"])
    _row(block, [(s, h, st.table_head) for s, h in zip(spans, heads)], header=True)
    counts = confirmation(result.register)
    total = tuple(sum(c[i] for c in counts.values()) for i in (0, 1))
    for level, (n, unsure) in [*counts.items(), (None, total)]:
        label = book.level_text(level) if level else ui["total"]
        fmt, number, share = (
            (st.level_label[level], book.number, book.percent)
            if level
            else (book.total_label, book.total_number, book.total_percent)
        )
        values = ((label, fmt), (n, number), (n - unsure, number), (unsure, number))
        cells = [(s, v, f) for s, (v, f) in zip(spans, values)]
        _row(block, [*cells, (spans[4], (n - unsure) / n if n else None, share)])


def _groups(book: Book, block: Block, result: Consolidation, key: str, shown: int) -> tuple[int, int, int]:
    """Risk by site or department: the groups with the most strong-risk devices, the others on one
    row, the total, and a note when some were folded. Returns (header, first, last) of its rows."""
    ui, d, st = book.ui["summary"], book.ui["direction"], book.styles
    spans = _spans(MIDDLE, 5)
    groups = risk_groups(result.register, key, ui["unspecified"], shown)
    title = d["by_department" if key == "department" else "by_site"]
    heads = [(title, st.table_head), *((book.level_text(n), st.level_label[n]) for n in LEVELS)]
    header = _row(
        block, [(s, h, f) for s, (h, f) in zip(spans, [*heads, (ui["total"], st.table_head)])], True
    )
    rows = list(groups.rows)
    if groups.others:
        rows.append((d["others"].format(n=groups.others[0]), *groups.others[1:]))
    for name, *n in rows:
        values = [(name, book.wrap), *((v, book.number) for v in n), (sum(n), book.number)]
        _row(block, [(s, v, f) for s, (v, f) in zip(spans, values)])
    last = len(block.rows) - 1
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    values = [(ui["total"], book.total_label), *((v, book.total_number) for v in (*totals, sum(totals)))]
    _row(block, [(s, v, f) for s, (v, f) in zip(spans, values)])
    if groups.others:
        note = d["capped" if key == "department" else "capped_sites"]
        text = note.format(shown=len(groups.rows), rest=groups.others[0])
        _row(block, [((MIDDLE, MIDDLE + 4), text, book.styles.text)])
    return header, header + 1, last


def _actions(book: Book, block: Block, result: Consolidation) -> None:
    """The five items whose actions concern the most strong-risk devices, and the strong plan."""
    d, st = book.ui["direction"], book.styles
    spans = ((LEFT, LEFT + 1), (LEFT + 2, LEFT + 2), (LEFT + 3, LEFT + 4))
    heads = (d["action"], d["strong"], d["concerned"])
    _row(block, [(s, h, st.table_head) for s, h in zip(spans, heads)], header=True)
    for action in item_actions(book.language, result.register, book.ui["action_source"])[:ACTION_ROWS]:
        values = (
            (item_name(book, action.code), book.wrap),
            (action.strong, book.number),
            (action.devices, book.number),
        )
        _row(block, [(s, v, f) for s, (v, f) in zip(spans, values)])
    strong = confirmation(result.register)[STRONG][0]
    if strong:
        text = d["strong_plan"].format(themes=strong_plan_themes(book.language), n=strong)
        _row(block, [((LEFT, LEFT + 4), text, book.styles.text)])


def item_name(book: Book, code: str) -> str:
    """An item's code and short name ("V3 Code d'accès"); its statement when the pack has none."""
    names = book.ui["direction"]["items"]
    return f"{code} {names[code]}" if code in names else f"{code} {book.language.title(code)}"


def reasons_text(book: Book, device: TopDevice) -> str:
    """The items that make a device's risk, named; those answered "don't know" marked so."""
    mark = book.ui["direction"]["unknown_item"]
    names = [item_name(book, code) for code in device.items]
    return ", ".join(mark.format(item=n) if c in device.unknown else n for c, n in zip(device.items, names))


def _top(book: Book, block: Block, result: Consolidation) -> None:
    """The ten devices to act on first, with the items that make them so."""
    d, st = book.ui["direction"], book.styles
    _row(block, [((LEFT, CHART), d["top"], st.subtitle)])
    headers = [register_column(book, code).header for code in TOP_CODES] + [d["reasons"]]
    _row(block, [(s, h, st.table_head) for s, h in zip(TOP_SPANS, headers)], header=True)
    for device in top_devices(result):
        level = book.level["risk"].get(device.risk_level, book.number)
        values = [
            (_text(device.designation), book.wrap),
            (_text(device.device_id), book.wrap),
            (device.risk_level, level),
            (device.criticality_score, book.number),
            (_text(device.department), book.wrap),
            (reasons_text(book, device), book.wrap),
        ]
        _row(block, [(s, v, f) for s, (v, f) in zip(TOP_SPANS, values)])


def _text(value: Any) -> str:
    """A value from the returns as safe text ("" when empty)."""
    return "" if is_blank(value) else clean(str(value))


def _write_rows(ws: Worksheet, page: Block, blank: Any) -> None:
    """Write the laid-out rows, top to bottom (constant-memory mode, which drops the height of a
    row without cells: an empty row gets one blank cell of format ``blank``)."""
    merges = page.merges
    for r, (cells, height) in enumerate(zip(page.rows, page.heights)):
        ws.set_row(r, height)
        if not cells:
            ws.write_blank(r, 0, None, blank)
        for c, value, fmt in cells:
            if (r, c) in merges:
                ws.merge_range(r, c, r, merges[(r, c)], "" if value is None else value, fmt)
            elif is_number(value):
                ws.write_number(r, c, value, fmt)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, fmt)
            elif not is_blank(value) and value != "":
                ws.write_string(r, c, clean(str(value)), fmt)
            elif fmt is not None:
                ws.write_blank(r, c, None, fmt)


def _stack(page: Block, columns: Sequence[Block]) -> int:
    """Add ``columns`` side by side to ``page``; returns the row they start on."""
    top = len(page.rows)
    for r in range(max(len(b.rows) for b in columns)):
        cells = [c for b in columns if r < len(b.rows) for c in b.rows[r]]
        height = max((b.heights[r] for b in columns if r < len(b.rows)), default=BLANK)
        page.add(cells, height)
        for b in columns:
            page.merges.update(
                {(top + row, first): last for (row, first), last in b.merges.items() if row == r}
            )
    return top


@dataclass
class Page:
    """The laid-out page: its rows, where the upper band starts, the department table's rows
    (header, first, last) for the chart, and the chart's height (points)."""

    block: Block
    top: int
    departments: tuple[int, int, int]
    room: float


def _layout(book: Book, result: Consolidation, created: dt.datetime, shown: tuple[int, int]) -> Page:
    """The page with ``shown`` (sites, departments) rows of groups before "others"."""
    st, d = book.styles, book.ui["direction"]
    page = Block()
    page.add([(0, d["title"], st.title)], 22)
    campaign = [(0, book.ui["summary"]["campaign"], st.bold), (1, result.campaign, st.plain)]
    when = dt.datetime.combine(created.date(), dt.time())
    page.add(
        [*(campaign if result.campaign else []), (MIDDLE, d["date"], st.bold), (MIDDLE + 1, when, st.date)]
    )
    page.blank()
    left, middle = Block(), Block()
    _coverage(book, left, result)
    left.blank()
    _confirmation(book, left, result)
    left.blank()
    _actions(book, left, result)
    _groups(book, middle, result, "site", shown[0])
    middle.blank()
    departments = _groups(book, middle, result, "department", shown[1])
    top = _stack(page, [left, middle])
    room = sum(page.heights[top:])
    if room < CHART_MIN:  # the band grows to hold the chart
        page.add([], CHART_MIN - room)
        room = CHART_MIN
    page.blank()
    lower = Block()
    _top(book, lower, result)
    _stack(page, [lower])
    header, first, last = (top + r for r in departments)
    return Page(page, top, (header, first, last), room)


def _height_budget() -> float:
    """The points of rows a landscape A4 page holds at MIN_SCALE (its margins from grid.yaml)."""
    margins = grid_template()["print"]["margins"]
    return (A4_SHORT_SIDE - 72 * (margins["top"] + margins["bottom"])) / MIN_SCALE


def write_direction(book: Book, result: Consolidation, created: dt.datetime) -> None:
    """The one-page summary, first sheet of the map and the one it opens on; ``created``: when the
    map was consolidated (the workbook's own creation date). Fewer sites and departments are
    shown before "others" (down to MIN_GROUPS) while the page is too tall to print at MIN_SCALE."""
    ws = book.sheet("direction")
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    budget = _height_budget()
    sites, departments = SITE_ROWS, DEPARTMENT_ROWS
    page = _layout(book, result, created, (sites, departments))
    while sum(page.block.heights) > budget and departments > MIN_GROUPS:
        departments -= 1
        sites = min(sites, departments)
        page = _layout(book, result, created, (sites, departments))
    rows = page.block
    _write_rows(ws, rows, book.styles.plain)
    header, first, last = page.departments
    if last >= first:
        chart = department_chart(book, ws.get_name(), (header, first, last), MIDDLE)
        chart.set_size({"width": _px(CHART, CHART), "height": int(page.room / 0.75)})
        ws.insert_chart(page.top, CHART, chart, {"object_position": 3})
    setup_reading_print(ws, book.scope, "matrix")  # landscape, one page wide and tall
    ws.print_area(0, 0, len(rows.rows) - 1, len(WIDTHS) - 1)
    ws.activate()
