"""The structure of a language's ui.yaml: the assessment workbook's texts, and those of the
consolidated workbook (``consolidated``) and of the comparison of two campaigns (``compare``)."""

from __future__ import annotations

from medrisk_xl.core.inclusion_rules import INCLUSION_SCOPES, NOT_MAPPED_REASONS
from medrisk_xl.method.output_columns import (
    ACTION_COLUMNS,
    ACTION_GROUP_COLUMNS,
    ACTION_STATUS_CODES,
    ACTION_SUMMARY_COLUMNS,
    ANSWER_SOURCES,
    DEVICE_CHANGES,
    DEVICE_STATUSES,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    HAZARD_COLUMNS,
    HAZARD_COUNT_COLUMNS,
    HAZARD_ORIGINS,
    HEADED_COLUMNS,
    IT_COLUMNS,
    PROBLEM_COLUMNS,
)
from medrisk_xl.method.schema import TEXT, Keys, ListOf, MapOf
from medrisk_xl.method.specs import text_keys
from medrisk_xl.method.specs_history_ui import (
    COMPARE_SPEC,
    TREND_SPEC,
)

SHEETS = ("start", "input", "matrix", "plans", "items", "guide", "lists")
FIELD_CODES = (
    "ID",
    "DESIGNATION",
    "BRAND",
    "MODEL",
    "DEPARTMENT",
    "SITE",
    "CE_CLASS",
    "CNEH",
    "EMDN",
    "COMMISSIONING_DATE",
    "DEVICE_COUNT",
    "DEVICE_IDS",
)
RESULT_CODES = ("CRIT_SCORE", "CRIT_LEVEL", "VULN_SCORE", "VULN_LEVEL", "RISK_LEVEL", "STATUS")
# The consolidated workbook (consolidate/workbook/): its texts in ui.yaml ``consolidated``, one
# header per column of consolidation_tables.py (answer columns C1.., V1.., V1_answer.. take theirs
# from the ``answer_columns`` templates).
CONSOLIDATED_SHEETS = (
    "direction",  # the one-page summary for management, first (issue 27)
    "summary",
    "register",
    "actions",
    "action_summary",
    "hazards",
    "follow_up",
    "control",
    "problems",
)
REGISTER_HEADER_CODES = HEADED_COLUMNS
PROBLEM_HEADER_CODES = PROBLEM_COLUMNS
FILE_HEADER_CODES = FILE_COLUMNS
FOLLOW_UP_HEADER_CODES = FOLLOW_UP_COLUMNS
ACTION_HEADER_CODES = ACTION_COLUMNS
# consolidation_tables.ACTION_FOLLOW_UP_CODES: what the history carried into an action row.
ACTION_FOLLOW_UP_TEXTS = ("carried", "second_look", "done_before")
SUMMARY_TEXTS = (
    "campaign",
    "by_risk",
    "level",
    "devices",
    "share",
    "scored",
    "not_scored",
    "excluded",
    "register",
    "accounting",
    "by_department",
    "by_site",
    "department",
    "site",
    "unscored",
    "total",
    "unspecified",
    "completion",
    "status",
    "matrix",
    "top",
    "chart_departments",
    "chart_risk",
    "confirmed",  # devices whose risk level rests on no "don't know" answer
    "provisional",  # devices whose risk level would be lower were their "don't know" answers compliant
    # the coverage (with a manifest): devices expected, returned, mapped, for the fleet and per site
    "coverage",
    "expected",
    "returned",
    "mapped",
    "fleet",
    "not_returned",  # a department of the manifest that sent nothing back
    # the previous campaign's action plan (consolidate --db): "{campaign}", "{date}" in the title
    "plan_follow_up",
    "owner",
    "no_status",
    "overdue",
)
# The one-page summary for management (consolidate/workbook/direction_sheet.py): "others" holds
# "{n}", "capped" and "capped_sites" "{shown}" and "{rest}", "strong_plan" "{themes}" and "{n}",
# "unknown_item" "{item}"; "items": a short name per vulnerability item (free keys; an item
# without one is named by its statement).
DIRECTION_TEXTS = (
    "title",
    "date",
    "coverage",
    "confirmation",
    "provisional",
    "confirmed_share",
    "by_site",
    "by_department",
    "others",
    "capped",
    "capped_sites",
    "actions",
    "action",
    "strong",
    "concerned",
    "strong_plan",
    "top",
    "reasons",
    "unknown_item",
)
CONSOLIDATED_SPEC = Keys(
    {
        "title": TEXT,
        "sheets": text_keys(*CONSOLIDATED_SHEETS),
        "continued": TEXT,  # "{sheet} ({n})": a sheet continued beyond the row limit
        "yes": TEXT,
        "no": TEXT,
        "summary": text_keys(*SUMMARY_TEXTS),
        "direction": Keys({**text_keys(*DIRECTION_TEXTS).fields, "items": MapOf(TEXT)}),
        "accounting": MapOf(TEXT),  # Consolidation.accounting key -> label (free keys)
        "columns": text_keys(*REGISTER_HEADER_CODES),
        "answer_columns": text_keys("criterion", "item", "answer", "source"),
        "answer_sources": text_keys(*ANSWER_SOURCES),  # V1_source..: who answered the item
        "problem_columns": text_keys(*PROBLEM_HEADER_CODES),
        "severity": text_keys("error", "warning", "info"),
        "file_columns": text_keys(*FILE_HEADER_CODES),
        "file_status": text_keys("valid", "invalid", "unreadable"),
        "follow_up_columns": text_keys(*FOLLOW_UP_HEADER_CODES),
        "follow_up": text_keys("departments", "devices", "files"),
        "follow_up_device_columns": text_keys(*FOLLOW_UP_DEVICE_COLUMNS),
        "device_change": text_keys(*DEVICE_CHANGES),
        "not_mapped": text_keys(*NOT_MAPPED_REASONS),  # why a device is not in the map
        # the problems sheet's last column: what each problem keeps out of the map
        "problem_effect": text_keys("header", *INCLUSION_SCOPES),
        "action_columns": text_keys(*ACTION_HEADER_CODES),
        "action_source": text_keys("plan", "item"),
        "action_team": TEXT,  # the source column of the team's own actions
        "action_status": ListOf(TEXT),
        "action_follow_up": text_keys(*ACTION_FOLLOW_UP_TEXTS),  # "{campaign}": the earlier campaign
        "action_group_columns": text_keys(*ACTION_GROUP_COLUMNS),  # the grouped plan (--plan-by)
        "action_summary_columns": text_keys(*ACTION_SUMMARY_COLUMNS),
        "action_status_mix": TEXT,  # "{counts}": a group row's devices with different statuses
        "action_status_words": text_keys(*ACTION_STATUS_CODES, "none"),
        "hazards": Keys(
            {
                "title": TEXT,
                "intro": TEXT,
                "by_department": TEXT,
                "origin": text_keys(*HAZARD_ORIGINS),
            }
        ),
        "hazard_columns": text_keys(*HAZARD_COLUMNS),
        "hazard_count_columns": text_keys(*HAZARD_COUNT_COLUMNS),
    }
)
# medrisk-xl confirm: what the departments answered to an item, summed up in the IT workbook.
# Answers pre-filled centrally (generate --answers, --map COLUMN=Cn, --prefill-rules): the note
# of each cell by source ({answer}; file: {file}; column: {column}, {value}; age: {date},
# {years}; count: {column}, {value}) and the start sheet's fact ({codes}, {n}).
PREFILL_SOURCES = ("file", "column", "age", "count", "previous")
# Year two (generate --previous): the REVIEWED column's header, its one choice and dropdown message,
# the status of a row not yet checked, and the start sheet's fact ({n}, {campaign}).
REVIEW_UI_KEYS = (
    "header",
    "confirmed",
    "status",
    "input_title",
    "input_message",
    "error_title",
    "error_message",
)
REVIEW_UI_KEYS += ("fact", "fact_value")
PREFILL_UI_SPEC = Keys(
    {
        "notes": text_keys(*PREFILL_SOURCES),
        **dict.fromkeys(("check_end", "locked_end", "fact", "fact_value"), TEXT),
        **dict.fromkeys(("locked_fact_value", "locked_inventory_value"), TEXT),
        "review": text_keys(*REVIEW_UI_KEYS),
    }
)
# The department workbook's device status column and the consolidated sheet of the devices to update
# in the CMMS (see output_columns.DEVICE_STATUSES).
DEVICE_STATUS_UI_KEYS = ("header", "note_header", "input_title", "input_message", "error_title")
DEVICE_STATUS_UI_KEYS += ("error_message", "row_status", "start", "sheet", "intro")
DEVICE_STATUS_SPEC = Keys(
    {"options": text_keys(*DEVICE_STATUSES), **dict.fromkeys(DEVICE_STATUS_UI_KEYS, TEXT)}
)
CONFIRM_SPEC = Keys(
    {
        "answer_count": TEXT,  # "{n}", "{answer}": how many devices gave that answer
        "no_answer": TEXT,  # the answer of a device that gave none
        "previous": TEXT,  # "{answers} ({campaign})": what an earlier campaign answered (--db)
        "mds2_source": TEXT,  # "{file}", "{model}": the MDS2 form the evidence comes from
        "mds2_by_design": TEXT,  # "{answer}": the form settles the item; the answer pre-filled
        "mds2_to_check": TEXT,  # the form informs; the IT team decides
        # generate --mds2: a department workbook's items pre-filled from the forms (start sheet
        # fact label and value "{codes}", "{n}"; the note of each pre-filled cell, after the
        # evidence lines: "{answer}")
        "mds2_prefilled": TEXT,
        "mds2_prefilled_value": TEXT,
        "mds2_note": TEXT,
    }
)

