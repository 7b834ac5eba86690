"""Device status (issue 26) in LibreOffice and Gnumeric: a retired or missing device's row shows
"out of the fleet" and no score whatever its answers, any other status leaves the row as its
answers make it; a return saved by LibreOffice (.xlsx, .ods) consolidates as the filled one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support.engines import recalculate
from support.wbtools import fill, open_book

from medrisk_xl.consolidate import consolidate
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.workbook import contract

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parents[2]
FILE = "Oncologie.xlsx"
OUT_TEXT = "Hors parc (non évalué)"


@pytest.fixture(scope="module")
def proof(tmp_path_factory, pack) -> dict:
    base = tmp_path_factory.mktemp("status-engines")
    generate(ROOT / "samples" / "inventory.csv", base / "c", Options(campaign="c", password="pw"), pack)
    book = open_book(base / "c" / FILE)
    rows = {d: r for r in book.rows if (d := book.input.cell(r, book.columns["ID"]).value)}
    ids = list(rows)
    full = dict.fromkeys(pack.method.codes, 1)
    statuses = {
        ids[0]: 1,
        ids[1]: 2,
        ids[2]: 4,
        ids[3]: 3,
        ids[4]: 0,
    }  # retired, moved, missing, lent, present
    plan = {rows[d]: {**full, contract.DEVICE_STATUS_CODE: s} for d, s in statuses.items()}
    filled = base / "filled" / FILE
    filled.parent.mkdir()
    fill(base / "c" / FILE, filled, plan)
    return {"base": base, "book": book, "rows": rows, "ids": ids, "filled": filled}


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
def test_engines_put_retired_and_missing_out_of_the_fleet(proof, pack, engine):
    values = recalculate(engine, [proof["filled"]], proof["base"] / engine)[proof["filled"]]
    book, rows, ids = proof["book"], proof["rows"], proof["ids"]
    sheet = values[book.meta["input_sheet"]]
    want = score_indexes(dict.fromkeys(pack.method.codes, 1), pack)
    for device in ids[:5]:
        status = sheet.get((rows[device], book.columns["STATUS"]))
        risk = sheet.get((rows[device], book.columns["RISK_LEVEL"]), "")
        if device in (ids[0], ids[2]):
            assert (status, risk) == (OUT_TEXT, ""), (engine, device)
        else:
            assert status == pack.language("fr").status_label(want.status), (engine, device)
            assert risk == want.risk_level, (engine, device)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_return_saved_by_libreoffice_consolidates_the_same(proof, pack, kind):
    (saved,) = convert([proof["filled"]], proof["base"] / f"lo-{kind}", kind)
    want = consolidate([proof["filled"]], pack=pack).register.set_index("device_id")
    got = consolidate([saved], pack=pack).register.set_index("device_id")
    columns = ["status", "risk_level", "device_status", "device_note"]
    pd.testing.assert_frame_equal(got.loc[want.index, columns], want[columns])
    assert want.loc[proof["ids"][0], "status"] == contract.STATUS_OUT
