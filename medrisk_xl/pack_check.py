"""Validation of a content pack: structure of every file and the method's coherence.

Each check returns problems naming the file and key path; nothing stops at the first one.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from medrisk_xl.consolidation_tables import (
    ACTION_COLUMNS,
    DEVICE_CHANGES,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    HAZARD_COLUMNS,
    HAZARD_COUNT_COLUMNS,
    HAZARD_ORIGINS,
    HEADED_COLUMNS,
    PROBLEM_COLUMNS,
)
from medrisk_xl.problems import Problem
from medrisk_xl.schema import BOOL, INT, TEXT, Keys, ListOf, MapOf, read_yaml, walk
from medrisk_xl.workbook import contract

METHOD_FILE = "method.yaml"
REGISTER_FILE = "register.yaml"  # the risk register (IEC/TR 80001-2-1), next to method.yaml
LANGUAGE_FILES = ("labels.yaml", "help.yaml", "actions.yaml", "ui.yaml", "register.yaml")
LEVELS = (1, 2, 3)
VULN_ANSWER_CODES = ("YES", "NO", "UNKNOWN")
STATUSES = ("empty", "incomplete", "to_confirm", "complete")
TERMS = ("level", "status", "missing", "unknown_items", "non_compliant_items")
SHORT_HELP_MAX = 400  # fits a spreadsheet cell note
NOTE_MAX = 32767  # Excel's cell text limit

_LEVEL = Keys({"level": INT, "min": INT, "max": INT})
_LEVEL_LABELS = MapOf(TEXT, key=int)

METHOD_SPEC = Keys(
    {
        "schema": INT,
        "id": TEXT,
        "version": TEXT,
        "default_language": TEXT,
        "sources": ListOf(Keys({"id": TEXT, "title": TEXT, "reference": TEXT})),
        "criticality": Keys(
            {
                "groups": ListOf(Keys({"code": TEXT, "criteria": ListOf(TEXT)})),
                "criteria": ListOf(Keys({"code": TEXT, "points": ListOf(INT)})),
                "levels": ListOf(_LEVEL),
            }
        ),
        "vulnerability": Keys(
            {
                "items": ListOf(TEXT),
                "answers": ListOf(Keys({"code": TEXT, "points": INT, "compliant": BOOL, "flag": BOOL})),
                "levels": ListOf(_LEVEL),
            }
        ),
        "risk": Keys({"matrix": MapOf(MapOf(INT, key=int), key=int)}),
    }
)


def labels_spec() -> Keys:
    return Keys(
        {
            "language": TEXT,
            "name": TEXT,
            "method": Keys({"title": TEXT, "subtitle": TEXT}),
            "criticality": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "score_unit": TEXT,
                    "groups": MapOf(TEXT),
                    "criteria": MapOf(Keys({"title": TEXT, "short": TEXT, "answers": ListOf(TEXT)})),
                    "levels": _LEVEL_LABELS,
                }
            ),
            "vulnerability": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "score_unit": TEXT,
                    "items": MapOf(TEXT),
                    "answers": MapOf(TEXT),
                    "aliases": MapOf(ListOf(TEXT, min_len=0)),
                    "levels": _LEVEL_LABELS,
                }
            ),
            "risk": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "levels": _LEVEL_LABELS,
                    "short_levels": _LEVEL_LABELS,
                }
            ),
            "status": Keys({s: TEXT for s in STATUSES}),
            "terms": Keys({t: TEXT for t in TERMS}),
        },
        optional=frozenset({"vulnerability.aliases"}),
    )


_HELP = Keys({"short": TEXT, "long": TEXT})
HELP_SPEC = Keys(
    {
        "language": TEXT,
        "criticality": MapOf(_HELP),
        "vulnerability": MapOf(_HELP),
        "scales": Keys({"criticality": TEXT, "vulnerability": TEXT, "risk": TEXT, "how_to_fill": TEXT}),
    }
)


def _texts(*keys: str) -> Keys:
    return Keys({k: TEXT for k in keys})


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
# The consolidated workbook (consolidated_workbook.py): its texts in ui.yaml ``consolidated``, one
# header per column of consolidation_tables.py (answer columns C1.., V1.., V1_answer.. take theirs
# from the ``answer_columns`` templates).
CONSOLIDATED_SHEETS = ("summary", "register", "actions", "hazards", "follow_up", "problems")
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
)
CONSOLIDATED_SPEC = Keys(
    {
        "title": TEXT,
        "sheets": _texts(*CONSOLIDATED_SHEETS),
        "continued": TEXT,  # "{sheet} ({n})": a sheet continued beyond the row limit
        "yes": TEXT,
        "no": TEXT,
        "summary": _texts(*SUMMARY_TEXTS),
        "accounting": MapOf(TEXT),  # Consolidation.accounting key -> label (free keys)
        "columns": _texts(*REGISTER_HEADER_CODES),
        "answer_columns": _texts("criterion", "item", "answer"),
        "problem_columns": _texts(*PROBLEM_HEADER_CODES),
        "severity": _texts("error", "warning", "info"),
        "file_columns": _texts(*FILE_HEADER_CODES),
        "file_status": _texts("valid", "invalid", "unreadable"),
        "follow_up_columns": _texts(*FOLLOW_UP_HEADER_CODES),
        "follow_up": _texts("departments", "devices", "files"),
        "follow_up_device_columns": _texts(*FOLLOW_UP_DEVICE_COLUMNS),
        "device_change": _texts(*DEVICE_CHANGES),
        "action_columns": _texts(*ACTION_HEADER_CODES),
        "action_source": _texts("plan", "item"),
        "action_status": ListOf(TEXT),
        "action_follow_up": _texts(*ACTION_FOLLOW_UP_TEXTS),  # "{campaign}": the earlier campaign
        "hazards": Keys(
            {
                "title": TEXT,
                "intro": TEXT,
                "by_department": TEXT,
                "origin": _texts(*HAZARD_ORIGINS),
            }
        ),
        "hazard_columns": _texts(*HAZARD_COLUMNS),
        "hazard_count_columns": _texts(*HAZARD_COUNT_COLUMNS),
    }
)
# The comparison of two campaigns (history/compare_workbook.py): its texts in ui.yaml ``compare``.
COMPARE_SHEETS = (
    "distribution",
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
# history.compare.IN_B: what campaign B says of an action completed between A and B.
COMPARE_IN_B = ("resolved", "second_look", "unanswered", "removed")
COMPARE_SPEC = Keys(
    {
        "sheets": _texts(*COMPARE_SHEETS),
        "title": TEXT,  # "{a}", "{b}": the campaigns compared
        "intro": TEXT,
        "fleet": TEXT,
        "level": TEXT,  # "{level}", "{name}": a risk level and its short label
        "not_mapped": TEXT,
        "chart": TEXT,
        "chart_axis": TEXT,
        "columns": _texts(*COMPARE_COLUMNS),
        "in_b": _texts(*COMPARE_IN_B),  # "{campaign}": campaign B
    }
)
UI_SPEC = Keys(
    {
        "language": TEXT,
        "campaign_prefix": TEXT,  # default campaign id: <prefix>-YYYY-MM-DD
        "date_format": TEXT,  # number format of dates (the deadline on the start sheet)
        "sheets": _texts(*SHEETS),
        "fields": _texts(*FIELD_CODES),
        "results": _texts(*RESULT_CODES),
        "groups": _texts("identity", "results"),
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
                "links": _texts("input", "matrix", "plans", "items", "guide"),
            }
        ),
        "input": _texts(
            "title",
            "input_title",
            "input_message",
            "error_title",
            "error_message",
            "spare",
            "points_header",
            "prefill_header",
        ),
        "matrix": _texts("title", "intro", "rows", "cols", "legend", "summary", "total", "by_risk"),
        "plans": _texts("title", "intro", "items_title", "items_intro", "discuss", "actions"),
        "form": _texts(
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
        "guide": _texts(
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
    },
    optional=frozenset({"campaign_prefix", "date_format"}),  # older site packs: English defaults
)
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = set("[]:*?/\\")
INPUT_TITLE_MAX = 32  # spreadsheet limits of data-validation messages
INPUT_MESSAGE_MAX = 255


LIST_SOURCE_MAX = 255  # characters of a dropdown's literal list, separators included


def _sheet_names(names: dict[str, str], file: str, path: str) -> list[Problem]:
    """Sheet names must fit the spreadsheet's rules and differ from each other and from _meta."""
    out: list[Problem] = []
    for key, name in names.items():
        if len(name) > SHEET_NAME_MAX or set(name) & _SHEET_FORBIDDEN or name.startswith("'"):
            out.append(
                Problem(
                    "bad-sheet-name",
                    f"sheet name {name!r} must have at most {SHEET_NAME_MAX} characters and none of [ ] : * ? / \\",
                    file,
                    f"{path}.{key}",
                )
            )
    folded = [n.casefold() for n in names.values()]
    if len(set(folded)) != len(folded) or "_meta" in folded:
        out.append(Problem("bad-sheet-name", "sheet names must be distinct (and not _meta)", file, path))
    return out


