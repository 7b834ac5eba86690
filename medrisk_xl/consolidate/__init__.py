"""Consolidate a campaign: every return read and checked by ``validate``, turned into the
prioritised register of the fleet (pandas tables), its problems and the files' fate.

Every device row of every readable return lands in the register exactly once (``included``
tells whether it counts in the map); superseded and unreadable files are listed in the files
table, and ``Consolidation.accounting`` says how many rows came in and where each went.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.coverage import coverage_table
from medrisk_xl.consolidate.hazards import hazard_table, proposed_records, register_records
from medrisk_xl.consolidate.inclusion import (
    REASON,
    exclude_duplicates,
    file_reason,
    own_reason,
    row_reasons,
    set_mapped,
)
from medrisk_xl.consolidate.it_answers import (
    CRITERIA_DONE,
    MATCHES,
    SOURCE_IT,
    apply_it_answers,
    department_sources,
    finish_records,
    models_without_network,
    refresh_to_confirm,
    result_fields,
)
from medrisk_xl.consolidate.tables import (
    CRITERIA,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    IDENTITY_FIELDS,
    ITEMS,
    MAP_COLUMNS,
    PLAN_BY,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)
from medrisk_xl.core.matching import INVALID
from medrisk_xl.core.message_templates import text_in
from medrisk_xl.core.problems import msg
from medrisk_xl.method.output_columns import SOURCE_COLUMNS
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.validate import FileReport, Report, problem_dict, read_manifest, validate
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.shown import SCORED

STATUS = {"empty": "not_started", contract.STATUS_INVALID: "invalid"}


def consolidate(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    pack: ContentPack | None = None,
    include_invalid: bool = False,
    lang: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    plan_by: str = "model",
    strict: bool = False,
) -> Consolidation:
    """Read, check and consolidate the returns found in ``paths`` (files or folders); ``plan_by``
    (model, department or device) is how the workbook's action plan will group its rows;
    ``strict``: any error in a file keeps all its devices out of the map (else each device is
    judged on its own row, :mod:`medrisk_xl.core.inclusion_rules`)."""
    if plan_by not in PLAN_BY:
        raise ValueError(f"plan_by must be one of {', '.join(PLAN_BY)}, not {plan_by!r}")
    pack = pack or load_pack()
    language = pack.language(lang)
    man = read_manifest(Path(manifest)) if manifest else None
    paths = list(paths)
    report = validate(paths, manifest=manifest, pack=pack, progress=progress, jobs=jobs, keep_rows=True)
    used, superseded = _pick_returns(report.files)
    rows_in = _rows_in(report, used, superseded)
    records, problems, waiting = _records(report, used, pack, language, include_invalid, strict)
    for f in report.files:  # every device row is in the records: let go of them (50,000 rows)
        f.rows = []
    register = _register(records)
    del records  # the register holds them now
    files = pd.DataFrame([_file_row(f, used, superseded) for f in report.files], columns=FILE_COLUMNS)
    campaigns = sorted({f.campaign for f in report.files if f.campaign})
    hazard_records = [
        record
        for f in report.files
        if f.path in used and (f.status == "valid" or include_invalid or file_reason(f, strict) is None)
        for record in register_records(f, _department(f), pack, language)
    ]
    scored = register[register["included"] & register["risk_level"].notna()]
    hazards = hazard_table(hazard_records + proposed_records(scored, pack, language))
    return Consolidation(
        register=register,
        problems=pd.DataFrame(said_in(problems, language.code), columns=PROBLEM_COLUMNS),
        files=files,
        follow_up=_follow_up(man, report.files, used) if man else None,
        follow_up_devices=_device_follow_up(man, report.files, used, register) if man else None,
        campaign=", ".join(campaigns) or None,
        language=language.code,
        accounting=_accounting(report, used, superseded, register, hazards, rows_in)
        | ({"devices_awaiting_it": waiting} if waiting is not None else {})
        | _network_count(report, pack),
        hazards=hazards,
        plan_by=plan_by,
        strict=strict,
        coverage=coverage_table(man, register, any(f.kind == "it" for f in report.files)) if man else None,
        given=tuple(str(p) for p in paths),
    )


def _records(
    report: Report, used: set[str], pack: ContentPack, language: Language, include_invalid: bool, strict: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int | None]:
    """The register's records of the returns used, the IT team's answers applied, every problem
    (the files', duplicated devices', the IT answers'), and how many devices wait for the IT
    team's answers (their department having answered every criterion; None when no return
    leaves the vulnerability items to the IT team)."""
    records: list[dict[str, Any]] = []
    for f in report.files:
        if f.path in used:
            records += _file_records(f, pack, language, include_invalid, strict)
    problems = [_problem_row(f.path, p) for f in report.files for p in f.problems]
    problems += _duplicates(records)
    if not include_invalid:
        exclude_duplicates(records, problems)
    problems += apply_it_answers(records, [f for f in report.files if f.kind == "it"], pack, language)
    problems = refresh_to_confirm(problems, records)
    waiting = finish_records(records, pack)
    set_mapped(records)
    return records, problems, waiting


def _rows_in(report: Report, used: set[str], superseded: dict[str, str]) -> dict[str, int]:
    """How many device rows came in, went to the register and were superseded (counted before
    the rows are let go)."""
    return {
        "rows_in": sum(len(f.rows) for f in report.files),
        "rows_in_register": sum(len(f.rows) for f in report.files if f.path in used),
        "rows_superseded": sum(len(f.rows) for f in report.files if f.path in superseded),
    }


def _accounting(
    report: Report,
    used: set[str],
    superseded: dict[str, str],
    register: pd.DataFrame,
    hazards: pd.DataFrame,
    rows_in: dict[str, int],
) -> dict[str, Any]:
    """How many files and rows came in (``rows_in``: see :func:`_rows_in`), and where each went."""
    mapped = register["included"] & register["risk_level"].notna()
    return {
        "files": len(report.files),
        "files_used": len(used),
        "files_superseded": len(superseded),
        "files_unreadable": sum(1 for f in report.files if f.status == "unreadable"),
        "files_skipped": len(report.skipped),
        **rows_in,
        "devices_in_register": len(register),
        "devices_in_map": int(mapped.sum()),
        "register_rows_in": sum(len(f.register) for f in report.files),
        "register_rows_mapped": int((hazards["origin"] == "register").sum()),
        "it_files": sum(1 for f in report.files if f.kind == "it"),
        "it_answers_applied": int((register[list(SOURCE_COLUMNS)] == SOURCE_IT).to_numpy().sum()),
        "devices_provisional": int((mapped & register["risk_provisional"].fillna(False).astype(bool)).sum()),
    }


def _network_count(report: Report, pack: ContentPack) -> dict[str, int]:
    """With IT workbooks: how many models the IT team says have no network connection."""
    it_files = [f for f in report.files if f.kind == "it"]
    return {"it_models_without_network": models_without_network(it_files, pack)} if it_files else {}


def _department(f: FileReport) -> str | None:
    return f.meta.get(contract.Meta.DEPARTMENT) or f.department


def _saved_key(f: FileReport) -> tuple[str, float]:
    """Newest first: the workbook's own save time, then the file's modification time."""
    try:
        mtime = os.stat(f.path).st_mtime
    except OSError:
        mtime = 0.0
    return (f.saved or "", mtime)


def _pick_returns(files: list[FileReport]) -> tuple[set[str], dict[str, str]]:
    """The file used for each department (the newest return), and the others -> the one used."""
    groups: dict[tuple, list[FileReport]] = defaultdict(list)
    for f in files:
        if f.status != "unreadable" and f.meta and f.kind != "it":
            groups[(f.campaign, f.meta.get(contract.Meta.SCOPE), f.meta.get(contract.Meta.LAYOUT))].append(f)
    used: set[str] = set()
    superseded: dict[str, str] = {}
    for group in groups.values():
        group.sort(key=_saved_key, reverse=True)
        used.add(group[0].path)
        superseded |= {f.path: group[0].path for f in group[1:]}
    return used, superseded


def _file_records(
    f: FileReport, pack: ContentPack, language: Language, include_invalid: bool, strict: bool
) -> list[dict[str, Any]]:
    """One register record per device of a used file (a type row: one per device it covers),
    each included in the map or not with its reason."""
    m = pack.method
    whole_file, own = file_reason(f, strict), row_reasons(f)
    asks_items = contract.vulnerability_by(f.meta) == contract.VULNERABILITY_BYS[0]
    out = []
    for d in f.rows:
        view, r = d.view, d.view.result
        scored = view.status in SCORED and asks_items  # else: scored once the IT team has answered
        record: dict[str, Any] = {col: None for col in REGISTER_COLUMNS}
        for code, column in IDENTITY_FIELDS.items():
            value = d.identity.get(code)
            record[column] = None if value in (None, "") else str(value)
        record["department"] = record["department"] or f.meta.get(contract.Meta.DEPARTMENT) or f.department
        record["site"] = record["site"] or f.meta.get(contract.Meta.SITE) or None
        record["ce_class"] = d.identity.get("CE_CLASS") or None
        _answer_fields(record, view.matches, pack, language)
        if scored:
            record.update(result_fields(r))
        record["status"] = STATUS.get(view.status, view.status)
        if not asks_items:  # the criteria only: incomplete until the IT team's answers complete it
            record[CRITERIA_DONE] = view.status in SCORED
            record["status"] = "incomplete" if view.status in SCORED else record["status"]
        record["source_file"] = f.path
        record["unknown_items"] = ", ".join(r.unknown_items) or None
        record["non_compliant_items"] = ", ".join(r.non_compliant_items) or None
        record["added"] = d.added
        reason = whole_file or own_reason(record["device_id"], d.added, d.device_id, own)
        if include_invalid:
            reason = "invalid-answer" if view.status == contract.STATUS_INVALID else None
        record["included"], record[REASON] = reason is None, reason
        record["sheet"], record["row"] = d.sheet, d.row or None
        kept = {c for c, i in view.prefilled.items() if view.matches.get(c) == i}
        department_sources(record, kept, d.carried)
        record["carried_over"] = ", ".join(c for c in m.codes if c in kept and c in d.carried) or None
        record["reviewed"] = view.reviewed
        record["device_status"], record["device_note"] = d.status, d.note
        if len(d.covers) > 1 or (d.covers and d.covers[0] != d.device_id):
            for device in d.covers:  # a type assessment, inherited by every device of the type
                out.append(
                    {
                        **record,
                        "device_id": device,
                        "type_assessment": d.device_id,
                        MATCHES: dict(view.matches),
                    }
                )
        else:
            out.append({**record, MATCHES: dict(view.matches)})
    return out


def _answer_fields(record: dict[str, Any], matches: dict, pack: ContentPack, language: Language) -> None:
    """A record's criteria points, and its items as 0/1 (1: non-compliant) with their labels."""
    m = pack.method
    for code in CRITERIA:
        match = matches.get(code)
        record[code] = m.answer_points(code)[match] if isinstance(match, int) else None
    for code in ITEMS:
        match = matches.get(code)
        if isinstance(match, int):
            record[code] = 0 if m.vuln_answers[match].compliant else 1
            record[f"{code}_answer"] = language.option_labels[code][match]
        elif match == INVALID:
            record[f"{code}_answer"] = None


