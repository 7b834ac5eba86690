"""consolidate: the campaign's register of hazardous situations (IEC/TR 80001-2-1) from the
departments' register sheets and from the non-compliant vulnerability items."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.hazards import current, hazard_counts
from medrisk_xl.consolidate.workbook.map_writer import write_consolidated
from medrisk_xl.validate import validate_file
from medrisk_xl.workbook import contract

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


@pytest.fixture(scope="module")
def result():
    return consolidate([RETURNS], manifest=MANIFEST)


def test_every_filled_register_row_is_reported_once_with_the_grids_levels(result, pack):
    hazards = result.hazards
    recorded = hazards[hazards["origin"] == "register"]
    expected = {}
    for path in sorted(RETURNS.iterdir()):
        report = validate_file(path, pack, keep_rows=True)
        if report.status == "valid":
            for entry in report.register:
                expected[(str(path), entry.row.id)] = (entry.initial, entry.residual, entry.needs_decision)
    assert len(expected) >= 4
    got = {
        (row.source_file, row.reg_id): (
            None if row.risk_initial is pd_na() else row.risk_initial,
            None if row.risk_residual is pd_na() else row.risk_residual,
            row.decision,
        )
        for row in recorded.itertuples()
    }
    assert got == expected
    assert result.accounting["register_rows_mapped"] == len(recorded) == len(expected)
    # The seed's levels: catastrophic x remote is high (8.2), and it stays high after controls here.
    assert recorded["decision"].sum() == 1


def pd_na():
    import pandas as pd

    return pd.NA


def test_sorted_by_residual_then_initial_risk(result):
    """Residual risk first (the initial risk while the residual is not assessed), then initial."""
    hazards = result.hazards

    def level(value):
        return 0 if value is pd_na() else value

    keys = [
        (-level(r if r is not pd_na() else i), -level(r), -level(i))
        for r, i in zip(hazards["risk_residual"], hazards["risk_initial"])
    ]
    assert keys == sorted(keys)
    onco = hazards.index[hazards["department"] == "Oncologie"][0]  # initial 2, not reassessed
    cardio_low = hazards.index[(hazards["department"] == "Cardiologie") & (hazards["risk_residual"] == 1)][0]
    assert onco < cardio_low
    assert hazards.iloc[0]["decision"]  # the high residual risk comes first


def test_non_compliant_items_propose_one_row_per_department_and_item(result, pack):
    scored = result.scored
    want = Counter()
    for department, items in zip(scored["department"], scored["non_compliant_items"]):
        for item in items.split(", ") if isinstance(items, str) else []:
            want[(department, item)] += 1
    proposed = result.hazards[result.hazards["origin"] == "proposed"]
    assert dict(zip(zip(proposed["department"], proposed["reg_id"]), proposed["devices"])) == dict(want)
    language = pack.language("fr")
    row = proposed.iloc[0]
    seed = pack.register.seeding[row["reg_id"]]
    assert row["hazard"] == language.register["hazards"][seed.hazard]["label"]
    assert row["cause"] == language.register["causes"][seed.cause]["label"]
    assert language.actions["items"][row["reg_id"]]["actions"][0] in row["control"]
    assert row["risk_initial"] is pd_na() and not row["decision"]


def test_unacceptable_risks_counted_per_department(result):
    counts = hazard_counts(result.hazards).set_index("department")
    recorded = result.hazards[result.hazards["origin"] == "register"]
    for department, group in recorded.groupby("department"):
        assert counts.loc[department, "unacceptable"] == int((current(group) == contract.REGISTER_HIGH).sum())
        assert counts.loc[department, "situations"] == len(group)
    assert counts["unacceptable"].sum() >= 1


def test_english_consolidation_translates_the_lists(pack):
    result = consolidate([RETURNS / "Cardiologie.xlsx"], lang="en")
    recorded = result.hazards[result.hazards["origin"] == "register"]
    english = pack.language("en").register
    assert set(recorded["hazard"]) <= {h["label"] for h in english["hazards"].values()}
    assert set(recorded["severity"]) <= {s["label"] for s in english["severity"].values()}


def test_the_sheet_lists_every_situation(result, pack, tmp_path):
    out = tmp_path / "carto.xlsx"
    write_consolidated(result, out, pack)
    ui = pack.language("fr").ui["consolidated"]
    ws = openpyxl.load_workbook(out)[ui["sheets"]["hazards"]]
    rows = list(ws.iter_rows(values_only=True))
    code_row = next(i for i, row in enumerate(rows) if row[:2] == ("department", "reg_id"))
    table = [row for row in rows[code_row + 2 :] if any(v is not None for v in row)]
    assert len(table) == len(result.hazards)
    assert [row[1] for row in table] == result.hazards["reg_id"].tolist()
    levels = [row[rows[code_row].index("risk_residual")] for row in table]
    assert levels[0] == 3


def test_nothing_a_register_row_holds_is_lost(result, pack):
    """Every answer of every filled register row arrives in the table (list answers as labels of
    the consolidation's language, here the workbook's own)."""
    from medrisk_xl.consolidate.hazards import TEXT_COLUMNS
    from medrisk_xl.workbook.read.reader import read_workbook
    from medrisk_xl.workbook.read.register_reader import read_register_rows

    # One dict per (file, register id): a plain lookup, the same on every pandas version.
    hazards = {(r["source_file"], r["reg_id"]): r for r in result.hazards.to_dict("records")}
    checked = 0
    for path in sorted(RETURNS.iterdir()):
        for row in read_register_rows(read_workbook(path)):
            if not row.filled or (str(path), row.id) not in hazards:
                continue
            got = hazards[(str(path), row.id)]
            for code, column in TEXT_COLUMNS.items():
                value = "" if pd.isna(got[column]) else got[column]
                assert value == str(row.values.get(code, "")), (path.name, row.id, code)
                checked += 1
    assert checked == 4 * len(TEXT_COLUMNS)
