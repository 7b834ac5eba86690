"""validate on the IEC 80001-2-1 risk register and the change form: a register filled as a user
would (from its dropdowns, saved by XlsxWriter, openpyxl or LibreOffice) validates clean; each kind
of tampering or incomplete row gives its own problem code on its own cell."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from support.answers import write_inventory
from support.wbtools import fill_register, open_book

from medrisk_xl.generate.campaign import Options, generate, plan_campaign
from medrisk_xl.generate.inventory import read_inventory
from medrisk_xl.validate import CATALOGUE, Report, validate_file
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import register_options
from medrisk_xl.workbook.read.reader import read_workbook
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.change_form import field_options

CODES = contract.register_codes()
COMPUTED = (*contract.REGISTER_LEVELS, *(contract.points_code(c) for c in contract.REGISTER_SCALES))
NEW_CODES = {
    "register-id-changed": "error",
    "register-not-assessed": "warning",
    "register-residual-only": "warning",
    "register-needs-decision": "info",
    "register-row-added": "warning",
    "change-form-value": "warning",
}


def col(code: str) -> str:
    """Column letter of a register code, as the generator places it."""
    return get_column_letter(CODES.index(code) + 1)


def user_rows(pack) -> list[dict[str, Any]]:
    """Register rows as a department fills them: labels from the dropdowns (one in another case),
    a hazard of its own, texts in the free columns; no residual risk is high."""
    o = register_options(pack, pack.language("fr"))
    sev, prob = o["severity"], o["probability"]
    return [
        {
            "DEVICE": "DM-000001",
            "HAZARD": o["hazards"][0],
            "CAUSE": o["causes"][1],
            "SITUATION": o["situations"][0],
            "CONSEQUENCE": "Retard de traitement",
            "PROPERTY": o["key_properties"][0],
            "SEVERITY": sev[3],
            "PROBABILITY": prob[2],
            "CONTROL": "Segmenter le réseau biomédical",
            "CONTROL_TYPE": o["control_types"][1],
            "RES_SEVERITY": sev[1],
            "RES_PROBABILITY": prob[1],
            "IMPLEMENTATION": "VLAN dédié",
            "OWNER": "Service biomédical",
            "STATUS": o["statuses"][1],
        },
        {
            "DEVICE": "DM-000002",
            "HAZARD": "Panne du Wi-Fi du 3e étage",  # not in the library: accepted
            "PROPERTY": o["key_properties"][1].upper(),  # another case: the option
            "SEVERITY": sev[2],
            "PROBABILITY": prob[3].lower(),
            "RES_SEVERITY": sev[2],
            "RES_PROBABILITY": prob[0],
            "STATUS": o["statuses"][0],
        },
        {"HAZARD": o["hazards"][2], "SEVERITY": sev[0], "PROBABILITY": prob[0], "STATUS": o["statuses"][4]},
    ]


def build(tmp: Path, pack, rows: list[dict[str, Any]], name: str, **options) -> Path:
    """One workbook of a 4-device inventory written by the generator, its register rows filled
    (the writer stores the cached values a spreadsheet would show)."""
    inv = tmp / "inv.csv"
    write_inventory(inv, {"Réanimation": 4})
    opts = Options(campaign="reg", password="pw", split_by="none", **options)
    ((_, plan),) = plan_campaign(read_inventory(inv), pack, opts)
    plan.register_rows = rows
    path = tmp / name
    path.write_bytes(build_workbook(plan, pack))
    return path


@pytest.fixture(scope="module")
def case(tmp_path_factory, pack):
    tmp = tmp_path_factory.mktemp("register")
    path = build(tmp, pack, user_rows(pack), "filled.xlsx", register=True)
    meta = open_book(path).meta
    return {
        "path": path,
        "sheet": meta["register_sheet"],
        "change": meta["change_sheet"],
        "first": int(meta["register_first_row"]),
        "last": int(meta["register_last_row"]),
        "options": register_options(pack, pack.language("fr")),
    }


def tampered(case, tmp_path: Path, change, name: str = "t.xlsx") -> Path:
    """A copy of the filled return changed through openpyxl (formulas kept, cached values dropped)."""
    wb = openpyxl.load_workbook(case["path"])
    change(wb)
    out = tmp_path / name
    wb.save(out)
    return out


def on_sheets(report, *sheets: str) -> list:
    return [p for p in report.problems if p.sheet in sheets]


def found(report, code: str) -> list[tuple[str | None, str | None]]:
    return [(p.sheet, p.cell) for p in report.problems if p.code == code]


def test_new_codes_are_in_the_catalogue():
    for code, severity in NEW_CODES.items():
        assert CATALOGUE[code][0] == severity, code


def test_a_filled_register_validates_clean(case, pack, tmp_path):
    report = validate_file(case["path"], pack)
    assert report.status == "valid", report.problems
    assert on_sheets(report, case["sheet"], case["change"]) == []
    assert {p.code for p in report.problems} <= {"not-started"}  # the grid's devices, unanswered
    assert [e.row.row for e in report.register] == [case["first"], case["first"] + 1, case["first"] + 2]
    assert [e.row.id for e in report.register] == ["R001", "R002", "R003"]
    assert [(e.initial, e.residual) for e in report.register] == [(2, 1), (3, 1), (1, None)]
    # Every computed cell of every generated row holds a formula; those showing something store
    # it (XlsxWriter stores an empty result as no value): each was compared.
    sheet = read_workbook(case["path"]).sheets[case["sheet"]]
    n_rows = case["last"] - case["first"] + 1
    formula_cells = {(r, c) for (r, c) in sheet.xml.formulas if case["first"] <= r <= case["last"]}
    assert len(formula_cells) == n_rows * len(COMPUTED)
    showing = {rc for rc in formula_cells if sheet.value(*rc) != ""}
    assert len(showing) == 2 * len(COMPUTED) + 3 and showing <= sheet.xml.cached  # row 3 has no residual risk
    # Saved again by openpyxl (no cached values): still clean.
    again = validate_file(tampered(case, tmp_path, lambda wb: None), pack)
    assert on_sheets(again, case["sheet"], case["change"]) == [] and again.status == "valid"


def test_rows_filled_from_the_dropdowns_validate_clean(case, pack, tmp_path):
    fresh = build(tmp_path, pack, [], "fresh.xlsx", register=True)
    assert on_sheets(validate_file(fresh, pack), case["sheet"], case["change"]) == []
    first = case["first"]
    plan = {
        first: {"DEVICE": 2, "HAZARD": 1, "CAUSE": 0, "PROPERTY": 2, "SEVERITY": 4, "PROBABILITY": 0},
        first + 7: {
            "SEVERITY": 1,
            "PROBABILITY": 4,
            "CONTROL_TYPE": 0,
            "RES_SEVERITY": 0,
            "RES_PROBABILITY": 1,
        },
        case["last"]: {"HAZARD": "Autre danger", "SEVERITY": 2, "PROBABILITY": 2, "STATUS": 3},
    }
    filled = tmp_path / "dropdowns.xlsx"
    fill_register(fresh, filled, plan)
    report = validate_file(filled, pack)
    assert on_sheets(report, case["sheet"], case["change"]) == [] and report.status == "valid"
    assert [e.row.row for e in report.register] == list(plan)
    assert report.register[0].codes["SEVERITY"] == pack.register.severities[4]


@pytest.mark.parametrize(
    "code, value, expected",
    [
        ("RISK_INITIAL", 2, "formula-replaced"),  # the level typed over (protection removed)
        ("RISK_RESIDUAL", None, "formula-replaced"),  # deleted
        ("SEVERITY_POINTS", "=1", "formula-changed"),
        ("RISK_INITIAL", "=3", "formula-changed"),
    ],
)
def test_formulas_typed_over(case, pack, tmp_path, code, value, expected):
    target = f"{col(code)}{case['first'] + 1}"
    path = tampered(case, tmp_path, lambda wb: wb[case["sheet"]].__setitem__(target, value))
    report = validate_file(path, pack)
    assert found(report, expected) == [(case["sheet"], target)]
    assert report.status == "invalid"
    assert [p for p in report.problems if p.code.startswith(("formula", "wrong"))] == [
        p for p in report.problems if p.cell == target
    ]


def sheet_part(path: Path, name: str) -> str:
    """The zip member of sheet ``name``."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+" r:id="(rId\d+)"', workbook).group(1)
    return "xl/" + re.search(rf'Id="{rid}"[^>]* Target="([^"]+)"', rels).group(1)


