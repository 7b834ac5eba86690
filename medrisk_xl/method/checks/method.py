"""Semantic checks of method.yaml and of each language's labels, help and actions, and of the
answers' labels across the pack's languages."""

from __future__ import annotations

import itertools
from typing import Any

from medrisk_xl.core.problems import Problem
from medrisk_xl.method.checks.expected_codes import check_codes, normalize
from medrisk_xl.method.specs import LEVELS, METHOD_FILE, VULN_ANSWER_CODES

SHORT_HELP_MAX = 400  # fits a spreadsheet cell note
NOTE_MAX = 32767  # Excel's cell text limit


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
    out = check_codes(data["criticality"]["groups"], groups, file, "criticality.groups", "group")
    crits = data["criticality"]["criteria"]
    out += check_codes(crits, crit_codes, file, "criticality.criteria", "criterion")
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
    out += check_codes(data["vulnerability"]["items"], items, file, "vulnerability.items", "item")
    out += check_codes(
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
        out += check_codes(data[section][key], list(LEVELS), file, f"{section}.{key}", "level")
    return out


def check_help(data: dict, method: dict, file: str) -> list[Problem]:
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    out = check_codes(data["criticality"], crit_codes, file, "criticality", "criterion")
    out += check_codes(data["vulnerability"], method["vulnerability"]["items"], file, "vulnerability", "item")
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
    out = check_codes(data["plans"], list(LEVELS), file, "plans", "risk level")
    themes = list(data["themes"]) if isinstance(data["themes"], dict) else []
    for level, plan in data["plans"].items():
        if isinstance(plan, dict):
            out += check_codes(plan.get("themes"), themes, file, f"plans.{level}.themes", "theme")
    out += check_codes(data["items"], method["vulnerability"]["items"], file, "items", "item")
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
        out += check_codes(
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