def _template(text: str, file: str, path: str, **fields: object) -> tuple[str | None, list[Problem]]:
    """``text.format(**fields)``, or a problem naming the placeholders it may use."""
    try:
        return text.format(**fields), []
    except (KeyError, IndexError, ValueError):
        allowed = ", ".join("{" + k + "}" for k in fields)
        return None, [Problem("bad-template", f"only {allowed} may appear in braces", file, path)]


def check_consolidated(data: dict, file: str) -> list[Problem]:
    """The consolidated workbook's sheet names, templates and status dropdown fit the limits."""
    path = "consolidated"
    out = _sheet_names(data["sheets"], file, f"{path}.sheets")
    for key, name in data["sheets"].items():
        text, probs = _template(data["continued"], file, f"{path}.continued", sheet=name, n=99)
        out += probs
        if text is not None and not probs:
            out += _sheet_names({key: text}, file, f"{path}.continued")
    for key, fields in (("criterion", ("code", "short")), ("item", ("code",)), ("answer", ("code",))):
        out += _template(
            data["answer_columns"][key], file, f"{path}.answer_columns.{key}", **dict.fromkeys(fields, "")
        )[1]
    out += _template(data["action_source"]["plan"], file, f"{path}.action_source.plan", level=1)[1]
    out += _template(data["action_source"]["item"], file, f"{path}.action_source.item", code="")[1]
    status = data["action_status"]
    for key, text in data["action_follow_up"].items():
        out += _template(text, file, f"{path}.action_follow_up.{key}", campaign="demo-2026")[1]
    if len(status) != 4:  # read back by position: to do, in progress, done, not applicable
        out.append(
            Problem(
                "bad-list",
                "exactly 4 status texts: to do, in progress, done, not applicable",
                file,
                f"{path}.action_status",
            )
        )
    if any("," in s for s in status) or len({s.casefold() for s in status}) != len(status):
        out.append(
            Problem("bad-list", "status texts must differ and hold no comma", file, f"{path}.action_status")
        )
    if len(",".join(status)) > LIST_SOURCE_MAX:
        out.append(
            Problem(
                "text-too-long",
                f"the status texts take at most {LIST_SOURCE_MAX} characters together",
                file,
                f"{path}.action_status",
            )
        )
    return out