# The IT workbook (workbook/write/it_book.py): its texts in ui.yaml ``it_workbook``. Templates:
# ``intro`` and ``modes`` take {unknown} (the "don't know" label), ``network`` {yes} (the
# compliant label) and {comment} (``network_comment``, the comment counted as "no network
# connection" by consolidate), ``steps`` {sheet}, {answer}, {comment}, {by}, {on} (the answer sheet, headers).
IT_FACTS = ("campaign", "mode", "groups", "rows", "devices", "contact", "deadline", "not_set")
IT_COLUMN_GROUPS = ("device", "question", "known", "answer", "previous")
IT_WORKBOOK_SPEC = Keys(
    {
        **{
            k: TEXT
            for k in (
                "title",
                "intro",
                "how_title",
                "network_title",
                "network",
                "network_comment",
                "link",
                "protection",
                "answer_title",
                "input_title",
                "input_message",
                "error_title",
                "error_message",
            )
        },
        "sheets": text_keys("start", "answers"),
        "facts": text_keys(*IT_FACTS),
        "modes": text_keys("confirm", "it"),
        "steps": ListOf(TEXT),
        "groups": text_keys(*IT_COLUMN_GROUPS),
        "columns": text_keys(*IT_COLUMNS),
        # The department workbooks of a campaign whose vulnerability items the IT team answers
        # (generate --vulnerability-by it): the start and matrix texts that differ.
        "department": Keys(
            {
                **{
                    k: TEXT
                    for k in ("intro", "time_value", "matrix_link", "matrix_intro", "by_criticality", "file")
                },
                "steps": ListOf(TEXT),
            }
        ),
    }
)
UI_SPEC = Keys(
    {
        "language": TEXT,
        "campaign_prefix": TEXT,  # default campaign id: <prefix>-YYYY-MM-DD
        "date_format": TEXT,  # number format of dates (the deadline on the start sheet)
        "sheets": text_keys(*SHEETS),
        "fields": text_keys(*FIELD_CODES),
        "results": text_keys(*RESULT_CODES),
        "groups": text_keys("identity", "results"),
        "invalid_marker": TEXT,
        "invalid_status": TEXT,
        "start": Keys(
            {
                **{
                    k: TEXT
                    for k in (
                        "title",
                        "intro",
                        "campaign",
                        "department",
                        "site",
                        "devices",
                        "prefilled",
                        "prefilled_value",
                        "contact",
                        "deadline",
                        "time",
                        "time_value",
                        "not_set",
                        "how_title",
                        "links_title",
                        "protection",
                        "source",
                    )
                },
                "steps": ListOf(TEXT),
                "links": text_keys("input", "matrix", "plans", "items", "guide"),
            }
        ),
        "input": text_keys(
            "title",
            "input_title",
            "input_message",
            "error_title",
            "error_message",
            "spare",
            "points_header",
            "prefill_header",
        ),
        "matrix": text_keys("title", "intro", "rows", "cols", "legend", "summary", "total", "by_risk"),
        "plans": text_keys("title", "intro", "items_title", "items_intro", "discuss", "actions"),
        "form": text_keys(
            "sheet",
            "title",
            "intro",
            "identity",
            "criterion",
            "statement",
            "answer",
            "points",
            "help",
            "option",
            "option_points",
            "position",
            "marker",
            "plan",
            "items",
        ),
        "guide": text_keys(
            "title",
            "how",
            "scales",
            "criteria",
            "items",
            "thresholds",
            "matrix",
            "sources",
            "code",
            "question",
            "group",
            "answers",
            "help",
            "level",
            "from",
            "to",
            "points",
        ),
        "consolidated": CONSOLIDATED_SPEC,
        "compare": COMPARE_SPEC,
        "trend": TREND_SPEC,
        "confirm": CONFIRM_SPEC,
        "it_workbook": IT_WORKBOOK_SPEC,
        "prefill": PREFILL_UI_SPEC,
        "device_status": DEVICE_STATUS_SPEC,
    },
    # Older site packs: English defaults, and no IT workbook (medrisk-xl confirm refuses them clearly);
    # without device_status texts, department workbooks have no device status column.
    optional=frozenset(
        {"campaign_prefix", "date_format", "confirm", "it_workbook", "prefill", "device_status", "trend"}
    ),
)
