"""The rows a team adds to its action plan ("Demander le MDS2 au fabricant"), read back as the
team's own actions.

A row is the team's when its ref is empty, or ``TEAM-`` and 8 hex digits (written by a previous
``consolidate --db``): its ref is then made from its action text
(:func:`~medrisk_xl.consolidate.team_actions.team_ref`), so a carried row whose text was edited is
a new action of the new text, not an error. It must hold a text, and name devices of the recorded
campaign: per device, its inventory number; in a grouped plan, a list of inventory numbers, or,
when that cell is empty, the site, department (and manufacturer, model) it shows, which stand for
every device of the campaign that has them (compared without case or surrounding spaces). A row
with a ref that is neither a generated action's nor a team's stays ``invented-action``, and so
does a row without a ref whose text is a generated action's (a generated action keeps its ref).
An action is stored for each device with its text, the row's owner, due date and status; in a
grouped plan an empty cell keeps each device's previous value, as on a generated group row."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from medrisk_xl.consolidate.team_actions import (
    is_team_ref,
    normalised_action_text,
    team_action_text,
    team_ref,
)
from medrisk_xl.consolidate.workbook import level_plan_actions, table_rows, vulnerability_item_actions
from medrisk_xl.core.problems import Message, msg
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.history.actions.carrying import Kept
from medrisk_xl.history.actions.plan_cells import shortened, written_text
from medrisk_xl.history.actions.plan_problems import PlanProblems
from medrisk_xl.history.stored_values import is_missing, none_if_missing
from medrisk_xl.method.pack import Language

NAME_CODES = ("site", "department", "manufacturer", "model")  # what a grouped team row may name
TeamValues = tuple[str | None, str | None, str | None]  # owner, due date (yyyy-mm-dd), status code
_ID_SEPARATORS = re.compile(r"[,;\n]")  # a list of inventory numbers typed by the team


@dataclass(frozen=True)
class TeamAction:
    """A team's own action of one device, ready to store."""

    device_id: str
    ref: str
    department: str | None
    text: str
    values: TeamValues  # owner, due date, status code
    kept: bool = False  # its status is the device's previous one (a grouped row left without one)


@dataclass(frozen=True)
class TeamRow:
    """A team row found in the plan: where, its devices, text and values."""

    sheet: str
    row: int
    col: int  # the cell naming its devices
    ref: str
    text: str
    devices: tuple[str, ...]
    values: TeamValues


def _fold(value: object) -> str:
    return "" if is_missing(value) else clean_text(value)[0].casefold()


def split_ids(text: str) -> list[str]:
    """The inventory numbers of a grouped row's list (commas, semicolons or line breaks), once each."""
    return list(dict.fromkeys(p.strip() for p in _ID_SEPARATORS.split(text) if p.strip()))


def claims_team(ref: str) -> bool:
    """Whether a row's ref says it is the team's own (empty, or a team ref)."""
    return not ref or is_team_ref(ref)


