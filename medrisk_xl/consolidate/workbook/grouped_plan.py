"""The grouped action plan (``--plan-by model|department``): a row per action and per group of
devices sharing it (:mod:`.plan_groups`), a summary sheet before it, and, when a group's ids do
not fit a cell, a very hidden sheet holding the full lists.

The plan grows with the groups, not the devices, so a team can give each row an owner, a due date
and a status; ``actions import`` applies them to every device of the row, and the history keeps
them per device. Pre-filled from the history (``consolidate --db``): a row whose devices' previous
statuses agree gets it back; when they disagree the row says how ("2 en cours, 3 fait") and its
status is left for the team to settle. The team's own open actions follow the generated rows, one
row per action text and its devices (:func:`team_group_rows`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import (
    ACTION_GROUP_COLUMNS,
    ACTION_STATUS_CODES,
    ACTION_SUMMARY_COLUMNS,
    CARRIED_COLUMNS,
)
from medrisk_xl.consolidate.workbook.action_plan import action_heights, team_cells_finish
from medrisk_xl.consolidate.workbook.cell_values import is_blank
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.plan_groups import PlanGroup, plan_groups
from medrisk_xl.consolidate.workbook.sheet_tables import print_fitted, table_rows, write_table
from medrisk_xl.consolidate.workbook.team_plan import (
    device_values,
    highest,
    id_chunks,
    team_carried,
    text_height,
)
from medrisk_xl.consolidate.workbook.xml_rows import TableSheet
from medrisk_xl.workbook.it_contract import CELL_TEXT_LIMIT, IDS_SEPARATOR
from medrisk_xl.workbook.write.text import fit_height

GROUP_IDS_SHEET = "_plan_devices"  # very hidden: the full id list of every group cut in its cell
MAX_ROW_HEIGHT = 409.0  # points: the tallest row Excel and LibreOffice keep
IDS_WIDTH = 30.0
IDS_HEIGHT_CHARS = 2_000  # the ids text measured for a row's height (a taller row is capped anyway)

Carried = dict[tuple[str, str], tuple[Any, ...]]  # (device, ref) -> owner, due, status, follow-up, campaign


def group_column_codes(plan_by: str) -> tuple[str, ...]:
    """The grouped plan's columns: without manufacturer and model when grouping by department."""
    dropped = ("manufacturer", "model") if plan_by == "department" else ()
    return tuple(c for c in ACTION_GROUP_COLUMNS if c not in dropped)


def group_columns(book: Book, plan_by: str) -> list[Column]:
    """The group and its action; its devices, counted and listed; the highest risk and criticality
    among them; then owner, due date and status for the team, and what the history carried."""
    widths = book.t["widths"]
    answer = book.styles.answer
    specs: dict[str, tuple[float, ToCell, Any]] = {
        "site": (widths["identity"], book.text_writer(book.wrap), None),
        "department": (widths["identity"], book.text_writer(book.wrap), None),
        "manufacturer": (widths["identity"], book.text_writer(book.wrap), None),
        "model": (widths["identity"], book.text_writer(book.wrap), None),
        "ref": (WIDTHS["ref"], book.content_writer(), None),
        "source": (WIDTHS["source"], book.content_writer(), None),
        "topic": (WIDTHS["topic"], book.content_writer(book.wrap), None),
        "action": (WIDTHS["action"], book.content_writer(book.wrap), None),
        "device_count": (WIDTHS["number"], book.number_writer(), None),
        "device_ids": (IDS_WIDTH, book.text_writer(book.wrap), None),
        "risk_level": (widths["level"], book.level_writer("risk"), None),
        "criticality_level": (widths["level"], book.level_writer("criticality"), None),
        "owner": (WIDTHS["owner"], book.text_writer(answer), answer),
        "due": (WIDTHS["due"], book.date_writer(), book.date),
        "status": (WIDTHS["owner"], book.text_writer(answer), answer),
        "follow_up": (WIDTHS["change"], book.text_writer(book.wrap), None),
    }
    headers = book.ui["action_group_columns"]
    return [Column(c, headers[c], *specs[c][:2], fmt=specs[c][2]) for c in group_column_codes(plan_by)]


