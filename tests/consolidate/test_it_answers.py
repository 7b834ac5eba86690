"""The IT team's answers applied by ``consolidate`` (issue 25): an IT workbook built by
``medrisk-xl confirm`` from the sample returns, filled with openpyxl, consolidated with them.

Every expected value comes from tests/support/it_answers_oracle.py: the departments' answers read
from a consolidation without the IT workbook, the IT answers substituted for NE SAIT PAS only, and
every device scored again by the reference scorer; or is written by hand.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support.it_answers_oracle import (
    DEPARTMENT,
    IT,
    ITEMS,
    MANIFEST,
    NO,
    RETURNS,
    UNKNOWN,
    YES,
    answer_sheet,
    build,
    by_device,
    columns,
    copy_returns,
    cycled,
    edit_return,
    expected,
    fill,
    mismatches,
    read_rows,
    run,
    substitutions,
)

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.exports import write_csv

ONCOLOGY = "Oncologie (LibreOffice).xlsx"


def digests(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module", autouse=True)
def samples_untouched():
    """No test changes a byte of the sample returns."""
    before = digests(RETURNS)
    yield
    assert digests(RETURNS) == before


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("it_answers")


@pytest.fixture(scope="module")
def blank(base) -> Path:
    """The IT workbook of the sample returns, as ``confirm`` writes it."""
    return build(base / "A-CONFIRMER.xlsx")


@pytest.fixture(scope="module")
def filled(base, blank) -> Path:
    """The IT workbook with OUI, NON, NE SAIT PAS and no answer in turn, row after row."""
    return fill(blank, base / "filled" / "A-CONFIRMER.xlsx", cycled(read_rows(blank)))


@pytest.fixture(scope="module")
def before(pack):
    """The sample returns consolidated without any IT workbook: the departments' answers."""
    return consolidate([RETURNS], manifest=MANIFEST, pack=pack)


@pytest.fixture(scope="module")
def after(pack, filled):
    data = filled.read_bytes()
    result = consolidate([RETURNS, filled], manifest=MANIFEST, pack=pack)
    assert filled.read_bytes() == data
    return result


def it_problems(result, code: str | None = None) -> pd.DataFrame:
    p = result.problems
    return p[p["code"] == code] if code else p[p["code"].str.startswith("it-")]


def test_every_device_is_scored_with_the_it_answers_in_place_of_ne_sait_pas(pack, before, after, filled):
    rows = read_rows(filled)
    subs = substitutions(rows)
    # The fill reaches devices answered NE SAIT PAS with each of the three answers.
    reg = by_device(before.register)
    reached = {answer for (d, item), answer in subs.items() if reg[d][f"{item}_answer"] == UNKNOWN}
    assert reached == {YES, NO, UNKNOWN}
    assert mismatches(after.register, expected(before.register, subs, pack)) == []
    assert it_problems(after).empty
    assert after.files.loc[after.files["file"] == str(filled), "status"].tolist() == ["valid"]


def test_sources_and_the_departments_own_answers(before, after, filled):
    subs = substitutions(read_rows(filled))
    was, now = by_device(before.register), by_device(after.register)
    counts = {IT: 0, DEPARTMENT: 0, None: 0}
    for device, rec in now.items():
        for item in ITEMS:
            answered = was[device][f"{item}_answer"]
            source = rec[f"{item}_source"]
            counts[source] += 1
            if answered in (YES, NO):  # a department's own answer is never changed
                assert (rec[f"{item}_answer"], source) == (answered, DEPARTMENT), (device, item)
            elif answered is None:
                assert (rec[f"{item}_answer"], source) == (None, None), (device, item)
            elif (device, item) in subs:
                assert (rec[f"{item}_answer"], source) == (subs[(device, item)], IT), (device, item)
            else:
                assert (rec[f"{item}_answer"], source) == (UNKNOWN, DEPARTMENT), (device, item)
    assert counts[IT] == sum(1 for (d, item) in subs if was[d][f"{item}_answer"] == UNKNOWN) > 0
    # Before, every answered item is the department's.
    assert {rec[f"{i}_source"] for rec in was.values() for i in ITEMS} == {DEPARTMENT, None}