def check_compare(data: dict, file: str) -> list[Problem]:
    """The comparison workbook's sheet names fit the limits; its templates name known fields."""
    path = "compare"
    out = _sheet_names(data["sheets"], file, f"{path}.sheets")
    out += _template(data["title"], file, f"{path}.title", a="demo-2026", b="demo-2027")[1]
    out += _template(data["level"], file, f"{path}.level", level=1, name="")[1]
    for key in COMPARE_CAMPAIGN_COLUMNS:
        out += _template(data["columns"][key], file, f"{path}.columns.{key}", campaign="demo-2026")[1]
    for key, text in data["in_b"].items():
        out += _template(text, file, f"{path}.in_b.{key}", campaign="demo-2027")[1]
    return out


def check_ui(data: dict, method: dict, file: str) -> list[Problem]:
    """Sheet names and dropdown messages must fit the spreadsheet's limits."""
    out = _sheet_names(data["sheets"], file, "sheets")
    for key, limit in (
        ("input_title", INPUT_TITLE_MAX),
        ("error_title", INPUT_TITLE_MAX),
        ("input_message", INPUT_MESSAGE_MAX),
        ("error_message", INPUT_MESSAGE_MAX),
    ):
        if len(data["input"][key]) > limit:
            out.append(
                Problem(
                    "text-too-long", f"at most {limit} characters in a dropdown message", file, f"input.{key}"
                )
            )
    return out + check_consolidated(data["consolidated"], file) + check_compare(data["compare"], file)


ACTIONS_SPEC = Keys(
    {
        "language": TEXT,
        "themes": MapOf(TEXT),
        "plans": MapOf(Keys({"title": TEXT, "summary": TEXT, "themes": MapOf(ListOf(TEXT))}), key=int),
        "items": MapOf(Keys({"discuss": TEXT, "actions": ListOf(TEXT)})),
    }
)


def _codes(found: Any, expected: list, file: str, path: str, what: str) -> list[Problem]:
    """Keys of mapping ``found`` must be exactly ``expected`` (codes shared by all packs)."""
    if not isinstance(found, dict):
        return []
    out = []
    for code in expected:
        if code not in found:
            out.append(Problem("missing-code", f"{what} {code!r} is missing", file, f"{path}.{code}"))
    for code in found:
        if code not in expected:
            hint = " (quote YES/NO keys in YAML)" if isinstance(code, bool) else ""
            out.append(Problem("unknown-code", f"unknown {what} {code!r}{hint}", file, f"{path}.{code}"))
    return out


def _span(lo: int, hi: int) -> str:
    return f"score {lo} falls" if lo == hi else f"scores {lo}–{hi} fall"


def _levels(levels: list, lo: int, hi: int, file: str, path: str) -> list[Problem]:
    """Level bands must be 1, 2, 3 in order, contiguous, and cover the score range."""
    out: list[Problem] = []
    numbers = [lv["level"] for lv in levels]
    if numbers != list(LEVELS):
        out.append(
            Problem("bad-levels", f"levels must be exactly 1, 2, 3 in order, found {numbers}", file, path)
        )
    for i, lv in enumerate(levels):
        if lv["min"] > lv["max"]:
            out.append(
                Problem("bad-threshold", f"min {lv['min']} is above max {lv['max']}", file, f"{path}[{i}]")
            )
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if cur["min"] > prev["max"] + 1:
            out.append(
                Problem(
                    "threshold-gap",
                    f"{_span(prev['max'] + 1, cur['min'] - 1)} in no level "
                    f"(level {prev['level']} ends at {prev['max']}, level {cur['level']} starts at {cur['min']})",
                    file,
                    f"{path}[{i}].min",
                )
            )
        elif cur["min"] <= prev["max"]:
            out.append(
                Problem(
                    "threshold-overlap",
                    f"{_span(cur['min'], prev['max'])} in two levels ({prev['level']} and {cur['level']})",
                    file,
                    f"{path}[{i}].min",
                )
            )
    if levels and levels[0]["min"] > lo:
        out.append(
            Problem(
                "threshold-gap",
                f"lowest possible score {lo} is below the first level's min {levels[0]['min']}",
                file,
                f"{path}[0].min",
            )
        )
    if levels and levels[-1]["max"] < hi:
        out.append(
            Problem(
                "threshold-gap",
                f"highest possible score {hi} is above the last level's max {levels[-1]['max']}",
                file,
                f"{path}[{len(levels) - 1}].max",
            )
        )
    return out