def carried_by_device(carried: pd.DataFrame | None) -> Carried:
    """(device_id, ref) -> owner, due, status code, follow-up code and campaign carried."""
    if carried is None or not len(carried):
        return {}
    return {(str(row[0]), row[1]): row[2:] for row in table_rows(carried, CARRIED_COLUMNS)}


def _same(values: Sequence[Any]) -> Any:
    """The value every device shares, None when they differ or have none."""
    first = values[0]
    return None if is_blank(first) or any(v != first for v in values[1:]) else first


def group_prefill(book: Book, group: PlanGroup, carried: Carried) -> tuple[Any, ...] | None:
    """Owner, due date, status and follow-up for a group row from its devices' carried actions:
    what they share; when their statuses differ, how many have each, and no status."""
    devices = list(dict.fromkeys(group.devices))
    entries = [carried.get((d, group.action[0])) for d in devices]
    if not any(entries):
        return None
    blank = (None, None, None, None, None)
    rows = [e if e is not None else blank for e in entries]
    owner, due = _same([r[0] for r in rows]), _same([r[1] for r in rows])
    statuses = [None if is_blank(r[2]) else r[2] for r in rows]
    labels = dict(zip(ACTION_STATUS_CODES, book.ui["action_status"]))
    if len(set(statuses)) > 1:
        counts = Counter(s or "none" for s in statuses)
        words = book.ui["action_status_words"]
        mix = ", ".join(f"{counts[c]} {words[c]}" for c in (*ACTION_STATUS_CODES, "none") if counts[c])
        return owner, due, None, book.ui["action_status_mix"].format(counts=mix)
    follow = {(r[3], r[4]) for r in rows}
    text = None
    if len(follow) == 1:
        code, origin = follow.pop()
        text = None if is_blank(code) else book.ui["action_follow_up"][code].format(campaign=origin)
    return owner, due, labels.get(statuses[0]) if statuses[0] else None, text


def _summary_rows(groups: list[PlanGroup]) -> Iterator[tuple[Any, ...]]:
    """Per action (theme of a level's plan, or item), in the plan's order: devices and groups."""
    devices: Counter[int] = Counter()
    count: Counter[int] = Counter()
    actions = {}
    for g in groups:
        devices[g.rank] += len(g.devices)
        count[g.rank] += 1
        actions[g.rank] = g.action
    for rank in sorted(actions):
        ref, source, topic, _ = actions[rank]
        yield ref, source, topic, devices[rank], count[rank]


def write_plan_summary(book: Book, groups: list[PlanGroup]) -> None:
    """The summary sheet: how many devices and groups each theme and item concerns."""
    h, widths = book.ui["action_summary_columns"], book.t["widths"]
    kinds: dict[str, tuple[float, ToCell]] = {
        "ref": (WIDTHS["ref"], book.content_writer()),
        "source": (WIDTHS["source"], book.content_writer()),
        "topic": (WIDTHS["topic"], book.content_writer(book.wrap)),
        "devices": (widths["score"], book.number_writer()),
        "groups": (widths["score"], book.number_writer()),
    }
    columns = [Column(c, h[c], *kinds[c]) for c in ACTION_SUMMARY_COLUMNS]
    write_table(
        book,
        "action_summary",
        columns,
        _summary_rows(groups),
        finish=lambda ws, first, last: print_fitted(book, ws, first),
    )


