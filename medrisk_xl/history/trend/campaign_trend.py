"""What ``history trend`` shows of each campaign: its coverage (expected, returned, mapped), its
risk distribution raw and like for like, its NE SAIT PAS share, its action KPIs; and per site.

Like for like over a trend is the panel of devices in the map in every campaign of the trend
(matched by id, a register's first row standing for a device listed twice): its distribution
moves only when risk moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from medrisk_xl.consolidate.coverage import FLEET, SITE
from medrisk_xl.consolidate.tables import ITEMS
from medrisk_xl.history.actions.action_kpis import ActionKpis, action_kpis
from medrisk_xl.history.compare.answer_states import UNKNOWN_STATE, item_states
from medrisk_xl.history.compare.distributions import LEVELS, NOT_MAPPED, buckets_of
from medrisk_xl.history.store import CampaignInfo, History

COLUMNS = ("device_id", "site", "department", "risk_level", "included", "unknown_items", *ITEMS)
NO_SITE = "—"


@dataclass
class Figures:
    """Devices expected (None: recorded without a manifest), returned, mapped, by risk level, and
    those of the like-for-like panel by risk level."""

    expected: int | None
    returned: int
    mapped: int
    levels: dict[str, int]
    like_for_like: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return vars(self).copy()


@dataclass
class CampaignTrend:
    """One campaign of a trend."""

    info: CampaignInfo
    fleet: Figures
    unknown_share: float | None  # NE SAIT PAS among the vulnerability answers given (None: none)
    sites: dict[str, Figures] = field(default_factory=dict)
    actions: ActionKpis | None = None  # None: no plan imported for this campaign

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.info.campaign,
            "created": self.info.created,
            **self.fleet.to_dict(),
            "unknown_share": self.unknown_share,
            "sites": {name: f.to_dict() for name, f in self.sites.items()},
            "actions": self.actions.to_dict() if self.actions else None,
        }


def _figures(reg: pd.DataFrame, buckets: np.ndarray, panel: np.ndarray, expected: int | None) -> Figures:
    """The figures of the rows ``reg`` (their ``buckets``; ``panel``: the rows in the panel)."""
    levels = {k: int((buckets == k).sum()) for k in LEVELS}
    like = {k: int((buckets[panel] == k).sum()) for k in LEVELS}
    return Figures(expected, len(reg), int((buckets != NOT_MAPPED).sum()), levels, like)


def _unknown_share(reg: pd.DataFrame) -> float | None:
    states = np.concatenate(list(item_states(reg).values())) if len(reg) else np.array([])
    given = int((states >= 0).sum())
    return round(int((states == UNKNOWN_STATE).sum()) / given, 4) if given else None


def _sites(
    reg: pd.DataFrame, buckets: np.ndarray, panel: np.ndarray, coverage: list[dict[str, Any]]
) -> dict[str, Figures]:
    """Each site's figures (a device in the panel counts under its site in this campaign)."""
    expected = {r["name"] or NO_SITE: r["expected"] for r in coverage if r["level"] == SITE}
    site = reg["site"].astype(object).where(reg["site"].notna() & (reg["site"] != ""), NO_SITE).to_numpy()
    names = sorted(set(site) | set(expected), key=lambda s: (s == NO_SITE, s))
    return {s: _figures(reg[site == s], buckets[site == s], panel[site == s], expected.get(s)) for s in names}


def mapped_ids(reg: pd.DataFrame) -> set[str]:
    """The devices in the map (a register's first row standing for each id)."""
    first = reg.drop_duplicates("device_id", keep="first")
    return set(first["device_id"][buckets_of(first) != NOT_MAPPED])


def campaign_trend(
    history: History, info: CampaignInfo, reg: pd.DataFrame, panel: set[str], today: dt.date
) -> CampaignTrend:
    """The figures of campaign ``info`` (its register ``reg``, ``COLUMNS`` of it); ``panel``: the
    devices in the map in every campaign."""
    coverage = history.coverage(info.campaign)
    buckets = buckets_of(reg)
    fleet_expected = next((r["expected"] for r in coverage if r["level"] == FLEET), None)
    # a register's first row stands for a device listed twice
    in_panel = (~reg["device_id"].duplicated() & reg["device_id"].isin(panel)).to_numpy()
    plan = history.actions(info.campaign)
    return CampaignTrend(
        info,
        _figures(reg, buckets, in_panel, fleet_expected),
        _unknown_share(reg),
        _sites(reg, buckets, in_panel, coverage),
        action_kpis(plan, today) if len(plan) else None,
    )
