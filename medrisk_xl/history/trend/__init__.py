"""``history trend``: coverage, risk (raw and like for like), NE SAIT PAS and action KPIs over
any number of recorded campaigns.

- :func:`trend` reads them (``trend_over``; each campaign's figures: ``campaign_trend``; the action
  KPIs of its imported plan: ``action_kpis``);
- the result as text (``trend_text``) and as a workbook with a native line chart (``trend_book``).
"""

from __future__ import annotations

from medrisk_xl.history.actions.action_kpis import ActionKpis, action_kpis
from medrisk_xl.history.trend.campaign_trend import CampaignTrend, Figures
from medrisk_xl.history.trend.trend_book import write_trend
from medrisk_xl.history.trend.trend_over import Trend, trend
from medrisk_xl.history.trend.trend_text import trend_text

__all__ = [
    "ActionKpis",
    "CampaignTrend",
    "Figures",
    "Trend",
    "action_kpis",
    "trend",
    "trend_text",
    "write_trend",
]
