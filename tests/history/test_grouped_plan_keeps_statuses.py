"""A grouped plan's row whose devices disagreed is written with an empty status (issue 28); imported
untouched, each device keeps its own previous status, not nothing. Through the command line:
``consolidate --db`` of a per-device plan filled and imported, ``consolidate --db --plan-by
department`` again, the grouped plan saved by another program with one row untouched, one given
only an owner and one given a status, ``actions import``, and the history read per device."""

# ruff: noqa: F811 (a test's parameters name the fixtures imported from history_db)

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from support.grouped_plans import MANIFEST, RETURNS, plan_sheet_rows
from support.history_db import run  # noqa: F401 (fixture)
from support.plans import fill

from medrisk_xl.consolidate import consolidate as lib_consolidate
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.history import carry_forward, import_actions, open_history, record

CAMPAIGN = "demo-2026"
STATUSES = ("in_progress", "todo", "not_applicable")


def consolidate(run, db: str, out: Path, plan_by: str) -> str:
    res = run(
        "consolidate",
        str(RETURNS),
        "--manifest",
        str(MANIFEST),
        "-o",
        str(out),
        "--db",
        db,
        "--plan-by",
        plan_by,
    )
    assert res.exit_code == 0, res.output
    return res.output


def per_device(db: str) -> dict[tuple[str, str], tuple]:
    with open_history(db, create=False) as h:
        rows = h.actions(CAMPAIGN).to_dict("records")
    return {(r["device_id"], r["ref"]): (r["owner"], r["due"], r["status"]) for r in rows}


def save(src: Path, dst: Path, soffice: str | None) -> Path:
    """The plan saved by another program: openpyxl, or LibreOffice (to .xlsx)."""
    if soffice is None:
        openpyxl.load_workbook(src).save(dst)
        return dst
    from medrisk_xl.engines.libreoffice import convert

    [saved] = convert([src], dst.parent / "lo", "xlsx", recalc=False)
    return saved


@pytest.mark.parametrize("program", ["openpyxl", pytest.param("libreoffice", marks=pytest.mark.libreoffice)])
def test_an_untouched_group_row_keeps_each_devices_status(program, run, pack, tmp_path, request):
    soffice = request.getfixturevalue("soffice") if program == "libreoffice" else None
    db = str(tmp_path / "h.db")
    consolidate(run, db, tmp_path / "first.xlsx", "department")
    untouched, owner_only, status_given = [
        r for r in plan_sheet_rows(tmp_path / "first.xlsx") if r["device_count"] >= 3
    ][:3]
    consolidate(run, db, tmp_path / "device.xlsx", "device")
    changes, due = {}, "2027-03-31"
    for row in (untouched, owner_only, status_given):
        for i, device in enumerate(row["_ids"]):
            changes[(device, row["ref"])] = {"owner": f"Biomed {i % 2}", "status": STATUSES[i % 3]}
    for device in untouched["_ids"][:1]:
        changes[(device, untouched["ref"])]["due"] = dt.date.fromisoformat(due)
    res = run(
        "actions",
        "import",
        str(fill(tmp_path / "device.xlsx", tmp_path / "filled.xlsx", changes)),
        "--db",
        db,
    )
    assert res.exit_code == 0, res.output
    before = per_device(db)
    assert len(before) == len(changes)

    consolidate(run, db, tmp_path / "grouped.xlsx", "department")
    shown = {(r["ref"], r["device_ids"]): r for r in plan_sheet_rows(tmp_path / "grouped.xlsx")}
    for row in (untouched, owner_only, status_given):
        again = shown[(row["ref"], row["device_ids"])]
        assert again["status"] is None and again["owner"] is None and "en cours" in again["follow_up"]
    wb = openpyxl.load_workbook(tmp_path / "grouped.xlsx")
    ws = wb["Plan d'action"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(3, ws.max_row + 1):
        key = (ws.cell(r, cols["ref"]).value, ws.cell(r, cols["device_ids"]).value)
        if key == (owner_only["ref"], owner_only["device_ids"]):
            ws.cell(r, cols["owner"]).value = "Cellule cyber"
        if key == (status_given["ref"], status_given["device_ids"]):
            ws.cell(r, cols["status"]).value = "Fait"
    wb.save(tmp_path / "edited.xlsx")
    plan = save(tmp_path / "edited.xlsx", tmp_path / "saved.xlsx", soffice)
    digest = hashlib.sha256(plan.read_bytes()).hexdigest()
    res = run("actions", "import", str(plan), "--db", db)
    assert res.exit_code == 0, res.output
    kept = len(untouched["_ids"]) + len(owner_only["_ids"])
    assert f"{kept} of them kept their device's previous status" in res.output
    assert hashlib.sha256(plan.read_bytes()).hexdigest() == digest  # the input is never modified

    expected = dict(before)
    for device in owner_only["_ids"]:
        owner, when, status = before[(device, owner_only["ref"])]
        expected[(device, owner_only["ref"])] = ("Cellule cyber", when, status)
    for device in status_given["_ids"]:
        owner, when, _ = before[(device, status_given["ref"])]
        expected[(device, status_given["ref"])] = (owner, when, "done")
    assert per_device(db) == expected
    assert before[(untouched["_ids"][0], untouched["ref"])][1] == due
    assert {before[(d, untouched["ref"])][2] for d in untouched["_ids"]} == set(STATUSES)
    shutil.rmtree(tmp_path / "lo", ignore_errors=True)


def test_the_next_campaigns_untouched_group_row_keeps_what_each_device_carried(pack, tmp_path):
    """From the previous campaign: open and not-applicable statuses are kept per device; an item
    done but still non-compliant (second look) keeps none, as its per-device row would."""
    first = lib_consolidate([RETURNS], manifest=MANIFEST, pack=pack)
    db = str(tmp_path / "h.db")
    record(first, db, manifest=MANIFEST)
    write_consolidated(first, tmp_path / "first.xlsx", pack, plan_by="department")
    write_consolidated(first, tmp_path / "device.xlsx", pack, plan_by="device")
    row = next(
        r for r in plan_sheet_rows(tmp_path / "first.xlsx") if r["device_count"] >= 4 and r["ref"][0] == "V"
    )
    statuses = [*STATUSES, *["done"] * (len(row["_ids"]) - 3)]
    changes = {(d, row["ref"]): {"owner": "DSI", "status": s} for d, s in zip(row["_ids"], statuses)}
    import_actions(fill(tmp_path / "device.xlsx", tmp_path / "filled.xlsx", changes), db, pack=pack)

    manifest = {
        **json.loads(MANIFEST.read_text(encoding="utf-8")),
        "campaign": "demo-2027",
        "created": "2027-01-15",
    }
    second = dataclasses.replace(first, campaign="demo-2027")
    record(second, db, manifest=manifest)
    carry_forward(second, db, pack=pack, manifest=manifest)
    write_consolidated(second, tmp_path / "second.xlsx", pack, plan_by="department")
    plan = save(tmp_path / "second.xlsx", tmp_path / "saved.xlsx", None)
    done = import_actions(plan, db, pack=pack)
    assert done.kept == 3
    with open_history(db, create=False) as h:
        rows = h.actions("demo-2027").to_dict("records")
    assert {(r["device_id"], r["ref"]): (r["owner"], r["status"]) for r in rows} == {
        (d, row["ref"]): ("DSI", s) for d, s in zip(row["_ids"], STATUSES)
    }
