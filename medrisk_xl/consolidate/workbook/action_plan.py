"""The action plan sheet: a row per plan theme and per non-compliant item of every device at
moderate or strong risk, with owner, due date and status for the team to fill."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.tables import ACTION_COLUMNS, ACTION_STATUS_CODES, CARRIED_COLUMNS
from medrisk_xl.consolidate.workbook.cell_values import is_blank
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import print_fitted, table_rows, write_table
from medrisk_xl.consolidate.workbook.team_plan import device_values, team_carried, text_height
from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.lists import item_actions_text, theme_actions_text
from medrisk_xl.workbook.write.text import fit_height

ACTION_LEVELS = (2, 3)  # moderate and strong risk get an action plan
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))  # due dates accepted

Action = tuple[str, str, str, str]  # ref, source, topic, actions (one per line)


def action_columns(book: Book) -> list[Column]:
    """Device, level, reference, source, topic and actions; then owner, due date and status for
    the team, and what the history carried into the row."""
    widths = book.t["widths"]
    answer = book.styles.answer  # the cells the team fills: white, bordered, as in the returns
    specs: dict[str, tuple[float, ToCell, Any]] = {
        "device_id": (widths["ID"], book.text_writer(), None),
        "department": (widths["identity"], book.text_writer(), None),
        "designation": (widths["identity"] + 8, book.text_writer(book.wrap), None),
        "risk_level": (widths["level"], book.level_writer("risk"), None),
        "ref": (WIDTHS["ref"], book.content_writer(), None),
        "source": (WIDTHS["source"], book.content_writer(), None),
        "topic": (WIDTHS["topic"], book.content_writer(book.wrap), None),
        "action": (WIDTHS["action"], book.content_writer(book.wrap), None),
        "owner": (WIDTHS["owner"], book.text_writer(answer), answer),
        "due": (WIDTHS["due"], book.date_writer(), book.date),
        "status": (WIDTHS["owner"], book.text_writer(answer), answer),
        "follow_up": (WIDTHS["change"], book.text_writer(book.wrap), None),
    }
    headers = book.ui["action_columns"]
    return [Column(code, headers[code], *specs[code][:2], fmt=specs[code][2]) for code in ACTION_COLUMNS]


def level_plan_actions(language: Language, source: str) -> dict[int, list[Action]]:
    """Each level's plan, one entry per theme that has actions at that level; ``source`` is the
    ``action_source.plan`` template ("Level {level} plan")."""
    out: dict[int, list[Action]] = {}
    for level in ACTION_LEVELS:
        out[level] = [
            (theme, source.format(level=level), question, theme_actions_text(language, level, theme))
            for theme, question in language.actions["themes"].items()
            if language.actions["plans"][level]["themes"].get(theme)
        ]
    return out


def vulnerability_item_actions(language: Language, source: str) -> dict[str, Action]:
    """Each vulnerability item's point to settle and specific actions; ``source`` is the
    ``action_source.item`` template ("Item {code}")."""
    return {
        code: (code, source.format(code=code), language.title(code), item_actions_text(language, code))
        for code in language.actions["items"]
    }


def plan_actions(book: Book) -> dict[int, list[Action]]:
    """Each level's plan, in the workbook's language."""
    return level_plan_actions(book.language, book.ui["action_source"]["plan"])


def item_actions(book: Book) -> dict[str, Action]:
    """Each vulnerability item's actions, in the workbook's language."""
    return vulnerability_item_actions(book.language, book.ui["action_source"]["item"])


def item_codes(value: Any) -> list[str]:
    """ "V2, V5" -> ["V2", "V5"]."""
    if is_blank(value):
        return []
    return [code.strip() for code in str(value).split(",") if code.strip()]


def plan_rows(
    language: Language, register: pd.DataFrame, sources: dict[str, str]
) -> Iterator[tuple[Any, ...]]:
    """The identity part of every action row (``ACTION_IDENTITY_COLUMNS``), as the workbook writes
    it: for every included device at moderate or strong risk, in register order, a row per theme
    of its level's plan, then a row per non-compliant or unknown item. ``sources`` is the
    ``action_source`` templates. ``actions import`` reads a plan back against these rows."""
    plans = level_plan_actions(language, sources["plan"])
    items = vulnerability_item_actions(language, sources["item"])
    included = register["included"].astype(bool)
    chosen = register[included & register["risk_level"].isin(ACTION_LEVELS).fillna(False)]
    columns = ("device_id", "department", "designation", "risk_level", "non_compliant_items")
    for device, department, designation, level, non_compliant in table_rows(chosen, columns):
        head = (device, department, designation, int(level))
        for action in plans[int(level)]:
            yield head + action
        for code in item_codes(non_compliant):
            if code in items:
                yield head + items[code]


def _carried_by_key(book: Book, carried: pd.DataFrame | None) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(device_id, ref) -> owner, due, status label and follow-up text to pre-fill."""
    if carried is None or not len(carried):
        return {}
    labels = dict(zip(ACTION_STATUS_CODES, book.ui["action_status"]))
    texts = book.ui["action_follow_up"]
    out = {}
    for device, ref, owner, due, status, follow_up, origin, _ in table_rows(carried, CARRIED_COLUMNS):
        text = None if is_blank(follow_up) else texts[follow_up].format(campaign=origin)
        status_label = None if is_blank(status) else labels.get(status)
        out[(device, ref)] = (owner, due, status_label, text)
    return out


