"""Each device judged on its own row (issue 27): which devices the map holds, and why the others
are not in it, on the shipped samples and on a generated campaign with faults spread over its
departments. Every expected list is written out here, never computed by consolidate's code."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support.answers import write_inventory
from support.wbtools import fill, open_book

from medrisk_xl.consolidate import consolidate
from medrisk_xl.core.inclusion_rules import DEVICE, FILE, INCLUSION, NOT_MAPPED_REASONS, NOTHING
from medrisk_xl.core.problem_catalogue import CONSOLIDATE, OPENING, VALIDATE, codes_of
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.validate import validate

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


def test_every_problem_code_a_consolidation_meets_is_classified():
    """validate's, the opening's and consolidate's codes (and the duplicate across departments)
    each exclude a file, a device or nothing: none is left to chance."""
    met = {*codes_of(VALIDATE), *codes_of(OPENING), *codes_of(CONSOLIDATE), "duplicate-device"}
    assert met <= set(INCLUSION), sorted(met - set(INCLUSION))
    assert set(INCLUSION.values()) == {FILE, DEVICE, NOTHING}
    # the examples, written out
    for code in (
        "formula-replaced",
        "formula-changed",
        "wrong-cached-value",
        "protection-removed",
        "device-moved",
    ):
        assert INCLUSION[code] == NOTHING, code
    for code in ("device-missing", "device-duplicated", "identity-changed", "invalid-answer"):
        assert INCLUSION[code] == DEVICE, code
    for code in (
        "unreadable",
        "other-campaign",
        "other-content",
        "unknown-schema",
        "not-medrisk",
        "sheet-missing",
    ):
        assert INCLUSION[code] == FILE, code
    assert len(set(NOT_MAPPED_REASONS)) == len(NOT_MAPPED_REASONS)


# The samples: Urgences' incomplete and unstarted devices, Réanimation's invalid answer. Bloc
# opératoire's deleted row and Réanimation's overwritten score cell unmap nobody else.
SAMPLE_NOT_MAPPED = {
    "DM-021710": "incomplete",
    "DM-022112": "incomplete",
    "DM-027576": "not-started",
    "DM-045178": "not-started",
    "DM-045762": "not-started",
    "DM-045860": "not-started",
    "DM-046005": "not-started",
    "DM-046600": "not-started",
    "DM-046791": "not-started",
    "DM-047144": "not-started",
    "DM-047327": "not-started",
    "DM-047440": "not-started",
    "DM-047498": "not-started",
    "DM-047655": "not-started",
    "DM-016132": "invalid-answer",
}
# --strict: every device of Bloc opératoire and Réanimation is out, as before issue 27.
STRICT_OUT = {"Bloc opératoire": 15, "Réanimation": 26}


def _reasons(register: pd.DataFrame) -> dict[str, str]:
    out = register[~register["mapped"]]
    return dict(zip(out["device_id"], out["not_mapped_reason"]))


def test_the_samples_map_every_device_on_its_own_row(pack):
    result = consolidate([RETURNS], manifest=MANIFEST, pack=pack)
    reg = result.register
    assert _reasons(reg) == SAMPLE_NOT_MAPPED
    assert int(reg["mapped"].sum()) == 90 == result.accounting["devices_in_map"]
    assert reg.loc[reg["mapped"], "not_mapped_reason"].isna().all()
    by_department = reg[reg["mapped"]].groupby("department").size().to_dict()
    assert by_department == {
        "Bloc opératoire": 15,
        "Cardiologie": 14,
        "Laboratoire": 7,
        "Néonatologie": 10,
        "Oncologie": 8,
        "Réanimation": 25,
        "Urgences": 11,
    }
    # still reported: the deleted row, the overwritten cell, the removed protection
    codes = set(result.problems["code"])
    assert {"device-missing", "formula-replaced", "protection-removed", "invalid-answer"} <= codes


def test_strict_keeps_the_whole_file_rule(pack):
    reg = consolidate([RETURNS], manifest=MANIFEST, pack=pack, strict=True).register
    reasons = _reasons(reg)
    assert int(reg["mapped"].sum()) == 50
    strict_out = reg[reg["not_mapped_reason"] == "invalid-file"].groupby("department").size().to_dict()
    assert strict_out == STRICT_OUT
    others = {d: r for d, r in reasons.items() if r != "invalid-file"}
    assert others == {d: r for d, r in SAMPLE_NOT_MAPPED.items() if d != "DM-016132"}


# -- a generated campaign, faults spread over its departments ----------------------------------

DEPARTMENTS = {"Alpha": 4, "Bravo": 4, "Charlie": 4, "Delta": 4, "Echo": 4, "Foxtrot": 3}
# DM-000001..04 Alpha (clean), 05..08 Bravo, 09..12 Charlie, 13..16 Delta, 17..20 Echo, 21..23 Foxtrot.
FAULTED_NOT_MAPPED = {
    "DM-000011": "invalid-answer",  # Charlie: its own answer pasted as text
    "DM-000014": "identity-changed",  # Delta: its designation edited
    "DM-000015": "not-started",  # Delta: left empty
    "DM-000019": "device-duplicated",  # Echo: its id typed on DM-000020's row too
    "DM-000021": "file-error",  # Foxtrot: its list sheet relabelled
    "DM-000022": "file-error",
    "DM-000023": "file-error",
}
# Not in the register at all: Bravo's deleted row, Echo's overwritten id.
FAULTED_ABSENT = {"DM-000006", "DM-000020"}
FAULTED_MAPPED = {
    *(f"DM-{n:06d}" for n in (1, 2, 3, 4)),  # Alpha
    *(f"DM-{n:06d}" for n in (5, 7, 8)),  # Bravo: a row deleted, protection removed
    *(f"DM-{n:06d}" for n in (9, 10, 12)),  # Charlie: a score overwritten, a formula changed
    *(f"DM-{n:06d}" for n in (13, 16)),  # Delta
    *(f"DM-{n:06d}" for n in (17, 18)),  # Echo: the two rows swapped (sorted)
}
STRICT_MAPPED = {f"DM-{n:06d}" for n in (1, 2, 3, 4)}


def _rows(book) -> dict[str, int]:
    id_col = book.columns["ID"]
    return {book.input.cell(r, id_col).value: r for r in book.rows if book.input.cell(r, id_col).value}


def _tamper(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    book = open_book(path)
    change(wb, book, _rows(book))
    wb.save(path)


def _bravo(wb, book, rows) -> None:
    ws = wb[book.meta["input_sheet"]]
    ws.delete_rows(rows["DM-000006"])
    ws.protection.sheet = False


def _charlie(wb, book, rows) -> None:
    ws, cols = wb[book.meta["input_sheet"]], book.columns
    ws.cell(rows["DM-000010"], cols["CRIT_SCORE"]).value = 7
    ws.cell(rows["DM-000012"], cols["RISK_LEVEL"]).value = "=1"
    ws.cell(rows["DM-000011"], cols["C3"]).value = "peut-être"


def _delta(wb, book, rows) -> None:
    ws, cols = wb[book.meta["input_sheet"]], book.columns
    ws.cell(rows["DM-000014"], cols["DESIGNATION"]).value = "Autre appareil"
    for code in (*(f"C{i}" for i in range(1, 10)), *(f"V{i}" for i in range(1, 11))):
        ws.cell(rows["DM-000015"], cols[code]).value = None


def _echo(wb, book, rows) -> None:
    """DM-000017 and DM-000018 swap rows (values only, as a sort leaves row formulas on their
    row); DM-000020's row gets DM-000019's id."""
    ws = wb[book.meta["input_sheet"]]
    a, b = rows["DM-000017"], rows["DM-000018"]
    for c in range(1, ws.max_column + 1):
        x, y = ws.cell(a, c), ws.cell(b, c)
        if not (isinstance(x.value, str) and x.value.startswith("=")):
            x.value, y.value = y.value, x.value
    ws.cell(rows["DM-000020"], book.columns["ID"]).value = "DM-000019"


def _foxtrot(wb, book, rows) -> None:
    """The list sheet's options relabelled: no answer of the file can be trusted."""
    wb[book.meta["lists_sheet"]]["B2"].value = "Autre chose"


