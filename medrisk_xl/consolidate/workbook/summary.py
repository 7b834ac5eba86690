"""The summary sheet: devices by risk level, department and site, campaign completion, the 3×3
matrix and the top 10, with two native charts on the right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.coverage import DEPARTMENT, FLEET
from medrisk_xl.consolidate.tables import ACTION_STATUS_CODES, Consolidation
from medrisk_xl.consolidate.workbook.cell_values import clean, is_blank, is_number
from medrisk_xl.consolidate.workbook.charts import department_chart, risk_chart
from medrisk_xl.consolidate.workbook.device_register_sheet import register_column
from medrisk_xl.consolidate.workbook.map_book import LEVELS, WIDTHS, Book
from medrisk_xl.consolidate.workbook.sheet_tables import table_rows, write_rows
from medrisk_xl.consolidate.workbook.xml_rows import Cell  # (value, format); here a value may be None
from medrisk_xl.core.message_templates import format_date
from medrisk_xl.workbook.write.printing import setup_reading_print
from medrisk_xl.workbook.write.text import fit_height

TOP = 10
COMPLETION_KEYS = ("complete", "to_confirm", "incomplete", "invalid", "not_started")
# The previous plan's counts, in the order of their columns: each status, no status, overdue.
PLAN_COUNTS = (*ACTION_STATUS_CODES, "none", "overdue")
CHART_COL = 8  # summary charts start in column I
SUMMARY_ONE_PAGE = 75  # rows of a summary printed on one page
TOP_COLUMNS = (
    "designation",
    "device_id",
    "department",
    "risk_level",
    "criticality_score",
    "vulnerability_score",
    "priority",
)


def _cells(ws: Worksheet, r: int, cells: Sequence[Cell], first_col: int = 0) -> None:
    """Write one row of summary cells: numbers as numbers, texts as text."""
    for c, (value, fmt) in enumerate(cells, start=first_col):
        if is_number(value):
            ws.write_number(r, c, value, fmt)
        elif not is_blank(value):
            ws.write_string(r, c, clean(str(value)), fmt)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _head_cells(book: Book, ws: Worksheet, r: int, title: str, headers: Sequence[Cell]) -> int:
    """A block's title and header row; returns the first data row."""
    ws.write_string(r, 0, title, book.styles.subtitle)
    _summary_header(book, ws, r + 1, headers)
    return r + 2


def _summary_header(book: Book, ws: Worksheet, r: int, headers: Sequence[Cell]) -> None:
    """A header row of the summary, as tall as its longest header needs."""
    widths = [WIDTHS["summary_label"]] + [WIDTHS["summary_cell"]] * (len(headers) - 1)
    cells = [(str(text), width) for (text, _), width in zip(headers, widths)]
    ws.set_row(r, fit_height(cells, book.t["wrap"]["header_chars_per_width"]))
    _cells(ws, r, headers)


def _summary_by_risk(book: Book, ws: Worksheet, r: int, register: pd.DataFrame) -> tuple[int, int]:
    """Devices by risk level (counts, shares of the map) and the register's other devices;
    returns the next row and the first level row (the pie chart's data)."""
    ui, st = book.ui["summary"], book.styles
    head = st.table_head
    headers = [(ui["level"], head), (ui["devices"], head), (ui["share"], head)]
    r = _head_cells(
        book, ws, r, ui["by_risk"], [*headers, (ui["confirmed"], head), (ui["provisional"], head)]
    )
    included = register["included"].astype(bool)
    scored = included & register["risk_level"].notna()
    counts = register.loc[scored, "risk_level"].astype(int).value_counts()
    provisional = register.loc[scored & provisional_mask(register), "risk_level"].astype(int).value_counts()
    n_scored = int(scored.sum())
    first = r
    for level in LEVELS:
        n, n_provisional = int(counts.get(level, 0)), int(provisional.get(level, 0))
        _cells(
            ws,
            r,
            [
                (book.level_text(level), st.level_label[level]),
                (n, book.number),
                (_share(n, n_scored), book.percent),
                (n - n_provisional, book.number),
                (n_provisional, book.number),
            ],
        )
        r += 1
    rows = [
        [
            (ui["scored"], book.total_label),
            (n_scored, book.total_number),
            (_share(n_scored, n_scored), book.total_percent),
        ],
        [(ui["not_scored"], book.wrap), (int((included & ~scored).sum()), book.number), (None, book.number)],
        [(ui["excluded"], book.wrap), (int((~included).sum()), book.number), (None, book.number)],
        [(ui["register"], book.total_label), (len(register), book.total_number), (None, book.total_number)],
    ]
    for cells in rows:
        _cells(ws, r, cells)
        r += 1
    return r, first


