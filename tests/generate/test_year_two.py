"""Year two (issue 26): ``generate --db --previous`` carries last campaign's answers into this
year's workbooks, a department confirms a row in its REVIEWED cell (or by changing an answer), and
consolidate, the history and compare tell a checked row from one not checked yet.

Expectations come from the samples' consolidation (the register the history records) and from a
campaign generated without ``--previous``, never from the code that carries the answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from support.wbtools import fill, open_book
from support.year_two import FIRST, INVENTORY, NEW_DEVICE, REMOVED, SECOND, build, last_year, run

from medrisk_xl.consolidate import consolidate
from medrisk_xl.history import compare, record
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.validate import validate
from medrisk_xl.workbook import contract


@pytest.fixture(scope="module")
def year(tmp_path_factory, pack) -> dict:
    """The samples recorded as demo-2026, then demo-2027 generated with and without --previous."""
    y = build(tmp_path_factory.mktemp("year-two"), pack)
    return {"base": y.base, "db": y.db, "first": y.first, "output": y.output}


def cells(folder: Path, codes) -> dict[str, dict[str, object]]:
    """Device id -> code -> what its answer cell holds (None: empty), over every workbook."""
    out = {}
    for path in sorted(folder.glob("*.xlsx")):
        book = open_book(path)
        for r in book.rows:
            device = book.input.cell(r, book.columns["ID"]).value
            if device:
                out[device] = {c: book.input.cell(r, book.columns[c]).value for c in codes}
    return out


def test_each_device_gets_its_answers_of_last_year(year, pack):
    codes = pack.method.codes
    plain, carried = cells(year["base"] / "plain", codes), cells(year["base"] / "c", codes)
    before = last_year(year["first"], pack)
    assert plain.keys() == carried.keys()
    n = 0
    for device, shown in carried.items():
        own = {c: v for c, v in plain[device].items() if v}  # C1 from the CE class, unless answered then
        want = {**own, **before.get(device, {})}
        assert {c: v for c, v in shown.items() if v} == want, device
        n += bool(before.get(device))
    assert (
        n == len(before.keys() & carried.keys()) > 50
        and f"{n} device row(s) pre-filled with the answers of {FIRST}" in year["output"]
    )


def test_the_workbooks_say_where_the_answers_come_from(year, pack):
    manifest = json.loads((year["base"] / "c" / "campaign.json").read_text(encoding="utf-8"))
    assert manifest["previous_campaign"] == FIRST
    book = open_book(year["base"] / "c" / "Cardiologie.xlsx")
    assert book.meta[contract.Meta.PREVIOUS] == FIRST
    col = book.columns[contract.REVIEW_CODE]
    assert book.input.cell(contract.HEADER_ROW, col).value == "Ligne vérifiée"
    assert book.input.cell(book.rows[0], col).protection.locked is False
    assert set(book.dropdowns().get(book.input.cell(book.rows[0], col).coordinate, [])) == {"Oui"}
    noted = [
        (r, c)
        for r in book.rows
        for c in pack.method.codes
        if (note := book.input.cell(r, book.columns[c]).comment) and FIRST in note.text
    ]
    assert noted and all("à vérifier" in book.input.cell(r, book.columns[c]).comment.text for r, c in noted)
    start = book.wb.worksheets[0]
    texts = [str(c.value) for row in start.iter_rows() for c in row if c.value]
    assert any(FIRST in t and "Ligne vérifiée" in t for t in texts)


def test_a_campaign_without_previous_has_no_review_column(year):
    book = open_book(year["base"] / "plain" / "Cardiologie.xlsx")
    assert contract.REVIEW_CODE not in book.columns and contract.Meta.PREVIOUS not in book.meta


def test_rows_as_carried_are_to_review_not_answered(year, pack):
    report = validate([year["base"] / "c"])
    assert report.valid
    to_review = [p for f in report.files for p in f.problems if p.code == "to-review"]
    inventory = cells(year["base"] / "plain", ["ID"])  # URG-NEW-01, added last year, is not in it
    assert sorted(p.device_id for p in to_review) == sorted(last_year(year["first"], pack).keys() & inventory)
    assert all(FIRST in p.message for p in to_review)
    devices = sum(f.devices["total"] for f in report.files)
    assert devices == 120 and sum(f.devices["not_started"] for f in report.files) == devices  # none answered


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (("--previous", "demo-1999"), "'demo-1999' is not in the history"),
        (("--previous", FIRST, "--layout", "form"), "--layout grid only"),
    ],
)
def test_bad_previous_is_refused(year, tmp_path, args, why):
    res = run("generate", INVENTORY, "-o", tmp_path / "out", "--db", year["db"], *args)
    assert res.exit_code == 2, res.output
    assert why in res.output and not (tmp_path / "out").exists()


def test_previous_needs_an_inventory(year, tmp_path):
    res = run("generate", "-o", tmp_path / "out", "--db", year["db"], "--previous", FIRST)
    assert res.exit_code == 2 and "--previous needs an inventory" in res.output


def test_lock_prefilled_leaves_carried_answers_editable(year, tmp_path, pack):
    """With --lock-prefilled, only the biomedical service's own pre-fills are read-only (here C1
    from the CE class, on rows nothing was carried to): last year's answers stay editable, since
    the department is asked to check and correct them; the static audit agrees."""
    from medrisk_xl.audit import audit_file

    args = ("--campaign", SECOND, "--password", "pw", "--db", year["db"], "--previous", FIRST)
    done = run("generate", year["base"] / "inventory.csv", "-o", tmp_path / "c", *args, "--lock-prefilled")
    assert done.exit_code == 0, done.output
    before = last_year(year["first"], pack)
    book = open_book(tmp_path / "c" / "Cardiologie.xlsx")
    locked = {}
    for r in book.rows:
        device = book.input.cell(r, book.columns["ID"]).value
        if device:
            cells = {c: book.input.cell(r, book.columns[c]) for c in pack.method.codes}
            locked[device] = {c for c, cell in cells.items() if cell.protection.locked}
            assert not locked[device] & set(before.get(device, {})), device
    assert locked[NEW_DEVICE] == {"C1"} and any(not v for v in locked.values())
    assert audit_file(tmp_path / "c" / "Cardiologie.xlsx", pack, static_only=True).passed


@pytest.fixture(scope="module")
def returned(year, pack) -> dict:
    """Cardiologie returned: a row confirmed in its REVIEWED cell, a row with one carried answer
    changed, the others left as carried; consolidated and recorded as demo-2027."""
    src = year["base"] / "c" / "Cardiologie.xlsx"
    book = open_book(src)
    before = last_year(year["first"], pack)
    rows = {d: r for r in book.rows if (d := book.input.cell(r, book.columns["ID"]).value)}
    ids = [d for d in rows if len(before.get(d, {})) == len(pack.method.codes)]
    checked, changed = ids[0], ids[1]
    code = pack.method.criterion_codes[3]
    labels = pack.language("fr").answer_labels(code)
    other = (labels.index(before[changed][code]) + 1) % len(labels)
    out = year["base"] / "returns" / src.name
    out.parent.mkdir()
    fill(src, out, {rows[checked]: {contract.REVIEW_CODE: 0}, rows[changed]: {code: other}})
    result = consolidate([out], pack=pack)
    record(result, year["db"], campaign=SECOND)
    return {
        "register": result.register.set_index("device_id"),
        "checked": checked,
        "changed": changed,
        "code": code,
        "other": other,
        "untouched": sorted(set(rows) - {checked, changed}),
        "before": before,
        "carried_rows": [d for d in rows if before.get(d)],
    }


def _score(answers: dict[str, str], pack):
    language = pack.language("fr")
    return score_indexes({c: language.answer_labels(c).index(v) for c, v in answers.items()}, pack)


def test_a_checked_row_is_scored_on_its_carried_answers(returned, pack):
    row = returned["register"].loc[returned["checked"]]
    want = _score(returned["before"][returned["checked"]], pack)
    assert row["status"] == want.status and row["risk_level"] == want.risk_level
    assert bool(row["reviewed"]) is True
    assert row["carried_over"] == ", ".join(pack.method.codes)
    assert {row[f"{v}_source"] for v in pack.method.items} == {"previous"}


def test_a_changed_answer_counts_as_a_review(returned, pack):
    row = returned["register"].loc[returned["changed"]]
    answers = dict(returned["before"][returned["changed"]])
    answers[returned["code"]] = pack.language("fr").answer_labels(returned["code"])[returned["other"]]
    want = _score(answers, pack)
    assert row["status"] == want.status and row["criticality_score"] == want.criticality_score
    assert bool(row["reviewed"]) is False  # its REVIEWED cell is empty
    assert row["carried_over"] == ", ".join(c for c in pack.method.codes if c != returned["code"])
    assert row[f"{pack.method.items[0]}_source"] == "previous"


def test_rows_left_as_carried_are_not_scored(returned):
    reg = returned["register"]
    for device in returned["untouched"]:
        if device in returned["carried_rows"]:
            assert reg.loc[device, "status"] == contract.STATUS_TO_REVIEW, device
            assert pd.isna(reg.loc[device, "risk_level"]) and pd.isna(reg.loc[device, "priority"])


def test_the_history_keeps_the_review_and_compare_tells_them_apart(returned, year):
    c = compare(year["db"], FIRST, SECOND)
    unchecked = sorted(d for d in returned["untouched"] if d in returned["carried_rows"])
    assert c.carried_unchecked == unchecked
    assert c.carried_checked == sorted([returned["checked"], returned["changed"]])
    changed = [(a.device_id, a.item) for a in c.answers_changed if a.device_id in returned["carried_rows"]]
    assert (returned["changed"], returned["code"]) in changed
    assert not {d for d, _ in changed} & set(unchecked)  # a carried answer is no change
    assert f"{len(unchecked)} not checked" in c.to_text()
    assert NEW_DEVICE in {e.device_id for e in c.added} and REMOVED in {e.device_id for e in c.removed}
    assert not {NEW_DEVICE, REMOVED} & {*c.carried_checked, *c.carried_unchecked}


def test_a_reviewed_cell_holding_another_text_is_reported(year, tmp_path):
    src = year["base"] / "c" / "Oncologie.xlsx"
    book = open_book(src)
    r = book.rows[0]
    out = tmp_path / src.name
    fill(src, out, {r: {contract.REVIEW_CODE: "peut-être"}})
    report = validate([out])
    (p,) = [p for p in report.files[0].problems if p.code == "invalid-answer"]
    col = book.input.cell(r, book.columns[contract.REVIEW_CODE]).column_letter
    assert p.cell == f"{col}{r}" and "REVIEWED" in p.message
    shutil.rmtree(tmp_path)
