"""A device's answers, shared by the input grid and the form sheets: each is one of its options,
the device is started and complete, and the NE SAIT PAS answers to confirm; and the device
counts of a file."""

from __future__ import annotations

from collections import Counter
from typing import Any

from medrisk_xl.core.matching import INVALID
from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import Method
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import TO_CONFIRM, FileReport, to_confirm_message
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.shown import STATUS_INVALID, RowView

DEVICE_COUNT_KEYS = ("complete", "to_confirm", "incomplete", "invalid", "not_started")


def read_prefill(prefill: dict[str, int], method: Method, code: str, points: Any) -> None:
    """Record the option ``code`` was pre-filled with, from its pre-filled points cell."""
    if isinstance(points, int) and points in method.answer_points(code):
        prefill[code] = method.answer_points(code).index(points)


def count_key(view: RowView) -> str:
    """The device count a read device adds to (``FileReport.devices``)."""
    # A row to review is not answered yet: counted as not started (the to-review problem tells why).
    keys = {"empty": "not_started", contract.STATUS_TO_REVIEW: "not_started", STATUS_INVALID: "invalid"}
    return keys.get(view.status, view.status)


def device_counts(counts: Counter[str]) -> dict[str, int]:
    """A file's device counts, every key present, in the report's order."""
    out = {"total": sum(counts[k] for k in DEVICE_COUNT_KEYS)}
    out |= {k: counts[k] for k in DEVICE_COUNT_KEYS}
    out["added"] = counts["added"]
    return out


def answer_problems(
    view: RowView,
    values: dict[str, Any],
    cells: dict[str, str],
    sheet: str,
    row: int,
    device: str,
    report: FileReport,
    previous: str = "",
) -> None:
    """invalid-answer, not-started, to-review, missing-answers and to-confirm of one device
    (``cells``: question code -> its answer cell, and the REVIEWED cell in a workbook of answers
    carried over from ``previous``)."""
    for code, match in view.matches.items():
        if match == INVALID:
            report.add(
                problem(
                    "invalid-answer",
                    msg("validate.invalid-answer", code=code, value=values[code]),
                    sheet=sheet,
                    cell=cells[code],
                    row=row,
                    device_id=device,
                )
            )
    if view.reviewed is not None and values.get(contract.REVIEW_CODE) not in (None, "") and not view.reviewed:
        report.add(
            problem(
                "invalid-answer",
                msg("validate.invalid-review", code=contract.REVIEW_CODE, value=values[contract.REVIEW_CODE]),
                sheet=sheet,
                cell=cells[contract.REVIEW_CODE],
                row=row,
                device_id=device,
            )
        )
    if view.status == "empty":
        report.add(
            problem("not-started", msg("validate.not-started"), sheet=sheet, row=row, device_id=device)
        )
    elif view.status == contract.STATUS_TO_REVIEW:
        message = msg("validate.to-review", previous=previous)
        report.add(problem("to-review", message, sheet=sheet, row=row, device_id=device))
    elif view.status == "incomplete":
        missing = ", ".join(view.result.missing)
        report.add(
            problem(
                "missing-answers",
                msg("validate.missing-answers", codes=missing),
                sheet=sheet,
                row=row,
                device_id=device,
            )
        )
    if view.result.unknown_items and view.status != contract.STATUS_OUT:
        message = to_confirm_message(view.result.unknown_items)
        report.add(problem(TO_CONFIRM, message, sheet=sheet, row=row, device_id=device))