def test_a_level_shown_otherwise_than_computed(case, pack, tmp_path):
    """The formula kept but its cached value changed: the department saw another level."""
    target = f"{col('RISK_INITIAL')}{case['first']}"
    part = sheet_part(case["path"], case["sheet"])
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(case["path"]) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text, n = re.subn(
                    rf'(<c r="{target}"[^>]*><f>[^<]*</f><v>)2(</v>)', r"\g<1>3\g<2>", data.decode()
                )
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)
    report = validate_file(out, pack)
    wrong = [p for p in report.problems if p.code == "wrong-cached-value"]
    assert [(p.sheet, p.cell) for p in wrong] == [(case["sheet"], target)]
    assert "3" in wrong[0].message and "2" in wrong[0].message and report.status == "invalid"


def test_a_changed_row_id(case, pack, tmp_path):
    target = f"A{case['first'] + 1}"
    report = validate_file(
        tampered(case, tmp_path, lambda wb: wb[case["sheet"]].__setitem__(target, "R099")), pack
    )
    ids = [p for p in report.problems if p.code == "register-id-changed"]
    assert [(p.sheet, p.cell, p.severity) for p in ids] == [(case["sheet"], target, "error")]
    assert "R099" in ids[0].message and "R002" in ids[0].message and report.status == "invalid"


