"""compare's like-for-like view and the split of each change into risk and coverage (issue 27).

Two hand-made registers of six devices, each planted for one case; every expected count below was
worked out by hand from the table, not computed by the code under test:

    device  A: department, level       B: department, level
    D1      X, 3                       X, 3         in the map in both: no change
    D2      X, 2                       X, 3         in both: risk rose
    D3      Y, not in the map          Y, 3         entered the map (coverage)
    D4      Y, 1                       —            removed (coverage)
    D5      —                          Y, 2         added (coverage)
    D6      X, 2                       Y, 2         in both, moved from X to Y
"""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from medrisk_xl.history.compare import COLUMNS, compare_registers, sheet_names, write_comparison
from medrisk_xl.history.store import CampaignInfo
from medrisk_xl.method.pack import load_pack

A_ROWS = {"D1": ("X", 3, True), "D2": ("X", 2, True), "D3": ("Y", None, False), "D4": ("Y", 1, True)}
A_ROWS |= {"D6": ("X", 2, True)}
B_ROWS = {"D1": ("X", 3, True), "D2": ("X", 3, True), "D3": ("Y", 3, True), "D5": ("Y", 2, True)}
B_ROWS |= {"D6": ("Y", 2, True)}


def _register(rows: dict[str, tuple]) -> pd.DataFrame:
    records = [
        {c: None for c in COLUMNS} | {"device_id": d, "department": dep, "risk_level": level, "included": inc}
        for d, (dep, level, inc) in rows.items()
    ]
    reg = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    reg["risk_level"] = reg["risk_level"].astype("Int64")
    return reg


def _info(name: str, recorded: str) -> CampaignInfo:
    return CampaignInfo(
        name, "2026-11-18", None, recorded, "test", "fr", None, None, None, None, 5, 4, 1, 0, 0
    )


@pytest.fixture(scope="module")
def comparison():
    return compare_registers(
        _register(A_ROWS),
        _register(B_ROWS),
        _info("camp-a", "2026-12-01T09:00:00Z"),
        _info("camp-b", "2027-12-01T09:00:00Z"),
    )


def test_like_for_like_counts_only_the_devices_in_the_map_in_both(comparison):
    like = comparison.like_for_like
    assert like.devices == 3  # D1, D2, D6
    assert (like.fleet.a, like.fleet.b) == (
        {"1": 0, "2": 2, "3": 1, "not_mapped": 0},
        {"1": 0, "2": 1, "3": 2, "not_mapped": 0},
    )
    by_department = {d.name: (d.a, d.b) for d in like.departments}
    assert by_department == {  # under their department in B: D6 counts in Y
        "X": ({"1": 0, "2": 1, "3": 1, "not_mapped": 0}, {"1": 0, "2": 0, "3": 2, "not_mapped": 0}),
        "Y": ({"1": 0, "2": 1, "3": 0, "not_mapped": 0}, {"1": 0, "2": 1, "3": 0, "not_mapped": 0}),
    }


def test_each_change_is_split_into_risk_and_coverage(comparison):
    fleet = comparison.fleet
    assert fleet.change == {"1": -1, "2": 0, "3": 2, "not_mapped": -1}
    assert fleet.risk == {"1": 0, "2": -1, "3": 1, "not_mapped": 0}  # D2 went from 2 to 3
    assert fleet.coverage == {"1": -1, "2": 1, "3": 1, "not_mapped": -1}  # D4 out, D5 and D3 in
    parts = {d.name: (d.change, d.risk, d.coverage) for d in comparison.departments}
    assert parts["X"] == (
        {"1": 0, "2": -2, "3": 1, "not_mapped": 0},
        {"1": 0, "2": -1, "3": 1, "not_mapped": 0},
        {"1": 0, "2": -1, "3": 0, "not_mapped": 0},  # D6 moved to Y
    )
    assert parts["Y"] == (
        {"1": -1, "2": 2, "3": 1, "not_mapped": -1},
        {"1": 0, "2": 0, "3": 0, "not_mapped": 0},
        {"1": -1, "2": 2, "3": 1, "not_mapped": -1},
    )


def test_the_json_carries_both_parts_and_the_like_for_like_view(comparison):
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["distribution"]["fleet"]["from_risk"] == {"1": 0, "2": -1, "3": 1, "not_mapped": 0}
    assert data["distribution"]["fleet"]["from_coverage"] == {"1": -1, "2": 1, "3": 1, "not_mapped": -1}
    assert data["like_for_like"]["devices"] == 3
    assert data["like_for_like"]["departments"]["X"]["b"] == {"1": 0, "2": 0, "3": 2, "not_mapped": 0}


def test_the_text_shows_the_split_in_the_chosen_language(comparison):
    english = comparison.to_text("en").splitlines()
    start = english.index("Like for like: 3 device(s) in the map in both campaigns, by risk level (A → B)")
    assert english[start + 2].split() == [
        "fleet",
        "0",
        "→",
        "0",
        "2",
        "→",
        "1",
        "(-1)",
        "1",
        "→",
        "2",
        "(+1)",
    ]
    assert english[-4].split() == ["change", "-1", "+0", "+2", "-1"]
    assert english[-3].split() == ["from", "risk", "+0", "-1", "+1", "+0"]
    assert english[-2].split() == ["from", "coverage", "-1", "+1", "+1", "-1"]
    french = comparison.to_text("fr").splitlines()
    assert (
        "À périmètre constant : 3 dispositifs de la carte dans les deux campagnes, par niveau de risque (A → B)"
        in french
    )
    assert french[-2].split() == ["dont", "couverture", "-1", "+1", "+1", "-1"]
    assert french[3] == "Risque en hausse : 1 dispositif"  # D2
    assert "Nouveaux dispositifs en camp-b : 1" in french
    assert french[1].startswith("  camp-a : créée le 18/11/2026, enregistrée le 01/12/2026 ")


def test_the_workbook_has_the_like_for_like_sheet_and_both_parts(comparison, tmp_path):
    pack = load_pack()
    path = write_comparison(comparison, tmp_path / "c.xlsx", "en", pack)
    wb = openpyxl.load_workbook(path)
    names = sheet_names(pack.language("en"))
    assert names[:2] == ("Distribution", "Like for like")
    dist = wb[names[0]]
    assert [c.value for c in dist[4]] == [
        "Scope", "Risk level", "camp-a", "camp-b", "Change", "from risk", "from coverage"
    ]  # fmt: skip
    fleet = {r[1]: r[2:7] for r in dist.iter_rows(min_row=5, max_row=8, values_only=True)}
    assert fleet["Level 3 – High"] == (1, 3, 2, 1, 1)
    assert fleet["Not in the map"] == (1, 0, -1, 0, -1)
    like = wb[names[1]]
    assert like["A1"].value == "Like for like: camp-a → camp-b"
    assert like["A3"].value == "Devices in the map in both campaigns: 3"
    rows = [r for r in like.iter_rows(min_row=6, values_only=True)]
    assert [r[:5] for r in rows if r[0] == "X"] == [
        ("X", "Level 1 – Acceptable", 0, 0, 0),
        ("X", "Level 2 – Moderate", 1, 0, -1),
        ("X", "Level 3 – High", 1, 2, 1),
    ]
