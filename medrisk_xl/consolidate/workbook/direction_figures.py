"""The figures of the one-page summary for management (issue 27), computed from a Consolidation
without writing anything, so that each can be tested on its own and the sheet only lays them out.

Each reuses the map's own definitions: the coverage is ``consolidate/coverage``'s fleet row;
a confirmed risk is a mapped device whose risk rests on no "don't know" answer (the
``risk_provisional`` flag ``consolidate/it_answers`` sets once the IT team's answers are applied);
the actions are the action plan's rows (:func:`.action_plan.plan_rows`), ranked as the grouped plan
ranks its rows (highest risk, then most devices, then the plan's order); the top devices are the
first of the map in priority order, as on the summary sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.coverage import FLEET
from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.consolidate.workbook.action_plan import item_codes, plan_rows
from medrisk_xl.consolidate.workbook.cell_values import is_blank
from medrisk_xl.consolidate.workbook.map_book import LEVELS
from medrisk_xl.consolidate.workbook.summary import group_counts, provisional_mask
from medrisk_xl.method.pack import Language

STRONG = 3  # the risk level whose devices come first
DEPARTMENT_ROWS = 8  # departments shown; the others summed on one row
SITE_ROWS = 4  # sites shown; the others summed on one row
ACTION_ROWS = 5
DEVICE_ROWS = 10
COVERAGE_KEYS = ("expected", "returned", "mapped", "confirmed")


@dataclass(frozen=True)
class RiskGroups:
    """Mapped devices per group (site or department) at risk 1, 2, 3: the groups with the most
    strong-risk devices, then, when there were more, the others summed (their count first)."""

    rows: list[tuple[str, int, int, int]]
    others: tuple[int, int, int, int] | None  # groups folded, then devices at risk 1, 2, 3


@dataclass(frozen=True)
class ItemAction:
    """A vulnerability item's action across the fleet: the strong-risk devices it concerns, then
    all the devices (moderate or strong risk) the plan gives it to."""

    code: str
    strong: int
    devices: int


@dataclass(frozen=True)
class TopDevice:
    """A device of the top of the map and its reasons: the items answered NO or "don't know"
    (``unknown`` among them)."""

    designation: Any
    device_id: Any
    department: Any
    risk_level: int
    criticality_score: Any
    items: tuple[str, ...]
    unknown: tuple[str, ...]


def coverage_figures(result: Consolidation) -> dict[str, int]:
    """Devices expected, returned, mapped and confirmed, as the coverage's fleet row says (with a
    manifest; confirmed only with an IT workbook); without a manifest, returned and mapped."""
    register = result.register
    if result.coverage is None or not len(result.coverage):
        return {"returned": len(register), "mapped": len(result.scored)}
    fleet = result.coverage[result.coverage["level"] == FLEET].iloc[0]
    return {key: int(fleet[key]) for key in COVERAGE_KEYS if not is_blank(fleet[key])}


def confirmation(register: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Per risk level: mapped devices, and those whose risk is provisional (the rest confirmed)."""
    mapped = register["included"].astype(bool) & register["risk_level"].notna()  # Consolidation.scored
    levels = register.loc[mapped, "risk_level"].astype(int)
    unsure = provisional_mask(register)[mapped]
    return {
        level: (int((levels == level).sum()), int(((levels == level) & unsure).sum())) for level in LEVELS
    }


def risk_groups(register: pd.DataFrame, key: str, unspecified: str, shown: int) -> RiskGroups:
    """The ``shown`` groups (``key``: site or department) with the most strong-risk devices (then
    the most moderate, then the most mapped; ties in the summary's order), the rest summed."""
    counts = group_counts(register, key, unspecified)
    rows = [(name, c[0], c[1], c[2]) for name, c in counts.items()]
    rows.sort(key=lambda r: (-r[3], -r[2], -(r[1] + r[2] + r[3])))  # stable: the summary's order
    if len(rows) <= shown:
        return RiskGroups(rows, None)
    kept, rest = rows[:shown], rows[shown:]
    sums = tuple(sum(r[i] for r in rest) for i in (1, 2, 3))
    return RiskGroups(kept, (len(rest), *sums))


def item_actions(language: Language, register: pd.DataFrame, sources: dict[str, str]) -> list[ItemAction]:
    """Every vulnerability item the action plan gives an action to, with its devices, ranked as
    the grouped plan ranks its rows: the most strong-risk devices, then the most devices, then
    the plan's order. The level plans' themes are not ranked: each concerns every device of its
    level alike."""
    strong: dict[str, int] = {}
    devices: dict[str, int] = {}
    items = set(language.actions["items"])
    for _, _, _, level, ref, *_ in plan_rows(language, register, sources):
        if ref in items:
            devices[ref] = devices.get(ref, 0) + 1
            strong[ref] = strong.get(ref, 0) + int(level == STRONG)
    order = list(language.actions["items"])
    ranked = sorted(devices, key=lambda code: (-strong[code], -devices[code], order.index(code)))
    return [ItemAction(code, strong[code], devices[code]) for code in ranked]


def strong_plan_themes(language: Language) -> int:
    """How many themes the strong-risk level's plan holds (each applies to every such device)."""
    return sum(1 for themes in language.actions["plans"][STRONG]["themes"].values() if themes)


def top_devices(result: Consolidation, n: int = DEVICE_ROWS) -> list[TopDevice]:
    """The first ``n`` devices of the map, in priority order, with their non-compliant items."""
    columns = ["designation", "device_id", "department", "risk_level", "criticality_score"]
    out = []
    for row in result.scored.head(n).to_dict("records"):
        out.append(
            TopDevice(
                *(row[c] for c in columns[:3]),
                int(row["risk_level"]),
                row["criticality_score"],
                tuple(item_codes(row["non_compliant_items"])),
                tuple(item_codes(row["unknown_items"])),
            )
        )
    return out