def check_method(data: dict, file: str = METHOD_FILE) -> list[Problem]:
    """Semantic checks of a structurally valid method.yaml."""
    out: list[Problem] = []
    crit = data["criticality"]
    codes = [c["code"] for c in crit["criteria"]]
    for i, c in enumerate(crit["criteria"]):
        where = f"criticality.criteria[{i}].points"
        pts = c["points"]
        if len(pts) != 4:
            out.append(
                Problem(
                    "bad-answers",
                    f"criterion {c['code']} must have exactly 4 answers, found {len(pts)}",
                    file,
                    where,
                )
            )
        if any(b <= a for a, b in itertools.pairwise(pts)):
            out.append(
                Problem(
                    "bad-answers",
                    f"criterion {c['code']} answers must be in increasing points order, found {pts}",
                    file,
                    where,
                )
            )
        if any(p < 0 for p in pts):
            out.append(Problem("bad-answers", f"criterion {c['code']} has negative points", file, where))
    for code in {c for c in codes if codes.count(c) > 1}:
        out.append(
            Problem(
                "duplicate-code",
                f"criterion code {code!r} appears more than once",
                file,
                "criticality.criteria",
            )
        )
    grouped = [c for g in crit["groups"] for c in g["criteria"]]
    for code in codes:
        if grouped.count(code) != 1:
            out.append(
                Problem(
                    "bad-groups",
                    f"criterion {code} must belong to exactly one group (found in {grouped.count(code)})",
                    file,
                    "criticality.groups",
                )
            )
    for code in grouped:
        if code not in codes:
            out.append(
                Problem("unknown-code", f"group lists unknown criterion {code!r}", file, "criticality.groups")
            )
    if all(c["points"] for c in crit["criteria"]):
        lo = sum(min(c["points"]) for c in crit["criteria"])
        hi = sum(max(c["points"]) for c in crit["criteria"])
        out += _levels(crit["levels"], lo, hi, file, "criticality.levels")

    vuln = data["vulnerability"]
    items = vuln["items"]
    for code in {c for c in items if items.count(c) > 1}:
        out.append(
            Problem(
                "duplicate-code", f"item code {code!r} appears more than once", file, "vulnerability.items"
            )
        )
    for code in set(items) & set(codes):
        out.append(
            Problem(
                "duplicate-code",
                f"code {code!r} is both a criterion and an item",
                file,
                "vulnerability.items",
            )
        )
    answers = vuln["answers"]
    acodes = [a["code"] for a in answers]
    if acodes != list(VULN_ANSWER_CODES):
        out.append(
            Problem(
                "bad-answers",
                f"vulnerability answers must be {list(VULN_ANSWER_CODES)} in that order, found {acodes}",
                file,
                "vulnerability.answers",
            )
        )
    pts = [a["points"] for a in answers]
    if pts != sorted(pts) or any(p < 0 for p in pts):
        out.append(
            Problem(
                "bad-answers",
                f"vulnerability answers must stand in points order, found {pts}",
                file,
                "vulnerability.answers",
            )
        )
    by_code = {a["code"]: a for a in answers}
    if "YES" in by_code and not by_code["YES"]["compliant"]:
        out.append(Problem("bad-answers", "answer YES must be compliant", file, "vulnerability.answers"))
    flagged = [a["code"] for a in answers if a["flag"]]
    if flagged != ["UNKNOWN"]:
        out.append(
            Problem(
                "bad-answers",
                f"exactly one answer, UNKNOWN, must be flagged for confirmation, found {flagged or 'none'}",
                file,
                "vulnerability.answers",
            )
        )
    if pts:
        out += _levels(
            vuln["levels"], len(items) * min(pts), len(items) * max(pts), file, "vulnerability.levels"
        )

    matrix = data["risk"]["matrix"]
    for row in LEVELS:
        if row not in matrix:
            out.append(
                Problem(
                    "bad-matrix",
                    f"matrix row for vulnerability level {row} is missing",
                    file,
                    f"risk.matrix.{row}",
                )
            )
            continue
        for col in LEVELS:
            if col not in matrix[row]:
                out.append(
                    Problem(
                        "bad-matrix",
                        f"matrix cell (vulnerability {row}, criticality {col}) is missing",
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
            elif matrix[row][col] not in LEVELS:
                out.append(
                    Problem(
                        "bad-matrix",
                        f"matrix cell (vulnerability {row}, criticality {col}) holds unknown risk level {matrix[row][col]!r}",
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
        for col in matrix[row]:
            if col not in LEVELS:
                out.append(
                    Problem(
                        "bad-matrix",
                        f"matrix has unknown criticality level {col!r}",
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
    for row in matrix:
        if row not in LEVELS:
            out.append(
                Problem(
                    "bad-matrix",
                    f"matrix has unknown vulnerability level {row!r}",
                    file,
                    f"risk.matrix.{row}",
                )
            )
    return out


def check_labels(data: dict, method: dict, file: str) -> list[Problem]:
    """Language labels must carry exactly the method's codes, with one label per answer."""
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    items = method["vulnerability"]["items"]
    groups = [g["code"] for g in method["criticality"]["groups"]]
    out = _codes(data["criticality"]["groups"], groups, file, "criticality.groups", "group")
    crits = data["criticality"]["criteria"]
    out += _codes(crits, crit_codes, file, "criticality.criteria", "criterion")
    for c in method["criticality"]["criteria"]:
        entry = crits.get(c["code"]) if isinstance(crits, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("answers"), list):
            labels = entry["answers"]
            if len(labels) != len(c["points"]):
                out.append(
                    Problem(
                        "bad-answers",
                        f"criterion {c['code']} has {len(labels)} answer labels for {len(c['points'])} answers",
                        file,
                        f"criticality.criteria.{c['code']}.answers",
                    )
                )
            norm = [normalize(x) for x in labels if isinstance(x, str)]
            if len(set(norm)) != len(norm):
                out.append(
                    Problem(
                        "duplicate-label",
                        f"criterion {c['code']} has two answers with the same label",
                        file,
                        f"criticality.criteria.{c['code']}.answers",
                    )
                )
    out += _codes(data["vulnerability"]["items"], items, file, "vulnerability.items", "item")
    out += _codes(
        data["vulnerability"]["answers"], list(VULN_ANSWER_CODES), file, "vulnerability.answers", "answer"
    )
    aliases = data["vulnerability"].get("aliases", {})
    if isinstance(aliases, dict):
        for code in aliases:
            if code not in VULN_ANSWER_CODES:
                out.append(
                    Problem(
                        "unknown-code",
                        f"aliases for unknown answer {code!r}",
                        file,
                        f"vulnerability.aliases.{code}",
                    )
                )
    for section, key in (
        ("criticality", "levels"),
        ("vulnerability", "levels"),
        ("risk", "levels"),
        ("risk", "short_levels"),
    ):
        out += _codes(data[section][key], list(LEVELS), file, f"{section}.{key}", "level")
    return out


def check_help(data: dict, method: dict, file: str) -> list[Problem]:
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    out = _codes(data["criticality"], crit_codes, file, "criticality", "criterion")
    out += _codes(data["vulnerability"], method["vulnerability"]["items"], file, "vulnerability", "item")
    for section in ("criticality", "vulnerability"):
        for code, entry in data[section].items():
            short = entry.get("short") if isinstance(entry, dict) else None
            if isinstance(short, str) and len(short) > SHORT_HELP_MAX:
                out.append(
                    Problem(
                        "text-too-long",
                        f"short help is {len(short)} characters; a cell note takes at most {SHORT_HELP_MAX}",
                        file,
                        f"{section}.{code}.short",
                    )
                )
            long = entry.get("long") if isinstance(entry, dict) else None
            if isinstance(long, str) and len(long) > NOTE_MAX:
                out.append(
                    Problem(
                        "text-too-long",
                        f"long help exceeds {NOTE_MAX} characters",
                        file,
                        f"{section}.{code}.long",
                    )
                )
    return out


def check_actions(data: dict, method: dict, file: str) -> list[Problem]:
    out = _codes(data["plans"], list(LEVELS), file, "plans", "risk level")
    themes = list(data["themes"]) if isinstance(data["themes"], dict) else []
    for level, plan in data["plans"].items():
        if isinstance(plan, dict):
            out += _codes(plan.get("themes"), themes, file, f"plans.{level}.themes", "theme")
    out += _codes(data["items"], method["vulnerability"]["items"], file, "items", "item")
    return out


# The risk register of a medical IT-network (GOST R 56839-2015 / IEC/TR 80001-2-1:2012):
# register.yaml next to method.yaml holds the codes, scales, levels and the severity ×
# probability grid; <language>/register.yaml holds their texts.
KEY_PROPERTIES = ("safety", "effectiveness", "security")  # 3.16: severity is described for each
STAGES = ("initial", "residual")  # a register row's risk before and after its controls
FIELD_KINDS = ("text", "choice", "yes_no", "number", "date")  # change-form fields
REGISTER_GROUPS = ("situation", "initial", "control", "residual", "follow_up")  # register sheet
SCALE_SIZE = 5  # Annex D: five probabilities (D.1), five severities (D.2)
REGISTER_SECTIONS = ("key_properties", "severity", "probability", "levels", "grid", "stages")
# list key in register.yaml -> what one entry is called in problems
REGISTER_LISTS = {
    "steps": "step",
    "control_types": "control type",
    "hazards": "hazard",
    "causes": "cause",
    "situations": "situation",
    "questions": "question",
    "change_form": "change-form field",
}

_ENTRY = Keys({"code": TEXT, "section": TEXT})
REGISTER_SPEC = Keys(
    {
        "schema": INT,
        "sources": ListOf(Keys({"id": TEXT, "title": TEXT, "reference": TEXT})),
        "sections": _texts(*REGISTER_SECTIONS),
        "steps": ListOf(_ENTRY),
        "severity": ListOf(TEXT),
        "probability": ListOf(TEXT),
        "levels": ListOf(Keys({"code": TEXT, "level": INT})),
        "grid": MapOf(MapOf(INT)),
        # The seed's worked examples; a site that departs from them removes the key.
        "examples": ListOf(
            Keys(
                {
                    "section": TEXT,
                    "situation": TEXT,
                    "stage": TEXT,
                    "severity": TEXT,
                    "probability": TEXT,
                    "level": INT,
                }
            ),
            min_len=0,
        ),
        "control_types": ListOf(_ENTRY),
        "hazards": ListOf(
            Keys({"code": TEXT, "section": TEXT, "parent": TEXT}, optional=frozenset({"parent"}))
        ),
        "causes": ListOf(Keys({"code": TEXT, "section": TEXT, "hazards": ListOf(TEXT, min_len=0)})),
        "situations": ListOf(_ENTRY),
        "questions": ListOf(_ENTRY),
        "seeding": MapOf(Keys({"hazard": TEXT, "cause": TEXT})),
        "statuses": ListOf(TEXT),
        "change_form": ListOf(
            Keys(
                {"code": TEXT, "section": TEXT, "kind": TEXT, "options": ListOf(TEXT)},
                optional=frozenset({"options"}),
            )
        ),
    },
    optional=frozenset({"examples"}),
)

_LABELLED = Keys({"label": TEXT, "description": TEXT})
REGISTER_TEXT_SPEC = Keys(
    {
        "language": TEXT,
        "title": TEXT,
        "key_properties": _texts(*KEY_PROPERTIES),
        "stages": _texts(*STAGES),
        "steps": MapOf(Keys({"title": TEXT, "produces": TEXT})),
        "severity": MapOf(Keys({"label": TEXT, **{k: TEXT for k in KEY_PROPERTIES}})),
        "probability": MapOf(Keys({"label": TEXT, "definition": TEXT})),
        "levels": MapOf(Keys({"label": TEXT, "meaning": TEXT})),
        "control_types": MapOf(_LABELLED),
        "hazards": MapOf(_LABELLED),
        "causes": MapOf(_LABELLED),
        "situations": MapOf(TEXT),
        "questions": MapOf(Keys({"topic": TEXT, "question": TEXT})),
        "sheet": Keys(
            {
                "name": TEXT,
                "link": TEXT,
                "title": TEXT,
                "intro": TEXT,
                "groups": _texts(*REGISTER_GROUPS),
                "columns": _texts(*contract.REGISTER_CODES),
                "helper_header": TEXT,
                "statuses": MapOf(TEXT),
                "input_title": TEXT,
                "input_message": TEXT,
                "suggest_message": TEXT,
                "error_title": TEXT,
                "error_message": TEXT,
                "decision": TEXT,
                "seed": TEXT,
                "seed_section": TEXT,
            }
        ),
        "change_form": Keys(
            {
                "sheet": TEXT,
                "link": TEXT,
                "intro": TEXT,
                "title": TEXT,
                "yes": TEXT,
                "no": TEXT,
                "fields": MapOf(
                    Keys({"label": TEXT, "options": MapOf(TEXT)}, optional=frozenset({"options"}))
                ),
            }
        ),
    }
)


def _duplicates(codes: list, file: str, path: str, what: str) -> list[Problem]:
    repeated = sorted({str(c) for c in codes if codes.count(c) > 1})
    return [
        Problem("duplicate-code", f"{what} code {code!r} appears more than once", file, path)
        for code in repeated
    ]


def _grid_cells(data: dict, file: str) -> tuple[dict[tuple[str, str], int], list[Problem]]:
    """The grid's valid cells ((severity, probability) -> level) and its completeness problems."""
    out: list[Problem] = []
    grid, sev, prob = data["grid"], data["severity"], data["probability"]
    levels = [lv["level"] for lv in data["levels"]]
    for s, row in grid.items():
        if s not in sev:
            out.append(Problem("bad-grid", f"grid has unknown severity {s!r}", file, f"grid.{s}"))
            continue
        for p in row:
            if p not in prob:
                out.append(Problem("bad-grid", f"grid has unknown probability {p!r}", file, f"grid.{s}.{p}"))
    cells: dict[tuple[str, str], int] = {}
    for s in sev:
        row = grid.get(s)
        if row is None:
            out.append(Problem("bad-grid", f"grid row for severity {s!r} is missing", file, f"grid.{s}"))
            continue
        for p in prob:
            if p not in row:
                out.append(Problem("bad-grid", f"grid cell ({s}, {p}) is missing", file, f"grid.{s}.{p}"))
            elif row[p] not in levels:
                out.append(
                    Problem(
                        "bad-grid",
                        f"grid cell ({s}, {p}) holds {row[p]!r}, not a risk level ({levels})",
                        file,
                        f"grid.{s}.{p}",
                    )
                )
            else:
                cells[(s, p)] = row[p]
    return cells, out


def _grid_falls(cells: dict[tuple[str, str], int], sev: list, prob: list, file: str) -> list[Problem]:
    """The level may never fall as severity or probability rises (checked between valid cells)."""
    out: list[Problem] = []
    for s in sev:
        for lo, hi in itertools.pairwise(prob):
            a, b = cells.get((s, lo)), cells.get((s, hi))
            if a is not None and b is not None and b < a:
                out.append(
                    Problem(
                        "grid-falls",
                        f"risk level falls from {a} to {b} as probability rises from {lo} to {hi} "
                        f"(severity {s})",
                        file,
                        f"grid.{s}.{hi}",
                    )
                )
    for p in prob:
        for lo, hi in itertools.pairwise(sev):
            a, b = cells.get((lo, p)), cells.get((hi, p))
            if a is not None and b is not None and b < a:
                out.append(
                    Problem(
                        "grid-falls",
                        f"risk level falls from {a} to {b} as severity rises from {lo} to {hi} "
                        f"(probability {p})",
                        file,
                        f"grid.{hi}.{p}",
                    )
                )
    return out


def _check_examples(data: dict, cells: dict[tuple[str, str], int], file: str) -> list[Problem]:
    """Every stated example must use known codes and be reproduced by the grid."""
    out: list[Problem] = []
    known = {
        "stage": STAGES,
        "severity": data["severity"],
        "probability": data["probability"],
        "level": [lv["level"] for lv in data["levels"]],
    }
    code_of = {lv["level"]: lv["code"] for lv in data["levels"]}
    reference = data["sources"][0]["reference"] if data["sources"] else "the source"
    for i, ex in enumerate(data.get("examples") or []):
        bad = [key for key, allowed in known.items() if ex[key] not in allowed]
        for key in bad:
            out.append(
                Problem(
                    "unknown-code", f"example uses unknown {key} {ex[key]!r}", file, f"examples[{i}].{key}"
                )
            )
        if bad:
            continue
        s, p, level = ex["severity"], ex["probability"], ex["level"]
        got = cells.get((s, p))
        if got is not None and got != level:
            out.append(
                Problem(
                    "grid-contradicts-example",
                    f"{reference} section {ex['section']} ({ex['situation']}, {ex['stage']} risk) "
                    f"states ({s}, {p}) → {level} ({code_of.get(level, '?')}); the grid gives {got} "
                    f"({code_of.get(got, '?')}) (examples[{i}]). Change the cell, or remove "
                    f"examples: to depart from the seed's examples",
                    file,
                    f"grid.{s}.{p}",
                )
            )
    return out


def check_register(data: dict, method: dict | None, file: str = REGISTER_FILE) -> list[Problem]:
    """Semantic checks of a structurally valid register.yaml (the method's items, when the method
    is valid, for the seeding map)."""
    out: list[Problem] = []
    codes = {name: [e["code"] for e in data[name]] for name in REGISTER_LISTS}
    for name, what in REGISTER_LISTS.items():
        out += _duplicates(codes[name], file, name, what)
    sev, prob = data["severity"], data["probability"]
    for name, scale in (("severity", sev), ("probability", prob)):
        out += _duplicates(scale, file, name, name)
        if len(scale) != SCALE_SIZE:
            out.append(
                Problem(
                    "bad-scale",
                    f"the {name} scale must have {SCALE_SIZE} steps, from the lowest to the highest; "
                    f"found {len(scale)}",
                    file,
                    name,
                )
            )
    numbers = [lv["level"] for lv in data["levels"]]
    if numbers != list(LEVELS):
        out.append(
            Problem("bad-levels", f"levels must be exactly 1, 2, 3 in order, found {numbers}", file, "levels")
        )
    out += _duplicates([lv["code"] for lv in data["levels"]], file, "levels", "level")
    out += _duplicates(list(data["statuses"]), file, "statuses", "status")

    cells, probs = _grid_cells(data, file)
    out += probs + _grid_falls(cells, sev, prob, file) + _check_examples(data, cells, file)

    hazards = set(codes["hazards"])
    parents = {h["code"]: h.get("parent") for h in data["hazards"]}
    for i, h in enumerate(data["hazards"]):
        parent = h.get("parent")
        if parent is None:
            continue
        if parent not in hazards:
            out.append(
                Problem("unknown-code", f"parent {parent!r} is not a hazard", file, f"hazards[{i}].parent")
            )
            continue
        seen, node = {h["code"]}, parent
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node == h["code"]:
            out.append(
                Problem(
                    "bad-parent",
                    f"hazard {h['code']!r} is its own ancestor (through {parent!r})",
                    file,
                    f"hazards[{i}].parent",
                )
            )
    for i, cause in enumerate(data["causes"]):
        for j, code in enumerate(cause["hazards"]):
            if code not in hazards:
                out.append(
                    Problem("unknown-code", f"unknown hazard {code!r}", file, f"causes[{i}].hazards[{j}]")
                )

    seeding = data["seeding"]
    if method is not None:
        out += _codes(seeding, method["vulnerability"]["items"], file, "seeding", "item")
    for item, entry in seeding.items():
        for key, known, what in (("hazard", hazards, "hazard"), ("cause", set(codes["causes"]), "cause")):
            if entry[key] not in known:
                out.append(
                    Problem("unknown-code", f"unknown {what} {entry[key]!r}", file, f"seeding.{item}.{key}")
                )

    for i, fld in enumerate(data["change_form"]):
        if fld["kind"] not in FIELD_KINDS:
            out.append(
                Problem(
                    "bad-field",
                    f"field kind {fld['kind']!r} is not one of {', '.join(FIELD_KINDS)}",
                    file,
                    f"change_form[{i}].kind",
                )
            )
        if fld["kind"] == "choice" and not fld.get("options"):
            out.append(Problem("bad-field", "a choice field needs options", file, f"change_form[{i}]"))
        elif fld["kind"] != "choice" and "options" in fld:
            out.append(
                Problem("bad-field", "only a choice field has options", file, f"change_form[{i}].options")
            )
        out += _duplicates(fld.get("options", []), file, f"change_form[{i}].options", "option")
    return out


def check_register_texts(data: dict, register: dict, file: str) -> list[Problem]:
    """A language's register texts must carry exactly the codes of register.yaml."""
    out: list[Problem] = []
    expected = {
        "severity": ("severity", list(register["severity"])),
        "probability": ("probability", list(register["probability"])),
        "levels": ("level", [lv["code"] for lv in register["levels"]]),
    }
    for name, what in REGISTER_LISTS.items():
        if name != "change_form":
            expected[name] = (what, [e["code"] for e in register[name]])
    for key, (what, codes) in expected.items():
        out += _codes(data[key], codes, file, key, what)
    out += _codes(data["sheet"]["statuses"], list(register["statuses"]), file, "sheet.statuses", "status")
    fields = data["change_form"]["fields"]
    out += _codes(
        fields, [f["code"] for f in register["change_form"]], file, "change_form.fields", "change-form field"
    )
    for fld in register["change_form"]:
        entry = fields.get(fld["code"])
        if not isinstance(entry, dict):
            continue
        path = f"change_form.fields.{fld['code']}.options"
        if fld["kind"] == "choice":
            if "options" not in entry:
                out.append(Problem("missing-key", "a choice field needs its option texts", file, path))
            else:
                out += _codes(entry["options"], fld.get("options", []), file, path, "option")
        elif "options" in entry:
            out.append(Problem("unknown-key", f"field {fld['code']!r} is not a choice field", file, path))
    return out


def check_same_codes(langs: dict[str, dict[str, Any]], default: str) -> list[Problem]:
    """Codes not fixed by method.yaml (action themes) must agree across languages."""
    out: list[Problem] = []
    ref = langs.get(default, {}).get("actions.yaml")
    if not isinstance(ref, dict) or not isinstance(ref.get("themes"), dict):
        return out
    ref_themes = list(ref["themes"])
    for lang, files in langs.items():
        data = files.get("actions.yaml")
        if lang == default or not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
            continue
        out += _codes(
            data["themes"], ref_themes, f"{lang}/actions.yaml", "themes", f"theme (as in {default})"
        )
    return out


def check_ambiguous_answers(method: dict, langs: dict[str, dict[str, Any]]) -> list[Problem]:
    """One label may stand for one answer only, across every language of the pack."""
    out: list[Problem] = []
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    for code in crit_codes:
        seen: dict[str, int] = {}
        for lang, files in langs.items():
            labels = files["labels.yaml"]["criticality"]["criteria"].get(code, {}).get("answers", [])
            for i, label in enumerate(labels):
                key = normalize(label)
                if key in seen and seen[key] != i:
                    out.append(
                        Problem(
                            "ambiguous-label",
                            f"label {label!r} means answer {seen[key] + 1} in another language",
                            f"{lang}/labels.yaml",
                            f"criticality.criteria.{code}.answers[{i}]",
                        )
                    )
                seen.setdefault(key, i)
    seen_v: dict[str, tuple[str, str]] = {}
    for lang, files in langs.items():
        vl = files["labels.yaml"]["vulnerability"]
        pairs = [(a, lab) for a, lab in vl["answers"].items()]
        pairs += [(a, lab) for a, labs in (vl.get("aliases") or {}).items() for lab in labs]
        pairs += [(a, a) for a in VULN_ANSWER_CODES]
        for answer, label in pairs:
            key = normalize(label)
            if key in seen_v and seen_v[key][0] != answer:
                other, where = seen_v[key]
                out.append(
                    Problem(
                        "ambiguous-label",
                        f"label {label!r} stands for {answer} here and for {other} in {where}",
                        f"{lang}/labels.yaml",
                        "vulnerability",
                    )
                )
            seen_v.setdefault(key, (answer, f"{lang}/labels.yaml"))
    return out


def normalize(text: str) -> str:
    """Case-, accent-, space- and apostrophe-insensitive form of a label."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").casefold()
    return " ".join(text.split())


def check_dir(root: Path) -> tuple[list[Problem], dict | None, dict[str, dict[str, Any]]]:
    """Read and check a pack directory. Returns (problems, method data, language data)."""
    problems, method, _register, langs = read_pack(root)
    return problems, method, langs


def read_pack(
    root: Path,
) -> tuple[list[Problem], dict | None, dict | None, dict[str, dict[str, Any]]]:
    """Read and check a pack directory. Returns (problems, method data, register data, language
    data); the data are only usable when there is no problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem("missing-file", "content pack directory not found", file=str(root))], None, None, {}
    method, probs = read_yaml(root / METHOD_FILE, METHOD_FILE)
    problems += probs
    method_ok = False
    if method is not None or not probs:
        structural = walk(method, METHOD_SPEC, METHOD_FILE)
        problems += structural
        if not structural:
            sem = check_method(method)
            problems += sem
            method_ok = True
    register, probs = read_yaml(root / REGISTER_FILE, REGISTER_FILE)
    problems += probs
    register_ok = False
    if register is not None or not probs:
        structural = walk(register, REGISTER_SPEC, REGISTER_FILE)
        problems += structural
        if not structural:
            problems += check_register(register, method if method_ok else None)
            register_ok = True
    lang_dirs = sorted(
        p for p in root.iterdir() if p.is_dir() and any((p / f).exists() for f in LANGUAGE_FILES)
    )
    if not lang_dirs:
        problems.append(
            Problem(
                "missing-language",
                "the pack has no language folder (e.g. fr/ with labels.yaml, help.yaml, actions.yaml)",
                file=str(root),
            )
        )
    specs = {
        "labels.yaml": labels_spec(),
        "help.yaml": HELP_SPEC,
        "actions.yaml": ACTIONS_SPEC,
        "ui.yaml": UI_SPEC,
        "register.yaml": REGISTER_TEXT_SPEC,
    }
    semantic = {
        "labels.yaml": check_labels,
        "help.yaml": check_help,
        "actions.yaml": check_actions,
        "ui.yaml": check_ui,
    }
    langs: dict[str, dict[str, Any]] = {}
    all_ok = method_ok
    for d in lang_dirs:
        lang = d.name
        files: dict[str, Any] = {}
        for name in LANGUAGE_FILES:
            label = f"{lang}/{name}"
            # the register's texts never stop the checks of the method's labels
            counts = name != "register.yaml"
            data, probs = read_yaml(d / name, label)
            problems += probs
            if probs:
                all_ok = all_ok and not counts
                continue
            structural = walk(data, specs[name], label)
            problems += structural
            if structural:
                all_ok = all_ok and not counts
                continue
            if data["language"] != lang:
                problems.append(
                    Problem(
                        "bad-language",
                        f"declares language {data['language']!r} but lives in folder {lang!r}",
                        label,
                        "language",
                    )
                )
            if name == "register.yaml":
                if register_ok:
                    problems += check_register_texts(data, register, label)
            elif method_ok:
                sem = semantic[name](data, method, label)
                problems += sem
                all_ok = all_ok and not sem
            files[name] = data
        langs[lang] = files
    if method_ok:
        default = method["default_language"]
        if lang_dirs and default not in langs:
            problems.append(
                Problem(
                    "missing-language",
                    f"default language {default!r} has no folder in the pack",
                    METHOD_FILE,
                    "default_language",
                )
            )
        problems += check_same_codes(langs, default)
    if all_ok and lang_dirs:
        problems += check_ambiguous_answers(method, langs)
    return problems, method, register, langs