def test_risk_provisional_by_hand(before, after):
    now = by_device(after.register)
    # DM-035165 (Néonatologie): criticality 21 (level 2); the department answered V1, V8, V9
    # NE SAIT PAS; the IT answers V1 OUI, V8 NON, V9 NE SAIT PAS: vulnerability 6 (level 3), risk 3;
    # with V9 OUI, 5 (level 2) and risk 2: provisional.
    d = now["DM-035165"]
    assert (d["criticality_score"], d["vulnerability_score"], d["risk_level"]) == (21, 6, 3)
    assert (d["V1_answer"], d["V8_answer"], d["V9_answer"]) == (YES, NO, UNKNOWN)
    assert d["unknown_items"] == "V9" and d["risk_provisional"] is True
    # DM-036019: criticality 23 (level 2), vulnerability 8 with V5 and V6 NE SAIT PAS; the IT
    # answers V6 OUI and V5 NE SAIT PAS: 7 (level 3), risk 3; with V5 OUI 6, still level 3 and
    # risk 3: not provisional.
    d = now["DM-036019"]
    assert (d["criticality_score"], d["vulnerability_score"], d["risk_level"]) == (23, 7, 3)
    assert (d["V5_answer"], d["V6_answer"]) == (UNKNOWN, YES)
    assert d["unknown_items"] == "V5" and d["risk_provisional"] is False
    # Before the IT answers, DM-035165's risk already rested on them; a complete device never does.
    assert by_device(before.register)["DM-035165"]["risk_provisional"] is True
    flags = after.register["risk_provisional"]
    counts = (int((flags == True).sum()), int((flags == False).sum()), int(flags.isna().sum()))  # noqa: E712
    assert sum(counts) == len(after.register) and all(counts)
    unscored = after.register["risk_level"].isna()
    assert flags[unscored].isna().all() and flags[~unscored].notna().all()
    complete = after.register["status"] == "complete"
    assert not flags[complete].any()


def single_device_rows(rows, before):
    """Answered rows whose group is one device that answered the item NE SAIT PAS."""
    reg = by_device(before.register)
    return [
        r
        for r in rows
        if r.answer in (YES, NO) and len(r.devices) == 1 and reg[r.devices[0]][f"{r.item}_answer"] == UNKNOWN
    ]


def test_two_it_workbooks_answering_differently_conflict(pack, base, before, filled):
    rows = read_rows(filled)
    clash, unanswered = single_device_rows(rows, before)[:2]
    folder = base / "conflict"
    folder.mkdir()
    first = shutil.copy2(filled, folder / "IT-1.xlsx")
    # The second copy answers one row the other way, and leaves another unanswered.
    second = fill(
        filled, folder / "IT-2.xlsx", {clash.row: NO if clash.answer == YES else YES, unanswered.row: None}
    )
    for paths in ([RETURNS, first, second], [second, RETURNS, first]):
        result = consolidate(paths, manifest=MANIFEST, pack=pack)
        problems = it_problems(result)
        assert problems["code"].tolist() == ["it-conflict"] and problems["severity"].tolist() == ["error"]
        (message,) = problems["message"]
        assert "IT-1.xlsx" in message and "IT-2.xlsx" in message and clash.item in message
        assert problems["device_id"].tolist() == [clash.devices[0]]
        # Neither answer is applied there; every other answer (the same in both, or given by one
        # only) is.
        subs = substitutions(rows)
        del subs[(clash.devices[0], clash.item)]
        assert mismatches(result.register, expected(before.register, subs, pack)) == []
        device = by_device(result.register)[clash.devices[0]]
        assert (device[f"{clash.item}_answer"], device[f"{clash.item}_source"]) == (UNKNOWN, DEPARTMENT)


def test_the_same_answers_twice_apply_without_a_problem(pack, base, before, after, filled):
    (base / "twin").mkdir()
    twin = shutil.copy2(filled, base / "twin" / "copie.xlsx")
    result = consolidate([RETURNS, filled, twin], manifest=MANIFEST, pack=pack)
    assert it_problems(result).empty
    pd.testing.assert_frame_equal(result.register, after.register)


