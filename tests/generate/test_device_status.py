"""Device status (issue 26): a department says in its DEVICE_STATUS column that a device was
retired, moved, lent or is missing, instead of deleting its row. Retired and missing devices are
not assessed and not counted as not started; every status but "present" reaches the inventory
team's sheet with the department's comment. Expectations are written here from the issue."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support.wbtools import fill, open_book

from medrisk_xl import load_pack
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.validate import validate
from medrisk_xl.workbook import contract

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "samples" / "inventory.csv"
FILE = "Oncologie.xlsx"
OPTIONS = ["Présent", "Réformé", "Muté vers un autre service", "Prêté", "Introuvable"]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, pack) -> Path:
    out = tmp_path_factory.mktemp("status") / "c"
    generate(INVENTORY, out, Options(campaign="c", password="pw"), pack)
    return out


def test_every_device_row_offers_the_statuses_present_by_default(campaign):
    book = open_book(campaign / FILE)
    col = book.columns[contract.DEVICE_STATUS_CODE]
    note = book.columns[contract.DEVICE_NOTE_CODE]
    assert book.input.cell(contract.HEADER_ROW, col).value == "Statut du DM"
    dropdowns = book.dropdowns()
    devices = [r for r in book.rows if book.input.cell(r, book.columns["ID"]).value]
    for r in devices:
        cell = book.input.cell(r, col)
        assert cell.value == "Présent" and cell.protection.locked is False
        assert dropdowns[cell.coordinate] == OPTIONS
        assert book.input.cell(r, note).protection.locked is False
    assert book.columns["V10"] < col < book.columns["CRIT_SCORE"]  # after the answers, before the results
    start = [str(c.value) for row in book.wb.worksheets[0].iter_rows() for c in row if c.value]
    assert any("ne supprimez aucune ligne" in t for t in start)


def test_type_rows_and_forms_have_no_device_status(tmp_path, pack):
    generate(INVENTORY, tmp_path / "t", Options(campaign="c", password="pw", per="cneh"), pack)
    generate(INVENTORY, tmp_path / "f", Options(campaign="c", password="pw", layout="form"), pack)
    book = open_book(next((tmp_path / "t").glob("*.xlsx")))
    assert contract.DEVICE_STATUS_CODE not in book.columns
    wb = openpyxl.load_workbook(next((tmp_path / "f").glob("*.xlsx")))
    assert not any(c.value == contract.DEVICE_STATUS_CODE for ws in wb for row in ws.iter_rows() for c in row)


@pytest.fixture(scope="module")
def returned(campaign, pack) -> dict:
    """Oncologie returned: a retired device (answered anyway), a device moved (answered), one
    missing (unanswered), one lent (unanswered), one answered and present."""
    book = open_book(campaign / FILE)
    rows = {d: r for r in book.rows if (d := book.input.cell(r, book.columns["ID"]).value)}
    ids = list(rows)
    full = dict.fromkeys(pack.method.codes, 0)
    plan = {
        ids[0]: {**full, contract.DEVICE_STATUS_CODE: 1, contract.DEVICE_NOTE_CODE: "réformé en mars"},
        ids[1]: {**full, contract.DEVICE_STATUS_CODE: 2, contract.DEVICE_NOTE_CODE: "parti en cardiologie"},
        ids[2]: {contract.DEVICE_STATUS_CODE: 4},
        ids[3]: {contract.DEVICE_STATUS_CODE: 3},
        ids[4]: dict(full),
    }
    out = campaign.parent / "returns" / FILE
    out.parent.mkdir(exist_ok=True)
    fill(campaign / FILE, out, {rows[d]: answers for d, answers in plan.items()})
    report = validate([out])
    result = consolidate([out], pack=pack)
    return {"ids": ids, "out": out, "report": report.files[0], "result": result}


def test_retired_and_missing_are_out_and_not_counted(returned, pack):
    ids, report = returned["ids"], returned["report"]
    assert report.status == "valid"
    assert report.devices["total"] == len(ids) - 2  # retired and missing: out of the fleet
    assert report.devices["not_started"] == len(ids) - 5 + 1  # the lent one, and the untouched rows
    reg = returned["result"].register.set_index("device_id")
    for device in ids[0], ids[2]:
        assert reg.loc[device, "status"] == contract.STATUS_OUT
        assert pd.isna(reg.loc[device, "risk_level"]) and pd.isna(reg.loc[device, "priority"])
    want = score_indexes(dict.fromkeys(pack.method.codes, 0), pack)
    for device in ids[1], ids[4]:  # moved but still assessed, and present
        assert reg.loc[device, "risk_level"] == want.risk_level
    assert list(reg.loc[list(ids[:5]), "device_status"]) == ["retired", "moved", "missing", "lent", "present"]


def test_every_other_status_is_reported_for_the_inventory_team(returned):
    ids, report = returned["ids"], returned["report"]
    found = {p.device_id: p for p in report.problems if p.code == "device-status"}
    assert set(found) == set(ids[:4])
    assert "retired (réformé en mars)" in found[ids[0]].message and found[ids[0]].severity == "info"


def test_the_consolidated_workbook_lists_them_for_the_cmms(returned, pack, tmp_path):
    path = tmp_path / "map.xlsx"
    write_consolidated(returned["result"], path, pack)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert "À mettre à jour dans la GMAO" in wb.sheetnames
    rows = list(wb["À mettre à jour dans la GMAO"].iter_rows(values_only=True))
    listed = {r[0]: (r[6], r[7]) for r in rows[2:]}
    ids = returned["ids"]
    assert listed == {
        ids[0]: ("Réformé", "réformé en mars"),
        ids[1]: ("Muté vers un autre service", "parti en cardiologie"),
        ids[2]: ("Introuvable", None),
        ids[3]: ("Prêté", None),
    }


def test_a_status_outside_the_list_and_a_deleted_row_are_errors(campaign, tmp_path):
    book = open_book(campaign / FILE)
    r = next(r for r in book.rows if book.input.cell(r, book.columns["ID"]).value)
    bad = tmp_path / FILE
    fill(campaign / FILE, bad, {r: {contract.DEVICE_STATUS_CODE: "Parti"}})
    report = validate([bad]).files[0]
    (p,) = [p for p in report.problems if p.code == "invalid-answer"]
    col = book.input.cell(r, book.columns[contract.DEVICE_STATUS_CODE]).column_letter
    assert p.cell == f"{col}{r}" and report.status == "invalid"
    book.input.delete_rows(r)
    book.wb.save(tmp_path / "deleted.xlsx")
    codes = {p.code for p in validate([tmp_path / "deleted.xlsx"]).files[0].problems}
    assert "device-missing" in codes


def test_a_workbook_without_the_column_still_reads(tmp_path, pack, edit_pack):
    """A workbook generated before the column existed (or with a site pack without its texts,
    which the content hash leaves out): every device is present."""
    older = edit_pack("fr/ui.yaml", lambda d: d.pop("device_status"))
    older_pack = load_pack(older)
    assert older_pack.hash == pack.hash
    result = generate(INVENTORY, tmp_path / "c", Options(campaign="c", password="pw"), older_pack)
    assert (
        contract.DEVICE_STATUS_CODE
        not in open_book(tmp_path / "c" / result.manifest["workbooks"][0]["file"]).columns
    )
    read = consolidate([tmp_path / "c"], pack=pack)
    assert len(read.register) == 120 and read.register["device_status"].isna().all()
