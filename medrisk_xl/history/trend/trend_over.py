"""``history trend``: the figures of any number of recorded campaigns, side by side."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from medrisk_xl.history.store import History, open_history
from medrisk_xl.history.trend.campaign_trend import COLUMNS, CampaignTrend, campaign_trend, mapped_ids


@dataclass
class Trend:
    """The campaigns of a trend, in the order asked (default: the history's order); ``panel``:
    how many devices are in the map in every one of them; ``today``: the date actions are late by."""

    campaigns: list[CampaignTrend]
    panel: int
    today: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "like_for_like_devices": self.panel,
            "campaigns": [c.to_dict() for c in self.campaigns],
        }


def trend(
    target: str | os.PathLike[str] | History | None,
    campaigns: list[str] | None = None,
    today: dt.date | None = None,
) -> Trend:
    """The trend of ``campaigns`` (default: every recorded campaign) in the history at ``target``
    (``None``: ``MEDRISK_DB``, or an open :class:`History`); actions late on ``today`` (default:
    the local date)."""
    if isinstance(target, History):
        return _trend(target, campaigns, today or dt.date.today())
    with open_history(target, create=False) as history:
        return _trend(history, campaigns, today or dt.date.today())


def _trend(history: History, names: list[str] | None, today: dt.date) -> Trend:
    infos = [history.campaign(n) for n in names] if names else history.campaigns()
    registers = [history.register(i.campaign, COLUMNS) for i in infos]  # read once, for both uses
    mapped = [mapped_ids(reg) for reg in registers]
    panel = set.intersection(*mapped) if mapped else set()
    trends = [campaign_trend(history, i, reg, panel, today) for i, reg in zip(infos, registers)]
    return Trend(trends, len(panel), today)
