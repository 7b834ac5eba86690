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
    HEADED_COLUMNS,
    PROBLEM_COLUMNS,
)
from medrisk_xl.problems import Problem
from medrisk_xl.schema import BOOL, INT, TEXT, Keys, ListOf, MapOf, read_yaml, walk

METHOD_FILE = "method.yaml"
LANGUAGE_FILES = ("labels.yaml", "help.yaml", "actions.yaml", "ui.yaml")
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
CONSOLIDATED_SHEETS = ("summary", "register", "actions", "follow_up", "problems")
REGISTER_HEADER_CODES = HEADED_COLUMNS
PROBLEM_HEADER_CODES = PROBLEM_COLUMNS
FILE_HEADER_CODES = FILE_COLUMNS
FOLLOW_UP_HEADER_CODES = FOLLOW_UP_COLUMNS
ACTION_HEADER_CODES = ACTION_COLUMNS
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
    return out + check_consolidated(data["consolidated"], file)


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
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem("missing-file", "content pack directory not found", file=str(root))], None, {}
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
            data, probs = read_yaml(d / name, label)
            problems += probs
            if probs:
                all_ok = False
                continue
            structural = walk(data, specs[name], label)
            problems += structural
            if structural:
                all_ok = False
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
            if method_ok:
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
    return problems, method, langs
