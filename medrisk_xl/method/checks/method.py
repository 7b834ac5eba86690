"""Semantic checks of method.yaml and of each language's labels, help and actions, and of the
answers' labels across the pack's languages."""

from __future__ import annotations

import itertools

from medrisk_xl.core.problems import Problem
from medrisk_xl.method.specs import LEVELS, METHOD_FILE, VULN_ANSWER_CODES


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
    crit = data["criticality"]
    codes = [c["code"] for c in crit["criteria"]]
    out = _check_criteria(crit, codes, file)
    out += _check_vulnerability(data["vulnerability"], codes, file)
    out += _check_matrix(data["risk"]["matrix"], file)
    return out


def _check_criteria(crit: dict, codes: list[str], file: str) -> list[Problem]:
    """Each criterion's answers, unique codes, each in one group, and the criticality levels."""
    out: list[Problem] = []
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
    return out


def _check_vulnerability(vuln: dict, codes: list[str], file: str) -> list[Problem]:
    """Unique item codes apart from the criteria, the answers, and the vulnerability levels."""
    out: list[Problem] = []
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
    out += _check_vulnerability_answers(answers, file)
    pts = [a["points"] for a in answers]
    if pts:
        out += _levels(
            vuln["levels"], len(items) * min(pts), len(items) * max(pts), file, "vulnerability.levels"
        )

    return out


def _check_vulnerability_answers(answers: list[dict], file: str) -> list[Problem]:
    """YES / PARTIAL / NO / UNKNOWN in points order, YES compliant, UNKNOWN alone flagged."""
    out: list[Problem] = []
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
    return out


def _check_matrix(matrix: dict, file: str) -> list[Problem]:
    """Every cell of the risk matrix present, holding a known level; no unknown row or column."""
    out: list[Problem] = []
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
