"""The audit's findings: one stable code each, its severity and what it means (README table)."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem
from medrisk_xl.workbook.read.part_kinds import CODES as OPENING_CODES

ERROR, WARNING, INFO = "error", "warning", "info"

CATALOGUE: dict[str, tuple[str, str]] = {
    # The workbook itself
    "unreadable": (ERROR, "the file cannot be read as a spreadsheet"),
    "active-content": OPENING_CODES["active-content"],
    "unsafe-hyperlink": OPENING_CODES["unsafe-hyperlink"],
    "not-medrisk": (ERROR, "not a medrisk-xl workbook (no _meta sheet)"),
    "other-content": (ERROR, "generated with another content pack: audit it with --content and that pack"),
    "unknown-schema": (ERROR, "made by a medrisk-xl version with another workbook contract"),
    "rebuild-failed": (
        ERROR,
        "the generator cannot write the workbook again from its _meta (structure changed)",
    ),
    # Static audit
    "formula-changed": (ERROR, "a formula differs from the generator's"),
    "formula-replaced": (ERROR, "a constant or an empty cell where the generator writes a formula"),
    "formula-added": (ERROR, "a formula where the generator writes none"),
    "function-not-allowed": (ERROR, "a formula breaks the portability rules (function, range or criterion)"),
    "volatile-function": (ERROR, "a volatile function (NOW, RAND, OFFSET, INDIRECT…)"),
    "external-link": (ERROR, "a link or a defined name pointing outside the workbook"),
    "unexpected-name": (ERROR, "a defined name the generator did not create"),
    "name-changed": (ERROR, "a defined name of the generator is missing or points elsewhere"),
    "unexpected-sheet": (ERROR, "a hidden sheet (or a chart sheet) the generator did not create"),
    "added-sheet": (WARNING, "a visible sheet the generator did not create"),
    "sheet-missing": (ERROR, "a sheet of the generator is missing"),
    "sheet-state": (WARNING, "a sheet is shown or hidden otherwise than the generator left it"),
    "dropdown-missing": (ERROR, "an answer cell lost its dropdown"),
    "dropdown-changed": (
        ERROR,
        "an answer cell's dropdown offers another list than the generator's, or accepts values the generator's refuses",
    ),
    "answer-locked": (ERROR, "an answer cell is locked"),
    "formula-unlocked": (ERROR, "a formula cell is unlocked"),
    "cell-unlocked": (WARNING, "another cell the generator locks (identity, label) is unlocked"),
    "protection-removed": (WARNING, "a sheet the generator protects is not protected"),
    "list-data-changed": (
        ERROR,
        "the list sheet (labels, points, thresholds, matrix) differs from the pack's",
    ),
    # Dynamic audit
    "engine-mismatch": (ERROR, "an engine computed another value than the reference scorer"),
    "engine-failed": (ERROR, "an engine could not recalculate the probe workbooks"),
    "engine-missing": (WARNING, "an engine asked for is not installed"),
}


def finding(code: str, message: str, **where: Any) -> Problem:
    """A problem with its catalogued severity."""
    return Problem(code, message, severity=CATALOGUE[code][0], **where)
