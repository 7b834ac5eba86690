"""``consolidate`` of an it-mode campaign (``generate --vulnerability-by it``): department
workbooks answering the criteria and the IT workbook answering the items per group, filled with
openpyxl from their own dropdowns. Every expectation comes from tests/support/it_mode.py (the
reference scorer on what the test wrote), never from consolidate's own functions."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from support.it_answers_oracle import ITEMS, NO, UNKNOWN, YES, answer_sheet, by_device, columns, read_rows
from support.it_mode import (
    DEVICES,
    FULL,
    INVALID,
    PARTIAL,
    UNTOUCHED,
    expected_register,
    fill_departments,
    fill_it_workbook,
    it_answers,
    it_campaign,
    mismatches,
    waiting,
    write_it_inventory,
)
from support.wbtools import open_book

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate
from medrisk_xl.generate.campaign import Options, generate

SEED = 20261203


@pytest.fixture(scope="module")
def filled(tmp_path_factory, pack) -> dict:
    """The campaign as generated, its department returns filled (every kind of row) and its IT
    workbook answered (one group unanswered, two with an item or two blank)."""
    base = tmp_path_factory.mktemp("it_mode")
    inv = write_it_inventory(base / "inventaire.csv")
    manifest = it_campaign(inv, base / "out", pack).manifest
    rng = random.Random(SEED)
    books = [base / "out" / w["file"] for w in manifest["workbooks"]]
    kinds = (FULL,) * 7 + (PARTIAL, UNTOUCHED, INVALID)
    departments = fill_departments(books, base / "returns", rng, kinds)
    it_book = fill_it_workbook(
        base / "out" / manifest["it_workbook"]["file"], base / "it" / "Informatique.xlsx", rng
    )
    returns = [base / "returns" / b.name for b in books]
    return {
        "base": base,
        "manifest": base / "out" / "campaign.json",
        "blank_it": base / "out" / manifest["it_workbook"]["file"],
        "returns": returns,
        "it": it_book,
        "departments": departments,
        "answers": it_answers(read_rows(it_book)),
    }


@pytest.fixture(scope="module")
def result(filled, pack):
    return consolidate([*filled["returns"], filled["it"]], manifest=filled["manifest"], pack=pack)


def test_the_fill_covers_every_case(filled, pack):
    """The seeded fill reaches every case the oracle tells apart (else the other tests prove less)."""
    want = expected_register(filled["departments"], filled["answers"], pack)
    kinds = {d.kind for d in filled["departments"].values()}
    assert kinds == {FULL, PARTIAL, UNTOUCHED, INVALID}
    statuses = {w["status"] for w in want.values()}
    assert {"complete", "to_confirm", "incomplete", "not_started", "invalid"} <= statuses
    assert {w["risk_provisional"] for w in want.values()} == {True, False, None}
    assert len({w["risk_level"] for w in want.values()} - {None}) >= 2 and waiting(
        filled["departments"], filled["answers"]
    )
    given = {a for answers in filled["answers"].values() for a in answers.values()}
    assert given == {YES, NO, UNKNOWN}


def test_every_device_is_what_the_reference_scorer_makes_of_both_workbooks(filled, result, pack):
    """Scores, levels, risk, status, IT answers and sources, item lists and provisional flags of
    every device, against the oracle; the files are valid and no IT answer is refused."""
    files = result.files.set_index("file")["status"].to_dict()
    invalid = {d.file for d in filled["departments"].values() if d.kind == INVALID}
    assert files == {
        str(p): "invalid" if p.name in invalid else "valid" for p in [*filled["returns"], filled["it"]]
    }
    assert result.problems[result.problems["code"].str.startswith("it-")].empty
    want = expected_register(filled["departments"], filled["answers"], pack)
    assert mismatches(result.register, want) == []


def test_a_device_waits_for_the_it_team_until_its_group_answers_every_item(filled, result):
    """Criteria all answered but an item blank: unmapped, incomplete, and counted in
    devices_awaiting_it; the CLI-facing count is the oracle's."""
    got = by_device(result.register)
    departments, answers = filled["departments"], filled["answers"]
    for device, d in departments.items():
        if d.kind == FULL and len(answers.get(device, {})) < len(ITEMS):
            assert got[device]["risk_level"] is None and got[device]["status"] == "incomplete", device
    assert result.accounting["devices_awaiting_it"] == waiting(departments, answers)
    mapped = sum(1 for rec in got.values() if rec["risk_level"] is not None and rec["included"])
    assert result.accounting["devices_in_map"] == mapped


def test_every_it_answer_is_the_source_of_its_item(filled, result):
    got = by_device(result.register)
    for device, rec in got.items():
        answers = filled["answers"].get(device, {})
        assert {i for i in ITEMS if rec[f"{i}_source"] == "it"} == set(answers), device
        assert {i for i in ITEMS if rec[f"{i}_source"] is not None} == set(answers), device


def test_the_order_of_the_paths_does_not_matter(filled, result, pack):
    again = consolidate([filled["it"], *reversed(filled["returns"])], manifest=filled["manifest"], pack=pack)
    pd.testing.assert_frame_equal(again.register, result.register)
    assert again.accounting == result.accounting


