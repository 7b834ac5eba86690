"""The team's own actions (issue 28): a row the team adds to the action plan ("Demander le MDS2 au
fabricant"), with its devices, a text, an owner, a due date and a status, is imported as the team's
own (``team`` in the history, its text kept, its ref ``TEAM-`` and a hash of the text), carried
into the next campaign's plan while open, read back from it, and counted by ``compare`` when done.

On the samples' campaign (demo-2026) and the next one (demo-2027, ``next_campaign.py``), against
SQLite and PostgreSQL like the other history tests. The plans are filled with openpyxl as a team
would (and once saved again by LibreOffice); every check reads what was stored, written or said.
A row that claims to be a generated action but is not stays ``invented-action``; a team row with
an unknown device or no text is refused, the cell named, nothing imported."""

# ruff: noqa: F811 (a test's parameters name the fixtures imported from history_db)

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from support.history_db import campaigns, db, db_engine, dump_tables, pg_server, run  # noqa: F401 (fixtures)
from support.next_campaign import CAMPAIGN, MANIFEST
from support.plans import fill, plan_table

from medrisk_xl.consolidate.tables import ACTION_STATUS_CODES
from medrisk_xl.consolidate.team_actions import team_ref
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.core.problems import MedriskError
from medrisk_xl.history import SCHEMA_VERSION, carry_forward, compare, import_actions, open_history, record
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.compare import write_comparison

FIRST = "demo-2026"
SHEET = "Plan d'action"
MDS2 = "Demander le MDS2 au fabricant"
TRAINING = "Former l'équipe à l'usage sûr\ndes pompes"
DUE = dt.date(2027, 3, 31)


# -- a plan as the team fills it ---------------------------------------------------------------------


def labels_of(wb: openpyxl.Workbook) -> dict[str, str]:
    """Status code -> the plan's own dropdown text."""
    meta = dict(wb["_meta"].iter_rows(values_only=True))
    return dict(zip(ACTION_STATUS_CODES, json.loads(meta["action_status"])))


def add_rows(src: Path, dst: Path, rows: list[dict], edit=None) -> dict[str, int]:
    """Write ``rows`` ({column code: value}; ``status`` as a code) below the plan's last row, as a
    team adds its own actions; ``edit(ws, cols)`` then changes anything else. Returns where each
    row went: its first cell's row number, by position."""
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    cols = {c.value: c.column for c in ws[1]}
    labels = labels_of(wb)
    first = ws.max_row + 1
    for r, row in enumerate(rows, start=first):
        for code, value in row.items():
            ws.cell(r, cols[code]).value = labels[value] if code == "status" and value else value
    if edit:
        edit(ws, cols)
    wb.save(dst)
    return {"first": first, **cols}


def stored(target: str, campaign: str) -> dict[tuple[str, str], dict]:
    with open_history(target, create=False) as h:
        actions = h.actions(campaign)
    return {(r["device_id"], r["ref"]): r for r in actions.to_dict("records")}


def team_stored(target: str, campaign: str) -> dict[tuple[str, str], tuple]:
    """The team's own actions stored: (device, ref) -> (text, owner, due, status)."""
    return {
        k: (r["text"], r["owner"], r["due"], r["status"])
        for k, r in stored(target, campaign).items()
        if r["team"]
    }


def refused(path: Path, target: str, pack) -> list:
    with pytest.raises(MedriskError) as err:
        import_actions(path, target, pack=pack)
    return [p for p in err.value.problems if p.severity == "error"]


@dataclasses.dataclass
class Devices:
    """Devices of demo-2026 chosen for the team's rows."""

    kept: list[str]  # mapped in demo-2026, still in demo-2027
    unmapped: str  # in the register, no action plan (low risk or not in the map)
    removed: str  # not in demo-2027
    urgences: list[str]  # every device of Urgences


@pytest.fixture(scope="module")
def devices(campaigns) -> Devices:
    reg = campaigns.first.register
    second = set(campaigns.second.register["device_id"])
    mapped = reg["included"].astype(bool) & reg["risk_level"].isin([2, 3])
    kept = [d for d in reg.loc[mapped, "device_id"] if d in second]
    unmapped = next(d for d in reg.loc[~mapped, "device_id"] if d in second)
    urgences = list(dict.fromkeys(reg.loc[reg["department"] == "Urgences", "device_id"]))
    return Devices(kept[:3], unmapped, campaigns.removed, urgences)


def per_device_plan(campaigns, pack, path: Path) -> Path:
    write_consolidated(campaigns.first, path, pack, plan_by="device")
    return path