def test_a_device_gone_is_not_applied_with_a_warning(pack, base, filled, tmp_path):
    folder = copy_returns(tmp_path / "returns", leave_out=[ONCOLOGY])
    shutil.copy2(filled, folder / filled.name)
    # Nothing crashes on the command line either.
    run(
        "consolidate",
        folder,
        "--manifest",
        MANIFEST,
        "-o",
        tmp_path / "map.xlsx",
        "--csv",
        tmp_path / "map.csv",
    )
    result = consolidate([folder], manifest=MANIFEST, pack=pack)
    (folder / filled.name).unlink()
    without = consolidate([folder], manifest=MANIFEST, pack=pack)
    subs = substitutions(read_rows(filled))
    present = set(without.register["device_id"])
    gone = {(d, item) for (d, item) in subs if d not in present}
    assert {d for d, _ in gone} >= {"DM-036877", "DM-038909"}  # two Oncologie devices asked about
    warned = it_problems(result, "it-not-applied")
    assert set(zip(warned["device_id"], warned["message"].str.extract(r"l'informatique à (V\d+)")[0])) == gone
    assert (warned["severity"] == "warning").all() and len(it_problems(result)) == len(warned)
    assert all(d in m for d, m in zip(warned["device_id"], warned["message"]))
    present_subs = {key: a for key, a in subs.items() if key not in gone}
    assert mismatches(result.register, expected(without.register, present_subs, pack)) == []


def test_an_item_the_department_answered_since_keeps_its_answer(pack, filled, tmp_path):
    """The IT workbook was built when DM-034777 answered V1 NE SAIT PAS; its department has
    answered NON since."""
    rows = read_rows(filled)
    (row,) = [r for r in rows if "DM-034777" in r.devices and r.item == "V1"]
    assert row.answer in (YES, NO, UNKNOWN)
    folder = copy_returns(tmp_path / "returns")
    assert edit_return(folder / "Neonatologie.xlsx", "DM-034777", "V1", NO) == UNKNOWN
    without = consolidate([folder], manifest=MANIFEST, pack=pack)
    assert without.files["status"][without.files["file"].str.endswith("Neonatologie.xlsx")].tolist() == [
        "valid"
    ]
    result = consolidate([folder, filled], manifest=MANIFEST, pack=pack)
    warned = it_problems(result)
    assert warned["code"].tolist() == ["it-not-applied"] and warned["device_id"].tolist() == ["DM-034777"]
    assert "V1" in warned["message"].iloc[0] and warned["severity"].iloc[0] == "warning"
    device = by_device(result.register)["DM-034777"]
    assert (device["V1_answer"], device["V1_source"]) == (NO, DEPARTMENT)
    assert mismatches(result.register, expected(without.register, substitutions(rows), pack)) == []


def test_an_it_workbook_with_an_error_applies_nothing(pack, base, before, filled):
    rows = read_rows(filled)
    wrong = fill(filled, base / "wrong" / "A-CONFIRMER.xlsx", {rows[1].row: "PEUT-ÊTRE"})
    result = consolidate([RETURNS, wrong], manifest=MANIFEST, pack=pack)
    assert result.files.loc[result.files["file"] == str(wrong), "status"].tolist() == ["invalid"]
    errors = result.problems[
        (result.problems["file"] == str(wrong)) & (result.problems["severity"] == "error")
    ]
    assert errors["row"].tolist() == [rows[1].row]
    assert it_problems(result).empty
    pd.testing.assert_frame_equal(result.register, before.register)


def test_an_empty_it_workbook_changes_nothing(pack, blank, before, tmp_path):
    assert all(r.answer is None for r in read_rows(blank))
    result = consolidate([RETURNS, blank], manifest=MANIFEST, pack=pack)
    assert it_problems(result).empty
    write_csv(before.register, tmp_path / "without.csv")
    write_csv(result.register, tmp_path / "with.csv")
    assert (tmp_path / "with.csv").read_bytes() == (tmp_path / "without.csv").read_bytes()


