"""Checks of ``prefill.yaml``: every rule pre-fills a criterion of the method, by a known measure
of a known inventory field or column, with bands that cover every value once."""

from __future__ import annotations

from pathlib import Path

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.schema import read_optional
from medrisk_xl.method.specs_prefill import (
    AGE_YEARS,
    COUNT,
    DATE_FIELDS,
    MEASURES,
    PREFILL_FILE,
    PREFILL_SPEC,
)

F = PREFILL_FILE


def read_prefill(root: Path, method: dict | None) -> tuple[list[Problem], dict | None]:
    """The pack's prefill.yaml (None when the pack has none) and its problems; the rules are
    checked against the method when it is given (valid)."""
    problems, data, valid = read_optional(root, F, PREFILL_SPEC)
    if not valid or method is None:
        return problems, data
    return check_prefill(data, method), data


def check_prefill(data: dict, method: dict) -> list[Problem]:
    """The semantic problems of a structurally valid prefill.yaml."""
    criteria = {c["code"]: c["points"] for c in method["criticality"]["criteria"]}
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"]):
        path = f"rules[{i}]"
        code = rule["criterion"]
        if code not in criteria:
            problems.append(Problem("unknown-code", msg("prefill.not-a-criterion", code=code), F, path))
            continue
        if code in seen:
            problems.append(Problem("bad-rule", msg("prefill.two-rules", code=code), F, path))
        seen.add(code)
        problems += _source(rule, path)
        problems += _bands(rule["bands"], criteria[code], f"{path}.bands")
    return problems


def _source(rule: dict, path: str) -> list[Problem]:
    measure = rule["measure"]
    if measure not in MEASURES:
        return [
            Problem("bad-rule", msg("prefill.measure", measures=", ".join(MEASURES)), F, f"{path}.measure")
        ]
    if measure == AGE_YEARS and rule.get("field") not in DATE_FIELDS:
        return [Problem("bad-rule", msg("prefill.age-field", fields=", ".join(DATE_FIELDS)), F, path)]
    if measure == COUNT and not rule.get("columns"):
        return [Problem("bad-rule", msg("prefill.count-columns"), F, path)]
    return []


def _bands(bands: list[dict], points: list[int], path: str) -> list[Problem]:
    """Bands rise strictly, only the last is open (no ``below``), each gives points of the criterion."""
    problems = []
    belows = [b.get("below") for b in bands]
    if belows[-1] is not None or None in belows[:-1]:
        problems.append(Problem("bad-rule", msg("prefill.last-band"), F, path))
    bounded = [b for b in belows if b is not None]
    if any(b < 0 for b in bounded) or bounded != sorted(set(bounded)):
        problems.append(Problem("bad-rule", msg("prefill.below-rise"), F, path))
    for j, band in enumerate(bands):
        if band["points"] not in points:
            allowed = ", ".join(map(str, points))
            problems.append(
                Problem("bad-rule", msg("prefill.points", allowed=allowed), F, f"{path}[{j}].points")
            )
    return problems
