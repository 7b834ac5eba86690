"""Carrying the action follow-up forward (``consolidate --db``): the new plan pre-filled from the
latest earlier campaign that has imported actions, and from the campaign's own imported plan when
it is consolidated again (a late return does not lose what the team entered). The team's own
actions (rows it added, ``team`` in the history) are carried while open (:data:`OPEN`), with their
text, for the devices still in the campaign; the campaign's own are all written back."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import CARRIED_COLUMNS, ITEMS, Consolidation
from medrisk_xl.consolidate.workbook import plan_rows
from medrisk_xl.core.message_templates import render
from medrisk_xl.history.actions.action_kpis import action_kpis
from medrisk_xl.history.campaign_rows import campaign_id, load_manifest
from medrisk_xl.history.store import History, Target, history_order, open_history
from medrisk_xl.history.stored_values import is_missing, none_if_missing, utc_now_text
from medrisk_xl.method.pack import ContentPack, load_pack

OPEN = ("todo", "in_progress", None)  # None: an owner or a due date, no status yet
CARRIED = (*OPEN, "not_applicable")  # the statuses whose owner, due date and status carry over

ActionsByKey = dict[tuple[str, str], dict[str, Any]]  # (device_id, ref) -> an imported action


@dataclass(frozen=True)
class CarriedForward:
    """What :func:`carry_forward` pre-filled in a campaign's action plan."""

    campaign: str
    previous: str | None  # the earlier campaign whose actions were carried forward
    carried: int  # open (or not applicable) actions: owner, due date and status carried over
    second_look: int  # item actions done earlier whose item is still non-compliant
    done_before: int  # plan themes done earlier (noted)
    own: int  # actions pre-filled from the campaign's own imported plan (consolidated again)
    team: int = 0  # the team's own actions written into the plan (per device)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self, lang: str | None = None) -> str:
        """What was carried forward in one line, in ``lang`` (English by default)."""
        parts = []
        if self.previous:
            said = {"carried": self.carried, "second_look": self.second_look, "done_before": self.done_before}
            parts.append(render("actions.carried", lang, previous=self.previous, **said))
        if self.own:
            parts.append(render("actions.carried_own", lang, count=self.own, campaign=self.campaign))
        if self.team:
            parts.append(render("actions.carried_team", lang, count=self.team))
        return render("actions.carried_sep", lang).join(parts) or render("actions.carried_none", lang)


def _by_key(actions: pd.DataFrame) -> ActionsByKey:
    return {(r["device_id"], r["ref"]): r for r in actions.to_dict("records")}


def _as_date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if not is_missing(text) and text else None
    except ValueError:
        return None


def _earlier_actions(
    history: History, name: str, manifest: dict[str, Any]
) -> tuple[ActionsByKey, str | None, ActionsByKey]:
    """The campaign's own imported actions, and the latest earlier campaign with imported actions
    and its actions (by (device_id, ref))."""
    imports = history.action_imports()
    infos = history.campaigns()
    own = _by_key(history.actions(name)) if name in imports else {}
    now = utc_now_text()
    current = next((i for i in infos if i.campaign == name), None)
    key = history_order(current) if current else (manifest.get("created") or now, now, name)
    earlier = [i for i in infos if i.campaign != name and i.campaign in imports and history_order(i) < key]
    if not earlier:
        return own, None, {}
    previous = max(earlier, key=history_order).campaign
    return own, previous, _by_key(history.actions(previous))


def _is_team(action: dict[str, Any] | None) -> bool:
    return action is not None and bool(action.get("team"))


def _before(key: tuple[str, str], prior: ActionsByKey) -> dict[str, Any] | None:
    """The earlier campaign's action for ``key``; the team's own only while open (a team action
    done or not applicable is not carried: there is no generated row to note it on)."""
    before = prior.get(key)
    if _is_team(before) and none_if_missing(before["status"]) not in OPEN:  # type: ignore[index]
        return None
    return before


def _carried_row(
    device: str, ref: str, before: dict[str, Any] | None, mine: dict[str, Any] | None, previous: str | None
) -> tuple[tuple[Any, ...] | None, str | None]:
    """One plan action's pre-filled row (``CARRIED_COLUMNS``; None: nothing to pre-fill) and its
    follow-up (carried, second_look, done_before or None)."""
    follow_up, values = None, (None, None, None)
    if before is not None:
        status = none_if_missing(before["status"])
        if status in CARRIED:
            follow_up = "carried"
            values = (none_if_missing(before["owner"]), _as_date(before["due"]), status)
        elif status == "done":
            follow_up = "second_look" if ref in ITEMS else "done_before"
    if mine is not None:
        values = (none_if_missing(mine["owner"]), _as_date(mine["due"]), none_if_missing(mine["status"]))
    if follow_up or any(v is not None for v in values):
        return (device, ref, *values, follow_up, previous if follow_up else None), follow_up
    return None, follow_up