def test_the_export_does_not_depend_on_the_order_of_the_paths(filled, tmp_path):
    for name, paths in (("first", [filled, RETURNS]), ("last", [RETURNS, filled])):
        run(
            "consolidate",
            *paths,
            "--manifest",
            MANIFEST,
            "-o",
            tmp_path / f"{name}.xlsx",
            "--csv",
            tmp_path / f"{name}.csv",
        )
    assert (tmp_path / "first.csv").read_bytes() == (tmp_path / "last.csv").read_bytes()
    table = pd.read_csv(tmp_path / "first.csv", sep=";", encoding="utf-8-sig", dtype=str)
    sources = set(table[[f"{i}_source" for i in ITEMS]].stack().dropna())
    assert sources == {IT, DEPARTMENT} and "risk_provisional" in table.columns


def test_a_workbook_grouped_by_device_applies_the_same_way(pack, base, before):
    (base / "by-device").mkdir()
    book = build(base / "by-device" / "A-CONFIRMER.xlsx", group_by="device")
    rows = read_rows(book)
    assert all(len(r.devices) == 1 for r in rows)
    filled = fill(book, base / "by-device" / "filled.xlsx", cycled(rows))
    result = consolidate([RETURNS, filled], manifest=MANIFEST, pack=pack)
    assert it_problems(result).empty
    subs = substitutions(read_rows(filled))
    assert mismatches(result.register, expected(before.register, subs, pack)) == []
    assert (result.register[[f"{i}_source" for i in ITEMS]] == IT).sum().sum() > 0


def test_an_incomplete_device_s_item_lists_follow_the_it_answers(pack, tmp_path):
    """DM-022112 (Urgences) left V7 unanswered: incomplete, never scored. With V1 answered
    NE SAIT PAS and the IT answering OUI, its items to confirm and non-compliant items follow."""
    folder = copy_returns(tmp_path / "returns")
    assert edit_return(folder / "Urgences.xlsx", "DM-022112", "V7", None) is None  # unanswered
    assert edit_return(folder / "Urgences.xlsx", "DM-022112", "V1", UNKNOWN) == YES
    book = build(tmp_path / "A-CONFIRMER.xlsx", folder)
    (row,) = [r for r in read_rows(book) if r.devices == ("DM-022112",)]
    filled = fill(book, tmp_path / "filled.xlsx", {row.row: YES})
    without = consolidate([folder], manifest=MANIFEST, pack=pack)
    was = by_device(without.register)["DM-022112"]
    assert (was["status"], was["unknown_items"], was["non_compliant_items"]) == (
        "incomplete",
        "V1",
        "V1, V3, V10",
    )
    result = consolidate([folder, filled], manifest=MANIFEST, pack=pack)
    device = by_device(result.register)["DM-022112"]
    assert (device["V1_answer"], device["V1_source"], device["V1"]) == (YES, IT, 0)
    assert (device["status"], device["risk_level"], device["risk_provisional"]) == ("incomplete", None, None)
    assert (device["unknown_items"], device["non_compliant_items"]) == (None, "V3, V10")
    assert (
        mismatches(result.register, expected(without.register, substitutions(read_rows(filled)), pack)) == []
    )


def test_a_device_now_of_another_model_is_not_applied_with_a_warning(pack, filled, tmp_path):
    """DM-034777 was a Helionis CS-500 when the workbook was built; its return now says CS-900
    (an identity change: the return has an error, its devices stay in the register)."""
    rows = read_rows(filled)
    answered = {r.item for r in rows if "DM-034777" in r.devices and r.answer}
    assert answered
    folder = copy_returns(tmp_path / "returns")
    assert edit_return(folder / "Neonatologie.xlsx", "DM-034777", "MODEL", "CS-900") == "CS-500"
    without = consolidate([folder], manifest=MANIFEST, pack=pack)
    result = consolidate([folder, filled], manifest=MANIFEST, pack=pack)
    warned = it_problems(result)
    assert set(warned["code"]) == {"it-not-applied"} and set(warned["device_id"]) == {"DM-034777"}
    assert {m.split("l'informatique à ")[1].split()[0] for m in warned["message"]} == answered
    assert all("CS-900" in m for m in warned["message"])
    subs = {key: a for key, a in substitutions(rows).items() if key[0] != "DM-034777"}
    assert mismatches(result.register, expected(without.register, subs, pack)) == []
    device = by_device(result.register)["DM-034777"]
    assert {device[f"{i}_source"] for i in ITEMS} == {DEPARTMENT}