def provisional_mask(register: pd.DataFrame) -> pd.Series:
    """The devices whose risk level is provisional (rests on "don't know" answers)."""
    return register["risk_provisional"].fillna(False).astype(bool)


def group_counts(register: pd.DataFrame, key: str, unspecified: str) -> dict[str, list[int]]:
    """Per value of ``key`` (department or site): devices at risk 1, 2, 3, then unscored, then the
    provisional among the scored."""
    scored = (register["included"].astype(bool) & register["risk_level"].notna()).tolist()
    provisional = provisional_mask(register).tolist()
    out: dict[str, list[int]] = {}
    for name, level, ok, maybe in zip(
        register[key].tolist(), register["risk_level"].tolist(), scored, provisional
    ):
        label = unspecified if is_blank(name) or not clean(str(name)) else clean(str(name))
        counts = out.setdefault(label, [0, 0, 0, 0, 0])
        counts[int(level) - 1 if ok else 3] += 1
        counts[4] += int(ok and maybe)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == unspecified, kv[0].casefold(), kv[0])))


def _summary_coverage(book: Book, ws: Worksheet, r: int, coverage: pd.DataFrame | None) -> int:
    """With a manifest, the summary opens with the coverage: devices expected, returned and mapped
    (and confirmed, with an IT workbook), for the fleet, then per site."""
    if coverage is None:
        return r
    ui, head = book.ui["summary"], book.styles.table_head
    rows = coverage[coverage["level"] != DEPARTMENT]
    sure = rows["confirmed"].notna().any()
    keys = ("expected", "returned", "mapped", *(("confirmed",) if sure else ()))
    r = _head_cells(book, ws, r, ui["coverage"], [(ui["site"], head), *((ui[k], head) for k in keys)])
    for level, name, *figures in table_rows(rows, ("level", "name", *keys)):
        label = ui["fleet"] if level == FLEET else (name or ui["unspecified"])
        style = book.total_label if level == FLEET else book.wrap
        _cells(ws, r, [(label, style), *((n, book.number) for n in figures)])
        r += 1
    return r + 1


def _not_returned(book: Book, coverage: pd.DataFrame | None, key: str, counts: dict) -> dict[str, int]:
    """The departments of the manifest that sent nothing back, labelled so, with their expected
    devices; per site, each site's expected devices."""
    if coverage is None:
        return {}
    rows = coverage[coverage["level"] == (DEPARTMENT if key == "department" else "site")]
    unspecified = book.ui["summary"]["unspecified"]
    out = {}
    for name, returned, expected in table_rows(rows, ("name", "returned", "expected")):
        label = clean(str(name)) if name else unspecified
        if key == "department" and not returned:
            label = f"{label} — {book.ui['summary']['not_returned']}"
        out[label] = int(expected)
    return out