def action_rows(
    book: Book, register: pd.DataFrame, carried: pd.DataFrame | None = None
) -> Iterator[tuple[Any, ...]]:
    """For every included device at moderate or strong risk, in register order: a row per theme
    of its level's plan, then a row per non-compliant or unknown item; owner, due date, status and
    follow-up pre-filled from ``carried`` (``Consolidation.carried``), empty otherwise. Then a row
    per device of each of the team's own actions ``carried`` holds (:mod:`.team_plan`)."""
    prefill = _carried_by_key(book, carried)
    for row in plan_rows(book.language, register, book.ui["action_source"]):
        extra = prefill.get((row[0], row[4]))
        yield row + extra if extra else row
    team = team_carried(carried)
    shown = device_values(register, ("department", "designation", "risk_level")) if team else {}
    for device, ref, *_, text in team:
        head = (device, *shown.get(str(device), (None, None, None)))
        yield (*head, ref, book.ui["action_team"], None, text, *prefill[(device, ref)])


def action_heights(book: Book, columns: Sequence[Column]) -> dict[tuple[str, str], float]:
    """The height of each action row, by (source, ref): its topic and actions wrapped.

    LibreOffice does not fit row heights to wrapped text on opening; they are computed once per
    plan theme and item, not per row."""
    widths = {col.code: col.width for col in columns}
    entries = [*itertools.chain(*plan_actions(book).values()), *item_actions(book).values()]
    chars = book.t["wrap"]["body_chars_per_width"]
    return {
        (source, ref): fit_height([(topic, widths["topic"]), (text, widths["action"])], chars)
        for ref, source, topic, text in entries
    }


def team_cells_finish(book: Book, index: dict[str, int]) -> Callable[[Worksheet, int, int], None]:
    """What completes each plan sheet: the status dropdown and the due date's check on the rows
    ``first..last``, and the print setup."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        last = max(first, last)
        status = book.ui["action_status"]
        ws.data_validation(
            first, index["status"], last, index["status"], {"validate": "list", "source": status}
        )
        ws.data_validation(
            first,
            index["due"],
            last,
            index["due"],
            {"validate": "date", "criteria": "between", "minimum": DATE_RANGE[0], "maximum": DATE_RANGE[1]},
        )
        print_fitted(book, ws, first)

    return finish


def write_actions(book: Book, register: pd.DataFrame, carried: pd.DataFrame | None = None) -> list[str]:
    """The action plan: a row per plan theme and per non-compliant item of every device at
    moderate or strong risk, with owner, due date and status left to fill (or pre-filled from
    ``carried``); a code row above the headers, as in the register, for reading the plan back.
    Returns the names of its sheets."""
    columns = action_columns(book)
    index = {col.code: i for i, col in enumerate(columns)}
    heights = action_heights(book, columns)
    ref, source, action = index["ref"], index["source"], index["action"]

    def height(row: Sequence[Any]) -> float:
        found = heights.get((row[source], row[ref]))
        return text_height(book, columns[action].width, row[action]) if found is None else found

    finish = team_cells_finish(book, index)

    sheets = write_table(
        book,
        "actions",
        columns,
        action_rows(book, register, carried),
        code_row=True,
        freeze_cols=1,
        finish=finish,
        height=height,
    )
    return [ws.get_name() for ws in sheets]
