"""The codes validate reports, each with its severity and meaning.

One definition: the README's table of validate codes is checked against :data:`CATALOGUE`, and
:func:`problem` takes each problem's severity from it.
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem
from medrisk_xl.workbook.read.part_kinds import CODES as OPENING_CODES

ERROR, WARNING, INFO = "error", "warning", "info"

# code -> (severity, what it means).
CATALOGUE: dict[str, tuple[str, str]] = {
    "unreadable": (ERROR, "the file cannot be read as a spreadsheet (empty, damaged, encrypted, old .xls…)"),
    **OPENING_CODES,  # active content and outward links, refused before the file is read
    "not-medrisk": (ERROR, "the file is a spreadsheet but not a medrisk-xl workbook"),
    "unknown-schema": (ERROR, "made by another medrisk-xl version whose workbook contract is not this one"),
    "other-content": (ERROR, "generated with another content pack (method) than the one validating it"),
    "other-campaign": (ERROR, "belongs to another campaign than the manifest's"),
    "sheet-missing": (
        ERROR,
        "a sheet of the contract (input, lists, a form, the risk register, the change form) is missing "
        "or its codes are damaged",
    ),
    "relabelled-options": (ERROR, "the list sheet no longer holds the pack's options in the pack's order"),
    "invalid-answer": (ERROR, "an answer cell holds something that is not one of its options"),
    "missing-answers": (WARNING, "a started device has unanswered questions"),
    "not-started": (WARNING, "a device has no answer yet (a pre-filled C1 does not count)"),
    "to-confirm": (INFO, "answered NE SAIT PAS: to confirm with the IT team"),
    "wrong-cached-value": (ERROR, "the department was shown a figure that is not what the method computes"),
    "formula-changed": (ERROR, "a computed cell holds another formula than the generator's"),
    "formula-replaced": (ERROR, "a computed cell holds a constant instead of its formula"),
    "device-missing": (ERROR, "a device of the workbook is no longer in it (row deleted or id changed)"),
    "device-moved": (ERROR, "a device is not on its row any more (rows inserted, deleted or sorted)"),
    "device-duplicated": (ERROR, "a device id appears on more than one row"),
    "identity-changed": (ERROR, "a locked identity cell no longer holds what the inventory gave"),
    "unexpected-row": (ERROR, "a row among the device rows holds an unknown device"),
    "added-device": (INFO, "a device added in a free row"),
    "not-in-manifest": (ERROR, "a device id that the manifest does not list for this workbook"),
    "missing-from-return": (ERROR, "a device the manifest lists for this workbook is not in the return"),
    "protection-removed": (WARNING, "a sheet's protection was removed"),
    "password-changed": (WARNING, "a sheet's protection password is not the campaign's"),
    "register-id-changed": (
        ERROR,
        "a risk register row no longer holds the id generated on it (consolidation follows rows by id)",
    ),
    "register-not-assessed": (
        WARNING,
        "a filled risk register row without both a severity and a probability (initial or residual)",
    ),
    "register-residual-only": (WARNING, "a risk register row gives a residual risk but no initial risk"),
    "register-needs-decision": (
        INFO,
        "a high residual risk: needs a documented risk/benefit decision (IEC 80001-2-1 7.4.6)",
    ),
    "register-row-added": (
        WARNING,
        "a risk register row written below the generated rows (kept; it has no id, dropdown or formula)",
    ),
    "change-form-value": (
        WARNING,
        "a change form value that is not one of its options, not a date or not a number",
    ),
}


def problem(code: str, message: str, **where: Any) -> Problem:
    """A problem of ``code`` with the severity the catalogue gives it (``where``: sheet, cell, row…)."""
    return Problem(code, message, severity=CATALOGUE[code][0], **where)
