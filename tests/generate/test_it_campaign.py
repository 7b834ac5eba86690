"""``generate --vulnerability-by it``: department workbooks asking the nine criteria only, the IT
workbook listing every item of every group of devices, campaign.json, and the refusals. Expected
groups are worked out by hand (tests/support/it_mode.py), never by the code under test."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.it_answers_oracle import ITEMS, read_rows
from support.it_mode import (
    DEPARTMENTS,
    DEVICES,
    NO_MODEL,
    SAME_MODEL,
    code_row,
    hand_groups,
    it_campaign,
    write_it_inventory,
)
from support.wbtools import open_book

from medrisk_xl.cli import cli
from medrisk_xl.core.problems import MedriskError
from medrisk_xl.generate.campaign import Options, generate

RESULTS_NOT_ASKED = ("VULN_SCORE", "VULN_LEVEL", "RISK_LEVEL")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, pack) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("it_campaign")
    inv = write_it_inventory(base / "inventaire.csv")
    result = it_campaign(inv, base / "out", pack)
    return base / "out", result.manifest


def test_department_workbooks_ask_the_criteria_only(campaign):
    """No V1..V10 column and no vulnerability or risk result in the code row; ``_meta`` says the
    IT team answers the items."""
    out, manifest = campaign
    assert {w["department"] for w in manifest["workbooks"]} == set(DEPARTMENTS)
    for entry in manifest["workbooks"]:
        codes = code_row(out / entry["file"])
        assert not [c for c in codes if c.split("_")[0] in ITEMS], entry["file"]
        assert not set(RESULTS_NOT_ASKED) & set(codes)
        assert {f"C{i}" for i in range(1, 10)} | {"CRIT_SCORE", "CRIT_LEVEL", "STATUS"} <= set(codes)
        meta = open_book(out / entry["file"]).meta
        assert meta["vulnerability_by"] == "it"
        assert meta["columns"].split(",") == codes  # the contract names the columns drawn


def test_default_mode_keeps_its_bytes_and_writes_no_vulnerability_by(tmp_path, pack, monkeypatch):
    """The default campaign's ``_meta`` has no vulnerability_by key and carries all six results;
    with SOURCE_DATE_EPOCH two runs give the same bytes, those campaign.json records."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    inv = write_it_inventory(tmp_path / "inventaire.csv")
    manifests = [generate(inv, tmp_path / f"out{i}", Options(campaign="itm"), pack).manifest for i in (1, 2)]
    assert "vulnerability_by" not in manifests[0] and "it_workbook" not in manifests[0]
    assert manifests[0] == manifests[1]
    for i, manifest in enumerate(manifests, start=1):
        names = {p.name for p in (tmp_path / f"out{i}").iterdir()}
        assert names == {w["file"] for w in manifest["workbooks"]} | {"campaign.json"}  # no IT workbook
        for entry in manifest["workbooks"]:
            path = tmp_path / f"out{i}" / entry["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
            assert "vulnerability_by" not in open_book(path).meta
            assert {*ITEMS, *RESULTS_NOT_ASKED} <= set(code_row(path))


def test_it_mode_is_reproducible_too(tmp_path, pack, monkeypatch):
    """With SOURCE_DATE_EPOCH the IT workbook's bytes repeat and match campaign.json."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    inv = write_it_inventory(tmp_path / "inventaire.csv")
    digests = []
    for i in (1, 2):
        opts = Options(campaign="itm", vulnerability_by="it")
        entry = generate(inv, tmp_path / f"out{i}", opts, pack).manifest["it_workbook"]
        data = (tmp_path / f"out{i}" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        digests.append(entry["sha256"])
    assert digests[0] == digests[1]


def test_the_it_workbook_and_its_campaign_entry(campaign):
    """Informatique.xlsx holds one row per group and item; its campaign.json entry counts them and
    lists every device; campaign.json says the IT team answers the items."""
    out, manifest = campaign
    assert json.loads((out / "campaign.json").read_text(encoding="utf-8")) == manifest
    assert manifest["vulnerability_by"] == "it"
    entry = manifest["it_workbook"]
    assert entry["file"] == "Informatique.xlsx" and entry["mode"] == "it" and entry["group_by"] == "model"
    path = out / entry["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    assert entry["password"] == "pw"
    groups = hand_groups()
    rows = read_rows(path)
    assert entry["groups"] == len(groups) and entry["rows"] == len(rows) == len(groups) * len(ITEMS)
    assert sorted(entry["device_ids"]) == sorted(d[0] for d in DEVICES)
    by_group: dict[str, list] = {}
    for r in rows:
        by_group.setdefault(r.group, []).append(r)
    for group_rows in by_group.values():
        assert [r.item for r in group_rows] == list(ITEMS)
        assert len({r.devices for r in group_rows}) == 1  # every item of a group names its devices
        assert all(r.answer is None for r in group_rows)
    assert {frozenset(rs[0].devices) for rs in by_group.values()} == groups
    names = {p.name for p in out.iterdir()}
    assert names == {w["file"] for w in manifest["workbooks"]} | {entry["file"], "campaign.json"}


def test_one_model_across_departments_is_one_group_and_an_unknown_model_stands_alone(campaign):
    """The three P100 pumps (two spellings, three departments) share one group; each device of
    unknown manufacturer or model is a group of its own."""
    out, manifest = campaign
    groups = {frozenset(r.devices) for r in read_rows(out / manifest["it_workbook"]["file"])}
    assert frozenset(SAME_MODEL) in groups
    departments = {d[4] for d in DEVICES if d[0] in SAME_MODEL}
    assert len(departments) == 3
    for device in NO_MODEL:
        assert frozenset({device}) in groups


def test_english_it_workbook_is_named_it(tmp_path, pack):
    inv = write_it_inventory(tmp_path / "inventaire.csv")
    manifest = it_campaign(inv, tmp_path / "out", pack, lang="en").manifest
    assert manifest["it_workbook"]["file"] == "IT.xlsx" and (tmp_path / "out" / "IT.xlsx").is_file()


@pytest.mark.parametrize(
    ("with_inventory", "extra", "says"),
    [
        (False, [], "needs an inventory"),
        (True, ["--layout", "form"], "--layout grid only"),
    ],
)
def test_refusals_write_nothing(tmp_path, with_inventory, extra, says):
    """No inventory, or the form layout: exit 2, a message naming --vulnerability-by, no file."""
    inv = write_it_inventory(tmp_path / "inventaire.csv")
    out = tmp_path / "out"
    args = ["generate", *([str(inv)] if with_inventory else []), "-o", str(out), "--vulnerability-by", "it"]
    result = CliRunner().invoke(cli, args + extra)
    assert result.exit_code == 2, result.output
    assert "--vulnerability-by" in result.output and says in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_start_sheet_sends_the_vulnerability_questions_to_it(campaign, pack):
    """The start sheet shows the pack's ``it_workbook.department.intro`` (not the default intro)
    and 2 to 5 minutes per device of the workbook."""
    out, manifest = campaign
    ui = pack.language("fr").ui
    texts = ui["it_workbook"]["department"]
    for entry in manifest["workbooks"]:
        book = open_book(out / entry["file"])
        cells = [c.value for row in book.wb[ui["sheets"]["start"]].iter_rows() for c in row if c.value]
        n = len(entry["device_ids"])
        assert texts["intro"] in cells and ui["start"]["intro"] not in cells
        assert texts["time_value"].format(low=2 * n, high=5 * n) in cells, (entry["file"], n)
        assert f"{2 * n} à {5 * n} minutes" in texts["time_value"].format(low=2 * n, high=5 * n)


def test_a_department_named_like_the_it_workbook_keeps_its_name(tmp_path, pack):
    """A department called "Informatique" keeps Informatique.xlsx; the IT workbook takes another
    name, and campaign.json tells which is which."""
    inv = tmp_path / "inventaire.csv"
    text = write_it_inventory(tmp_path / "base.csv").read_text(encoding="utf-8-sig")
    inv.write_text(text.replace(";Cardiologie;", ";Informatique;"), encoding="utf-8-sig")
    manifest = it_campaign(inv, tmp_path / "out", pack).manifest
    (department,) = [w for w in manifest["workbooks"] if w["department"] == "Informatique"]
    assert department["file"] == "Informatique.xlsx"
    it_file = manifest["it_workbook"]["file"]
    assert it_file != department["file"] and it_file.lower().startswith("informatique")
    assert open_book(tmp_path / "out" / department["file"]).meta["vulnerability_by"] == "it"
    assert read_rows(tmp_path / "out" / it_file)  # the IT workbook's answer sheet, not a department's


def test_force_replaces_a_previous_it_campaign_and_nothing_else(tmp_path, pack):
    """--force recognises the IT workbook as the previous campaign's own (listed in
    campaign.json); a file it does not list still stops it."""
    from support.answers import write_inventory

    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Urgences": 3})
    out = tmp_path / "c"
    generate(inv, out, Options(campaign="a", vulnerability_by="it"), pack)
    assert (out / "Informatique.xlsx").is_file()
    generate(inv, out, Options(campaign="b", vulnerability_by="it", force=True), pack)
    assert json.loads((out / "campaign.json").read_text(encoding="utf-8"))["campaign"] == "b"
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(MedriskError):
        generate(inv, out, Options(campaign="c", vulnerability_by="it", force=True), pack)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