def test_rows_inserted_in_the_register_give_one_id_problem(case, pack, tmp_path):
    report = validate_file(
        tampered(case, tmp_path, lambda wb: wb[case["sheet"]].insert_rows(case["first"] + 1)), pack
    )
    ids = [p for p in report.problems if p.code == "register-id-changed"]
    assert len(ids) == 1 and ids[0].cell == f"A{case['first'] + 1}"
    assert report.status == "invalid"


def test_answers_outside_their_lists(case, pack, tmp_path):
    r = case["first"]
    o = case["options"]

    def change(wb):
        ws = wb[case["sheet"]]
        ws[f"{col('SEVERITY')}{r}"] = "Très grave"
        ws[f"{col('STATUS')}{r}"] = "Fini"
        ws[f"{col('RES_PROBABILITY')}{r + 1}"] = 2  # a rank typed instead of the label
        ws[f"{col('HAZARD')}{r + 1}"] = "Un danger à nous"  # a library: any text accepted
        ws[f"{col('DEVICE')}{r + 1}"] = "Pompe sans numéro"  # any text accepted

    report = validate_file(tampered(case, tmp_path, change), pack)
    bad = {p.cell: p for p in report.problems if p.code == "invalid-answer"}
    assert set(bad) == {f"{col('SEVERITY')}{r}", f"{col('STATUS')}{r}", f"{col('RES_PROBABILITY')}{r + 1}"}
    assert all(p.severity == CATALOGUE["invalid-answer"][0] == "error" for p in bad.values())
    severity = bad[f"{col('SEVERITY')}{r}"].message
    assert "Très grave" in severity and all(label in severity for label in o["severity"])
    assert all(label in bad[f"{col('STATUS')}{r}"].message for label in o["statuses"])
    assert {p.sheet for p in bad.values()} == {case["sheet"]} and report.status == "invalid"