Kept = dict[tuple[str, str], tuple[str | None, str | None, str | None]]  # owner, due (yyyy-mm-dd), status


def kept_values(history: History, campaign: str) -> Kept:
    """(device_id, ref) -> the owner, due date and status the campaign's plan was pre-filled with
    for that device (what :func:`carry_forward` gives it). A grouped plan's row left empty keeps
    these for each of its devices on import: a row whose devices disagreed, untouched, loses
    nothing."""
    own, previous, prior = _earlier_actions(history, campaign, {})
    kept: Kept = {}
    for key in {*own, *prior}:
        row, _ = _carried_row(key[0], key[1], _before(key, prior), own.get(key), previous)
        if row is not None and any(v is not None for v in row[2:5]):
            owner, due, status = row[2:5]
            kept[key] = (owner, due.isoformat() if due else None, status)
    return kept


def _team_rows(
    register: pd.DataFrame, own: ActionsByKey, prior: ActionsByKey, previous: str | None
) -> list[tuple[Any, ...]]:
    """The team's own actions to write into the plan (``CARRIED_COLUMNS``, their text last), by
    device in register order: the campaign's own, and the earlier campaign's still open, for the
    devices the campaign still has."""
    position = {str(d): k for k, d in reversed(list(enumerate(register["device_id"].tolist())))}
    keys = {k for k, a in own.items() if _is_team(a)} | {k for k in prior if _is_team(_before(k, prior))}
    rows = []
    for key in sorted((k for k in keys if k[0] in position), key=lambda k: (position[k[0]], k[1])):
        mine, before = own.get(key), _before(key, prior)
        row, _ = _carried_row(*key, before, mine, previous)
        text = (mine or before or {}).get("text")
        rows.append((*(row or (*key, None, None, None, None, None)), text))
    return rows


def carry_forward(
    result: Consolidation,
    target: str | os.PathLike[str] | Target | History | None = None,
    *,
    pack: ContentPack | None = None,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    campaign: str | None = None,
) -> CarriedForward:
    """Pre-fill ``result``'s action plan from the history (sets ``result.carried``; the
    consolidated workbook writes it, and ``result.plan_follow_up``, the earlier plan's KPIs, which
    its summary shows): owner, due date and status of the latest earlier campaign's
    open actions, a second look for its done items still non-compliant, a note for its done plan
    themes; and, when the campaign is consolidated again, its own imported actions."""
    pack = pack or load_pack()
    man = load_manifest(manifest)
    name = campaign_id(result, man, campaign)
    language = pack.language(result.language)
    sources = language.ui["consolidated"]["action_source"]
    keys = list(dict.fromkeys((row[0], row[4]) for row in plan_rows(language, result.register, sources)))
    if isinstance(target, History):
        own, previous, prior = _earlier_actions(target, name, man)
    else:
        with open_history(target) as history:
            own, previous, prior = _earlier_actions(history, name, man)
    counts: Counter[str] = Counter()
    rows = []
    for device, ref in keys:
        mine = own.get((device, ref))
        row, follow_up = _carried_row(device, ref, prior.get((device, ref)), mine, previous)
        if mine is not None:
            counts["own"] += 1
        if follow_up:
            counts[follow_up] += 1
        if row is not None:
            rows.append((*row, None))
    team = _team_rows(result.register, own, prior, previous)
    counts["team"] = len(team)
    rows += team
    result.carried = pd.DataFrame(rows, columns=list(CARRIED_COLUMNS))
    if previous and prior:
        today = dt.date.today()
        kpis = action_kpis(pd.DataFrame(list(prior.values())), today)
        result.plan_follow_up = {"campaign": previous, "on": today.isoformat(), **kpis.to_dict()}
    return CarriedForward(
        campaign=name,
        previous=previous if prior else None,
        carried=counts["carried"],
        second_look=counts["second_look"],
        done_before=counts["done_before"],
        own=counts["own"],
        team=counts["team"],
    )
