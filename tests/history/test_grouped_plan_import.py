"""``actions import`` of a grouped plan (issue 28), on the samples' campaign with shared models:
a group row's owner, due date and status reach every device of the row, and the history is the
same as the per-device plan filled the same way; saved through LibreOffice (rows reversed, as a
sort would), consolidated again with ``--db``: the same carried actions, and a group row whose
devices disagree says so. An edited group row is refused and nothing is imported."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support.grouped_plans import MANIFEST, RETURNS, fleet, plan_sheet_rows, shared_models
from support.plans import fill

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.tables import ACTION_STATUS_CODES
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.core.problems import MedriskError
from medrisk_xl.history import carry_forward, import_actions, open_history, record

CAMPAIGN = "demo-2026"


@pytest.fixture(scope="module")
def shared(pack):
    return shared_models(consolidate([RETURNS], manifest=MANIFEST, pack=pack))


def recorded(result, path: Path) -> str:
    target = str(path)
    record(result, target, manifest=MANIFEST)
    return target


def stored(target: str) -> dict[tuple[str, str], tuple]:
    with open_history(target, create=False) as h:
        actions = h.actions(CAMPAIGN)
    return {
        (r["device_id"], r["ref"]): (r["owner"], r["due"], r["status"]) for r in actions.to_dict("records")
    }


def team_values(i: int) -> dict | None:
    """What the team enters on the i-th group row: every fifth left empty."""
    if i % 5 == 4:
        return None
    return {
        "owner": f"Équipe {i % 3}",
        "due": dt.date(2027, 1 + i % 12, 15) if i % 2 == 0 else None,
        "status": ACTION_STATUS_CODES[i % 4],
    }


def fill_groups(src: Path, dst: Path, labels: list[str], reverse: bool = True) -> dict:
    """Fill the group rows with ``team_values``; rows written back in reverse order (a sort).
    Returns (device, ref) -> (owner, due, status code) as the history should keep it."""
    wb = openpyxl.load_workbook(src)
    ws = wb["Plan d'action"]
    cols = {c.value: c.column for c in ws[1]}
    width = ws.max_column
    rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(3, ws.max_row + 1)]
    expected = {}
    for i, values in enumerate(rows):
        team = team_values(i)
        if team is None:
            continue
        values[cols["owner"] - 1] = team["owner"]
        values[cols["due"] - 1] = team["due"]
        values[cols["status"] - 1] = labels[ACTION_STATUS_CODES.index(team["status"])]
        due = team["due"].isoformat() if team["due"] else None
        for device in values[cols["device_ids"] - 1].split(", "):
            expected[(device, values[cols["ref"] - 1])] = (team["owner"], due, team["status"])
    for r, values in enumerate(reversed(rows) if reverse else rows, start=3):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    wb.save(dst)
    return expected


@pytest.mark.libreoffice
def test_a_grouped_plan_round_trips_like_the_per_device_plan(soffice, shared, pack, tmp_path):
    from medrisk_xl.engines.libreoffice import convert

    grouped, per_device = tmp_path / "grouped.xlsx", tmp_path / "device.xlsx"
    write_consolidated(shared, grouped, pack, plan_by="model")
    write_consolidated(shared, per_device, pack, plan_by="device")
    labels = pack.language("fr").ui["consolidated"]["action_status"]
    expected = fill_groups(grouped, tmp_path / "filled.xlsx", labels)
    assert len(expected) > len(Counter(ref for _, ref in expected))  # rows of several devices
    [saved] = convert([tmp_path / "filled.xlsx"], tmp_path / "lo", "ods", recalc=False)
    a, b = recorded(shared, tmp_path / "a.db"), recorded(shared, tmp_path / "b.db")
    done = import_actions(saved, a, pack=pack)
    assert done.stored == len(expected) and done.rows == len(plan_sheet_rows(grouped))
    changes = {key: dict(zip(("owner", "due", "status"), v)) for key, v in expected.items()}
    for change in changes.values():
        change["due"] = dt.date.fromisoformat(change["due"]) if change["due"] else None
    import_actions(fill(per_device, tmp_path / "device-filled.xlsx", changes), b, pack=pack)
    assert stored(a) == stored(b) == expected
    # consolidate --db again: the same actions carried, per device
    again_a, again_b = dataclasses.replace(shared), dataclasses.replace(shared)
    carry_forward(again_a, a, pack=pack, manifest=MANIFEST)
    carry_forward(again_b, b, pack=pack, manifest=MANIFEST)
    assert again_a.carried.equals(again_b.carried) and len(again_a.carried) == len(expected)
    # ... and each group row pre-filled with what the history carried for its devices (all alike)
    carried = {
        (d, ref): (owner, due, status)
        for d, ref, owner, due, status in again_a.carried[
            ["device_id", "ref", "owner", "due", "status"]
        ].itertuples(index=False)
    }
    write_consolidated(again_a, tmp_path / "again.xlsx", pack, plan_by="model")
    filled_rows = 0
    for row in plan_sheet_rows(tmp_path / "again.xlsx"):
        want = {carried.get((d, row["ref"])) for d in row["_ids"]}
        assert len(want) == 1
        owner, due, status = want.pop() or (None, None, None)
        filled_rows += owner is not None
        assert row["owner"] == owner
        assert row["status"] == (
            labels[ACTION_STATUS_CODES.index(status)] if isinstance(status, str) else None
        )
        assert (row["due"].date() if row["due"] else None) == (due if isinstance(due, dt.date) else None)
    assert filled_rows


def test_a_group_row_whose_devices_disagree_says_so_and_leaves_its_status_empty(shared, pack, tmp_path):
    target = recorded(shared, tmp_path / "h.db")
    grouped, per_device = tmp_path / "grouped.xlsx", tmp_path / "device.xlsx"
    write_consolidated(shared, grouped, pack, plan_by="model")
    write_consolidated(shared, per_device, pack, plan_by="device")
    row = next(r for r in plan_sheet_rows(grouped) if r["device_count"] >= 3)
    statuses = ["done", "in_progress", *["done"] * (len(row["_ids"]) - 2)]
    changes = {(d, row["ref"]): {"owner": "DSI", "status": s} for d, s in zip(row["_ids"], statuses)}
    import_actions(fill(per_device, tmp_path / "filled.xlsx", changes), target, pack=pack)
    again = dataclasses.replace(shared)
    carry_forward(again, target, pack=pack, manifest=MANIFEST)
    write_consolidated(again, tmp_path / "again.xlsx", pack, plan_by="model")
    [shown] = [
        r
        for r in plan_sheet_rows(tmp_path / "again.xlsx")
        if r["_ids"] == row["_ids"] and r["ref"] == row["ref"]
    ]
    ui = pack.language("fr").ui["consolidated"]
    words = ui["action_status_words"]
    counts = f"1 {words['in_progress']}, {len(row['_ids']) - 1} {words['done']}"
    assert shown["status"] is None and shown["owner"] == "DSI"
    assert shown["follow_up"] == ui["action_status_mix"].format(counts=counts)
    assert "1 en cours, " in shown["follow_up"] and " fait" in shown["follow_up"]


def _rows(ws) -> tuple[dict, list[int]]:
    cols = {c.value: c.column for c in ws[1]}
    return cols, list(range(3, ws.max_row + 1))


def _text(ws):
    cols, rows = _rows(ws)
    ws.cell(rows[0], cols["action"]).value = "• Rien à faire."
    return "action-changed"


def _one_less(ws):
    cols, rows = _rows(ws)
    r = next(r for r in rows if ws.cell(r, cols["device_count"]).value >= 2)
    ids = ws.cell(r, cols["device_ids"]).value.split(", ")
    ws.cell(r, cols["device_ids"]).value = ", ".join(ids[1:])
    return "action-changed"


def _moved(ws):
    cols, rows = _rows(ws)
    by_action = {}
    for r in rows:
        by_action.setdefault((ws.cell(r, cols["source"]).value, ws.cell(r, cols["ref"]).value), []).append(r)
    a, b = next(
        (a, b)
        for same in by_action.values()
        for a in same
        for b in same
        if a != b and ws.cell(a, cols["device_count"]).value >= 2
    )
    ids = ws.cell(a, cols["device_ids"]).value.split(", ")
    ws.cell(a, cols["device_ids"]).value = ", ".join(ids[1:])
    ws.cell(b, cols["device_ids"]).value += f", {ids[0]}"
    return "device-moved", a, b


def _duplicate(ws):
    _, rows = _rows(ws)
    for c in range(1, ws.max_column + 1):
        ws.cell(rows[-1] + 1, c).value = ws.cell(rows[0], c).value
    return "duplicate-action"


def _invented(ws):
    cols, rows = _rows(ws)
    ws.cell(rows[0], cols["department"]).value = "Service inconnu"
    return "invented-action"


@pytest.mark.parametrize("edit", [_text, _one_less, _moved, _duplicate, _invented])
def test_an_edited_group_row_is_refused_and_nothing_is_imported(edit, shared, pack, tmp_path):
    target = recorded(shared, tmp_path / "h.db")
    plan = tmp_path / "grouped.xlsx"
    write_consolidated(shared, plan, pack, plan_by="model")
    wb = openpyxl.load_workbook(plan)
    ws = wb["Plan d'action"]
    cols, rows = _rows(ws)
    for r in rows:
        ws.cell(r, cols["status"]).value = "Fait"
    what = edit(ws)
    wb.save(plan)
    with pytest.raises(MedriskError) as err:
        import_actions(plan, target, pack=pack)
    codes = {p.code for p in err.value.problems if p.severity == "error"}
    code = what if isinstance(what, str) else what[0]
    assert code in codes, err.value.problems
    if code == "device-moved":
        [moved] = [p for p in err.value.problems if p.code == "device-moved"]
        assert moved.row == what[2] and f"from row {what[1]} " in moved.message
    assert stored(target) == {}


def test_meta_says_grouped(shared, pack, tmp_path):
    plan = tmp_path / "grouped.xlsx"
    write_consolidated(shared, plan, pack, plan_by="department")
    meta = dict(openpyxl.load_workbook(plan, read_only=True)["_meta"].iter_rows(values_only=True))
    assert meta["plan_by"] == "department" and json.loads(meta["action_sheets"]) == ["Plan d'action"]


def test_a_group_cut_in_its_cell_imports_for_every_device_and_its_full_list_is_checked(
    shared, pack, tmp_path
):
    result = fleet(shared, n=4000, same_group=True, long_ids=True)
    target = str(tmp_path / "h.db")
    record(result, target)
    plan = tmp_path / "grouped.xlsx"
    write_consolidated(result, plan, pack, plan_by="model")
    wb = openpyxl.load_workbook(plan)
    ws = wb["Plan d'action"]
    cols, rows = _rows(ws)
    r = next(r for r in rows if "… (+" in ws.cell(r, cols["device_ids"]).value)
    ws.cell(r, cols["status"]).value = "Fait"
    ref, count = ws.cell(r, cols["ref"]).value, ws.cell(r, cols["device_count"]).value
    wb.save(plan)
    done = import_actions(plan, target, pack=pack)
    want = {
        d
        for d, level, items in zip(
            result.register["device_id"],
            result.register["risk_level"],
            result.register["non_compliant_items"],
        )
        if (not pd.isna(level) and level == ws.cell(r, cols["risk_level"]).value)
        or (isinstance(items, str) and ref in items.split(", "))
    }
    assert done.stored == count and {d for d, rf in stored(target) if rf == ref} <= want
    hidden = wb["_plan_devices"]
    hidden.cell(1, 7).value = hidden.cell(1, 7).value.split(", ", 1)[1]  # one device less
    wb.save(plan)
    with pytest.raises(MedriskError) as err:
        import_actions(plan, target, pack=pack)
    assert [p.sheet for p in err.value.problems if p.code == "action-changed"] == ["_plan_devices"]
