"""Action KPIs from an imported action plan: how many actions are done, in progress, to do, not
applicable, without a status yet, and overdue (their due date passed, neither done nor not
applicable); for the whole plan, and per owner, department and theme.

A theme is the plan's ref: a plan theme code (``BACKUP``), an item (``V3``); the team's own
actions count together under ``TEAM``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from medrisk_xl.history.stored_values import is_missing
from medrisk_xl.method.output_columns import ACTION_STATUS_CODES

NO_STATUS = "none"
STATUSES = (*ACTION_STATUS_CODES, NO_STATUS)
CLOSED = ("done", "not_applicable")
OVERDUE = "overdue"
COUNTS = (*STATUSES, OVERDUE)
TEAM_THEME = "TEAM"
NO_NAME = "—"
GROUPS = ("owner", "department", "theme")


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


@dataclass
class ActionKpis:
    """The counts of one plan: ``total`` per status and overdue, and the same per group."""

    total: dict[str, int] = field(default_factory=empty_counts)
    by: dict[str, dict[str, dict[str, int]]] = field(default_factory=lambda: {g: {} for g in GROUPS})

    @property
    def actions(self) -> int:
        return sum(self.total[s] for s in STATUSES)

    @property
    def open(self) -> int:
        """Actions still to be done: to do, in progress, or without a status."""
        return self.actions - sum(self.total[s] for s in CLOSED)

    def to_dict(self) -> dict[str, Any]:
        return {"actions": self.actions, "open": self.open, **self.total, "by": self.by}


def _overdue(due: object, status: str, today: dt.date) -> bool:
    if status in CLOSED or not isinstance(due, str):
        return False
    try:
        return dt.date.fromisoformat(due[:10]) < today
    except ValueError:
        return False


def _is_set(flag: object) -> bool:
    """A boolean cell that says yes (None or NaN: no)."""
    return not is_missing(flag) and bool(flag)


def _name(value: object) -> str:
    return NO_NAME if is_missing(value) or value == "" else str(value)


def action_kpis(actions: pd.DataFrame, today: dt.date) -> ActionKpis:
    """The KPIs of ``actions`` (a campaign's imported plan, ``History.actions``) on ``today``."""
    kpis = ActionKpis()
    for row in actions.to_dict("records"):
        status = row["status"] if row["status"] in ACTION_STATUS_CODES else NO_STATUS
        late = _overdue(row["due"], status, today)
        names = {
            "owner": _name(row["owner"]),
            "department": _name(row["department"]),
            "theme": TEAM_THEME if _is_set(row.get("team")) else _name(row["ref"]),
        }
        for counts in (kpis.total, *(kpis.by[g].setdefault(names[g], empty_counts()) for g in GROUPS)):
            counts[status] += 1
            counts[OVERDUE] += late
    for group in GROUPS:
        kpis.by[group] = dict(sorted(kpis.by[group].items()))
    return kpis
