"""Which problems keep what out of the map (issue 27: judge each device on its own row).

One table, imported by ``consolidate`` and its tests: every problem code a consolidation can meet
excludes the whole file, only the device on whose row it is, or nothing (it is still reported).
A file is excluded only when it cannot be trusted as this campaign's return at all; a device only
when its own row cannot be matched to what the campaign generated, or its answers are not valid.
Everything else (another row's error, a formula replaced, a wrong cached value, a protection
removed, sorted rows) is reported and maps every device: consolidate recomputes every figure from
the answers and never trusts the spreadsheet's.

The reasons a device is not mapped are stable codes too (CSV ``not_mapped_reason``); their
texts live in the content pack (ui ``consolidated.not_mapped``).
"""

from __future__ import annotations

FILE, DEVICE, NOTHING = "file", "device", "nothing"
INCLUSION_SCOPES = (FILE, DEVICE, NOTHING)

# code -> what it excludes from the map.
INCLUSION: dict[str, str] = {
    # the file is not this campaign's readable return: nothing in it can be trusted
    "unreadable": FILE,
    "active-content": FILE,
    "external-link": FILE,
    "hostile-xml": FILE,
    "not-medrisk": FILE,
    "unknown-schema": FILE,
    "other-content": FILE,
    "other-campaign": FILE,
    "sheet-missing": FILE,
    "relabelled-options": FILE,
    "column-missing": FILE,
    "it-row-changed": FILE,
    "it-row-missing": FILE,
    "it-row-added": FILE,
    # the device's own row: missing, duplicated, edited, or its own answers invalid
    "invalid-answer": DEVICE,
    "device-missing": DEVICE,
    "device-duplicated": DEVICE,
    "identity-changed": DEVICE,
    "unexpected-row": DEVICE,
    "not-in-manifest": DEVICE,
    "missing-from-return": DEVICE,
    "duplicate-device": DEVICE,
    # reported, but every device is judged on its own answers
    "unsafe-hyperlink": NOTHING,
    "missing-answers": NOTHING,
    "not-started": NOTHING,
    "to-confirm": NOTHING,
    "to-review": NOTHING,
    "device-status": NOTHING,
    "wrong-cached-value": NOTHING,
    "formula-changed": NOTHING,
    "formula-replaced": NOTHING,
    "device-moved": NOTHING,
    "added-device": NOTHING,
    "protection-removed": NOTHING,
    "password-changed": NOTHING,
    "register-id-changed": NOTHING,
    "register-not-assessed": NOTHING,
    "register-residual-only": NOTHING,
    "register-needs-decision": NOTHING,
    "register-row-added": NOTHING,
    "change-form-value": NOTHING,
    "it-conflict": NOTHING,
    "it-not-applied": NOTHING,
    "sheet-too-long": NOTHING,
    "bad-output": NOTHING,
    "cannot-write": NOTHING,
    "output-not-empty": NOTHING,
    "unsafe-force": NOTHING,
    "missing-pyarrow": NOTHING,
}

# Why a device is not mapped (besides the code of a DEVICE problem on its own row).
FILE_ERROR = "file-error"  # its file has a file-level error (INCLUSION FILE)
INVALID_FILE = "invalid-file"  # --strict: its file has an error, wherever it is
NO_ID = "device-missing"  # its row's id was deleted: the row cannot be matched to the campaign's
NOT_STARTED = "not-started"
INCOMPLETE = "incomplete"
AWAITING_IT = "awaiting-it"  # --vulnerability-by it: criteria done, the IT team's answers awaited
TO_REVIEW = "to-review"  # year two: carried-over answers not checked yet
OUT_OF_FLEET = "out-of-fleet"  # reported retired or missing by its department
# A device's row status (the register's ``status``) -> why it is not scored.
STATUS_REASONS = {
    "not_started": NOT_STARTED,
    "incomplete": INCOMPLETE,
    "to_review": TO_REVIEW,
    "out": OUT_OF_FLEET,
    "invalid": "invalid-answer",
}
NOT_MAPPED_REASONS = (
    FILE_ERROR,
    INVALID_FILE,
    *(code for code, scope in INCLUSION.items() if scope == DEVICE),
    NOT_STARTED,
    INCOMPLETE,
    AWAITING_IT,
    TO_REVIEW,
    OUT_OF_FLEET,
)


def effect(code: str, severity: str, strict: bool = False) -> str:
    """What a reported problem keeps out of the map; with ``strict``, every error its file."""
    return FILE if strict and severity == "error" else excludes(code)


def excludes(code: str) -> str:
    """What ``code`` keeps out of the map (FILE, DEVICE or NOTHING); an unknown code, FILE: a
    problem nobody classified never maps a device it may concern."""
    return INCLUSION.get(code, FILE)
