"""The grouped action plan (``consolidate --plan-by model|department``, issue 28): on the samples
(their models made shared, see ``shared_models``) and a generated fleet of 3,000 devices, every
action of the per-device plan is in exactly one group row with the same text, the counts add up,
rows are ordered by risk, devices, criticality; and no sheet is written past a sheet's last row.
Expectations come from ``support.grouped_plans``, never from the writer's grouping."""

from __future__ import annotations

from collections import Counter, defaultdict

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from support.grouped_plans import (
    IDS_SEPARATOR,
    MANIFEST,
    RETURNS,
    device_actions,
    fleet,
    group_of,
    plan_sheet_rows,
    shared_models,
)

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.workbook import sheet_tables, write_consolidated
from medrisk_xl.core.problems import MedriskError

CELL = 32767


@pytest.fixture(scope="module")
def samples(pack):
    return shared_models(consolidate([RETURNS], manifest=MANIFEST, pack=pack))


@pytest.fixture(scope="module")
def big(samples):
    return fleet(samples)


def written(result, pack, tmp_path, plan_by):
    path = tmp_path / f"plan-{plan_by}.xlsx"
    write_consolidated(result, path, pack, plan_by=plan_by)
    return path


@pytest.mark.parametrize("plan_by", ["model", "department"])
@pytest.mark.parametrize("which", ["samples", "big"])
def test_every_action_is_in_exactly_one_group_row_and_the_counts_add_up(
    which, plan_by, request, pack, tmp_path
):
    result = request.getfixturevalue(which)
    fr = pack.language("fr")
    expected = device_actions(fr, result.register)
    path = written(result, pack, tmp_path, plan_by)
    rows = plan_sheet_rows(path)
    seen = Counter()
    for row in rows:
        assert row["device_count"] == len(row["_ids"])
        groups = set()
        for device in row["_ids"]:
            action = expected[(device, row["source"], row["ref"])]
            seen[(device, row["source"], row["ref"])] += 1
            assert row["action"] == action["text"] and row["topic"] == action["topic"]
            groups.add(group_of(plan_by, action))
        assert len(groups) == 1, row  # one group per row
        devices = [expected[(d, row["source"], row["ref"])] for d in row["_ids"]]
        assert row["risk_level"] == max(int(d["risk_level"]) for d in devices)
        assert row["criticality_level"] == max(int(d["criticality_level"]) for d in devices)
    assert seen == Counter(expected.keys())  # every action once, none other
    keys = {(group_of(plan_by, a), source, ref) for (_, source, ref), a in expected.items()}
    assert len(rows) == len(keys)
    order = [(-r["risk_level"], -r["device_count"], -r["criticality_level"]) for r in rows]
    assert order == sorted(order)
    codes = set(rows[0]) - {"_row", "_ids"}
    assert ("manufacturer" in codes) == (plan_by == "model")
    # The summary sheet: per theme of a level's plan and per item, devices and rows.
    wb = openpyxl.load_workbook(path, read_only=True)
    summary = list(wb[fr.ui["consolidated"]["sheets"]["action_summary"]].iter_rows(values_only=True))
    headers = fr.ui["consolidated"]["action_summary_columns"]
    assert summary[0] == tuple(headers[k] for k in ("ref", "source", "topic", "devices", "groups"))
    devices, groups = Counter(), Counter()
    for _, source, ref in expected:
        devices[(ref, source)] += 1
    for row in rows:
        groups[(row["ref"], row["source"])] += 1
    assert {(r[0], r[1]): (r[3], r[4]) for r in summary[1:]} == {k: (devices[k], groups[k]) for k in devices}
    print(f"{which}, --plan-by {plan_by}: {len(rows)} plan rows for {len(expected)} device actions")
    if which == "big":
        assert len(rows) < len(expected) / 10  # the plan grows with the groups


def test_case_and_spaces_do_not_split_a_model_and_an_unknown_one_stands_alone(big, pack, tmp_path):
    rows = plan_sheet_rows(written(big, pack, tmp_path, "model"))
    unknown = {d for d, m in zip(big.register["device_id"], big.register["manufacturer"]) if pd.isna(m)}
    alone = [r for r in rows if not r["manufacturer"]]
    assert alone and all(r["_ids"] == [r["_ids"][0]] and r["_ids"][0] in unknown for r in alone)
    by_key = defaultdict(set)
    for r in rows:
        if r["manufacturer"]:
            by_key[(r["site"].strip().casefold(), r["department"], r["manufacturer"].casefold().strip())].add(
                r["manufacturer"]
            )
    assert all(len(v) == 1 for v in by_key.values())  # "Acme", "ACME ", "acme": one group, one name


def test_ids_past_a_cell_are_cut_and_kept_whole_in_a_hidden_sheet(samples, pack, tmp_path):
    result = fleet(samples, n=4000, same_group=True, long_ids=True)
    path = written(result, pack, tmp_path, "model")
    rows = plan_sheet_rows(path)
    big_rows = [r for r in rows if "… (+" in r["device_ids"]]
    assert big_rows
    wb = openpyxl.load_workbook(path)
    hidden = wb["_plan_devices"]
    assert hidden.sheet_state == "veryHidden"
    full = {}
    for values in hidden.iter_rows(values_only=True):
        ids = IDS_SEPARATOR.join(v for v in values[6:] if v).split(IDS_SEPARATOR)
        full[(values[4], values[5])] = ids
    expected = device_actions(pack.language("fr"), result.register)
    for row in big_rows:
        text = row["device_ids"]
        assert len(text) <= CELL and text.endswith(f"… (+{row['device_count'] - len(row['_ids']) + 1})")
        whole = full[(row["ref"], row["source"])]
        assert len(whole) == row["device_count"] and whole[: len(row["_ids"]) - 1] == row["_ids"][:-1]
        assert set(whole) == {d for d, s, ref in expected if (ref, s) == (row["ref"], row["source"])}


def test_device_keeps_the_per_device_layout_and_meta_says_how_rows_are_grouped(samples, pack, tmp_path):
    for plan_by, schema in (("device", "1"), ("model", "2"), ("department", "2")):
        wb = openpyxl.load_workbook(written(samples, pack, tmp_path, plan_by), read_only=True)
        meta = dict(wb["_meta"].iter_rows(values_only=True))
        assert meta["plan_schema_version"] == schema and meta.get("plan_by") == (
            None if plan_by == "device" else plan_by
        )
        assert (pack.language("fr").ui["consolidated"]["sheets"]["action_summary"] in wb.sheetnames) == (
            plan_by != "device"
        )
    with pytest.raises(ValueError, match="plan_by"):
        write_consolidated(samples, tmp_path / "x.xlsx", pack, plan_by="brand")


def test_a_table_past_a_sheets_last_row_is_refused_not_cut(samples, pack, tmp_path, monkeypatch):
    monkeypatch.setattr(sheet_tables, "SHEET_ROWS", 40)
    out = tmp_path / "out.xlsx"
    with pytest.raises(MedriskError) as err:
        write_consolidated(samples, out, pack)
    [problem] = err.value.problems
    assert problem.code == "sheet-too-long" and problem.sheet
    assert f"{problem.sheet!r} would need" in problem.message and "holds 40" in problem.message
    assert not out.exists()
    res = CliRunner().invoke(cli, ["consolidate", str(RETURNS), "-o", str(out)])
    assert res.exit_code == 1 and "[sheet-too-long]" in res.output and "Traceback" not in res.output
    assert not out.exists()