class TeamRows:
    """The team's rows of one plan, checked against the recorded campaign."""

    def __init__(
        self,
        register: pd.DataFrame,
        language: Language,
        sources: dict[str, str],
        campaign: str,
        out: PlanProblems,
    ) -> None:
        self.campaign, self.out = campaign, out
        self.ids: dict[str, tuple[str, str | None]] = {}  # id as written -> registered id, department
        self.names: list[tuple[str, tuple[str, ...]]] = []  # device, its names folded
        for device, *names in table_rows(register, ("device_id", *NAME_CODES)):
            key = written_text(device, "device_id")
            self.ids.setdefault(key, (str(device), none_if_missing(names[1])))
            self.names.append((key, tuple(_fold(n) for n in names)))
        texts = [a[3] for level in level_plan_actions(language, sources["plan"]).values() for a in level]
        texts += [a[3] for a in vulnerability_item_actions(language, sources["item"]).values()]
        self.generated = {normalised_action_text(t) for t in texts}
        self.found: list[TeamRow] = []

    def refused(self, sheet: str, r: int, cols: dict[str, int], ref: str, text: str, named: bool) -> bool:
        """Whether a row claiming to be the team's is refused for its text (each problem added)."""
        if not text and not named and not ref:
            why = msg("actions.why.team-empty")
            self.out.add("invented-action", msg("actions.invented-action", why=why), sheet, r, cols["ref"])
        elif not text:
            self.out.add(
                "team-action-incomplete",
                msg("actions.team-action-incomplete"),
                sheet,
                r,
                cols["action"],
            )
        elif normalised_action_text(text) in self.generated:
            self.out.add(
                "invented-action",
                msg("actions.invented-action", why=msg("actions.why.generated-text")),
                sheet,
                r,
                cols["ref"],
            )
        else:
            return False
        return True

    def by_ids(self, ids: list[str], sheet: str, r: int, col: int) -> list[str] | None:
        """The devices ``ids`` (inventory numbers as written) name; None (a problem added) when one
        is not a device of the campaign."""
        unknown = [d for d in ids if d not in self.ids]
        if unknown:
            self.out.add(
                "unknown-device",
                msg("actions.team-unknown-ids", ids=shortened(", ".join(unknown)), campaign=self.campaign),
                sheet,
                r,
                col,
                unknown[0] if len(unknown) == 1 else None,
            )
            return None
        return ids

    def by_names(self, names: dict[str, str], sheet: str, r: int, cols: dict[str, int]) -> list[str] | None:
        """Every device of the campaign with the site, department... a grouped row shows; None (a
        problem added) when none has them."""
        wanted = [(k, _fold(names[code])) for k, code in enumerate(NAME_CODES) if names.get(code)]
        found = [d for d, have in self.names if all(have[k] == v for k, v in wanted)]
        if not found:
            shown = " / ".join(names[code] for code in NAME_CODES if names.get(code))
            code = NAME_CODES[wanted[0][0]]
            self.out.add(
                "unknown-device",
                msg("actions.team-unknown-names", campaign=self.campaign, names=shortened(shown)),
                sheet,
                r,
                cols[code],
            )
            return None
        return list(dict.fromkeys(found))

    def no_device(self, sheet: str, r: int, col: int, how: Message) -> None:
        """``team-action-incomplete``: a team row with a text names no device."""
        self.out.add("team-action-incomplete", msg("actions.team-no-device", how=how), sheet, r, col)

    def add(self, sheet: str, r: int, col: int, text: str, devices: list[str], values: TeamValues) -> None:
        """A team row read: its action, for each of its devices."""
        text = team_action_text(text)
        self.found.append(TeamRow(sheet, r, col, team_ref(text), text, tuple(devices), values))

    def actions(self, kept: Kept | None = None) -> list[TeamAction]:
        """The action of each device of each team row; ``duplicate-action`` for a device's action
        on two rows; with ``kept`` (a grouped plan) an empty cell keeps the device's previous value."""
        seen: dict[tuple[str, str], TeamRow] = {}
        out = []
        for row in self.found:
            for written in row.devices:
                device, department = self.ids[written]
                first = seen.setdefault((device, row.ref), row)
                if first is not row:
                    self.out.add(
                        "duplicate-action",
                        msg(
                            "actions.team-duplicate",
                            ref=row.ref,
                            text=shortened(row.text, 40),
                            device=device,
                            row=first.row,
                            sheet=first.sheet,
                        ),
                        row.sheet,
                        row.row,
                        row.col,
                        device,
                    )
                    continue
                before = (kept or {}).get((device, row.ref), (None, None, None))
                owner, due, status = (given or previous for given, previous in zip(row.values, before))
                kept_status = row.values[2] is None and status is not None
                out.append(
                    TeamAction(device, row.ref, department, row.text, (owner, due, status), kept_status)
                )
        return out
