"""Whether each device of the register is mapped, and if not, why: the rules of
:mod:`medrisk_xl.core.inclusion_rules` applied to a file's problems and a device's own row.

By default a device is judged on its own row (issue 27); ``strict`` keeps the earlier rule, where
any error in a file keeps every device of that file out of the map (``invalid-file``).
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.inclusion_rules import (
    AWAITING_IT,
    DEVICE,
    FILE,
    FILE_ERROR,
    INVALID_FILE,
    NO_ID,
    STATUS_REASONS,
    excludes,
)
from medrisk_xl.validate import FileReport

# A record's key (dropped once mapped is set): True when the device's criteria are all answered
# and only the IT team's answers are awaited (generate --vulnerability-by it).
AWAITING = "_awaiting_it"
REASON = "not_mapped_reason"


def file_reason(f: FileReport, strict: bool) -> str | None:
    """Why no device of ``f`` is mapped (None: each is judged on its own row)."""
    if strict and f.status != "valid":
        return INVALID_FILE
    if any(p.severity == "error" and excludes(p.code) == FILE for p in f.problems):
        return FILE_ERROR
    return None


def row_reasons(f: FileReport) -> dict[str, str]:
    """Per row label (the device id, or a type row's id): the first problem on its own row that
    keeps it out of the map."""
    out: dict[str, str] = {}
    for p in f.problems:
        if p.device_id and excludes(p.code) == DEVICE:
            out.setdefault(p.device_id, p.code)
    return out


def exclude_duplicates(records: list[dict[str, Any]], problems: list[dict[str, Any]]) -> None:
    """A device id returned by several departments (``duplicate-device``) is mapped nowhere."""
    duplicated = {p["device_id"] for p in problems if p["code"] == "duplicate-device"}
    for record in records:
        if record["device_id"] in duplicated and record["included"]:
            record["included"], record[REASON] = False, "duplicate-device"


def own_reason(device_id: str | None, added: bool, label: str, reasons: dict[str, str]) -> str | None:
    """Why a row of a trusted file stays out of the map: a row whose id was deleted cannot be
    matched to what the campaign generated; else its own row's first excluding problem."""
    if not device_id and not added:
        return NO_ID
    return reasons.get(label)


def set_mapped(records: list[dict[str, Any]]) -> None:
    """``mapped`` and ``not_mapped_reason`` of every record, once its answers are final: an
    included device without a risk is not mapped for its row status."""
    for record in records:
        awaiting = record.pop(AWAITING, False)
        record["mapped"] = bool(record["included"]) and record["risk_level"] is not None
        if record["mapped"]:
            record[REASON] = None
        elif record["included"]:
            status = record["status"]
            record[REASON] = AWAITING_IT if awaiting else STATUS_REASONS.get(status, status)
