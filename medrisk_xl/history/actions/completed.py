"""The actions completed between two campaigns (``compare``): those marked done in the plans
imported for the campaigns from A up to (not including) B, each with what B says of its item. The
team's own actions done count too, with their text (what was done) and ``team`` set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import ITEMS
from medrisk_xl.history.actions.plan_cells import shortened
from medrisk_xl.history.store import History, history_order
from medrisk_xl.history.stored_values import is_missing, none_if_missing


@dataclass(frozen=True)
class CompletedAction:
    """An action marked done in a plan imported for a campaign from A up to B."""

    campaign: str  # the campaign whose plan it was in
    device_id: str
    department: str | None
    designation: str | None
    ref: str  # plan theme or item code
    owner: str | None
    due: str | None  # yyyy-mm-dd
    done_since: str  # the first import that found it done (UTC)
    in_b: str | None  # items: "resolved" (compliant in B), "second_look" (still non-compliant),
    # "unanswered"; any action: "removed" (the device is not in B); a plan theme: None
    team: bool = False  # the team's own action (a row it added to the plan)
    text: str | None = None  # the team's own action: its text

    @property
    def shown_ref(self) -> str:
        """The ref as ``compare``'s text shows it: a team's own action says so, with its text."""
        if not self.team:
            return self.ref
        return f"{self.ref} (team): {shortened(self.text or '')}"


def _state_in_b(b: dict[str, Any] | None, ref: str) -> str | None:
    """What campaign B says of a done action's device and item (see :attr:`CompletedAction.in_b`)."""
    if b is None:
        return "removed"
    if ref not in ITEMS:
        return None
    points = b[ref]
    return "unanswered" if is_missing(points) else ("resolved" if int(points) == 0 else "second_look")


def _done_in(history: History, campaign: str, in_b: dict[str, dict[str, Any]]) -> list[CompletedAction]:
    """The actions marked done in ``campaign``'s imported plan, by device (register order) and ref."""
    actions = history.actions(campaign)
    done = actions[actions["status"] == "done"]
    if not len(done):
        return []
    reg = history.register(campaign, ("device_id", "department", "designation"))
    position = {d: k for k, d in reversed(list(enumerate(reg["device_id"].tolist())))}
    identity = {r["device_id"]: r for r in reversed(reg.to_dict("records"))}
    rows = sorted(
        done.to_dict("records"), key=lambda r: (position.get(r["device_id"], len(position)), r["ref"])
    )
    out = []
    for r in rows:
        device, ref = r["device_id"], r["ref"]
        who = identity.get(device, {})
        out.append(
            CompletedAction(
                campaign=campaign,
                device_id=device,
                department=none_if_missing(who.get("department", r["department"])),
                designation=none_if_missing(who.get("designation")),
                ref=ref,
                owner=none_if_missing(r["owner"]),
                due=none_if_missing(r["due"]),
                done_since=r["status_since"],
                in_b=_state_in_b(in_b.get(device), ref),
                team=bool(r["team"]),
                text=none_if_missing(r["text"]),
            )
        )
    return out


def completed_actions(
    history: History, campaign_a: str, campaign_b: str, register_b: pd.DataFrame | None = None
) -> tuple[list[str], list[CompletedAction]]:
    """The campaigns from A up to (not including) B whose plan was imported, and the actions marked
    done in them, by campaign, device (in register order) and ref."""
    infos = sorted(history.campaigns(), key=history_order)
    order = [i.campaign for i in infos]
    if campaign_a not in order or campaign_b not in order:
        return [], []
    imports = history.action_imports()
    span = order[order.index(campaign_a) : order.index(campaign_b)]
    imported = [c for c in span if c in imports]
    if register_b is None:
        register_b = history.register(campaign_b, ("device_id", *ITEMS))
    in_b = {r["device_id"]: r for r in reversed(register_b[["device_id", *ITEMS]].to_dict("records"))}
    out: list[CompletedAction] = []
    for campaign in imported:
        out.extend(_done_in(history, campaign, in_b))
    return imported, out