def test_half_filled_and_residual_only_rows_are_warnings(case, pack, tmp_path):
    r = case["first"]
    o = case["options"]

    def change(wb):
        ws = wb[case["sheet"]]
        ws[f"{col('PROBABILITY')}{r}"] = None  # initial half-filled
        ws[f"{col('RES_SEVERITY')}{r}"] = None  # residual half-filled
        ws[f"{col('SEVERITY')}{r + 1}"] = None  # residual only
        ws[f"{col('PROBABILITY')}{r + 1}"] = None
        ws[f"{col('HAZARD')}{r + 5}"] = o["hazards"][3]  # a hazard, no risk estimated

    report = validate_file(tampered(case, tmp_path, change), pack)
    assert report.status == "valid"
    assert found(report, "register-not-assessed") == [
        (case["sheet"], f"{col('PROBABILITY')}{r}"),
        (case["sheet"], f"{col('RES_SEVERITY')}{r}"),
        (case["sheet"], f"{col('SEVERITY')}{r + 5}"),
    ]
    assert found(report, "register-residual-only") == [(case["sheet"], f"{col('SEVERITY')}{r + 1}")]
    severities = {p.severity for p in report.problems if p.code.startswith("register-")}
    assert severities == {"warning"}
    assert [e.row.row for e in report.register] == [r, r + 1, r + 2, r + 5]


def test_a_high_residual_risk_needs_a_decision(case, pack, tmp_path):
    r = case["first"] + 1
    o = case["options"]

    def change(wb):
        ws = wb[case["sheet"]]
        ws[f"{col('RES_SEVERITY')}{r}"] = o["severity"][-1]
        ws[f"{col('RES_PROBABILITY')}{r}"] = o["probability"][-1]

    report = validate_file(tampered(case, tmp_path, change), pack)
    flagged = [p for p in report.problems if p.code == "register-needs-decision"]
    assert [(p.cell, p.severity) for p in flagged] == [(f"{col('RISK_RESIDUAL')}{r}", "info")]
    assert "7.4.6" in flagged[0].message and report.status == "valid"
    assert [e.needs_decision for e in report.register] == [False, True, False]


def test_rows_below_the_register_are_kept_and_reported(case, pack, tmp_path):
    below = case["last"] + 2
    o = case["options"]

    def change(wb):
        ws = wb[case["sheet"]]
        ws[f"{col('HAZARD')}{below}"] = o["hazards"][1]
        ws[f"{col('SEVERITY')}{below}"] = o["severity"][4]
        ws[f"{col('PROBABILITY')}{below}"] = o["probability"][4]

    report = validate_file(tampered(case, tmp_path, change), pack)
    added = [p for p in report.problems if p.code == "register-row-added"]
    assert [(p.sheet, p.row, p.severity) for p in added] == [(case["sheet"], below, "warning")]
    assert report.status == "valid"
    kept = report.register[-1]
    assert kept.row.row == below and kept.initial == 3
    assert found(report, "register-id-changed") == []


def test_register_protection_removed(case, pack, tmp_path):
    def unprotect(wb):
        wb[case["sheet"]].protection.sheet = False

    report = validate_file(tampered(case, tmp_path, unprotect), pack)
    assert found(report, "protection-removed") == [(case["sheet"], None)]


def test_register_sheet_missing_or_code_row_damaged(case, pack, tmp_path):
    report = validate_file(tampered(case, tmp_path, lambda wb: wb.remove(wb[case["sheet"]])), pack)
    assert found(report, "sheet-missing") == [(case["sheet"], None)] and report.status == "invalid"
    assert report.register == []
    target = f"{col('SEVERITY')}{contract.CODE_ROW}"
    report = validate_file(
        tampered(case, tmp_path, lambda wb: wb[case["sheet"]].__setitem__(target, "GRAVITE")), pack
    )
    missing = [p for p in report.problems if p.code == "sheet-missing"]
    assert [(p.sheet, p.row) for p in missing] == [(case["sheet"], contract.CODE_ROW)]
    assert "SEVERITY" in missing[0].message and report.status == "invalid"


def change_rows(ws) -> dict[str, int]:
    return {c.value: c.row for c in ws["A"] if isinstance(c.value, str) and c.value}


