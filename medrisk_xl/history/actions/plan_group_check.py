"""Checking a grouped plan (``consolidate --plan-by model|department``) read back, and turning each
group row into the per-device actions the history keeps.

A row is known by its group (the site, department, manufacturer and model it shows, its one device
when either is unknown), source and ref, so rows may be sorted or filtered. Everything else it
shows must be what the workbook wrote, recomputed from the recorded register: the action's text,
the number of devices, their ids, the highest risk and criticality (``action-changed``). A device
taken off one row and put on another is ``device-moved``, naming both rows. A row's owner, due date
and status apply to every device it lists: the history stays per device, so carrying forward, the
second look and ``compare`` read it as they read a per-device plan. A cell of the row left empty
keeps, for each device, what the plan was pre-filled with for it (its previous owner, due date or
status): a row whose devices disagreed is written with an empty status, and importing it untouched
must not erase their statuses."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import ACTION_TEAM_COLUMNS
from medrisk_xl.consolidate.workbook import GROUP_IDS_SHEET, PlanMeta
from medrisk_xl.consolidate.workbook.grouped_plan import group_column_codes
from medrisk_xl.consolidate.workbook.plan_groups import PlanGroup, group_row_key, plan_groups
from medrisk_xl.core.problems import Message, msg
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.history.actions.carrying import Kept
from medrisk_xl.history.actions.plan_cells import cell_text, shortened
from medrisk_xl.history.actions.plan_check import PlanAction, PlanCheck, PlanChecker, check_plan
from medrisk_xl.history.actions.plan_file import PlanFile
from medrisk_xl.history.actions.team_rows import NAME_CODES, claims_team, split_ids
from medrisk_xl.history.stored_values import is_missing, none_if_missing
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.it_contract import IDS_SEPARATOR
from medrisk_xl.workbook.read.reader import Sheet

CLEANED = ("site", "department", "manufacturer", "model", "device_ids")  # return texts, cleaned as written
GROUP_WHAT = {"risk_level": "group_risk_level"}  # a column named otherwise than the plan's (actions.what.*)
Where = tuple[str, int]  # sheet, row


def _written(value: Any, code: str) -> str:
    """What the workbook wrote for a grouped row's identity value."""
    if is_missing(value):
        return ""
    return clean_text(str(value))[0] if code in CLEANED else cell_text(value)


def _ids(text: str) -> set[str]:
    return {part.strip() for part in text.split(IDS_SEPARATOR.strip()) if part.strip()}


def _changed(code: str, text: str, written: str) -> Message:
    """What an ``action-changed`` says: the devices a list lacks or adds, else the text against
    what was written."""
    if code == "device_ids":
        shown, want = _ids(text), _ids(written)
        lacks, adds = sorted(want - shown), sorted(shown - want)
        lacking, adding = shortened(", ".join(lacks)), shortened(", ".join(adds))
        if lacks and adds:
            return msg(
                "actions.ids-changed", changes=msg("actions.ids-lacks-adds", lacks=lacking, adds=adding)
            )
        if lacks or adds:
            said = msg("actions.ids-lacks", ids=lacking) if lacks else msg("actions.ids-adds", ids=adding)
            return msg("actions.ids-changed", changes=said)
    what = msg(f"actions.what.{GROUP_WHAT.get(code, code)}")
    return msg("actions.action-changed", what=what, found=shortened(text), written=shortened(written))


