"""Problems of risk register rows: a risk not (fully) estimated or high, and locked ids that are
not the ones generated on their rows (how consolidation follows a register row)."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Joined, Message, msg
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.read.register_reader import RegisterEntry


def cell_ref(cols: dict[str, int], code: str, row: int) -> str:
    """The A1 reference of ``code``'s cell on ``row`` (``cols``: code -> 1-based column)."""
    return f"{column_letter(cols[code])}{row}"


def assessment_problems(
    entry: RegisterEntry, label: str | Message, sheet: str, cols: dict[str, int], report: FileReport
) -> None:
    """A filled register row whose risk is not (fully) estimated, or whose residual risk is high."""
    values, r = entry.row.values, entry.row.row
    given = {code: values.get(code, "") != "" for code in contract.REGISTER_SCALES}
    sev, prob = contract.REGISTER_LEVELS["RISK_INITIAL"]
    res_sev, res_prob = contract.REGISTER_LEVELS["RISK_RESIDUAL"]
    for stage, pair in (("initial", (sev, prob)), ("residual", (res_sev, res_prob))):
        if given[pair[0]] != given[pair[1]]:
            done, missing = pair if given[pair[0]] else pair[::-1]
            report.add(
                problem(
                    "register-not-assessed",
                    msg(f"validate.register-not-assessed.{stage}", label=label, given=done, missing=missing),
                    sheet=sheet,
                    cell=cell_ref(cols, missing, r),
                    row=r,
                )
            )
    has_initial, has_residual = given[sev] or given[prob], given[res_sev] or given[res_prob]
    if not has_initial and not has_residual:
        report.add(
            problem(
                "register-not-assessed",
                msg("validate.register-not-estimated", label=label, severity=sev, probability=prob),
                sheet=sheet,
                cell=cell_ref(cols, sev, r),
                row=r,
            )
        )
    elif has_residual and not has_initial:
        report.add(
            problem(
                "register-residual-only",
                msg("validate.register-residual-only", label=label, severity=sev, probability=prob),
                sheet=sheet,
                cell=cell_ref(cols, sev, r),
                row=r,
            )
        )
    if entry.needs_decision:
        report.add(
            problem(
                "register-needs-decision",
                msg("validate.register-needs-decision", label=label),
                sheet=sheet,
                cell=cell_ref(cols, "RISK_RESIDUAL", r),
                row=r,
            )
        )


def id_problems(
    moved: list[tuple[int, Any, str]], sheet: str, cols: dict[str, int], report: FileReport
) -> None:
    """Register rows whose locked id is not the one generated on them (row, id found, id
    generated): one problem each, or one for all when many (rows inserted or deleted)."""
    if len(moved) <= 5:
        for r, found, want in moved:
            report.add(
                problem(
                    "register-id-changed",
                    msg("validate.register-id-changed", row=r, value=found, expected=want),
                    sheet=sheet,
                    cell=cell_ref(cols, "REG_ID", r),
                    row=r,
                )
            )
        return
    examples = [
        msg("validate.register-id-example", row=r, value=found, expected=want) for r, found, want in moved[:3]
    ]
    report.add(
        problem(
            "register-id-changed",
            msg("validate.register-ids-changed", count=len(moved), examples=Joined(tuple(examples))),
            sheet=sheet,
            cell=cell_ref(cols, "REG_ID", moved[0][0]),
            row=moved[0][0],
        )
    )
