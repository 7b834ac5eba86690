"""What a row of a workbook shows: the Python twin of the workbook's formulas.

Given the raw values of a row's answer cells, :func:`view_row` applies the matching rule
(:mod:`medrisk_xl.core.matching`) and the reference scorer, and tells what every computed cell must
display. The writer stores it as the formulas' cached values; the engine tests and the readers of
returned workbooks compare what a spreadsheet computed against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.core.matching import EMPTY, INVALID, match_answer
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.scorer import COMPLETE, INCOMPLETE, TO_CONFIRM, Result, score_indexes
from medrisk_xl.method.scorer import EMPTY as NOT_STARTED
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import register_options
from medrisk_xl.workbook.questions import result_codes

BLANK = contract.BLANK  # a free row holding no device: shows nothing and is counted nowhere
STATUS_INVALID = contract.STATUS_INVALID  # an answer is not one of its options
TO_REVIEW = contract.STATUS_TO_REVIEW  # year two: only carried-over answers, not yet confirmed
OUT = contract.STATUS_OUT  # a device retired or missing (its DEVICE_STATUS): not assessed
SCORED = (COMPLETE, TO_CONFIRM)


@dataclass(frozen=True)
class RowView:
    """One row as the workbook sees it."""

    matches: dict[str, int | str]  # code -> option index, EMPTY or INVALID
    status: str  # BLANK, NOT_STARTED ("empty"), STATUS_INVALID, INCOMPLETE, TO_CONFIRM, COMPLETE
    result: Result  # the scorer's result on the valid answers
    untouched: tuple[str, ...] = field(default=())  # pre-filled answers still worth their pre-filled points
    prefilled: dict[str, int] = field(default_factory=dict)  # code -> the option it was pre-filled with
    reviewed: bool | None = None  # year two: confirmed in its REVIEWED cell (None: no such cell)

    @property
    def invalid(self) -> tuple[str, ...]:
        return tuple(code for code, m in self.matches.items() if m == INVALID)


def view_matches(
    matches: Mapping[str, int | str],
    pack: ContentPack,
    prefill: Mapping[str, int] | None = None,
    free: bool = False,
    has_id: bool = True,
    reviewed: bool | None = None,
    carried: bool = False,
    out: bool = False,
) -> RowView:
    """The row's status and result from its matched answers (see :func:`view_row`); ``out``: its
    device status puts it out of the fleet."""
    m = pack.method
    matches = {code: matches.get(code, EMPTY) for code in m.codes}
    prefill = prefill or {}
    filled = sum(1 for v in matches.values() if v != EMPTY)
    valid = {code: v for code, v in matches.items() if isinstance(v, int)}
    # As the STATUS formula sees it: a pre-filled answer left untouched still holds its pre-filled
    # points (an item pre-filled NO changed to "don't know", worth the same, still counts so).
    points = m.answer_points
    untouched = tuple(
        code
        for code, index in prefill.items()
        if isinstance(matches.get(code), int) and points(code)[matches[code]] == points(code)[index]
    )
    result = score_indexes(valid, pack)
    started = filled if reviewed else filled - len(untouched)
    if free and not has_id and filled == 0:
        status = BLANK
    elif out:
        status = OUT
    elif started == 0:
        status = TO_REVIEW if reviewed is False and carried and filled > 0 else NOT_STARTED
    elif len(valid) < filled:
        status = STATUS_INVALID
    elif filled < len(m.codes):
        status = INCOMPLETE
    else:
        status = result.status
    return RowView(matches, status, result, untouched, dict(prefill), reviewed)


def device_status(value: Any, language: Language) -> str | None:
    """The device status a DEVICE_STATUS cell holds (``contract.DEVICE_STATUSES``; an empty cell
    is "present"), by the matching rule; None when it holds anything else."""
    if value is None or value == "":
        return contract.DEVICE_STATUSES[0]
    options = language.ui["device_status"]["options"]
    found = match_answer(value, [options[c] for c in contract.DEVICE_STATUSES])
    return contract.DEVICE_STATUSES[found] if isinstance(found, int) else None


def review_match(value: Any, language: Language) -> bool:
    """Whether a REVIEWED cell confirms its row (its one choice, by the matching rule)."""
    return match_answer(value, [language.ui["prefill"]["review"]["confirmed"]]) == 0


def view_row(
    values: Mapping[str, Any],
    pack: ContentPack,
    language: Language,
    prefill: Mapping[str, int] | None = None,
    free: bool = False,
    has_id: bool = True,
    reviews: bool = False,
    carried: bool = False,
) -> RowView:
    """A row from the raw values of its answer cells (code -> value as the cell holds it).

    ``prefill`` maps the codes the generator pre-filled to their option index; ``free`` marks a
    free row (for devices missing from the inventory) and ``has_id`` whether its id is filled;
    ``reviews``: the row has a REVIEWED cell (``values`` holds it under ``contract.REVIEW_CODE``);
    ``carried``: answers were carried over to it from the previous campaign.
    """
    matches = {
        code: match_answer(values.get(code), language.option_labels[code]) for code in pack.method.codes
    }
    reviewed = review_match(values.get(contract.REVIEW_CODE), language) if reviews else None
    out = False
    if contract.DEVICE_STATUS_CODE in values:
        out = device_status(values[contract.DEVICE_STATUS_CODE], language) in contract.OUT_OF_FLEET
    return view_matches(matches, pack, prefill, free, has_id, reviewed, carried, out)


def status_text(view: RowView, language: Language) -> str:
    """The text of the STATUS cell."""
    if view.status == BLANK:
        return ""
    if view.status == STATUS_INVALID:
        return language.ui["invalid_status"]
    if view.status == TO_REVIEW:
        return language.ui["prefill"]["review"]["status"]
    if view.status == OUT:
        return language.ui["device_status"]["row_status"]
    return language.status_label(view.status)


def answer_points(view: RowView, pack: ContentPack, code: str, marker: str) -> int | str:
    """What the points helper of ``code`` shows: the points, "" when empty, the marker when invalid."""
    match = view.matches[code]
    if match == EMPTY:
        return ""
    if match == INVALID:
        return marker
    return pack.method.answer_points(code)[match]


def shown_values(view: RowView, pack: ContentPack, language: Language) -> dict[str, Any]:
    """What every computed cell of the row shows, by code (result codes and points helpers);
    ``pack`` as the workbook asks it (:func:`medrisk_xl.workbook.questions.asked_pack`)."""
    marker = language.ui["invalid_marker"]
    r = view.result
    codes = result_codes(pack)[:-1]  # STATUS last
    if view.status in SCORED:
        figures = {
            "CRIT_SCORE": r.criticality_score,
            "CRIT_LEVEL": r.criticality_level,
            "VULN_SCORE": r.vulnerability_score,
            "VULN_LEVEL": r.vulnerability_level,
            "RISK_LEVEL": r.risk_level,
        }
        results: dict[str, Any] = {code: figures[code] for code in codes}
    else:
        other = marker if view.status == STATUS_INVALID else ""
        results = dict.fromkeys(codes, other)
    results["STATUS"] = status_text(view, language)
    for code in pack.method.codes:
        results[contract.points_code(code)] = answer_points(view, pack, code, marker)
    return results


def register_shown(values: Mapping[str, Any], pack: ContentPack, language: Language) -> dict[str, Any]:
    """What every computed cell of a register row shows (rank helpers and risk levels), from the
    raw values of its answer cells (code -> value as the cell holds it)."""
    options = register_options(pack, language)
    marker = language.ui["invalid_marker"]
    reg = pack.register
    steps = {"severity": reg.severities, "probability": reg.probabilities}
    out: dict[str, Any] = {}
    for code, scale in contract.REGISTER_SCALES.items():
        match = match_answer(values.get(code), options[scale])
        out[contract.points_code(code)] = "" if match == EMPTY else marker if match == INVALID else match + 1
    for level, (sev, prob) in contract.REGISTER_LEVELS.items():
        s, p = out[contract.points_code(sev)], out[contract.points_code(prob)]
        if isinstance(s, int) and isinstance(p, int):
            out[level] = reg.level(steps["severity"][s - 1], steps["probability"][p - 1])
        else:
            out[level] = marker if marker in (s, p) else ""
    return out