class GroupChecker(PlanChecker):
    """A grouped plan checked against the recorded campaign."""

    id_code = "device_ids"

    def __init__(
        self, plan: PlanFile, pack: ContentPack, register: pd.DataFrame, campaign: str, kept: Kept
    ) -> None:
        super().__init__(plan, pack, register, campaign)
        self.kept = kept
        self.plan_by = plan.meta.get(PlanMeta.PLAN_BY, "model")
        self.identity_codes = group_column_codes(self.plan_by)[: -len(ACTION_TEAM_COLUMNS) - 1]
        self.wanted = (*self.identity_codes, *ACTION_TEAM_COLUMNS)
        language = pack.language(plan.meta[PlanMeta.LANGUAGE])
        sources = plan.meta_json(PlanMeta.ACTION_SOURCE)
        self.groups: dict[tuple[Any, ...], tuple[PlanGroup, dict[str, str]]] = {}
        for g in plan_groups(language, register, sources, self.plan_by):
            texts = {c: _written(v, c) for c, v in zip(self.identity_codes, g.identity(self.plan_by))}
            self.groups[self._key(texts)] = (g, texts)
        self.departments = {str(d): dep for d, dep in zip(register["device_id"], register["department"])}
        self.group_seen: dict[tuple[Any, ...], list[tuple[Where, tuple[Any, ...]]]] = defaultdict(list)
        # (source, ref) -> device -> rows that gained or lost it
        self.gained: dict[tuple[str, str], dict[str, list[Where]]] = defaultdict(lambda: defaultdict(list))
        self.lost: dict[tuple[str, str], dict[str, list[Where]]] = defaultdict(lambda: defaultdict(list))

    def _key(self, texts: dict[str, str]) -> tuple[Any, ...]:
        names = [texts.get(c, "") for c in ("site", "department", "manufacturer", "model")]
        return group_row_key(self.plan_by, names, texts["device_ids"], texts["source"], texts["ref"])

    def _check_row(self, name: str, sheet: Sheet, r: int, cols: dict[str, int]) -> None:
        """One group row: a group and action of the plan, as written, with valid team values."""
        values = {code: sheet.value(r, cols[code]) for code in self.wanted}
        texts = {code: cell_text(values[code]) for code in self.identity_codes}
        team = {code: values[code] for code in ACTION_TEAM_COLUMNS}
        if not any(texts.values()) and not any(cell_text(v) for v in team.values()):
            return
        if claims_team(texts["ref"]):  # a row the team added
            self._team_row(name, r, cols, texts, team)
            return
        found = self.groups.get(self._key(texts))
        if found is None:
            why = msg(
                "actions.why.no-group",
                group=" / ".join(texts.get(c, "") for c in self.identity_codes[:4] if c in texts),
                ref=texts["ref"] or "?",
                source=texts["source"] or "?",
                campaign=self.campaign,
            )
            self.out.add("invented-action", msg("actions.invented-action", why=why), name, r, cols["ref"])
            self._moved_ids(name, r, texts, set())
            return
        written = found[1]
        self.result.rows += 1
        for code in self.identity_codes:
            if code not in ("ref",) and texts[code] != written[code]:
                self.out.add(
                    "action-changed", _changed(code, texts[code], written[code]), name, r, cols[code]
                )
        if texts["device_ids"] != written["device_ids"]:
            self._moved_ids(name, r, texts, _ids(written["device_ids"]))
        values_found = self._team_values(name, r, cols, team, "")
        self.group_seen[self._key(texts)].append(((name, r), values_found))

    def _team_row(
        self, name: str, r: int, cols: dict[str, int], texts: dict[str, str], team: dict[str, Any]
    ) -> None:
        """A row the team added: its text, and its devices: those it lists, else every device of
        the campaign with the site, department (manufacturer, model) it shows."""
        ids = split_ids(texts["device_ids"])
        names = {code: texts[code] for code in NAME_CODES if texts.get(code)}
        if self.team.refused(name, r, cols, texts["ref"], texts["action"], bool(ids or names)):
            return
        values = self._team_values(name, r, cols, team, "")
        if ids:
            devices = self.team.by_ids(ids, name, r, cols["device_ids"])
        elif names:
            devices = self.team.by_names(names, name, r, cols)
        else:
            self.team.no_device(name, r, cols["device_ids"], msg("actions.how.list-ids"))
            return
        if devices is not None:
            self.result.rows += 1
            self.team.add(name, r, cols["device_ids"], texts["action"], devices, values)

    def _moved_ids(self, name: str, r: int, texts: dict[str, str], expected: set[str]) -> None:
        """Note which devices a row gained and lost, to name a device moved between rows."""
        shown = _ids(texts["device_ids"])
        action = (texts["source"], texts["ref"])
        for device in shown - expected:
            self.gained[action][device].append((name, r))
        for device in expected - shown:
            self.lost[action][device].append((name, r))

    def check(self) -> PlanCheck:
        self._check_full_ids()
        return super().check()

    def _check_full_ids(self) -> None:
        """The full id lists of the groups cut in their cell (a very hidden sheet) must be the
        groups' devices: a program reads them there."""
        cut = {
            k: g
            for k, (g, texts) in self.groups.items()
            if texts["device_ids"] != IDS_SEPARATOR.join(g.devices)
        }
        if not cut:
            return
        sheet = self.plan.sheets.get(GROUP_IDS_SHEET)
        if sheet is None:
            self.out.add("sheet-missing", msg("actions.group-ids-sheet-missing", sheet=GROUP_IDS_SHEET))
            return
        names = 2 if self.plan_by == "department" else 4
        found = set()
        for r in range(1, sheet.n_rows + 1):
            cells = [cell_text(v) for v in sheet.row(r)]
            if not any(cells):
                continue
            texts = dict(zip(("site", "department", "manufacturer", "model")[:names], cells))
            texts |= {"ref": cells[names], "source": cells[names + 1], "device_ids": ""}
            group = cut.get(self._key(texts))
            ids = IDS_SEPARATOR.join(c for c in cells[names + 2 :] if c)
            found.add(self._key(texts))
            if group is None or ids != IDS_SEPARATOR.join(group.devices):
                self.out.add("action-changed", msg("actions.group-ids-changed"), GROUP_IDS_SHEET, r)
        if set(cut) - found:
            self.out.add("action-changed", msg("actions.group-ids-missing"), GROUP_IDS_SHEET)

    def _collect_actions(self) -> None:
        """``device-moved`` for a device taken from one row to another; ``duplicate-action`` for a
        group row found twice; then one action per device of each row, its empty cells keeping
        the device's previous values."""
        for (source, ref), gained in self.gained.items():
            for device, to_rows in gained.items():
                for from_row in self.lost[(source, ref)].get(device, []):
                    for to_row in to_rows:
                        self.out.add(
                            "device-moved",
                            msg(
                                "actions.device-moved",
                                device=device,
                                row=from_row[1],
                                sheet=from_row[0],
                                ref=ref,
                                source=source,
                            ),
                            to_row[0],
                            to_row[1],
                            device=device,
                        )
        for key, found in self.group_seen.items():
            (first_sheet, first_row), team = found[0]
            for (sheet, row), _ in found[1:]:
                self.out.add(
                    "duplicate-action",
                    msg("actions.group-duplicate", ref=key[2], row=first_row, sheet=first_sheet),
                    sheet,
                    row,
                )
            group = self.groups[key][0]
            for device in dict.fromkeys(group.devices):
                before = self.kept.get((device, key[2]), (None, None, None))
                owner, due, status = (given or previous for given, previous in zip(team, before))
                if not (owner or due or status):
                    continue
                self.result.kept += team[2] is None and status is not None
                department = none_if_missing(self.departments.get(device))
                self.result.actions.append(PlanAction(device, key[2], department, owner, due, status))
        for action in self.team.actions(self.kept):
            self.result.kept += action.kept
            self.result.actions.append(PlanAction.of_team(action))

    def _missing(self) -> None:
        """A warning for each group row no longer in the file."""
        for key, (group, texts) in self.groups.items():
            if key not in self.group_seen:
                self.out.add(
                    "action-missing",
                    msg(
                        "actions.group-action-missing",
                        ref=key[2],
                        source=key[1],
                        count=len(group.devices),
                        devices=shortened(texts["device_ids"], 40),
                    ),
                    severity="warning",
                )


def check_any_plan(
    plan: PlanFile, pack: ContentPack, register: pd.DataFrame, campaign: str, kept: Kept | None = None
) -> PlanCheck:
    """Check a per-device or a grouped plan (``_meta``'s ``plan_by`` says which); ``kept``: what
    a grouped row's empty cells keep for each device (:func:`~.carrying.kept_values`)."""
    if plan.meta.get(PlanMeta.PLAN_BY) in ("model", "department"):
        return GroupChecker(plan, pack, register, campaign, kept or {}).check()
    return check_plan(plan, pack, register, campaign)