def _summary_groups(
    book: Book, ws: Worksheet, r: int, register: pd.DataFrame, key: str, coverage: pd.DataFrame | None = None
) -> tuple[int, tuple[int, int, int] | None]:
    """A group × risk level table with totals and shares of the register (with a manifest, every
    department of it, one that sent nothing back marked so, and the devices each was expected to
    return); returns the next row and (header row, first row, last row) of its groups (None when
    there is none)."""
    ui, st = book.ui["summary"], book.styles
    head = st.table_head
    title = ui["by_department"] if key == "department" else ui["by_site"]
    headers = [
        (ui[key], head),
        *((book.level_text(level), st.level_label[level]) for level in LEVELS),
        (ui["unscored"], head),
        (ui["total"], head),
        (ui["share"], head),
        (ui["provisional"], head),
    ]
    expected = _not_returned(book, coverage, key, {})
    if expected:
        headers.append((ui["expected"], head))
    r = _head_cells(book, ws, r, title, headers)
    counts = group_counts(register, key, ui["unspecified"])
    counts |= {name: [0, 0, 0, 0, 0] for name in expected if name not in counts}
    whole = len(register)
    first = r
    for name, row in counts.items():
        _cells(
            ws,
            r,
            [
                (name, book.wrap),
                *((n, book.number) for n in row[:4]),
                (sum(row[:4]), book.number),
                (_share(sum(row[:4]), whole), book.percent),
                (row[4], book.number),
                *(((expected.get(name), book.number),) if expected else ()),
            ],
        )
        r += 1
    span = (first - 1, first, r - 1) if counts else None
    totals = [sum(row[i] for row in counts.values()) for i in range(5)]
    total_cells = [(n, book.total_number) for n in totals[:4]]
    _cells(
        ws,
        r,
        [
            (ui["total"], book.total_label),
            *total_cells,
            (whole, book.total_number),
            (_share(whole, whole), book.total_percent),
            (totals[4], book.total_number),
            *(((sum(expected.values()), book.total_number),) if expected else ()),
        ],
    )
    return r + 2, span


def completion_counts(files: pd.DataFrame) -> dict[str, int]:
    """Device rows of the workbooks used, by status."""
    used = files[files["used"].astype(bool)] if len(files) else files
    return {key: int(pd.to_numeric(used[key], errors="coerce").fillna(0).sum()) for key in COMPLETION_KEYS}


def _summary_completion(book: Book, ws: Worksheet, r: int, files: pd.DataFrame) -> int:
    """Campaign completion: the device rows of the workbooks used, by status."""
    ui, head = book.ui["summary"], book.styles.table_head
    r = _head_cells(
        book, ws, r, ui["completion"], [(ui["status"], head), (ui["devices"], head), (ui["share"], head)]
    )
    counts = completion_counts(files)
    total = sum(counts.values())
    for key, n in counts.items():
        _cells(ws, r, [(book.statuses[key], book.wrap), (n, book.number), (_share(n, total), book.percent)])
        r += 1
    _cells(
        ws,
        r,
        [
            (ui["total"], book.total_label),
            (total, book.total_number),
            (_share(total, total), book.total_percent),
        ],
    )
    return r + 2


def matrix_counts(scored: pd.DataFrame) -> dict[tuple[int, int], int]:
    """(vulnerability level, criticality level) -> devices of the map."""
    pairs = zip(scored["vulnerability_level"].tolist(), scored["criticality_level"].tolist())
    out = {(v, c): 0 for v in LEVELS for c in LEVELS}
    for v, c in pairs:
        if not is_blank(v) and not is_blank(c):
            out[(int(v), int(c))] += 1
    return out