def test_change_form_values(case, pack, tmp_path):
    options = field_options(pack, pack.language("fr"))
    good = {
        "requester": "Dr Martin, réanimation",
        "change_type": options["change_type"][1].upper(),
        "clinical_impact": options["clinical_impact"][0],
        "affected_users": 40,
        "tested_before": "Oui, par le biomédical sur la salle 3",  # a text field
        "change_date": dt.datetime(2025, 3, 1, 22, 0),
        "downtime": 30,
    }

    def fill(values):
        def change(wb):
            ws = wb[case["change"]]
            rows = change_rows(ws)
            for code, value in values.items():
                ws.cell(rows[code], contract.CHANGE_VALUE_COL + 1).value = value

        return change

    report = validate_file(tampered(case, tmp_path, fill(good), "good.xlsx"), pack)
    assert on_sheets(report, case["change"]) == []
    bad = {
        "change_type": "Réseau",
        "clinical_impact": "peut-être",
        "change_date": "demain soir",
        "affected_users": "une centaine",
        "downtime": -5,
        "requester": 12,  # a text field takes anything
    }
    path = tampered(case, tmp_path, fill({**good, **bad}), "bad.xlsx")
    rows = change_rows(openpyxl.load_workbook(path)[case["change"]])
    report = validate_file(path, pack)
    problems = [p for p in report.problems if p.code == "change-form-value"]
    value_col = get_column_letter(contract.CHANGE_VALUE_COL + 1)
    assert {p.cell for p in problems} == {f"{value_col}{rows[c]}" for c in bad if c != "requester"}
    assert {p.sheet for p in problems} == {case["change"]} and report.status == "valid"
    by_cell = {p.cell: p.message for p in problems}
    assert all(o in by_cell[f"{value_col}{rows['change_type']}"] for o in options["change_type"])


def test_the_form_layout_validates_clean(pack, tmp_path):
    """--layout form: the register is on by default."""
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Achats": 3})
    result = generate(inv, tmp_path / "c", Options(layout="form", split_by="none"), pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    meta = open_book(path).meta
    assert meta["register_sheet"] and meta["change_sheet"]
    report = validate_file(path, pack)
    assert report.status == "valid" and report.register == []
    assert on_sheets(report, meta["register_sheet"], meta["change_sheet"]) == []
    filled = build(tmp_path, pack, user_rows(pack), "form.xlsx", layout="form")
    report = validate_file(filled, pack)
    assert report.status == "valid" and len(report.register) == 3
    assert on_sheets(report, meta["register_sheet"], meta["change_sheet"]) == []


def test_a_workbook_without_register_has_no_register_problem(pack, tmp_path):
    path = build(tmp_path, pack, [], "plain.xlsx")
    meta = open_book(path).meta
    assert not meta.get("register_sheet")
    report = validate_file(path, pack)
    assert report.register == [] and report.status == "valid"
    assert not [p for p in report.problems if p.code in NEW_CODES]


def test_text_report_groups_the_register_problems(case, pack, tmp_path):
    r = case["first"]

    def change(wb):
        ws = wb[case["sheet"]]
        ws[f"{col('PROBABILITY')}{r + 2}"] = None
        ws[f"A{r}"] = "R777"
        ws[f"{col('SEVERITY')}{r + 1}"] = "Énorme"

    report = validate_file(tampered(case, tmp_path, change), pack)
    text = Report([report]).to_text()
    lines = text.splitlines()
    block = lines.index(f"  {case['sheet']}:")
    mine = lines[block + 1 : block + 4]
    assert [line.rsplit("[", 1)[1] for line in mine] == [
        "register-id-changed]",
        "invalid-answer]",
        "register-not-assessed]",
    ]
    assert all(line.startswith("    ") for line in mine)
    assert f"(A{r})" in mine[0] and f"({col('SEVERITY')}{r + 1})" in mine[1]


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_register_saved_by_libreoffice_validates_clean(case, pack, soffice, tmp_path, fmt):
    from medrisk_xl.engines.libreoffice import convert

    (saved,) = convert([case["path"]], tmp_path / "lo", fmt)
    report = validate_file(saved, pack)
    assert on_sheets(report, case["sheet"], case["change"]) == [], report.problems
    assert report.status == "valid" and len(report.register) == 3
    xml = read_workbook(saved).sheets[case["sheet"]].xml
    n_rows = case["last"] - case["first"] + 1
    # LibreOffice recalculated and stored every computed cell: all of them were compared.
    assert len([rc for rc in xml.cached if case["first"] <= rc[0] <= case["last"]]) == n_rows * len(COMPUTED)
    assert xml.protected
