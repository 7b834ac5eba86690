"""Checking a plan's action sheets against the campaign as recorded in the history.

Every row's ``(device_id, ref)`` must be an action the recorded campaign implies, its identity
columns what the workbook wrote (``action-changed`` names the cell), the plan values only; the
team's columns must hold a date (or nothing) and one of the dropdown's status texts, mapped back
to stable codes by their position in the list ``_meta`` recorded. A row without a ref (or with a
team ref) is the team's own action, read by :mod:`.team_rows`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import (
    ACTION_IDENTITY_COLUMNS,
    ACTION_STATUS_CODES,
    ACTION_TEAM_COLUMNS,
    ITEMS,
)
from medrisk_xl.consolidate.workbook import DATE_RANGE, PlanMeta, plan_rows
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.history.actions.plan_cells import cell_text, due_date, find_code_row, shortened, written_text
from medrisk_xl.history.actions.plan_file import PlanFile, action_sheet_names
from medrisk_xl.history.actions.plan_problems import PlanProblems
from medrisk_xl.history.actions.team_rows import TeamAction, TeamRows, TeamValues, claims_team
from medrisk_xl.history.stored_values import is_missing, none_if_missing
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.read.reader import Sheet

# The recorded register's columns that checking a plan reads.
REGISTER_COLUMNS_USED = (
    "device_id",
    "department",
    "designation",
    "risk_level",
    "included",
    "non_compliant_items",
)
# ... and the items; the grouped plan's groups (site, manufacturer, model) and highest criticality.
REGISTER_COLUMNS_USED += (*ITEMS, "site", "manufacturer", "model", "criticality_level")
WANTED_COLUMNS = (*ACTION_IDENTITY_COLUMNS, *ACTION_TEAM_COLUMNS)  # the plan columns read

ActionKey = tuple[str, str]  # (device_id, ref)


@dataclass(frozen=True)
class PlanAction:
    """One action row the team filled in, ready to store."""

    device_id: str
    ref: str
    department: str | None
    owner: str | None
    due: str | None  # yyyy-mm-dd
    status: str | None  # ACTION_STATUS_CODES
    text: str | None = None  # the team's own action: its text
    team: bool = False  # the team's own action (a row it added; ref TEAM-...)

    @classmethod
    def of_team(cls, action: TeamAction) -> PlanAction:
        return cls(action.device_id, action.ref, action.department, *action.values, action.text, True)


@dataclass
class PlanCheck:
    """What checking a plan found: the actions to store, the problems, and counts."""

    campaign: str
    language: str
    rows: int = 0  # action rows found in the file
    actions: list[PlanAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    kept: int = 0  # device actions whose empty group-row status kept the device's previous one

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class _SeenRow:
    """An action row found in the plan: where, and what it holds."""

    sheet: str
    row: int
    col: int  # the device_id column
    team: TeamValues
    want: tuple[Any, ...]  # the plan row the workbook wrote for it


def not_an_action_reason(
    device: str, ref: str, devices: dict[str, dict[str, Any]], campaign: str
) -> tuple[Message, bool]:
    """Why (device, ref) is not an action of the campaign, and whether the ref is what is wrong."""
    d = devices.get(device)
    if d is None:
        return msg("actions.why.not-in-register", device=device, campaign=campaign), False
    level = None if is_missing(d["risk_level"]) else int(d["risk_level"])
    if not d["included"] or level not in (2, 3):
        return msg("actions.why.no-plan", device=device, campaign=campaign), False
    return msg("actions.why.not-a-theme", ref=ref, device=device), True


class PlanChecker:
    """One plan checked against one recorded campaign: what it expects, what it found."""

    wanted: tuple[str, ...] = WANTED_COLUMNS  # the columns read, found by the code row
    id_code = "device_id"  # the column naming the devices of a row

    def __init__(self, plan: PlanFile, pack: ContentPack, register: pd.DataFrame, campaign: str) -> None:
        self.plan, self.campaign = plan, campaign
        self.out = PlanProblems(plan.path)
        language = pack.language(plan.meta[PlanMeta.LANGUAGE])
        self.result = PlanCheck(campaign, language.code)
        sources = plan.meta_json(PlanMeta.ACTION_SOURCE)
        self.expected: dict[ActionKey, list[tuple[Any, ...]]] = defaultdict(list)
        for row in plan_rows(language, register, sources):
            self.expected[(written_text(row[0], "device_id"), row[4])].append(row)
        self.devices = {
            written_text(d["device_id"], "device_id"): d
            for d in reversed(register[["device_id", "risk_level", "included"]].to_dict("records"))
        }
        self.labels = plan.meta_json(PlanMeta.ACTION_STATUS)
        self.status_codes = {
            str(label).strip().casefold(): code for label, code in zip(self.labels, ACTION_STATUS_CODES)
        }
        try:
            self.start = int(plan.meta.get(PlanMeta.CODE_ROW, "1"))
        except ValueError:
            self.start = 1
        self.seen: dict[ActionKey, list[_SeenRow]] = defaultdict(list)
        self.team = TeamRows(register, language, sources, campaign, self.out)

    def check(self) -> PlanCheck:
        for name in action_sheet_names(self.plan.meta):
            sheet = self.plan.sheets.get(name)
            if sheet is None:
                self.out.add("sheet-missing", msg("actions.sheet-missing", sheet=name), sheet=name)
                continue
            self._check_sheet(name, sheet)
        self._collect_actions()
        self._missing()
        self.result.problems = self.out.items
        return self.result

    def _missing(self) -> None:
        """A warning for each action no longer in the file."""
        for key in self.expected:
            if key not in self.seen:
                self.out.add(
                    "action-missing",
                    msg("actions.action-missing", ref=key[1], device=key[0]),
                    device=key[0],
                    severity="warning",
                )

    def _check_sheet(self, name: str, sheet: Sheet) -> None:
        """One action sheet: no formula, its code row found, then every row."""
        code_row, cols = find_code_row(sheet, self.start, self.wanted)
        for (r, c), formula in sorted(sheet.xml.formulas.items()):
            device = cell_text(sheet.value(r, cols[self.id_code])) if code_row and r > code_row + 1 else None
            self.out.add(
                "formula-in-plan",
                msg("actions.formula-in-plan", formula=shortened(formula, 40)),
                name,
                r,
                c,
                device,
            )
        if code_row is None:
            _, found = find_code_row(sheet, self.start, (self.id_code, "ref"))
            missing = [c for c in self.wanted if c not in found] if found else list(self.wanted)
            self.out.add(
                "column-missing",
                msg("actions.column-missing", row=self.start, codes=", ".join(missing)),
                name,
                self.start,
            )
            return
        for r in range(code_row + 2, sheet.n_rows + 1):
            self._check_row(name, sheet, r, cols)

    def _check_row(self, name: str, sheet: Sheet, r: int, cols: dict[str, int]) -> None:
        """One row: an action of the plan, as written, with valid team values."""
        values = {code: sheet.value(r, cols[code]) for code in WANTED_COLUMNS}
        texts = {code: cell_text(values[code]) for code in ACTION_IDENTITY_COLUMNS}
        team = {code: values[code] for code in ACTION_TEAM_COLUMNS}
        if not any(texts.values()) and not any(cell_text(v) for v in team.values()):
            return  # an empty row
        device, ref = texts["device_id"], texts["ref"]
        if claims_team(ref):  # a row the team added
            self._team_row(name, r, cols, texts, team)
            return
        rows_here = self.expected.get((device, ref))
        if not rows_here:
            if not device:
                why, where = msg("actions.why.no-action"), cols["device_id"]
            else:
                why, wrong_ref = not_an_action_reason(device, ref, self.devices, self.campaign)
                where = cols["ref"] if wrong_ref else cols["device_id"]
            self.out.add("invented-action", msg("actions.invented-action", why=why), name, r, where, device)
            return
        self.result.rows += 1
        want = rows_here[0]
        self._check_identity(name, r, cols, texts, want)
        found = self._team_values(name, r, cols, team, device)
        self.seen[(device, ref)].append(_SeenRow(name, r, cols["device_id"], found, want))

    def _team_row(
        self, name: str, r: int, cols: dict[str, int], texts: dict[str, str], team: dict[str, Any]
    ) -> None:
        """A row the team added: its text, its one device (of the campaign) and its values."""
        device, text = texts["device_id"], texts["action"]
        if self.team.refused(name, r, cols, texts["ref"], text, bool(device)):
            return
        values = self._team_values(name, r, cols, team, device)
        if not device:
            self.team.no_device(name, r, cols["device_id"], msg("actions.how.fill-id"))
            return
        devices = self.team.by_ids([device], name, r, cols["device_id"])
        if devices is not None:
            self.result.rows += 1
            self.team.add(name, r, cols["device_id"], text, devices, values)

    def _check_identity(
        self, name: str, r: int, cols: dict[str, int], texts: dict[str, str], want: tuple[Any, ...]
    ) -> None:
        """``action-changed`` for each identity cell that is not what the workbook wrote."""
        for k, code in enumerate(ACTION_IDENTITY_COLUMNS):
            if code in ("device_id", "ref"):
                continue
            written = written_text(want[k], code)
            if texts[code] != written:
                self.out.add(
                    "action-changed",
                    msg(
                        "actions.action-changed",
                        what=msg(f"actions.what.{code}"),
                        found=shortened(texts[code]),
                        written=shortened(written),
                    ),
                    name,
                    r,
                    cols[code],
                    texts["device_id"],
                )

    def _team_values(
        self, name: str, r: int, cols: dict[str, int], team: dict[str, Any], device: str
    ) -> TeamValues:
        """The owner, due date and status code the team entered; a bad date or status reported."""
        owner = clean_text(cell_text(team["owner"]))[0] or None
        due, ok = due_date(team["due"])
        if not ok:
            self.out.add(
                "bad-due-date",
                msg(
                    "actions.bad-due-date",
                    value=shortened(cell_text(team["due"]), 30),
                    first=f"{DATE_RANGE[0]:%Y}",
                    last=f"{DATE_RANGE[1]:%Y}",
                ),
                name,
                r,
                cols["due"],
                device,
            )
        status_text = cell_text(team["status"])
        status = self.status_codes.get(status_text.casefold()) if status_text else None
        if status_text and status is None:
            self.out.add(
                "bad-status",
                msg(
                    "actions.bad-status",
                    value=shortened(status_text, 30),
                    labels=", ".join(map(str, self.labels[:4])),
                ),
                name,
                r,
                cols["status"],
                device,
            )
        return owner, due, status

    def _collect_actions(self) -> None:
        """The actions to store (one per key), and ``duplicate-action`` for a key on two rows."""
        for key, found in self.seen.items():
            allowed = len(self.expected[key])  # more than one: a device the register lists twice
            first = found[0]
            for again in found[1:]:
                if len(found) > allowed or again.team != first.team:
                    self.out.add(
                        "duplicate-action",
                        msg(
                            "actions.duplicate-action"
                            if len(found) > allowed
                            else "actions.duplicate-action-other",
                            ref=key[1],
                            device=key[0],
                            row=first.row,
                            sheet=first.sheet,
                        ),
                        again.sheet,
                        again.row,
                        again.col,
                        key[0],
                    )
            owner, due, status = first.team
            if owner or due or status:
                self.result.actions.append(
                    PlanAction(str(first.want[0]), key[1], none_if_missing(first.want[1]), owner, due, status)
                )
        self.result.actions += [PlanAction.of_team(a) for a in self.team.actions()]


def check_plan(plan: PlanFile, pack: ContentPack, register: pd.DataFrame, campaign: str) -> PlanCheck:
    """Check the action sheets of ``plan`` against the actions that ``register`` (the campaign as
    recorded: ``REGISTER_COLUMNS_USED``) implies; return the actions to store and every problem."""
    return PlanChecker(plan, pack, register, campaign).check()
