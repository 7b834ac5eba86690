"""The risk register sheet and the change form of a generated workbook (``generate --register``):
the contract (code row, rows, _meta), dropdowns, protection, formats and cached values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter
from support.answers import write_inventory
from support.wbtools import open_book

from medrisk_xl.cli import cli
from medrisk_xl.generate.campaign import Options, plan_campaign
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import register_options
from medrisk_xl.workbook.shown import register_shown
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.change_form import field_options


def run_generate(tmp_path: Path, *args: str, devices: int = 6) -> tuple[dict, Path]:
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": devices})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["generate", str(inv), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "campaign.json").read_text(encoding="utf-8"))
    return manifest, out / manifest["workbooks"][0]["file"]


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), False),
        (("--register",), True),
        (("--layout", "form"), True),
        (("--layout", "form", "--no-register"), False),
    ],
)
def test_register_option_and_its_default(tmp_path, pack, args, expected):
    manifest, path = run_generate(tmp_path, *args)
    assert manifest["register"] is expected
    book = open_book(path)
    names = pack.language("fr").register
    assert (names["sheet"]["name"] in book.wb.sheetnames) is expected
    assert (names["change_form"]["sheet"] in book.wb.sheetnames) is expected
    assert bool(book.meta.get("register_sheet")) is expected
    if book.meta["layout"] == "form":  # each form proposes register rows only with a register
        form = book.wb[json.loads(book.meta["forms"])[0]]
        codes = {c.value for c in form["A"] if c.value}
        assert (f"V1{contract.SEED_SUFFIX}" in codes) is expected


def test_register_sheet_contract(tmp_path, pack):
    _, path = run_generate(tmp_path, "--register", devices=70)
    book = open_book(path)
    ws = book.register
    meta = book.meta
    assert meta["register_sheet"] == ws.title and meta["register_columns"] == ",".join(
        contract.register_codes()
    )
    code_row = [c.value for c in ws[contract.CODE_ROW]][: len(contract.register_codes())]
    assert code_row == list(contract.register_codes())
    texts = pack.language("fr").register["sheet"]
    header = [c.value for c in ws[contract.HEADER_ROW]][: len(contract.REGISTER_CODES)]
    assert header == [texts["columns"][code] for code in contract.REGISTER_CODES]
    first, last = int(meta["register_first_row"]), int(meta["register_last_row"])
    assert first == contract.FIRST_ROW and last - first + 1 == 70  # one row per device, 50 at least
    cols = {code: i + 1 for i, code in enumerate(contract.register_codes())}
    assert [ws.cell(r, 1).value for r in (first, last)] == ["R001", "R070"]
    computed = set(contract.REGISTER_LEVELS) | {contract.points_code(c) for c in contract.REGISTER_SCALES}
    for r in (first, last):
        for code, col in cols.items():
            cell = ws.cell(r, col)
            if code == "REG_ID" or code in computed:
                assert cell.protection.locked is not False, (code, cell.coordinate)
            else:
                assert cell.protection.locked is False, (code, cell.coordinate)
            assert (isinstance(cell.value, str) and cell.value.startswith("=")) == (code in computed)
    assert ws.protection.sheet
    hidden = {c for d in ws.column_dimensions.values() if d.hidden for c in range(d.min, d.max + 1)}
    assert hidden == {cols[contract.points_code(code)] for code in contract.REGISTER_SCALES}
    level_format = ws.cell(first, cols["RISK_INITIAL"]).number_format
    levels = pack.language("fr").register["levels"]
    assert all(levels[code]["label"] in level_format for code in ("low", "medium", "high"))
    assert "[=1]" in level_format
    rules = [str(cf.sqref) for cf in ws.conditional_formatting]
    letter = get_column_letter(cols["RISK_RESIDUAL"])
    assert f"{letter}{first}:{letter}{last}" in rules
    # DEVICE offers the workbook's device ids, other text accepted; scales accept nothing else.
    for dv in ws.data_validations.dataValidation:
        sqref = str(dv.sqref)
        col = ws[sqref.split(":")[0]].column
        code = contract.register_codes()[col - 1]
        assert dv.showErrorMessage == (code in contract.REGISTER_SCALES or code in contract.REGISTER_CHOICES)
        if code == "DEVICE":
            assert book.resolve(dv.formula1)[:2] == ["DM-000001", "DM-000002"]


def test_change_form(tmp_path, pack):
    _, path = run_generate(tmp_path, "--register", "--lang", "en")
    book = open_book(path)
    language = pack.language("en")
    ws = book.wb[book.meta["change_sheet"]]
    assert ws.title == language.register["change_form"]["sheet"] and ws.protection.sheet
    rows = {c.value: c.row for c in ws["A"] if c.value}
    assert list(rows) == [f.code for f in pack.register.change_form]
    options = field_options(pack, language)
    assert options["clinical_impact"] == ["Yes", "No"] and options["change_type"] == ["Hardware", "Software"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for fld in pack.register.change_form:
        cell = ws.cell(rows[fld.code], contract.CHANGE_VALUE_COL + 1)
        assert cell.protection.locked is False
        assert (
            ws.cell(rows[fld.code], 2).value == language.register["change_form"]["fields"][fld.code]["label"]
        )
        dv = validations.get(cell.coordinate)
        if fld.code in options:
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(options[fld.code]) + '"'
        elif fld.kind in ("date", "number"):
            assert dv.type == ("date" if fld.kind == "date" else "decimal")
        else:
            assert dv is None


def test_filled_register_rows_carry_the_twins_cached_values(pack):
    language = pack.language("fr")
    options = register_options(pack, language)
    _, plan = plan_campaign(None, pack, Options(register=True))[0]
    plan.register_rows = [
        {
            "SEVERITY": options["severity"][4],
            "PROBABILITY": options["probability"][1],
            "STATUS": options["statuses"][0],
        },
        {"RES_SEVERITY": options["severity"][2], "RES_PROBABILITY": "nope"},
        {"HAZARD": "Mon danger à moi", "SEVERITY": options["severity"][0]},
    ]
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(plan, pack)), data_only=True)
    ws = wb[language.register["sheet"]["name"]]
    cols = {code: i + 1 for i, code in enumerate(contract.register_codes())}
    marker = language.ui["invalid_marker"]
    shown = [
        [ws.cell(contract.FIRST_ROW + i, cols[c]).value for c in contract.REGISTER_LEVELS] for i in range(3)
    ]
    want = [
        [register_shown(row, pack, language)[c] for c in contract.REGISTER_LEVELS]
        for row in plan.register_rows
    ]
    assert (
        [[v if v is not None else "" for v in row] for row in shown]
        == want
        == [[3, ""], ["", marker], ["", ""]]
    )
    assert ws.cell(contract.FIRST_ROW + 2, cols["HAZARD"]).value == "Mon danger à moi"
