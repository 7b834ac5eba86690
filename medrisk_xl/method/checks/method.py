"""Semantic checks of method.yaml and of each language's labels, help and actions, and of the
answers' labels across the pack's languages."""

from __future__ import annotations

import itertools

from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.method.specs import LEVELS, METHOD_FILE, VULN_ANSWER_CODES


def _span(lo: int, hi: int) -> Message:
    return msg("method.score", score=lo) if lo == hi else msg("method.scores", low=lo, high=hi)


def _levels(levels: list, lo: int, hi: int, file: str, path: str) -> list[Problem]:
    """Level bands must be 1, 2, 3 in order, contiguous, and cover the score range."""
    out: list[Problem] = []
    numbers = [lv["level"] for lv in levels]
    if numbers != list(LEVELS):
        out.append(Problem("bad-levels", msg("method.bad-levels", found=str(numbers)), file, path))
    for i, lv in enumerate(levels):
        if lv["min"] > lv["max"]:
            out.append(
                Problem(
                    "bad-threshold",
                    msg("method.bad-threshold", low=lv["min"], high=lv["max"]),
                    file,
                    f"{path}[{i}]",
                )
            )
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if cur["min"] > prev["max"] + 1:
            out.append(
                Problem(
                    "threshold-gap",
                    msg(
                        "method.threshold-gap",
                        span=_span(prev["max"] + 1, cur["min"] - 1),
                        level=prev["level"],
                        end=prev["max"],
                        next=cur["level"],
                        start=cur["min"],
                    ),
                    file,
                    f"{path}[{i}].min",
                )
            )
        elif cur["min"] <= prev["max"]:
            out.append(
                Problem(
                    "threshold-overlap",
                    msg(
                        "method.threshold-overlap",
                        span=_span(cur["min"], prev["max"]),
                        level=prev["level"],
                        next=cur["level"],
                    ),
                    file,
                    f"{path}[{i}].min",
                )
            )
    return out + _ends(levels, lo, hi, file, path)


def _ends(levels: list, lo: int, hi: int, file: str, path: str) -> list[Problem]:
    """The first level starts at the lowest possible score, the last ends at the highest."""
    out: list[Problem] = []
    if levels and levels[0]["min"] > lo:
        said = msg("method.lowest-score", score=lo, min=levels[0]["min"])
        out.append(Problem("threshold-gap", said, file, f"{path}[0].min"))
    if levels and levels[-1]["max"] < hi:
        said = msg("method.highest-score", score=hi, max=levels[-1]["max"])
        out.append(Problem("threshold-gap", said, file, f"{path}[{len(levels) - 1}].max"))
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
                    msg("method.four-answers", code=c["code"], count=len(pts)),
                    file,
                    where,
                )
            )
        if any(b <= a for a, b in itertools.pairwise(pts)):
            out.append(
                Problem(
                    "bad-answers",
                    msg("method.points-order", code=c["code"], found=str(pts)),
                    file,
                    where,
                )
            )
        if any(p < 0 for p in pts):
            out.append(Problem("bad-answers", msg("method.negative-points", code=c["code"]), file, where))
    for code in {c for c in codes if codes.count(c) > 1}:
        out.append(
            Problem(
                "duplicate-code",
                msg("method.duplicate-criterion", code=code),
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
                    msg("method.bad-groups", code=code, count=grouped.count(code)),
                    file,
                    "criticality.groups",
                )
            )
    for code in grouped:
        if code not in codes:
            out.append(
                Problem(
                    "unknown-code", msg("method.unknown-criterion", code=code), file, "criticality.groups"
                )
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
            Problem("duplicate-code", msg("method.duplicate-item", code=code), file, "vulnerability.items")
        )
    for code in set(items) & set(codes):
        out.append(
            Problem(
                "duplicate-code",
                msg("method.criterion-and-item", code=code),
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
                msg("method.answer-codes", expected=str(list(VULN_ANSWER_CODES)), found=str(acodes)),
                file,
                "vulnerability.answers",
            )
        )
    pts = [a["points"] for a in answers]
    if pts != sorted(pts) or any(p < 0 for p in pts):
        out.append(
            Problem(
                "bad-answers",
                msg("method.answer-points", found=str(pts)),
                file,
                "vulnerability.answers",
            )
        )
    by_code = {a["code"]: a for a in answers}
    if "YES" in by_code and not by_code["YES"]["compliant"]:
        out.append(Problem("bad-answers", msg("method.yes-compliant"), file, "vulnerability.answers"))
    flagged = [a["code"] for a in answers if a["flag"]]
    if flagged != ["UNKNOWN"]:
        out.append(
            Problem(
                "bad-answers",
                msg("method.one-flagged", found=str(flagged) if flagged else msg("method.none")),
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
                    msg("method.matrix-row", row=row),
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
                        msg("method.matrix-cell", row=row, col=col),
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
            elif matrix[row][col] not in LEVELS:
                out.append(
                    Problem(
                        "bad-matrix",
                        msg("method.matrix-level", row=row, col=col, level=matrix[row][col]),
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
        for col in matrix[row]:
            if col not in LEVELS:
                out.append(
                    Problem(
                        "bad-matrix",
                        msg("method.matrix-col", col=col),
                        file,
                        f"risk.matrix.{row}.{col}",
                    )
                )
    for row in matrix:
        if row not in LEVELS:
            out.append(
                Problem(
                    "bad-matrix",
                    msg("method.matrix-unknown-row", row=row),
                    file,
                    f"risk.matrix.{row}",
                )
            )
    return out
