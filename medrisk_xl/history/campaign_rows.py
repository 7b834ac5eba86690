"""What recording a consolidation writes, prepared before its transaction starts: the campaign
it records as (from the manifest or the returns), and its campaign, file, device and problem rows."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.source_names import named_for_output
from medrisk_xl.consolidate.tables import FILE_COLUMNS, PROBLEM_COLUMNS, REGISTER_COLUMNS, Consolidation
from medrisk_xl.core.version import __version__
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.db_schema import (
    BOOL_REGISTER_COLUMNS,
    COVERAGE_KEY,
    DEVICE_COLUMN_NAMES,
    FILE_COLUMN_NAMES,
    INT_REGISTER_COLUMNS,
    OPTIONAL_BOOL_REGISTER_COLUMNS,
    PROBLEM_COLUMN_NAMES,
)
from medrisk_xl.history.stored_values import file_digest, is_missing, utc_now_text
from medrisk_xl.history.target import history_error
from medrisk_xl.validate import read_manifest


def load_manifest(manifest: str | os.PathLike[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    """The campaign manifest (campaign.json) given as a path or as its contents; ``{}`` for none."""
    if manifest is None:
        return {}
    if isinstance(manifest, Mapping):
        return dict(manifest)
    return read_manifest(Path(manifest))


def campaign_id(
    result: Consolidation, manifest: Mapping[str, Any] | None = None, campaign: str | None = None
) -> str:
    """The campaign a consolidation records as: ``campaign``, else the manifest's, else the one
    campaign its returns belong to."""
    if campaign:
        return campaign
    if manifest and manifest.get("campaign"):
        return str(manifest["campaign"])
    used = result.files[result.files["used"].astype(bool)]
    found = sorted({str(c) for c in used["campaign"].tolist() if not is_missing(c)})
    if len(found) == 1:
        return found[0]
    if found:
        raise history_error(
            "several-campaigns",
            f"the returns belong to several campaigns ({', '.join(found)}): consolidate and record them "
            "one campaign at a time",
        )
    raise history_error(
        "no-campaign", "no campaign id: the returns name none (pass the campaign's campaign.json)"
    )


@dataclass
class CampaignRows:
    """The rows of one recording, by table."""

    campaign: dict[str, Any]
    files: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    problems: list[dict[str, Any]]


def _column_values(series: pd.Series, kind: str) -> list[Any]:
    """A pandas column as Python values for the driver: ``None`` for missing."""
    values = series.tolist()
    if kind == "int":
        return [None if is_missing(v) else int(v) for v in values]
    if kind == "bool":
        return [bool(v) if not is_missing(v) else False for v in values]
    if kind == "optional-bool":
        return [None if is_missing(v) else bool(v) for v in values]
    return [None if is_missing(v) else str(v) for v in values]


def _table_rows(
    frame: pd.DataFrame, names: Mapping[str, str], kinds: Mapping[str, str], campaign: str
) -> list[dict[str, Any]]:
    """One dict per row of ``frame``: the campaign, the row's position and its columns renamed."""
    columns = {names[c]: _column_values(frame[c], kinds.get(c, "text")) for c in names}
    keys = ["campaign", "position", *columns]
    return [dict(zip(keys, (campaign, i, *row))) for i, row in enumerate(zip(*columns.values(), strict=True))]


def _digest_or_none(path: str) -> tuple[str | None, int | None]:
    """A return's SHA-256 and size, or ``(None, None)`` when it can no longer be read."""
    try:
        return file_digest(path)
    except OSError:
        return None, None


def _campaign_row(
    result: Consolidation, name: str, manifest: dict[str, Any], pack: Any | None
) -> dict[str, Any]:
    """The campaign table's row: dates and content from the manifest (else the pack), and counts."""
    content = dict(manifest.get("content") or {})
    if not content and pack is not None:
        content = {"id": pack.method.id, "version": pack.method.version, "hash": pack.hash}
    register, probs = result.register, result.problems
    in_map = (
        int((register["included"].astype(bool) & register["risk_level"].notna()).sum())
        if len(register)
        else 0
    )
    errors = int((probs["severity"] == "error").sum()) if len(probs) else 0
    return {
        "campaign": name,
        "created": manifest.get("created"),
        "deadline": manifest.get("deadline"),
        "recorded_at": utc_now_text(),
        "recorded_by": __version__,
        "language": manifest.get("language") or result.language,
        "content_id": content.get("id"),
        "content_version": content.get("version"),
        "content_hash": content.get("hash"),
        "generator_version": (manifest.get("generator") or {}).get("version"),
        "devices": len(register),
        "devices_in_map": in_map,
        "files": len(result.files),
        "problems": len(probs),
        "errors": errors,
        "accounting": json.dumps(_accounting(result), ensure_ascii=False, default=str),
    }


def _accounting(result: Consolidation) -> dict[str, Any]:
    """What the campaign row keeps as JSON: the accounting, and the coverage against the manifest
    (``COVERAGE_COLUMNS`` records, for ``history trend``) when there was one."""
    if result.coverage is None:
        return result.accounting
    coverage = result.coverage.astype(object).where(result.coverage.notna(), None)
    return result.accounting | {COVERAGE_KEY: coverage.to_dict("records")}


def campaign_rows(
    result: Consolidation, name: str, manifest: dict[str, Any], pack: Any | None
) -> CampaignRows:
    """Everything a recording writes, prepared before its transaction starts."""
    read_at = result.files["file"].tolist()  # where each file was read, to digest it
    result = named_for_output(result)
    where = dict(zip(result.files["file"].tolist(), read_at))
    campaign = _campaign_row(result, name, manifest, pack)
    device_kinds = {c: "int" for c in INT_REGISTER_COLUMNS} | {c: "bool" for c in BOOL_REGISTER_COLUMNS}
    device_kinds |= {c: "optional-bool" for c in OPTIONAL_BOOL_REGISTER_COLUMNS}
    file_kinds = {c: "int" for c in schema.FILE_INT_COLUMNS} | {"used": "bool"}
    file_rows = _table_rows(result.files.reindex(columns=FILE_COLUMNS), FILE_COLUMN_NAMES, file_kinds, name)
    for row in file_rows:
        row["sha256"], row["size"] = _digest_or_none(where.get(row["file"], row["file"]))
    return CampaignRows(
        campaign=campaign,
        files=file_rows,
        devices=_table_rows(
            result.register.reindex(columns=REGISTER_COLUMNS), DEVICE_COLUMN_NAMES, device_kinds, name
        ),
        problems=_table_rows(
            result.problems.reindex(columns=PROBLEM_COLUMNS), PROBLEM_COLUMN_NAMES, {"row": "int"}, name
        ),
    )
