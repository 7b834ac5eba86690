"""The texts of the history's outputs in ui.yaml: the comparison of two campaigns (``compare``)
and the trend over campaigns (``trend``); part of :data:`~medrisk_xl.method.specs_ui.UI_SPEC`."""

from __future__ import annotations

from medrisk_xl.method.schema import TEXT, Keys
from medrisk_xl.method.specs import text_keys

# The comparison of two campaigns (history/compare/compare_book.py): its texts in ui.yaml ``compare``.
COMPARE_SHEETS = (
    "distribution",
    "like_for_like",
    "risk_rose",
    "risk_fell",
    "added",
    "removed",
    "answers_changed",
    "actions_completed",
)
COMPARE_COLUMNS = (
    "scope",
    "level",
    "change",
    "from_risk",
    "from_coverage",
    "device_id",
    "department",
    "designation",
    "risk",
    "status",
    "item",
    "answer",
    "plan",
    "ref",
    "owner",
    "due",
    "done",
    "in_b",
)
COMPARE_CAMPAIGN_COLUMNS = ("risk", "status", "answer", "in_b")  # "{campaign}" templates
# What campaign B says of an action completed between A and B.
COMPARE_IN_B = ("resolved", "second_look", "unanswered", "removed")
COMPARE_SPEC = Keys(
    {
        "sheets": text_keys(*COMPARE_SHEETS),
        "title": TEXT,  # "{a}", "{b}": the campaigns compared
        "intro": TEXT,
        "like_title": TEXT,  # "{a}", "{b}": the like-for-like sheet's title
        "like_intro": TEXT,
        "like_devices": TEXT,  # "{n}": the devices in the map in both campaigns
        "fleet": TEXT,
        "level": TEXT,  # "{level}", "{name}": a risk level and its short label
        "not_mapped": TEXT,
        "chart": TEXT,
        "chart_axis": TEXT,
        "columns": text_keys(*COMPARE_COLUMNS),
        "in_b": text_keys(*COMPARE_IN_B),  # "{campaign}": campaign B
        "team_action": TEXT,  # "{ref}", "{text}": a team's own action completed (its ref cell)
    }
)
# The trend over recorded campaigns (history/trend/trend_book.py): its texts in ui.yaml ``trend``.
TREND_SHEETS = ("campaigns", "sites", "actions")
TREND_COLUMNS = ("campaign", "created", "expected", "returned", "mapped", "unknown_share", "actions")
TREND_COLUMNS += ("done", "open", "overdue", "no_status", "site", "group", "name")
TREND_GROUPS = ("owner", "department", "theme")
TREND_SPEC = Keys(
    {
        "sheets": text_keys(*TREND_SHEETS),
        **dict.fromkeys(("title", "intro", "chart", "chart_axis"), TEXT),
        "like_title": TEXT,  # "{n}": the devices in the map in every campaign
        "like_level": TEXT,  # "{level}": a risk level's name, the panel's column per site
        "actions_intro": TEXT,  # "{date}": the day actions are overdue on
        "columns": text_keys(*TREND_COLUMNS),
        "groups": text_keys(*TREND_GROUPS),
    }
)