def _summary_matrix(book: Book, ws: Worksheet, r: int, scored: pd.DataFrame) -> int:
    """The 3×3 matrix (vulnerability 3→1 down, criticality 1→3 across), each cell coloured by its
    risk level and showing its symbol."""
    st, lab, mx = book.styles, book.language.labels, book.language.ui["matrix"]
    ws.write_string(r, 0, book.ui["summary"]["matrix"], st.subtitle)
    r += 1
    ws.set_row(r, 32)
    heads = [(f"{mx['rows']} ↓   {mx['cols']} →", st.cell_label)]
    heads += [
        (f"{lab['criticality']['short']} {c} – {lab['criticality']['levels'][c]}", st.cell_label)
        for c in LEVELS
    ]
    _cells(ws, r, heads)
    counts = matrix_counts(scored)
    risk = book.pack.method.risk_level
    for v in (3, 2, 1):
        r += 1
        ws.set_row(r, 30)
        label = f"{lab['vulnerability']['short']} {v} – {lab['vulnerability']['levels'][v]}"
        _cells(ws, r, [(label, st.cell_label), *((counts[(v, c)], st.level_box[risk(v, c)]) for c in LEVELS)])
    return r + 2


def _summary_top(book: Book, ws: Worksheet, r: int, top: pd.DataFrame) -> int:
    """The first devices of the map, in priority order."""
    columns = [register_column(book, code) for code in TOP_COLUMNS]
    ws.write_string(r, 0, book.ui["summary"]["top"], book.styles.subtitle)
    _summary_header(book, ws, r + 1, [(col.header, book.styles.table_head) for col in columns])
    r, _ = write_rows(ws, r + 2, columns, table_rows(top, TOP_COLUMNS))
    return r + 1


def _summary_plan(book: Book, ws: Worksheet, r: int, kpis: dict[str, Any] | None) -> int:
    """The previous campaign's action plan (consolidate --db): its actions by status and overdue,
    per owner then in total (history.actions.action_kpis, as ``Consolidation.plan_follow_up``)."""
    if not kpis:
        return r
    ui, head = book.ui["summary"], book.styles.table_head
    title = ui["plan_follow_up"].format(
        campaign=kpis["campaign"], date=format_date(kpis["on"], book.language.code)
    )
    statuses = [*book.ui["action_status"], ui["no_status"], ui["overdue"]]
    r = _head_cells(book, ws, r, title, [(ui["owner"], head), *((text, head) for text in statuses)])
    for owner, counts in kpis["by"]["owner"].items():
        _cells(ws, r, [(owner, book.wrap), *((counts[k], book.number) for k in PLAN_COUNTS)])
        r += 1
    _cells(ws, r, [(ui["total"], book.total_label), *((kpis[k], book.total_number) for k in PLAN_COUNTS)])
    return r + 2


def write_summary(book: Book, result: Consolidation) -> None:
    """The summary sheet, top to bottom, with its two charts on the right."""
    ws = book.sheet("summary")
    name = ws.get_name()
    st, ui = book.styles, book.ui["summary"]
    ws.set_column(0, 0, WIDTHS["summary_label"])
    ws.set_column(1, CHART_COL - 2, WIDTHS["summary_cell"])
    ws.set_row(0, 26)
    ws.write_string(0, 0, book.ui["title"], st.title)
    if result.campaign:
        _cells(ws, 1, [(ui["campaign"], st.bold), (result.campaign, st.plain)])
    r = _summary_coverage(book, ws, 3, result.coverage)
    r, risk_first = _summary_by_risk(book, ws, r, result.register)
    r, departments = _summary_groups(book, ws, r + 1, result.register, "department", result.coverage)
    r, _ = _summary_groups(book, ws, r, result.register, "site", result.coverage)
    r = _summary_completion(book, ws, r, result.files)
    r = _summary_plan(book, ws, r, result.plan_follow_up)
    r = _summary_matrix(book, ws, r, result.scored)
    r = _summary_top(book, ws, r, result.scored.head(TOP))
    if departments:
        ws.insert_chart(3, CHART_COL, department_chart(book, name, departments))
    ws.insert_chart(3, CHART_COL, risk_chart(book, name, risk_first), {"y_offset": 360})
    # One page when it fits at a readable scale (a few departments), else one page wide.
    setup_reading_print(ws, book.scope, "matrix" if r <= SUMMARY_ONE_PAGE else "reading")