def test_an_unanswered_it_workbook_changes_nothing(filled, pack):
    """The IT workbook as generated (no answer) gives the register of no IT workbook at all: no
    device mapped, every device whose criteria are answered waiting."""
    without = consolidate(filled["returns"], manifest=filled["manifest"], pack=pack)
    blank = consolidate([*filled["returns"], filled["blank_it"]], manifest=filled["manifest"], pack=pack)
    pd.testing.assert_frame_equal(blank.register, without.register)
    full = sum(1 for d in filled["departments"].values() if d.kind == FULL)
    for r in (without, blank):
        assert r.register["risk_level"].isna().all()
        assert r.accounting["devices_awaiting_it"] == full
        assert r.accounting["devices_in_map"] == 0
    assert blank.accounting["it_answers_applied"] == 0
    want = expected_register(filled["departments"], {}, pack)
    assert mismatches(without.register, want) == []


def test_two_it_workbooks_answering_an_item_differently_conflict(filled, pack, tmp_path):
    """A copy of the IT workbook answering one item of one group otherwise: an ``it-conflict``
    error per device of the group, naming both files; that item stays unanswered (the devices
    wait), every other answer applies as before."""
    rows = read_rows(filled["it"])
    departments = filled["departments"]
    # A group with a device whose criteria are answered and whose items are all answered.
    target = next(
        r
        for r in rows
        if r.answer is not None
        and all(len(filled["answers"][d]) == len(ITEMS) for d in r.devices)
        and any(departments[d].kind == FULL for d in r.devices)
    )
    other = next(a for a in (YES, NO, UNKNOWN) if a != target.answer)
    copy = tmp_path / "second" / "Informatique-bis.xlsx"
    copy.parent.mkdir()
    shutil.copy2(filled["it"], copy)
    wb = openpyxl.load_workbook(copy)
    ws = answer_sheet(wb)
    ws.cell(target.row, columns(ws)["IT_ANSWER"]).value = other
    wb.save(copy)
    got = consolidate([*filled["returns"], filled["it"], copy], manifest=filled["manifest"], pack=pack)
    conflicts = got.problems[got.problems["code"] == "it-conflict"]
    assert sorted(conflicts["device_id"]) == sorted(target.devices)
    assert set(conflicts["severity"]) == {"error"}
    for message in conflicts["message"]:
        assert filled["it"].name in message and copy.name in message and target.item in message
    answers = {d: dict(a) for d, a in filled["answers"].items()}
    for device in target.devices:
        del answers[device][target.item]
    assert mismatches(got.register, expected_register(departments, answers, pack)) == []
    assert got.accounting["devices_awaiting_it"] == waiting(departments, answers)


def test_the_cli_says_how_many_devices_wait_for_the_it_team(filled, tmp_path):
    """``medrisk-xl consolidate`` prints the oracle's count of devices waiting for the IT team."""
    out = tmp_path / "carte.xlsx"
    args = [
        "consolidate",
        *map(str, filled["returns"]),
        str(filled["it"]),
        "--manifest",
        str(filled["manifest"]),
    ]
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    n = waiting(filled["departments"], filled["answers"])
    assert f"  {n} device(s) wait for the IT team's vulnerability answers" in result.output.splitlines()
    assert out.is_file()


def test_a_default_campaign_has_no_awaiting_count(tmp_path, pack):
    """A campaign whose departments answer the items: no device waits for the IT team, and the
    accounting has no ``devices_awaiting_it`` key at all."""
    inv = write_it_inventory(tmp_path / "inventaire.csv")
    manifest = generate(inv, tmp_path / "out", Options(campaign="itm", password="pw"), pack).manifest
    books = [tmp_path / "out" / w["file"] for w in manifest["workbooks"]]
    fill_departments(books, tmp_path / "returns", random.Random(SEED))
    result = consolidate([tmp_path / "returns"], manifest=tmp_path / "out" / "campaign.json", pack=pack)
    assert "devices_awaiting_it" not in result.accounting
    assert len(result.register) == len(DEVICES)


def test_type_rows_take_the_it_answers_of_each_device_s_model(tmp_path, pack):
    """``--per cneh``: a department answers the criteria once per type, whose row may span several
    models, sites or unknown models; the IT team answers per model. Each device is scored with its
    type row's criteria and its own group's answers, and no answer is refused as "now of another
    model" (the type row's identity joins its devices' models)."""
    inv = write_it_inventory(tmp_path / "inventaire.csv", extra=4, cneh=True)  # P100 and P200 pumps
    manifest = it_campaign(inv, tmp_path / "out", pack, per="cneh", split_by="none").manifest
    books = [tmp_path / "out" / w["file"] for w in manifest["workbooks"]]
    rng = random.Random(SEED)
    rows = [
        r for book in books for r in fill_departments([book], tmp_path / "returns", rng, (FULL,)).values()
    ]
    it_book = fill_it_workbook(
        tmp_path / "out" / manifest["it_workbook"]["file"], tmp_path / "it" / "IT.xlsx", rng, 0, 0
    )
    departments, models = {}, []
    for row in rows:  # a type row's criteria go to each device it covers
        book = open_book(tmp_path / "returns" / row.file)
        ids = book.input.cell(row.row, book.columns["DEVICE_IDS"]).value
        departments |= {device: replace(row, device=device) for device in ids.split(", ")}
        models.append(book.input.cell(row.row, book.columns["MODEL"]).value)
    assert len(departments) == len(DEVICES) + 4
    assert any(" / " in str(m) for m in models), "no type row spans several models"
    result = consolidate(
        [tmp_path / "returns", it_book], manifest=tmp_path / "out" / "campaign.json", pack=pack
    )
    assert result.problems[result.problems["code"].str.startswith("it-")].empty
    answers = it_answers(read_rows(it_book))
    assert mismatches(result.register, expected_register(departments, answers, pack)) == []
    assert result.accounting["devices_awaiting_it"] == 0
    assert result.register["risk_level"].notna().all()