@pytest.fixture(scope="module")
def faulted(tmp_path_factory, pack) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("faulted")
    inv = base / "inventory.csv"
    write_inventory(inv, DEPARTMENTS)
    made = generate(inv, base / "campaign", Options(campaign="faults-2026"), pack)
    rng = random.Random(27)
    returns = base / "returns"
    returns.mkdir()
    tamper = {"Bravo": _bravo, "Charlie": _charlie, "Delta": _delta, "Echo": _echo, "Foxtrot": _foxtrot}
    for entry in made.manifest["workbooks"]:
        src = base / "campaign" / entry["file"]
        rows = _rows(open_book(src))
        answers = {c: rng.randrange(4) for c in (f"C{i}" for i in range(1, 10))}
        answers |= {v: rng.randrange(2) for v in (f"V{i}" for i in range(1, 11))}
        fill(src, returns / entry["file"], {r: dict(answers) for r in rows.values()})
        if entry["department"] in tamper:
            _tamper(returns / entry["file"], tamper[entry["department"]])
    return returns, base / "campaign" / "campaign.json"


def test_a_faulted_campaign_maps_each_device_by_its_own_row(faulted, pack):
    returns, manifest = faulted
    result = consolidate([returns], manifest=manifest, pack=pack)
    reg = result.register
    assert set(reg.loc[reg["mapped"], "device_id"]) == FAULTED_MAPPED
    assert _reasons(reg) == FAULTED_NOT_MAPPED
    assert FAULTED_ABSENT.isdisjoint(reg["device_id"])
    cov = result.coverage.set_index(["level", "name"])
    # returned counts rows: Echo's DM-000019 is on two rows, DM-000020's row lost; Bravo lost one
    assert tuple(result.coverage.iloc[0][["expected", "returned", "mapped"]]) == (23, 22, 14)
    per_department = {
        name: tuple(cov.loc[("department", name), ["expected", "returned", "mapped"]]) for name in DEPARTMENTS
    }
    assert per_department == {
        "Alpha": (4, 4, 4),
        "Bravo": (4, 3, 3),
        "Charlie": (4, 4, 3),
        "Delta": (4, 4, 2),
        "Echo": (4, 4, 2),
        "Foxtrot": (3, 3, 0),
    }
    codes = set(result.problems["code"])
    expected = {"device-missing", "device-moved", "formula-replaced", "formula-changed", "protection-removed"}
    assert (
        expected | {"identity-changed", "device-duplicated", "invalid-answer", "relabelled-options"} <= codes
    )