def test_an_answer_the_department_emptied_since_is_not_applied_with_a_warning(pack, filled, tmp_path):
    """DM-034777 answered V1 NE SAIT PAS when the IT workbook was built; its cell is empty now."""
    folder = copy_returns(tmp_path / "returns")
    assert edit_return(folder / "Neonatologie.xlsx", "DM-034777", "V1", None) == UNKNOWN
    result = consolidate([folder, filled], manifest=MANIFEST, pack=pack)
    warned = it_problems(result)
    assert warned["code"].tolist() == ["it-not-applied"] and warned["device_id"].tolist() == ["DM-034777"]
    assert "V1" in warned["message"].iloc[0] and "désormais vide" in warned["message"].iloc[0]
    device = by_device(result.register)["DM-034777"]
    assert (device["V1_answer"], device["V1_source"]) == (None, None)


def test_no_conflict_where_neither_answer_would_apply(pack, base, before, filled, tmp_path):
    """Two IT workbooks disagree on a device whose department has answered the item itself since:
    neither answer would apply there, so there is no conflict to report."""
    clash = single_device_rows(read_rows(filled), before)[0]
    (device,) = clash.devices
    folder = copy_returns(tmp_path / "returns")
    department_file = next(
        Path(f).name
        for f, d in zip(before.register["source_file"], before.register["device_id"])
        if d == device
    )
    assert edit_return(folder / department_file, device, clash.item, NO) == UNKNOWN
    first = shutil.copy2(filled, tmp_path / "IT-1.xlsx")
    second = fill(filled, tmp_path / "IT-2.xlsx", {clash.row: NO if clash.answer == YES else YES})
    result = consolidate([folder, first, second], manifest=MANIFEST, pack=pack)
    assert it_problems(result, "it-conflict").empty
    record = by_device(result.register)[device]
    assert (record[f"{clash.item}_answer"], record[f"{clash.item}_source"]) == (NO, DEPARTMENT)


def test_the_problems_say_what_is_still_to_confirm(before, after):
    """validate's to-confirm problems, once the IT answers are in: the items still NE SAIT PAS
    (written out from the register), none for a device with nothing left to confirm."""
    reg = by_device(after.register)
    shown = after.problems[after.problems["code"] == "to-confirm"]
    for device, message in zip(shown["device_id"], shown["message"]):
        assert reg[device]["unknown_items"], device
        assert message == "« ne sait pas » à confirmer : " + reg[device]["unknown_items"]  # a French map
    still = {d for d, r in reg.items() if r["unknown_items"] and r["status"] in ("to_confirm",)}
    assert still <= set(shown["device_id"])
    assert len(shown) < int((before.problems["code"] == "to-confirm").sum())


def test_models_the_it_team_says_have_no_network_are_counted(pack, blank, tmp_path):
    """Rows whose comment holds the start sheet's "no network connection" phrase, in any case,
    accents or language, count their group once; other comments and unanswered rows do not."""
    rows = read_rows(blank)
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    first, second, third = list(groups.values())[:3]
    comments = {
        first[0].row: "Sans Connexion Reseau (pompe autonome)",  # no accent, other case
        first[-1].row: "sans connexion réseau",  # the same group twice: counted once
        second[0].row: "No network connection",  # the English phrase
        third[0].row: "réseau segmenté",  # another comment
    }
    wb = openpyxl.load_workbook(blank)
    ws = answer_sheet(wb)
    cols = columns(ws)
    for row in comments:
        ws.cell(row, cols["IT_ANSWER"]).value = YES
        ws.cell(row, cols["COMMENT"]).value = comments[row]
    out = tmp_path / "IT.xlsx"
    wb.save(out)
    result = consolidate([RETURNS, out], manifest=MANIFEST, pack=pack)
    assert result.accounting["it_models_without_network"] == 2
    assert "it_models_without_network" not in consolidate([RETURNS], manifest=MANIFEST, pack=pack).accounting
