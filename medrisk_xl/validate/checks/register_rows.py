"""Problems of risk register rows: a risk not (fully) estimated or high, and locked ids that are
not the ones generated on their rows (how consolidation follows a register row)."""

from __future__ import annotations

from typing import Any

from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.reader import column_letter
from medrisk_xl.workbook.read.register_reader import RegisterEntry


def cell_ref(cols: dict[str, int], code: str, row: int) -> str:
    """The A1 reference of ``code``'s cell on ``row`` (``cols``: code -> 1-based column)."""
    return f"{column_letter(cols[code])}{row}"


def assessment_problems(
    entry: RegisterEntry, label: str, sheet: str, cols: dict[str, int], report: FileReport
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
                    f"the {stage} risk of {label} is not assessed: {done} is given, {missing} is empty",
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
                f"the risk of {label} is not estimated: {sev} and {prob} are empty",
                sheet=sheet,
                cell=cell_ref(cols, sev, r),
                row=r,
            )
        )
    elif has_residual and not has_initial:
        report.add(
            problem(
                "register-residual-only",
                f"{label} gives a residual risk but no initial risk ({sev} and {prob} are empty)",
                sheet=sheet,
                cell=cell_ref(cols, sev, r),
                row=r,
            )
        )
    if entry.needs_decision:
        report.add(
            problem(
                "register-needs-decision",
                f"the residual risk of {label} is high: it needs a documented risk/benefit decision "
                "(IEC 80001-2-1 7.4.6)",
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
                    f"the id of row {r} reads {found!r}, it was generated as {want!r} (ids are how "
                    "consolidation follows a register row)",
                    sheet=sheet,
                    cell=cell_ref(cols, "REG_ID", r),
                    row=r,
                )
            )
        return
    examples = "; ".join(f"row {r} reads {found!r} ({want!r} generated)" for r, found, want in moved[:3])
    report.add(
        problem(
            "register-id-changed",
            f"{len(moved)} register rows no longer hold the id generated on them (rows inserted, deleted "
            f"or moved?): {examples}…",
            sheet=sheet,
            cell=cell_ref(cols, "REG_ID", moved[0][0]),
            row=moved[0][0],
        )
    )