def _register(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The register, sorted by priority (risk, criticality, vulnerability; unscored last)."""
    register = pd.DataFrame(records, columns=[*REGISTER_COLUMNS, *MAP_COLUMNS])
    int_columns = [*CRITERIA, *ITEMS, "criticality_score", "criticality_level"]
    int_columns += ["vulnerability_score", "vulnerability_level", "risk_level", "row"]
    for column in int_columns:
        register[column] = pd.array(register[column], dtype="Int64")
    for column in ("added", "included", "mapped"):
        register[column] = register[column].astype(bool)
    for column in ("risk_provisional", "reviewed"):
        register[column] = pd.array(register[column], dtype="boolean")
    register = register.sort_values(
        ["included", "risk_level", "criticality_score", "vulnerability_score", "department", "device_id"],
        ascending=[False, False, False, False, True, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    ranked = register["included"] & register["risk_level"].notna()
    register["priority"] = pd.array([pd.NA] * len(register), dtype="Int64")
    register.loc[ranked, "priority"] = range(1, int(ranked.sum()) + 1)
    return register


def _duplicates(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same device id returned by two departments: an error listing both."""
    seen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if record["device_id"]:
            seen[record["device_id"]].append(record)
    problems = []
    for device, found in seen.items():
        departments = sorted({str(r["department"]) for r in found})
        if len(departments) > 1:
            where = "; ".join(f"{r['department']} ({Path(r['source_file']).name})" for r in found)
            problems.append(
                {
                    "file": found[0]["source_file"],
                    "code": "duplicate-device",
                    "severity": "error",
                    "sheet": None,
                    "cell": None,
                    "row": None,
                    "device_id": device,
                    "message": msg("consolidate.duplicate-device", device=device, where=where),
                }
            )
    return problems


def _problem_row(path: str, p) -> dict[str, Any]:
    """A file's problem as a row of the problem table, its message still a template (``said_in``)."""
    return {"file": path, **problem_dict(p), "message": p.template or p.message}


def said_in(problems: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The problem rows with their messages rendered in ``lang`` (the consolidation's language)."""
    return [{**p, "message": text_in(p["message"], lang)} for p in problems]


def _file_row(f: FileReport, used: set[str], superseded: dict[str, str]) -> dict[str, Any]:
    saved = f.saved
    if not saved:
        try:
            saved = dt.datetime.fromtimestamp(os.stat(f.path).st_mtime).isoformat(timespec="seconds")
        except OSError:
            saved = None
    counts = {k: f.devices.get(k, 0) for k in FILE_COLUMNS[7:]}
    return {
        "file": f.path,
        "campaign": f.campaign,
        "department": f.department,
        "status": f.status,
        "used": f.path in used,
        "superseded_by": superseded.get(f.path),
        "saved": saved,
        **counts,
    }


def _follow_up(manifest: dict, files: list[FileReport], used: set[str]) -> pd.DataFrame:
    """Per department of the manifest: expected, returned, valid, and completion."""
    by_scope = {f.meta.get(contract.Meta.SCOPE): f for f in files if f.path in used}
    rows = []
    for entry in manifest.get("workbooks", []):
        f = by_scope.get(entry.get("scope"))
        expected = len(entry.get("device_ids", []))
        done = (f.devices.get("complete", 0) + f.devices.get("to_confirm", 0)) if f else 0
        total = f.devices.get("total", 0) if f else 0
        rows.append(
            {
                "department": entry.get("scope"),
                "expected": True,
                "returned": f is not None,
                "valid": bool(f and f.status == "valid"),
                "devices_expected": expected,
                "devices_returned": total,
                "completion": round(done / expected, 3) if expected else None,
            }
        )
    return pd.DataFrame(rows, columns=FOLLOW_UP_COLUMNS)


def _device_follow_up(
    manifest: dict, files: list[FileReport], used: set[str], register: pd.DataFrame
) -> pd.DataFrame:
    """The devices the manifest expects but no used return holds (its workbook not returned, or
    its row not found), then the devices added in free rows, then the devices of the returns that
    are not in the map with the reason; in manifest and register order."""
    by_scope = {f.meta.get(contract.Meta.SCOPE): f.path for f in files if f.path in used}
    found: dict[str, set[str]] = defaultdict(set)
    for device, source in zip(register["device_id"].tolist(), register["source_file"].tolist()):
        found[source].add(device)
    rows = []
    for entry in manifest.get("workbooks", []):
        path = by_scope.get(entry.get("scope"))
        change = "not_in_return" if path else "not_returned"
        for device in entry.get("device_ids", []):
            if device not in found.get(path, ()):
                rows.append(
                    {
                        "device_id": device,
                        "department": entry.get("department") or entry.get("scope"),
                        "designation": None,
                        "change": change,
                        "source_file": path,
                    }
                )
    added = register[register["added"]]
    for record in added[["device_id", "department", "designation", "source_file"]].to_dict("records"):
        rows.append({**record, "change": "added"})
    out = register[~register["mapped"]]
    for record in out[["device_id", "department", "designation", "source_file", REASON]].to_dict("records"):
        rows.append({**record, "change": "not_mapped", "reason": record.pop(REASON)})
    return pd.DataFrame(rows, columns=FOLLOW_UP_DEVICE_COLUMNS)