def _write_full_ids(book: Book, groups: list[PlanGroup], plan_by: str) -> None:
    """Every group cut in its ids cell: its names, ref and source, then its full list of ids in
    cells of at most a cell's size (for a program; the visible cell says how many were cut)."""
    cut = [g for g in groups if g.ids_text != IDS_SEPARATOR.join(g.devices)]
    if not cut:
        return
    ws = book.wb.add_worksheet(GROUP_IDS_SHEET, worksheet_class=TableSheet)
    for r, g in enumerate(cut):
        names = g.names[:2] if plan_by == "department" else g.names
        cells = [*names, g.action[0], g.action[1]]  # the group, its action's ref and source
        chunk: list[str] = []
        for device in g.devices:
            if len(IDS_SEPARATOR.join([*chunk, device])) > CELL_TEXT_LIMIT:
                cells.append(IDS_SEPARATOR.join(chunk))
                chunk = []
            chunk.append(device)
        cells.append(IDS_SEPARATOR.join(chunk))
        for c, value in enumerate(cells):
            ws.write_string(r, c, "" if is_blank(value) else str(value))
    ws.very_hidden()


def team_group_rows(
    book: Book, register: pd.DataFrame, plan_by: str, carried: pd.DataFrame | None, prefill: Carried
) -> Iterator[tuple[Any, ...]]:
    """A row per team's own action (its text) and its devices, as many rows as its ids need to fit
    their cell whole: the names the devices share (site, department...), their count and ids, the
    highest risk and criticality among them, and what they carried, as a group row's."""
    by_ref: dict[str, tuple[Any, list[str]]] = {}
    for device, ref, *_, text in team_carried(carried):
        by_ref.setdefault(ref, (text, []))[1].append(str(device))
    codes = group_column_codes(plan_by)
    n = codes.index("ref")  # the group's names: site, department (, manufacturer, model)
    shown = device_values(register, (*codes[:n], "risk_level", "criticality_level")) if by_ref else {}
    for ref, (text, devices) in by_ref.items():
        for chunk in id_chunks(list(dict.fromkeys(devices))):
            values = [shown.get(str(d), (None,) * (n + 2)) for d in chunk]
            names = tuple(_same([v[k] for v in values]) for k in range(n))
            group = PlanGroup(names, (ref, book.ui["action_team"], None, text), 0, chunk)
            risk, crit = (highest([v[k] for v in values]) for k in (n, n + 1))
            row = (*names, *group.action, len(chunk), IDS_SEPARATOR.join(chunk), risk, crit)
            yield row + (group_prefill(book, group, prefill) or ())


def write_grouped_actions(
    book: Book, register: pd.DataFrame, plan_by: str, carried: pd.DataFrame | None = None
) -> list[str]:
    """The summary sheet, then the grouped plan (a code row above the headers, for reading it
    back), then the full id lists that did not fit a cell. Returns the plan's sheet names."""
    groups = plan_groups(book.language, register, book.ui["action_source"], plan_by)
    write_plan_summary(book, groups)
    columns = group_columns(book, plan_by)
    index = {col.code: i for i, col in enumerate(columns)}
    heights = action_heights(book, columns)
    chars = book.t["wrap"]["body_chars_per_width"]
    prefill = carried_by_device(carried)

    def rows() -> Iterator[tuple[Any, ...]]:
        for g in groups:
            extra = group_prefill(book, g, prefill) if prefill else None
            yield g.identity(plan_by) + (extra or ())
        yield from team_group_rows(book, register, plan_by, carried, prefill)

    def height(row: Sequence[Any]) -> float:
        ids = fit_height([(str(row[index["device_ids"]])[:IDS_HEIGHT_CHARS], IDS_WIDTH)], chars)
        text = heights.get((row[index["source"]], row[index["ref"]]))
        if text is None:  # a team's own action
            text = text_height(book, columns[index["action"]].width, row[index["action"]])
        return min(MAX_ROW_HEIGHT, max(ids, text))

    sheets = write_table(
        book,
        "actions",
        columns,
        rows(),
        code_row=True,
        freeze_cols=2,
        finish=team_cells_finish(book, index),
        height=height,
    )
    _write_full_ids(book, groups, plan_by)
    return [ws.get_name() for ws in sheets]
