"""The campaign manifest (campaign.json): reading it, finding a workbook's entry in it, and
checking that a return holds the devices the manifest lists for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import DeviceRow, FileReport


def read_manifest(path: Path) -> dict[str, Any]:
    """A campaign.json, or a clear error (exit code 2)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("workbooks"), list):
            raise ValueError("no workbooks list")
    except (OSError, ValueError) as exc:
        raise MedriskError(
            [Problem("bad-manifest", msg("validate.bad-manifest", error=str(exc)), file=str(path))],
            exit_code=2,
        ) from None
    return data


def workbook_entry(manifest: dict[str, Any], scope: str | None) -> dict[str, Any] | None:
    """The manifest's entry for the workbook of ``scope`` (the first, when several), or None."""
    return next((w for w in manifest.get("workbooks", []) if w.get("scope") == scope), None)


def check_manifest_devices(devices: list[DeviceRow], entry: dict[str, Any], report: FileReport) -> None:
    """Every device of the return is listed for its workbook, and every device listed is there."""
    listed = set(entry.get("device_ids", []))
    found = {device for d in devices for device in (d.covers or (d.device_id,))}
    for d in devices:
        if d.added:
            continue  # a free row: reported as an added device
        if any(device not in listed for device in d.covers or (d.device_id,)):
            report.add(
                problem(
                    "not-in-manifest",
                    msg("validate.not-in-manifest", device=d.device_id, scope=entry.get("scope")),
                    row=d.row or None,
                    device_id=d.device_id,
                )
            )
    for device_id in sorted(listed - found):
        report.add(
            problem(
                "missing-from-return",
                msg("validate.missing-from-return", device=device_id),
                device_id=device_id,
            )
        )