# -- the ref -----------------------------------------------------------------------------------------


def test_the_ref_is_made_from_the_text_whatever_its_case_and_spaces():
    ref = team_ref(MDS2)
    assert ref.startswith("TEAM-") and len(ref) == 13 and int(ref[5:], 16) >= 0
    assert team_ref("  demander le  MDS2\nau FABRICANT ") == ref
    assert team_ref("Demander le MDS2 au distributeur") != ref


# -- import --------------------------------------------------------------------------------------------


def test_a_team_row_of_a_per_device_plan_is_imported_as_the_teams_own(db, campaigns, devices, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    plan = per_device_plan(campaigns, pack, tmp_path / "plan.xlsx")
    a, b = devices.kept[0], devices.unmapped
    rows = [
        {"device_id": a, "action": MDS2, "owner": "Biomédical", "due": DUE, "status": "in_progress"},
        {"device_id": b, "action": "  demander le MDS2 au  FABRICANT", "status": "todo"},
        {"device_id": a, "action": TRAINING},  # a text alone: followed, no status yet
    ]
    add_rows(plan, tmp_path / "filled.xlsx", rows)
    done = import_actions(tmp_path / "filled.xlsx", db, pack=pack)
    assert (done.stored, done.team) == (3, 3)
    assert "; 3 team action(s) among them (the team's own rows); " in done.to_text()
    assert done.rows == len(plan_table(plan)) + 3
    mds2, training = team_ref(MDS2), team_ref(TRAINING)
    assert team_stored(db, FIRST) == {
        (a, mds2): (MDS2, "Biomédical", DUE.isoformat(), "in_progress"),
        (b, mds2): ("demander le MDS2 au  FABRICANT", None, None, "todo"),  # as typed, trimmed
        (a, training): (TRAINING, None, None, None),
    }
    departments = dict(zip(campaigns.first.register["device_id"], campaigns.first.register["department"]))
    assert all(r["department"] == departments[d] for (d, _), r in stored(db, FIRST).items())


def test_a_team_row_of_a_grouped_plan_names_devices_or_a_department(db, campaigns, devices, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    plan = tmp_path / "grouped.xlsx"
    write_consolidated(campaigns.first, plan, pack, plan_by="model")
    listed = devices.kept[:2]
    rows = [
        {"device_ids": "; ".join(listed), "action": MDS2, "owner": "DSI", "status": "todo", "due": DUE},
        {"department": " urgences", "action": TRAINING, "status": "done"},  # every device of Urgences
    ]
    add_rows(plan, tmp_path / "filled.xlsx", rows)
    done = import_actions(tmp_path / "filled.xlsx", db, pack=pack)
    want = {(d, team_ref(MDS2)): (MDS2, "DSI", DUE.isoformat(), "todo") for d in listed}
    want |= {(d, team_ref(TRAINING)): (TRAINING, None, None, "done") for d in devices.urgences}
    assert len(devices.urgences) > 10 and team_stored(db, FIRST) == want
    assert done.team == done.stored == len(want)


# -- carried forward, read back, counted ----------------------------------------------------------------


@dataclasses.dataclass
class NextPlans:
    target: str
    per_device: Path  # demo-2027's plans, written from the history
    grouped: Path
    open: dict[tuple[str, str], tuple]  # the team's open actions of demo-2026 on kept devices
    done: set[tuple[str, str]]


def _year_one(db, campaigns, devices, pack, tmp_path) -> NextPlans:
    """demo-2026's plan with the team's rows (open, done, on the device demo-2027 removes),
    imported; demo-2027 recorded, carried forward and written in both layouts."""
    record(campaigns.first, db, manifest=MANIFEST)
    plan = per_device_plan(campaigns, pack, tmp_path / "plan.xlsx")
    a, b, c = devices.kept
    rows = [
        {"device_id": a, "action": MDS2, "owner": "Biomédical", "due": DUE, "status": "in_progress"},
        {"device_id": b, "action": MDS2, "owner": "Biomédical", "due": DUE, "status": "in_progress"},
        {"device_id": c, "action": TRAINING, "owner": "Cadre", "status": "done"},
        {"device_id": devices.unmapped, "action": TRAINING, "status": "not_applicable"},
        {"device_id": devices.removed, "action": MDS2, "status": "todo"},
    ]
    add_rows(plan, tmp_path / "filled.xlsx", rows)
    import_actions(tmp_path / "filled.xlsx", db, pack=pack)
    second = dataclasses.replace(campaigns.second)
    carried = carry_forward(second, db, pack=pack, manifest=campaigns.manifest)
    assert carried.team == 2 and "2 of the team's own action(s) written into the plan" in carried.to_text()
    record(second, db, manifest=campaigns.manifest)
    per_device, grouped = tmp_path / "2027.xlsx", tmp_path / "2027-grouped.xlsx"
    write_consolidated(second, per_device, pack, plan_by="device")
    write_consolidated(second, grouped, pack, plan_by="model")
    mds2 = team_ref(MDS2)
    open_ = {(d, mds2): (MDS2, "Biomédical", DUE.isoformat(), "in_progress") for d in (a, b)}
    return NextPlans(db, per_device, grouped, open_, {(c, team_ref(TRAINING))})


def _team_rows(path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[SHEET].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[2:] if str(r[rows[0].index("ref")] or "").startswith("TEAM-")]


def test_open_team_actions_are_carried_into_the_next_plan_and_read_back(
    db, campaigns, devices, pack, tmp_path
):
    plans = _year_one(db, campaigns, devices, pack, tmp_path)
    ui = pack.language("fr").ui["consolidated"]
    carried = ui["action_follow_up"]["carried"].format(campaign=FIRST)
    # per device: a row per open action and device, the team's, owner, due date and status back
    rows = _team_rows(plans.per_device)
    assert {(r["device_id"], r["ref"]) for r in rows} == set(plans.open)
    for r in rows:
        assert (r["source"], r["action"], r["owner"], r["status"]) == (
            ui["action_team"],
            MDS2,
            "Biomédical",
            ui["action_status"][1],
        )
        assert r["due"].date() == DUE and r["follow_up"] == carried
    # grouped: one row for the action, its devices listed
    [row] = _team_rows(plans.grouped)
    assert row["device_ids"].split(", ") == [d for d, _ in plans.open] and row["device_count"] == 2
    assert (row["source"], row["action"], row["owner"], row["status"], row["follow_up"]) == (
        ui["action_team"],
        MDS2,
        "Biomédical",
        ui["action_status"][1],
        carried,
    )
    # both plans, as written, import back to the same actions of demo-2027
    for plan in (plans.per_device, plans.grouped):
        done = import_actions(plan, db, pack=pack)
        assert done.team == 2 and team_stored(db, CAMPAIGN) == plans.open
    assert all(
        r["team"] is False or r["team"] == 0 for k, r in stored(db, CAMPAIGN).items() if k not in plans.open
    )


def test_a_carried_team_row_whose_text_was_edited_is_a_new_action(db, campaigns, devices, pack, tmp_path):
    plans = _year_one(db, campaigns, devices, pack, tmp_path)
    edited = "Demander le MDS2 2019 au fabricant"

    def edit(ws, cols) -> None:
        for r in range(3, ws.max_row + 1):
            if str(ws.cell(r, cols["ref"]).value).startswith("TEAM-"):
                ws.cell(r, cols["action"]).value = edited
                ws.cell(r, cols["status"]).value = "Fait"

    add_rows(plans.grouped, tmp_path / "edited.xlsx", [], edit)
    import_actions(tmp_path / "edited.xlsx", db, pack=pack)
    assert team_stored(db, CAMPAIGN) == {
        (d, team_ref(edited)): (edited, "Biomédical", DUE.isoformat(), "done") for d, _ in plans.open
    }


def test_a_group_team_row_left_without_a_status_keeps_each_devices_own(
    db, campaigns, devices, pack, tmp_path
):
    plans = _year_one(db, campaigns, devices, pack, tmp_path)

    def clear(ws, cols) -> None:
        for r in range(3, ws.max_row + 1):
            if str(ws.cell(r, cols["ref"]).value).startswith("TEAM-"):
                ws.cell(r, cols["status"]).value = None
                ws.cell(r, cols["owner"]).value = "RSSI"

    add_rows(plans.grouped, tmp_path / "cleared.xlsx", [], clear)
    done = import_actions(tmp_path / "cleared.xlsx", db, pack=pack)
    assert done.kept >= 2
    assert team_stored(db, CAMPAIGN) == {
        k: (MDS2, "RSSI", DUE.isoformat(), "in_progress") for k in plans.open
    }


def test_compare_counts_the_team_actions_done(db, campaigns, devices, pack, run, tmp_path):
    plans = _year_one(db, campaigns, devices, pack, tmp_path)
    got = compare(db, FIRST, CAMPAIGN)
    team = [a for a in got.actions_completed if a.team]
    assert {(a.device_id, a.ref) for a in team} == plans.done
    assert [a.text for a in team] == [TRAINING] and all(
        not a.team for a in got.actions_completed if a not in team
    )
    data = json.loads(run("compare", "--db", db, FIRST, CAMPAIGN, "--format", "json").output)
    [entry] = [a for a in data["actions_completed"] if a["team"]]
    assert (entry["ref"], entry["text"], entry["owner"]) == (team_ref(TRAINING), TRAINING, "Cadre")
    text = run("compare", "--db", db, FIRST, CAMPAIGN).output
    assert f"Actions completed between {FIRST} and {CAMPAIGN}: 1 (action plan imported for {FIRST})" in text
    assert f"{team_ref(TRAINING)} (team): Former l'équipe à l'usage sûr des pompes" in text
    out = tmp_path / "comparison.xlsx"
    write_comparison(got, out)  # its sheet of completed actions, in French
    wb = openpyxl.load_workbook(out)
    refs = [
        r[4]
        for r in wb[wb.sheetnames[-2]].iter_rows(  # the last visible sheet (then _meta)
            min_row=2, values_only=True
        )
    ]
    shown = (
        pack.language("fr")
        .ui["compare"]["team_action"]
        .format(ref=team_ref(TRAINING), text=" ".join(TRAINING.split()))
    )
    assert shown in refs and "action de l'équipe" in shown and len(refs) == len(got.actions_completed)


# -- refused ---------------------------------------------------------------------------------------------


def _refused_row(campaigns, pack, tmp_path, db, plan_by: str, row: dict) -> tuple[list, dict]:
    record(campaigns.first, db, manifest=MANIFEST)
    plan = tmp_path / f"{plan_by}.xlsx"
    write_consolidated(campaigns.first, plan, pack, plan_by=plan_by)
    before = dump_tables(db)
    where = add_rows(plan, tmp_path / "bad.xlsx", [{**row, "status": "done"}])
    errors = refused(tmp_path / "bad.xlsx", db, pack)
    assert dump_tables(db) == before  # nothing imported
    assert all(p.sheet == SHEET and p.file == str(tmp_path / "bad.xlsx") for p in errors)
    return errors, where


def _cell(where: dict, code: str) -> str:
    return f"{openpyxl.utils.get_column_letter(where[code])}{where['first']}"


@pytest.mark.parametrize("ref", ["MDS2", "TEAM-zz", "V99"])
def test_a_row_claiming_a_ref_that_is_no_action_is_still_invented(
    db, campaigns, devices, pack, tmp_path, ref
):
    row = {"device_id": devices.kept[0], "ref": ref, "action": MDS2}
    errors, where = _refused_row(campaigns, pack, tmp_path, db, "device", row)
    assert [(p.code, p.cell) for p in errors] == [("invented-action", _cell(where, "ref"))]


def test_a_row_without_its_ref_but_with_a_generated_text_is_invented(db, campaigns, devices, pack, tmp_path):
    generated = next(r for r in plan_table(per_device_plan(campaigns, pack, tmp_path / "p.xlsx")))
    row = {"device_id": devices.kept[1], "action": generated["action"]}
    errors, where = _refused_row(campaigns, pack, tmp_path, db, "device", row)
    assert [(p.code, p.cell) for p in errors] == [("invented-action", _cell(where, "ref"))]


@pytest.mark.parametrize(
    ("plan_by", "code", "value"),
    [("device", "device_id", "DM-999999"), ("model", "device_ids", "{kept}, DM-999999")],
)
def test_a_team_row_naming_an_unknown_device_is_refused(
    db, campaigns, devices, pack, tmp_path, plan_by, code, value
):
    row = {code: value.format(kept=devices.kept[0]), "action": MDS2}
    errors, where = _refused_row(campaigns, pack, tmp_path, db, plan_by, row)
    assert [(p.code, p.cell) for p in errors] == [("unknown-device", _cell(where, code))]
    assert "DM-999999" in errors[0].message and "not in campaign demo-2026's register" in errors[0].message


def test_a_grouped_team_row_naming_a_department_no_device_has_is_refused(db, campaigns, pack, tmp_path):
    row = {"department": "Cuisine", "action": MDS2}
    errors, where = _refused_row(campaigns, pack, tmp_path, db, "department", row)
    assert [(p.code, p.cell) for p in errors] == [("unknown-device", _cell(where, "department"))]


@pytest.mark.parametrize(("plan_by", "code"), [("device", "device_id"), ("model", "device_ids")])
def test_a_team_row_without_a_text_is_refused(db, campaigns, devices, pack, tmp_path, plan_by, code):
    errors, where = _refused_row(
        campaigns, pack, tmp_path, db, plan_by, {code: devices.kept[0], "owner": "DSI"}
    )
    assert [(p.code, p.cell) for p in errors] == [("team-action-incomplete", _cell(where, "action"))]


def test_a_team_row_without_a_device_is_refused(db, campaigns, pack, tmp_path):
    errors, where = _refused_row(campaigns, pack, tmp_path, db, "device", {"action": MDS2})
    assert [(p.code, p.cell) for p in errors] == [("team-action-incomplete", _cell(where, "device_id"))]


def test_the_same_team_action_twice_on_a_device_is_a_duplicate(db, campaigns, devices, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    plan = per_device_plan(campaigns, pack, tmp_path / "plan.xlsx")
    twice = [
        {"device_id": devices.kept[0], "action": MDS2},
        {"device_id": devices.kept[0], "action": MDS2.upper()},
    ]
    where = add_rows(plan, tmp_path / "twice.xlsx", twice)
    errors = refused(tmp_path / "twice.xlsx", db, pack)
    assert [(p.code, p.row, p.cell) for p in errors] == [
        (
            "duplicate-action",
            None,
            f"{openpyxl.utils.get_column_letter(where['device_id'])}{where['first'] + 1}",
        )
    ]


# -- the history -----------------------------------------------------------------------------------------


def test_a_history_of_schema_4_is_migrated_to_the_team_actions(db, campaigns, devices, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    plan = per_device_plan(campaigns, pack, tmp_path / "plan.xlsx")
    generated = [(r["device_id"], r["ref"]) for r in plan_table(plan)[:3]]
    filled = fill(plan, tmp_path / "filled.xlsx", {k: {"owner": "DSI", "status": "todo"} for k in generated})
    import_actions(filled, db, pack=pack)
    before = {
        k: {c: r[c] for c in ("department", "owner", "due", "status", "status_since")}
        for k, r in stored(db, FIRST).items()
    }
    engine = db_engine(db)
    with engine.begin() as conn:  # back to what medrisk-xl wrote before the team's own actions
        for column in ("text", "team"):
            conn.exec_driver_sql(f"ALTER TABLE medrisk_actions DROP COLUMN {column}")
        conn.execute(sa.update(schema.schema_info).values(version=4))
    names = {c["name"] for c in sa.inspect(engine).get_columns("medrisk_actions")}
    engine.dispose()
    assert not {"text", "team"} & names
    with open_history(db, create=False) as h:
        assert h.schema_version() == SCHEMA_VERSION == 5
    after = stored(db, FIRST)
    assert set(after) == set(generated) == set(before)
    for key, row in after.items():  # kept, and not the team's
        assert {c: row[c] for c in before[key]} == before[key]
        assert (row["text"], bool(row["team"])) == (None, False)
    add_rows(
        filled, tmp_path / "team.xlsx", [{"device_id": devices.kept[0], "action": MDS2, "status": "todo"}]
    )
    assert import_actions(tmp_path / "team.xlsx", db, pack=pack).team == 1


# -- LibreOffice ------------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_plan_with_team_rows_saved_by_libreoffice_imports_the_same(
    soffice, campaigns, devices, pack, tmp_path
):
    from medrisk_xl.engines.libreoffice import convert

    target = str(tmp_path / "history.db")
    record(campaigns.first, target, manifest=MANIFEST)
    plan = tmp_path / "grouped.xlsx"
    write_consolidated(campaigns.first, plan, pack, plan_by="department")
    rows = [
        {
            "device_ids": ", ".join(devices.kept[:2]),
            "action": TRAINING,
            "owner": "Cadre",
            "due": DUE,
            "status": "todo",
        },
        {"department": "Urgences", "action": MDS2, "status": "in_progress"},
    ]
    add_rows(plan, tmp_path / "filled.xlsx", rows)
    import_actions(tmp_path / "filled.xlsx", target, pack=pack)
    want = team_stored(target, FIRST)
    assert len(want) == 2 + len(devices.urgences)
    [saved] = convert([tmp_path / "filled.xlsx"], tmp_path / "lo", "xlsx", recalc=False)
    assert saved.suffix == ".xlsx" and saved.read_bytes() != (tmp_path / "filled.xlsx").read_bytes()
    again = str(tmp_path / "again.db")
    record(campaigns.first, again, manifest=MANIFEST)
    assert import_actions(saved, again, pack=pack).team == len(want)
    assert team_stored(again, FIRST) == want
