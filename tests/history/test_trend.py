"""``history trend`` (issue 27): coverage, risk raw and like for like, NE SAIT PAS and action
KPIs over recorded campaigns. Expected figures are counted here from the consolidations' own
registers and the manifests, or written out by hand; never read from the code under test."""

# ruff: noqa: F811 (a test's parameters name the fixtures imported from history_db)
from __future__ import annotations

import datetime as dt
import json
import zipfile

import openpyxl
import pandas as pd
import sqlalchemy as sa
from support.history_db import campaigns, db, db_engine, pg_server, run  # noqa: F401 (fixtures)
from support.next_campaign import CAMPAIGN, MANIFEST

from medrisk_xl.consolidate.tables import ITEMS
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history import record
from medrisk_xl.history.trend import action_kpis, trend

FIRST = "demo-2026"
TODAY = dt.date(2027, 3, 1)


def _actions(rows: list[tuple]) -> pd.DataFrame:
    columns = ["device_id", "ref", "department", "owner", "due", "status", "team"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


PLAN = [  # device, ref, department, owner, due, status, team's own
    ("D1", "V3", "Bloc", "RSSI", "2027-01-31", "done", False),
    ("D1", "BACKUP", "Bloc", "RSSI", "2027-02-15", "in_progress", False),  # overdue
    ("D2", "V3", "Cardio", "Biomédical", "2027-06-30", "todo", False),
    ("D2", "TEAM-1a2b", "Cardio", "Biomédical", "2027-01-01", None, True),  # overdue, no status
    ("D3", "V5", "Cardio", None, "2027-01-01", "not_applicable", False),  # past, but closed
]


def test_action_kpis_count_statuses_and_overdue_per_owner_department_and_theme():
    kpis = action_kpis(_actions(PLAN), TODAY)
    assert kpis.total == {
        "todo": 1,
        "in_progress": 1,
        "done": 1,
        "not_applicable": 1,
        "none": 1,
        "overdue": 2,
    }
    assert (kpis.actions, kpis.open) == (5, 3)
    assert kpis.by["owner"]["RSSI"] == {
        "todo": 0, "in_progress": 1, "done": 1, "not_applicable": 0, "none": 0, "overdue": 1
    }  # fmt: skip
    assert kpis.by["owner"]["—"]["not_applicable"] == 1
    assert {k: v["overdue"] for k, v in kpis.by["department"].items()} == {"Bloc": 1, "Cardio": 1}
    assert sorted(kpis.by["theme"]) == ["BACKUP", "TEAM", "V3", "V5"]
    assert kpis.by["theme"]["V3"]["done"] == 1 and kpis.by["theme"]["V3"]["todo"] == 1


def _mapped(reg: pd.DataFrame) -> pd.DataFrame:
    first = reg.drop_duplicates("device_id", keep="first")
    return first[first["included"].astype(bool) & first["risk_level"].notna()]


def _unknown_share(reg: pd.DataFrame) -> float:
    unknown = sum(len(str(v).split(", ")) for v in reg["unknown_items"] if isinstance(v, str) and v)
    given = int(reg[list(ITEMS)].notna().sum().sum())
    return round(unknown / given, 4)


def test_trend_over_two_recorded_campaigns(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    engine = db_engine(db)
    with engine.begin() as conn:  # an imported plan for the first campaign, as actions import stores it
        conn.execute(
            sa.insert(schema.actions),
            [
                dict(zip(("device_id", "ref", "department", "owner", "due", "status", "team"), r))
                | {
                    "campaign": FIRST,
                    "imported_at": "2027-01-05T10:00:00Z",
                    "status_since": "2027-01-05T10:00:00Z",
                }
                for r in PLAN
            ],
        )
    engine.dispose()
    got = trend(db, today=TODAY)
    assert [c.info.campaign for c in got.campaigns] == [FIRST, CAMPAIGN]
    first, second = got.campaigns
    expected = {
        FIRST: sum(
            len(w["device_ids"]) for w in json.loads(MANIFEST.read_text(encoding="utf-8"))["workbooks"]
        ),
        CAMPAIGN: sum(
            len(w["device_ids"])
            for w in json.loads(campaigns.manifest.read_text(encoding="utf-8"))["workbooks"]
        ),
    }
    for c, result in ((first, campaigns.first), (second, campaigns.second)):
        mapped = _mapped(result.register)
        assert c.fleet.expected == expected[c.info.campaign]
        assert (c.fleet.returned, c.fleet.mapped) == (len(result.register), len(mapped))
        assert c.fleet.levels == {k: int((mapped["risk_level"] == int(k)).sum()) for k in ("1", "2", "3")}
        assert c.unknown_share == _unknown_share(result.register)
        assert sum(f.returned for f in c.sites.values()) == len(result.register)
    panel = set(_mapped(campaigns.first.register)["device_id"]) & set(
        _mapped(campaigns.second.register)["device_id"]
    )
    assert got.panel == len(panel)
    for c, result in ((first, campaigns.first), (second, campaigns.second)):
        mine = _mapped(result.register)
        mine = mine[mine["device_id"].isin(panel)]
        assert c.fleet.like_for_like == {
            k: int((mine["risk_level"] == int(k)).sum()) for k in ("1", "2", "3")
        }
        for site, f in c.sites.items():  # each panel device under its site in that campaign
            here = mine[mine["site"].fillna("—").replace("", "—") == site]
            assert f.like_for_like == {k: int((here["risk_level"] == int(k)).sum()) for k in ("1", "2", "3")}
    assert first.actions.total["overdue"] == 2 and second.actions is None


def test_the_command_speaks_the_user_s_language_and_writes_the_workbook(db, campaigns, run, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    out = tmp_path / "trend.xlsx"
    french = run("history", "trend", "--db", db, "-o", str(out), env={"MEDRISK_LANG": "fr"})
    assert french.exit_code == 0, french.output
    lines = french.output.splitlines()
    assert lines[0] == "Tendance sur 2 campagnes"
    assert lines[1].split()[:4] == ["campagne", "créée", "le", "attendus"]
    assert lines[2].split()[:3] == [FIRST, "18/11/2026", "120"]
    assert "Actions : aucun plan d'action importé (medrisk-xl actions import)" in lines
    english = run("history", "trend", "--db", db, FIRST, "--format", "json").output
    data = json.loads(english)
    assert [c["campaign"] for c in data["campaigns"]] == [FIRST] and data["campaigns"][0]["expected"] == 120
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tendance", "Par site", "Actions"]
    assert [c.value for c in wb["Tendance"][5][:3]] == [FIRST, "18/11/2026", 120]
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in chart and chart.count("<c:ser>") == 3
    bad = run("history", "trend", "--db", db, "-o", str(tmp_path / "trend.csv"))
    assert bad.exit_code == 2 and "must end in .xlsx" in bad.output