def test_a_faulted_campaign_with_strict_maps_only_the_clean_workbook(faulted, pack):
    returns, manifest = faulted
    reg = consolidate([returns], manifest=manifest, pack=pack, strict=True).register
    assert set(reg.loc[reg["mapped"], "device_id"]) == STRICT_MAPPED
    assert set(reg["not_mapped_reason"].dropna()) <= {"invalid-file", "file-error", "not-started"}


def test_a_sorted_row_whose_identity_was_edited_is_caught_where_it_stands(faulted, pack, tmp_path):
    """validate checks a moved row's identity on the row where it now stands."""
    returns, _manifest = faulted
    echo = next(returns.glob("Echo*.xlsx"))
    edited = tmp_path / echo.name
    wb = openpyxl.load_workbook(echo)
    book = open_book(echo)
    ws = wb[book.meta["input_sheet"]]
    row = _rows(book)["DM-000017"]  # moved onto DM-000018's generated row
    ws.cell(row, book.columns["DESIGNATION"]).value = "Autre appareil"
    wb.save(edited)
    [report] = validate([edited], pack=pack).files
    changed = [p for p in report.problems if p.code == "identity-changed"]
    assert [(p.device_id, p.row) for p in changed] == [("DM-000017", row)]
    assert changed[0].cell and changed[0].cell.endswith(str(row))


def test_the_command_line_strict_flag_keeps_the_whole_file_rule(tmp_path):
    """consolidate --strict: the earlier 50 devices mapped; the CSV says why the others are not."""
    from click.testing import CliRunner

    from medrisk_xl.cli import cli

    csv = tmp_path / "register.csv"
    args = ["consolidate", str(RETURNS), "-o", str(tmp_path / "map.xlsx"), "--strict", "--csv", str(csv)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0 and "Traceback" not in res.output
    assert ": 50 device(s) mapped, 105 in the register" in res.output
    back = pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["mapped"].value_counts().to_dict() == {"true": 50, "false": 55}
    reasons = back.loc[back["mapped"] == "false", "not_mapped_reason"].value_counts().to_dict()
    assert reasons == {"invalid-file": 41, "not-started": 12, "incomplete": 2}
