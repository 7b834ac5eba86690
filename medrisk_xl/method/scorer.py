"""The reference scorer: the one place that turns answers into scores, levels and risk.

Workbook formulas, validation, consolidation and audit are all checked against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.method.checks.pack_files import VULN_ANSWER_CODES, normalize
from medrisk_xl.method.pack import ContentPack, load_pack

EMPTY, INCOMPLETE, TO_CONFIRM, COMPLETE = "empty", "incomplete", "to_confirm", "complete"


class AnswerError(MedriskError):
    """An answer that is neither a known label nor valid points; names the code and value."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, exit_code=2)


@dataclass(frozen=True)
class Result:
    """Outcome of scoring one device. Scores, levels and risk are ``None`` unless complete."""

    criticality_score: int | None
    criticality_level: int | None
    vulnerability_score: int | None
    vulnerability_level: int | None
    risk_level: int | None
    status: str
    answers: dict[str, int] = field(default_factory=dict)  # code -> answer index (0-based)
    missing: tuple[str, ...] = ()
    unknown_items: tuple[str, ...] = ()  # answered "don't know": counted as NO, to confirm
    non_compliant_items: tuple[str, ...] = ()  # answered NO or don't know

    def to_dict(self, pack: ContentPack | None = None, lang: str | None = None) -> dict[str, Any]:
        """Plain data; with a pack, adds the labels of levels, risk and status."""
        out: dict[str, Any] = {
            "criticality_score": self.criticality_score,
            "criticality_level": self.criticality_level,
            "vulnerability_score": self.vulnerability_score,
            "vulnerability_level": self.vulnerability_level,
            "risk_level": self.risk_level,
            "status": self.status,
            "missing": list(self.missing),
            "unknown_items": list(self.unknown_items),
            "non_compliant_items": list(self.non_compliant_items),
        }
        if pack is not None:
            language = pack.language(lang)
            for axis in ("criticality", "vulnerability", "risk"):
                level = out[f"{axis}_level"]
                out[f"{axis}_level_label"] = language.level_label(axis, level) if level else None
            out["status_label"] = language.status_label(self.status)
        return out


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_answer(pack: ContentPack, code: str, value: Any) -> int | None:
    """Answer index (0-based, points order) of ``value`` for ``code``; ``None`` when blank.

    Accepts the answer's points (as a number or digits) or its label in any language of
    the pack (case-, accent- and space-insensitive). Raises :class:`AnswerError` otherwise.
    """
    if _is_blank(value):
        return None
    method = pack.method
    if code not in pack.answer_index:
        raise AnswerError(
            [
                Problem(
                    "unknown-code",
                    msg("score.unknown-code", code=code, codes=", ".join(method.codes)),
                    path=code,
                )
            ]
        )
    if code in method.items:
        points = [a.points for a in method.vuln_answers]
    else:
        points = list(method.criterion(code).points)
    number = _as_number(value)
    if number is not None and number in points:
        return points.index(number)
    found = pack.answer_index[code].get(normalize(value)) if isinstance(value, str) else None
    if found is not None:
        return found
    if code in method.items:
        labels, codes = "/".join(pack.language().answer_labels(code)), "/".join(VULN_ANSWER_CODES)
        expected = msg("score.expected-item", labels=labels, codes=codes)
    else:
        expected = msg("score.expected-criterion", points=", ".join(map(str, points)))
    raise AnswerError(
        [Problem("bad-answer", msg("score.bad-answer", value=value, expected=expected), path=code)]
    )


def _as_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def score(answers: Mapping[str, Any], pack: ContentPack | None = None) -> Result:
    """Score one device from its answers (code -> points or label; blank = missing).

    Every invalid answer is reported at once in one :class:`AnswerError`.
    """
    pack = pack or load_pack()
    indexes: dict[str, int] = {}
    problems: list[Problem] = []
    for code, value in answers.items():
        try:
            idx = parse_answer(pack, code, value)
        except AnswerError as exc:
            problems += exc.problems
            continue
        if idx is not None:
            indexes[code] = idx
    if problems:
        raise AnswerError(problems)
    return score_indexes(indexes, pack)


def score_indexes(indexes: Mapping[str, int], pack: ContentPack) -> Result:
    """Score from already-parsed answer indexes (0-based, points order)."""
    method = pack.method
    missing = tuple(c for c in method.codes if c not in indexes)
    unknown = tuple(i for i in method.items if i in indexes and method.vuln_answers[indexes[i]].flag)
    non_compliant = tuple(
        i for i in method.items if i in indexes and not method.vuln_answers[indexes[i]].compliant
    )
    base = {
        "answers": {c: indexes[c] for c in method.codes if c in indexes},
        "missing": missing,
        "unknown_items": unknown,
        "non_compliant_items": non_compliant,
    }
    if missing:
        status = EMPTY if len(missing) == len(method.codes) else INCOMPLETE
        return Result(None, None, None, None, None, status, **base)
    crit = sum(c.points[indexes[c.code]] for c in method.criteria)
    if not method.items:  # a department's part when the IT team answers the items: criticality only
        return Result(crit, method.criticality_level(crit), None, None, None, COMPLETE, **base)
    vuln = sum(method.vuln_answers[indexes[i]].points for i in method.items)
    crit_level = method.criticality_level(crit)
    vuln_level = method.vulnerability_level(vuln)
    return Result(
        crit,
        crit_level,
        vuln,
        vuln_level,
        method.risk_level(vuln_level, crit_level),
        TO_CONFIRM if unknown else COMPLETE,
        **base,
    )
