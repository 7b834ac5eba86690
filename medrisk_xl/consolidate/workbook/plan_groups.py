"""The grouped action plan's rows (``consolidate --plan-by model|department``), computed without
writing anything: the workbook writes them and ``actions import`` recomputes them from the
recorded register to check a plan read back, so both sides share this one definition.

A team runs a few hundred actions ("put the 40 pumps of model X in ICU on a VLAN"), not one row
per device and action: the devices of a group (site and department, and with ``model`` the same
manufacturer and model, compared without case or surrounding spaces) that share an action (a theme
of their level's plan, or a non-compliant item) make one row. A device whose manufacturer or model
is unknown is a group of its own: nothing says it is like its neighbours."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import GROUP_KEY_COLUMNS
from medrisk_xl.consolidate.workbook.action_plan import (
    ACTION_LEVELS,
    Action,
    item_codes,
    level_plan_actions,
    vulnerability_item_actions,
)
from medrisk_xl.consolidate.workbook.cell_values import is_blank
from medrisk_xl.consolidate.workbook.sheet_tables import table_rows
from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.it_contract import device_ids_text, group_key

GroupKey = tuple[str, ...]
# The register columns a grouped plan reads (the recorded register holds them all).
GROUP_REGISTER_COLUMNS = (
    "device_id",
    *GROUP_KEY_COLUMNS,
    "risk_level",
    "criticality_level",
    "included",
    "non_compliant_items",
)


def _norm(value: Any) -> str:
    return "" if is_blank(value) else str(value)


def plan_group_key(plan_by: str, values: Sequence[Any], device_id: Any) -> GroupKey:
    """The group of a device: site and department (``department``), plus manufacturer and model
    (``model``); its own group when either is unknown. ``values``: GROUP_KEY_COLUMNS in order."""
    site, department, manufacturer, model = (_norm(v) for v in values)
    site_key, brand_key, model_key = group_key(site, manufacturer, model)
    department_key = department.strip().casefold()
    if plan_by == "department":
        return (site_key, department_key)
    if not brand_key or not model_key:
        return (site_key, department_key, brand_key, model_key, _norm(device_id))
    return (site_key, department_key, brand_key, model_key)


@dataclass(slots=True)  # slots: 430,000 of them at 50,000 devices of 99 models a department
class PlanGroup:
    """One row of the grouped plan: an action and the devices of one group that share it."""

    names: tuple[Any, ...]  # site, department, manufacturer, model as the first device wrote them
    action: Action  # ref, source, topic, actions
    rank: int  # the action's place in the plan's order (themes by level, then items)
    devices: list[str] = field(default_factory=list)  # in register order
    risk: int = 0  # the highest risk level among them
    criticality: int = 0  # the highest criticality level among them (0: none known)
    group: GroupKey = ()  # the group's key (plan_group_key), which orders groups that tie

    @property
    def ids_text(self) -> str:
        """The ids cell: every device, cut with "… (+N)" past what a cell holds."""
        return device_ids_text(self.devices)

    def identity(self, plan_by: str) -> tuple[Any, ...]:
        """The row's identity cells (ACTION_GROUP_IDENTITY_COLUMNS, without manufacturer and model
        for ``department``)."""
        names = self.names[:2] if plan_by == "department" else self.names
        crit = self.criticality or None
        return (*names, *self.action, len(self.devices), self.ids_text, self.risk, crit)


def _device_actions(
    language: Language, register: pd.DataFrame, sources: dict[str, str]
) -> Iterator[tuple[tuple[Any, ...], int, Action]]:
    """Every device action in register order: (GROUP_REGISTER_COLUMNS values, rank, action)."""
    plans = level_plan_actions(language, sources["plan"])
    items = vulnerability_item_actions(language, sources["item"])
    ranks = {(a[1], a[0]): i for i, a in enumerate([*plans[2], *plans[3], *items.values()])}
    chosen = register[
        register["included"].astype(bool) & register["risk_level"].isin(ACTION_LEVELS).fillna(False)
    ]
    for values in table_rows(chosen, GROUP_REGISTER_COLUMNS):
        level = int(values[5])
        for action in plans[level]:
            yield values, ranks[(action[1], action[0])], action
        for code in item_codes(values[8]):
            if code in items:
                yield values, ranks[(items[code][1], code)], items[code]


def plan_groups(
    language: Language, register: pd.DataFrame, sources: dict[str, str], plan_by: str
) -> list[PlanGroup]:
    """The grouped plan's rows, in the plan's order: highest risk first, then the most devices,
    then the highest criticality, then the group and the action's place in the plan."""
    groups: dict[tuple[GroupKey, str, str], PlanGroup] = {}
    last: tuple[Any, ...] | None = None
    for values, rank, action in _device_actions(language, register, sources):
        if values is not last:  # a device's actions come together: its group is found once
            last, names = values, tuple(values[1:5])
            device_group, device_id = plan_group_key(plan_by, names, values[0]), _norm(values[0])
        key = (device_group, action[1], action[0])
        group = groups.get(key)
        if group is None:
            group = groups[key] = PlanGroup(names, action, rank, group=device_group)
        group.devices.append(device_id)
        group.risk = max(group.risk, int(values[5]))
        if not is_blank(values[6]):
            group.criticality = max(group.criticality, int(values[6]))
    return sorted(groups.values(), key=lambda g: (-g.risk, -len(g.devices), -g.criticality, g.group, g.rank))


def group_row_key(
    plan_by: str, names: Sequence[Any], ids_text: str, source: str, ref: str
) -> tuple[Any, ...]:
    """What identifies a grouped row read back: its group (from the names it shows, and its one
    device when manufacturer or model is unknown), source and ref."""
    names = [*names, "", ""][:4]
    return (plan_group_key(plan_by, names, ids_text), source, ref)
