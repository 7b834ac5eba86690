"""The action follow-up (issue 15), against SQLite and PostgreSQL like ``test_history.py``: the
consolidated workbook's action plan filled in by the team, read back with ``actions import``,
carried forward into the next campaign's plan, and the completed actions found by ``compare``.

End to end: the samples' campaign (demo-2026) is consolidated with ``--db``, its plan filled with
openpyxl as a team would (some actions done, some in progress, some to do or not applicable),
imported; the next campaign (demo-2027, ``next_campaign.py``) is consolidated with ``--db``: its
plan carries the open actions forward and flags the done items still non-compliant; ``compare``
lists exactly the actions marked done; and the follow-up round-trips (a plan written from the
history imports back to the same actions). A tampered plan is refused, the cell named, and
nothing is imported.
"""

# ruff: noqa: F811 (a test's parameters name the fixtures imported from history_db)

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from support.history_db import campaigns, db, db_engine, dump_tables, pg_server, run  # noqa: F401 (fixtures)
from support.next_campaign import CAMPAIGN, MANIFEST, RETURNS
from support.plans import fill, plan_table

from medrisk_xl.consolidate.tables import ACTION_FOLLOW_UP_CODES, ACTION_STATUS_CODES, ITEMS
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.core.problems import MedriskError
from medrisk_xl.history import (
    SCHEMA_VERSION,
    carry_forward,
    compare,
    import_actions,
    open_history,
    record,
    store,
)
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.actions import PROBLEM_CODES
from medrisk_xl.history.compare import sheet_names, write_comparison
from medrisk_xl.method.checks.pack_files import ACTION_FOLLOW_UP_TEXTS

ROOT = Path(__file__).resolve().parents[2]
FIRST = "demo-2026"
DUE = dt.date(2027, 3, 31)


# -- reading and filling a plan as a team would ------------------------------------------------------


@dataclasses.dataclass
class Filled:
    """demo-2026's plan and what the team entered in it."""

    plan: Path  # as consolidate wrote it
    filled: Path
    changes: dict[tuple[str, str], dict]
    done: set[tuple[str, str]]
    second_look: set[tuple[str, str]]  # done items still non-compliant in demo-2027
    done_theme: set[tuple[str, str]]
    carried: set[tuple[str, str]]  # open or not applicable: carried into demo-2027's plan
    removed: set[tuple[str, str]]  # done, for the device demo-2027 no longer has


@pytest.fixture(scope="module")
def filled(campaigns, pack, tmp_path_factory) -> Filled:
    """demo-2026's plan filled in: on devices whose answers demo-2027 keeps, two items done, a
    theme done, an item in progress, a theme to do, a theme not applicable, an owner without a
    status; and a done action on the device demo-2027 removes (when it has a plan)."""
    base = tmp_path_factory.mktemp("plan")
    plan = base / "cartographie.xlsx"
    write_consolidated(campaigns.first, plan, pack, plan_by="device")
    rows = plan_table(plan)
    changed = {d for d, *_ in campaigns.answers} | {campaigns.rose, campaigns.fell, campaigns.removed}
    second = campaigns.second.register.set_index("device_id")
    stable = [
        r
        for r in rows
        if r["device_id"] not in changed and second.loc[r["device_id"], "risk_level"] == r["risk_level"]
    ]
    items = [(r["device_id"], r["ref"]) for r in stable if r["ref"] in ITEMS]
    themes = [(r["device_id"], r["ref"]) for r in stable if r["ref"] not in ITEMS]
    rng = random.Random(15)
    items, themes = rng.sample(items, 3), rng.sample(themes, 4)
    changes = {
        items[0]: {"owner": "Équipe biomédicale", "due": DUE, "status": "done"},
        items[1]: {"owner": "DSI", "status": "done"},
        themes[0]: {"owner": "RSSI", "due": dt.date(2027, 1, 15), "status": "done"},
        items[2]: {"owner": "M. Martin", "due": DUE, "status": "in_progress"},
        themes[1]: {"owner": "DSI", "status": "todo"},
        themes[2]: {"status": "not_applicable"},
        themes[3]: {"owner": "Mme Durand", "due": dt.date(2027, 6, 30)},
    }
    removed = [(r["device_id"], r["ref"]) for r in rows if r["device_id"] == campaigns.removed]
    if removed:
        changes[removed[0]] = {"owner": "Biomédical", "status": "done"}
    done = {k for k, c in changes.items() if c.get("status") == "done"}
    return Filled(
        plan=plan,
        filled=fill(plan, base / "filled.xlsx", changes),
        changes=changes,
        done=done,
        second_look={items[0], items[1]},
        done_theme={themes[0]},
        carried={items[2], themes[1], themes[2], themes[3]},
        removed=set(removed[:1]),
    )


def stored(target: str, campaign: str) -> dict[tuple[str, str], tuple]:
    with open_history(target, create=False) as h:
        actions = h.actions(campaign)
    return {
        (r["device_id"], r["ref"]): (r["owner"], r["due"], r["status"]) for r in actions.to_dict("records")
    }


def expected(changes: dict[tuple[str, str], dict]) -> dict[tuple[str, str], tuple]:
    return {
        key: (c.get("owner"), c["due"].isoformat() if c.get("due") else None, c.get("status"))
        for key, c in changes.items()
    }


# -- end to end ------------------------------------------------------------------------------------


def test_two_campaigns_a_year_apart_end_to_end(db, campaigns, filled, run, pack, tmp_path):
    """consolidate --db, fill, actions import, consolidate the next campaign --db, compare."""
    first = tmp_path / "cartographie-2026.xlsx"
    args = ["consolidate", str(RETURNS), "-o", str(first), "--manifest", str(MANIFEST), "--db", db]
    args += [
        "--plan-by",
        "device",
    ]  # the per-device plan (tests/history/test_grouped_plan_import.py: grouped)
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert "nothing carried forward" in res.output and f"campaign {FIRST} recorded" in res.output
    assert plan_table(first) == plan_table(filled.plan)  # the same plan as the fixture's
    fill(first, first, filled.changes)

    res = run("actions", "import", str(first), "--db", db)
    assert res.exit_code == 0, res.output
    n = len(filled.changes)
    assert f": {n} action(s) of campaign {FIRST} imported" in res.output
    assert f"1 to do, 1 in progress, {len(filled.done)} done, 1 not applicable, 1 no status yet" in res.output
    assert stored(db, FIRST) == expected(filled.changes)

    second = tmp_path / "cartographie-2027.xlsx"
    res = run(
        "consolidate",
        str(campaigns.returns),
        "-o",
        str(second),
        "--manifest",
        str(campaigns.manifest),
        "--db",
        db,
        "--plan-by",
        "device",
    )
    assert res.exit_code == 0, res.output
    assert (
        f"action follow-up from {FIRST}: {len(filled.carried)} action(s) carried over (open or not "
        f"applicable), {len(filled.second_look)} done but still non-compliant (second look), 1 plan theme(s) "
        "done before"
    ) in res.output
    today = dt.date.today()  # the KPIs of demo-2026's plan, counted here from the changes filled in
    n, closed = (
        len(filled.changes),
        [c for c in filled.changes.values() if c.get("status") in ("done", "not_applicable")],
    )
    late = [c for c in filled.changes.values() if c not in closed and c.get("due") and c["due"] < today]
    assert (
        f"action plan of {FIRST} on {today.isoformat()}: {n} action(s), {len(filled.done)} done, "
        f"{n - len(closed)} open, {len(late)} overdue"
    ) in res.output
    summary = openpyxl.load_workbook(second)["Synthèse"]  # the same figures, per owner and in total
    rows_shown = [[c.value for c in row] for row in summary.iter_rows(max_col=7)]
    title = f"Suivi du plan d'action de {FIRST} (au {today.strftime('%d/%m/%Y')})"
    at = next(i for i, row in enumerate(rows_shown) if row[0] == title)
    total = next(row for row in rows_shown[at:] if row[0] == "Total")
    statuses = [c.get("status") for c in filled.changes.values()]
    assert total[1:] == [
        statuses.count(k) for k in ("todo", "in_progress", "done", "not_applicable", None)
    ] + [len(late)]
    owners = {row[0] for row in rows_shown[at + 2 : rows_shown.index(total, at)]}
    assert owners == {c.get("owner") or "—" for c in filled.changes.values()}
    texts = pack.language("fr").ui["consolidated"]["action_follow_up"]
    labels = dict(zip(ACTION_STATUS_CODES, pack.language("fr").ui["consolidated"]["action_status"]))
    rows = {(r["device_id"], r["ref"]): r for r in plan_table(second)}
    prefilled = {
        k for k, r in rows.items() if any(r[c] is not None for c in ("owner", "due", "status", "follow_up"))
    }
    assert prefilled == filled.carried | filled.second_look | filled.done_theme
    for key in filled.carried:
        change, row = filled.changes[key], rows[key]
        assert row["follow_up"] == texts["carried"].format(campaign=FIRST)
        assert row["owner"] == change.get("owner") and row["status"] == labels.get(change.get("status"))
        assert (row["due"].date() if row["due"] else None) == change.get("due")
    for key in filled.second_look:
        assert rows[key]["follow_up"] == texts["second_look"].format(campaign=FIRST)
        assert rows[key]["status"] is None and rows[key]["owner"] is None
    for key in filled.done_theme:
        assert rows[key]["follow_up"] == texts["done_before"].format(campaign=FIRST)

    res = run("compare", "--db", db, FIRST, CAMPAIGN, "--format", "json")
    data = json.loads(res.output)
    assert data["actions_imported"] == [FIRST]
    done = {(a["device_id"], a["ref"]): a for a in data["actions_completed"]}
    assert set(done) == filled.done
    for key, action in done.items():
        assert action["campaign"] == FIRST and action["owner"] == filled.changes[key]["owner"]
        want = "removed" if key in filled.removed else ("second_look" if key[1] in ITEMS else None)
        assert action["in_b"] == want, key
    text = run("compare", "--db", db, FIRST, CAMPAIGN).output
    assert (
        f"Actions completed between {FIRST} and {CAMPAIGN}: {len(filled.done)} "
        f"(action plan imported for {FIRST})" in text
    )
    assert text.count("still non-compliant in demo-2027: second look") == len(filled.second_look)
    assert "Answers changed: 4 answer(s) on 3 device(s)" in text  # the comparison is as before

    # demo-2027's plan as written (carried actions pre-filled) imports back to exactly those.
    res = run("actions", "import", str(second), "--db", db)
    assert res.exit_code == 0, res.output
    assert stored(db, CAMPAIGN) == {k: v for k, v in expected(filled.changes).items() if k in filled.carried}
    assert stored(db, FIRST) == expected(filled.changes)  # untouched
    reverse = compare(db, CAMPAIGN, FIRST)
    assert reverse.actions_completed == [] and reverse.actions_imported == []


def test_the_follow_up_round_trips(db, campaigns, filled, pack, tmp_path):
    """Consolidating a campaign again pre-fills its own imported actions: the new plan imports back
    to the same actions, each keeping the time its status was first seen."""
    record(campaigns.first, db, manifest=MANIFEST)
    first = import_actions(filled.filled, db, pack=pack)
    assert (first.campaign, first.stored, first.replaced) == (FIRST, len(filled.changes), False)
    with open_history(db) as h:
        before = h.actions(FIRST)
    again = dataclasses.replace(campaigns.first)
    got = carry_forward(again, db, pack=pack, manifest=MANIFEST)
    assert (got.previous, got.own, got.carried) == (None, len(filled.changes), 0)
    plan = tmp_path / "again.xlsx"
    write_consolidated(again, plan, pack, plan_by="device")
    assert plan_table(plan) == plan_table(filled.filled)  # owner, due date and status as entered
    record(again, db, manifest=MANIFEST)  # recorded again: the actions stay
    assert stored(db, FIRST) == expected(filled.changes)
    assert import_actions(plan, db, pack=pack).replaced
    with open_history(db) as h:
        after = h.actions(FIRST)
    assert stored(db, FIRST) == expected(filled.changes)
    assert after["status_since"].tolist() == before["status_since"].tolist()


def test_a_later_import_changes_statuses_and_compare_follows(db, campaigns, filled, pack, tmp_path):
    """Re-importing replaces the campaign's actions; an action done since is then completed."""
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    import_actions(filled.filled, db, pack=pack)
    [key] = [k for k in filled.carried if k[1] in ITEMS]  # in progress
    later = fill(filled.filled, tmp_path / "later.xlsx", {key: {"status": "done"}})
    assert import_actions(later, db, pack=pack).replaced
    assert stored(db, FIRST)[key][2] == "done" and len(stored(db, FIRST)) == len(filled.changes)
    got = compare(db, FIRST, CAMPAIGN)
    assert {(a.device_id, a.ref) for a in got.actions_completed} == filled.done | {key}
    out = tmp_path / "comparison.xlsx"
    write_comparison(got, out)  # in French, the default language
    wb = openpyxl.load_workbook(out)
    assert tuple(wb.sheetnames) == (*sheet_names(pack.language("fr")), "_meta")
    rows = list(wb[sheet_names(pack.language("fr"))[-1]].iter_rows(min_row=2, values_only=True))
    assert {(r[1], r[4]) for r in rows} == filled.done | {key}
    assert all(r[0] == FIRST for r in rows)
    in_b = pack.language("fr").ui["compare"]["in_b"]
    assert {r[8] for r in rows if r[4] in ITEMS} <= {t.format(campaign=CAMPAIGN) for t in in_b.values()}
    assert in_b["second_look"].format(campaign=CAMPAIGN) in {r[8] for r in rows}


def test_a_plan_in_english_stores_the_same_codes(db, campaigns, filled, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    plan = tmp_path / "map.xlsx"
    write_consolidated(dataclasses.replace(campaigns.first, language="en"), plan, pack, plan_by="device")
    assert plan_table(plan)[0]["source"].startswith("Level")
    res = import_actions(fill(plan, tmp_path / "filled-en.xlsx", filled.changes), db, pack=pack)
    assert res.stored == len(filled.changes)
    assert stored(db, FIRST) == expected(filled.changes)


def test_sorted_rows_import_the_same(db, campaigns, filled, pack, tmp_path):
    """Rows are known by device and ref: a plan sorted by the team imports the same."""
    record(campaigns.first, db, manifest=MANIFEST)

    def reverse(ws, cols) -> None:
        values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
        for r, row in enumerate(reversed(values), start=3):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c).value = value

    import_actions(fill(filled.filled, tmp_path / "sorted.xlsx", {}, reverse), db, pack=pack)
    assert stored(db, FIRST) == expected(filled.changes)


# -- tampering: refused, the cell named, nothing imported ----------------------------------------------


def _row(ws, cols, key) -> int:
    return next(
        r
        for r in range(3, ws.max_row + 1)
        if (ws.cell(r, cols["device_id"]).value, ws.cell(r, cols["ref"]).value) == key
    )


def _invent(ws, cols) -> str:
    r = ws.max_row + 1
    for c in range(1, 9):
        ws.cell(r, c).value = ws.cell(3, c).value
    ws.cell(r, cols["device_id"]).value = "DM-999999"
    ws.cell(r, cols["status"]).value = "Fait"
    return f"A{r}"


def _change_action(ws, cols) -> str:
    ws.cell(4, cols["action"]).value = "• Rien à faire."
    return "H4"


def _formula(ws, cols) -> str:
    ws.cell(5, cols["owner"]).value = "=A5"
    return "I5"


def _bad_status(ws, cols) -> str:
    ws.cell(6, cols["status"]).value = "Terminé"
    return "K6"


def _bad_due(ws, cols) -> str:
    ws.cell(7, cols["due"]).value = "demain"
    return "J7"


def _duplicate(ws, cols) -> str:
    r = ws.max_row + 1
    for c in range(1, 12):
        ws.cell(r, c).value = ws.cell(3, c).value
    ws.cell(r, cols["status"]).value = "Fait"
    return f"A{r}"


def _other_ref(ws, cols) -> str:
    """A theme ref moved to a device's item that is compliant."""
    ws.cell(8, cols["ref"]).value = "V99"
    return "E8"


def _designation(ws, cols) -> str:
    ws.cell(9, cols["designation"]).value = "Autre appareil"
    return "C9"


TAMPERING = {
    "invented-action": _invent,
    "action-changed": _change_action,
    "formula-in-plan": _formula,
    "bad-status": _bad_status,
    "bad-due-date": _bad_due,
    "duplicate-action": _duplicate,
    "other-ref": _other_ref,
    "designation": _designation,
}
CODES = {"other-ref": "invented-action", "designation": "action-changed"}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_a_tampered_plan_is_refused_and_nothing_is_imported(db, campaigns, filled, pack, tmp_path, case):
    record(campaigns.first, db, manifest=MANIFEST)
    import_actions(filled.filled, db, pack=pack)  # a good import, which must stay as it is
    before = dump_tables(db)
    cells = []
    path = fill(
        filled.filled, tmp_path / f"{case}.xlsx", {}, lambda ws, cols: cells.append(TAMPERING[case](ws, cols))
    )
    with pytest.raises(MedriskError) as err:
        import_actions(path, db, pack=pack)
    errors = [p for p in err.value.problems if p.severity == "error"]
    code = CODES.get(case, case)
    assert [p.code for p in errors] == [code], err.value
    assert errors[0].sheet == "Plan d'action" and errors[0].file == str(path)
    assert errors[0].cell == cells[0]
    assert dump_tables(db) == before


def _three_problems(ws, cols) -> None:
    """A plan with three problems at once: an action changed, a formula, a bad status."""
    _change_action(ws, cols)
    _formula(ws, cols)
    _bad_status(ws, cols)


def test_the_command_line_lists_every_problem_on_one_line_each(db, campaigns, filled, run, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    path = fill(filled.filled, tmp_path / "several.xlsx", {}, _three_problems)
    res = run("actions", "import", str(path), "--db", db)
    assert res.exit_code == 1 and "Traceback" not in res.output
    lines = res.output.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f'{path}, sheet "Plan d\'action", cell I5') and lines[0].endswith(
        "[formula-in-plan]"
    )
    assert "cell H4" in lines[1] and lines[1].endswith("[action-changed]")
    assert (
        "cell K6" in lines[2]
        and "'Terminé' is not one of À faire, En cours, Fait, Non applicable" in lines[2]
    )
    assert stored(db, FIRST) == {}


def test_what_is_not_a_plan_of_a_recorded_campaign_is_refused(db, campaigns, filled, run, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    text = tmp_path / "plan.xlsx"
    text.write_text("device_id;ref\n", encoding="utf-8")
    later = tmp_path / "later.xlsx"
    write_consolidated(campaigns.second, later, pack, plan_by="device")
    cases = {
        str(text): ("unreadable", "not a spreadsheet"),
        str(RETURNS / "Cardiologie.xlsx"): ("not-a-plan", "a department workbook"),
        str(later): ("unknown-campaign", f"campaign '{CAMPAIGN}', which is not in"),
        str(tmp_path / "missing.xlsx"): ("unreadable", ""),
    }
    for path, (code, message) in cases.items():
        res = run("actions", "import", path, "--db", db)
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        assert res.output.count("\n") == 1 and f"[{code}]" in res.output and message in res.output, res.output
    res = run("actions", "import", str(filled.filled))
    assert res.exit_code == 2 and "MEDRISK_DB" in res.output
    other = tmp_path / "none.db"
    res = run("actions", "import", str(filled.filled), "--db", str(other))
    assert res.exit_code == 1 and "no history here yet" in res.output and not other.exists()
    assert stored(db, FIRST) == {}


def test_a_row_deleted_from_the_plan_is_a_warning(db, campaigns, filled, run, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    key = next(iter(filled.carried))

    def delete(ws, cols) -> None:
        ws.delete_rows(_row(ws, cols, key))

    path = fill(filled.filled, tmp_path / "deleted.xlsx", {}, delete)
    res = run("actions", "import", str(path), "--db", db)
    assert res.exit_code == 0, res.output
    assert f"warning: {path}, device {key[0]}: action {key[1]} of device {key[0]} is no longer" in res.output
    assert stored(db, FIRST) == {k: v for k, v in expected(filled.changes).items() if k != key}


# -- the history -----------------------------------------------------------------------------------


def test_a_history_of_schema_1_is_migrated_to_the_action_follow_up(db, campaigns, filled, pack):
    record(campaigns.first, db, manifest=MANIFEST)
    engine = db_engine(db)
    with engine.begin() as conn:  # back to what medrisk-xl wrote before the action follow-up
        for table in schema.ACTION_TABLES:
            table.drop(conn)
        conn.execute(sa.update(schema.schema_info).values(version=1))
    engine.dispose()
    with open_history(db, create=False) as h:
        assert h.schema_version() == SCHEMA_VERSION == 5
        assert [i.campaign for i in h.campaigns()] == [FIRST] and len(h.register(FIRST)) == 105
    assert import_actions(filled.filled, db, pack=pack).stored == len(filled.changes)


def test_an_interrupted_import_leaves_the_history_as_it_was(db, campaigns, filled, pack, monkeypatch):
    record(campaigns.first, db, manifest=MANIFEST)
    before = dump_tables(db)

    def crash(stage: str, conn) -> None:
        if stage == "actions-written":
            raise RuntimeError("injected crash")

    monkeypatch.setattr(store, "checkpoint", crash)
    with pytest.raises(RuntimeError, match="injected crash"):
        import_actions(filled.filled, db, pack=pack)
    assert dump_tables(db) == before


def test_a_plan_checked_against_an_older_recording_is_not_stored(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    with open_history(db) as h, pytest.raises(MedriskError, match="recorded again"):
        h.store_actions(FIRST, "2000-01-01T00:00:00Z", [], {})


def test_the_readme_lists_every_problem_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Action follow-up: `actions import`", 1)[1].split("\n### ", 1)[0]
    table = {
        code: severity
        for code, severity in (
            line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `")
        )
    }
    assert {k.strip().strip("`"): v.strip() for k, v in table.items()} == PROBLEM_CODES


def test_the_content_check_requires_the_follow_up_texts(edit_pack):
    from medrisk_xl.method.pack import check_pack

    assert ACTION_FOLLOW_UP_TEXTS == ACTION_FOLLOW_UP_CODES
    root = edit_pack("en/ui.yaml", lambda d: d["consolidated"]["action_follow_up"].pop("second_look"))
    found = {(p.code, p.path, p.file) for p in check_pack(root)}
    assert ("missing-key", "consolidated.action_follow_up.second_look", "en/ui.yaml") in found, found


def test_a_damaged_meta_sheet_is_not_a_plan(db, campaigns, filled, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    wb = openpyxl.load_workbook(filled.filled)
    meta = wb["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "action_source":
            row[1].value = '{"plan": "Plan {niveau}", "item": "Item {code}"}'
    wb.save(tmp_path / "damaged.xlsx")
    with pytest.raises(MedriskError) as err:
        import_actions(tmp_path / "damaged.xlsx", db, pack=pack)
    assert [p.code for p in err.value.problems] == ["not-a-plan"] and "damaged" in str(err.value)


# -- LibreOffice ---------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_plan_saved_by_libreoffice_imports_the_same(soffice, tmp_path, campaigns, filled, pack):
    """Saved again as .xlsx and as .ods by LibreOffice: the same actions."""
    from medrisk_xl.engines.libreoffice import convert

    target = str(tmp_path / "history.db")
    record(campaigns.first, target, manifest=MANIFEST)
    for fmt in ("xlsx", "ods"):
        [saved] = convert([filled.filled], tmp_path / fmt, fmt, recalc=False)
        assert import_actions(saved, target, pack=pack).stored == len(filled.changes)
        assert stored(target, FIRST) == expected(filled.changes)


def test_the_import_summary_speaks_the_chosen_language():
    from medrisk_xl.history.actions.importing import ActionImport

    done = ActionImport(
        "demo-2026", "plan.xlsx", "history.db", rows=12, stored=3, by_status={"todo": 2, "done": 1, "none": 0},
        replaced=True, kept=1, team=1,
    )  # fmt: skip
    assert done.to_text() == (
        "plan.xlsx: 3 action(s) of campaign demo-2026 imported into history.db (replacing its previous import): "
        "2 to do, 1 done; 1 of them kept their device's previous status (group rows left without one); 1 team "
        "action(s) among them (the team's own rows); 12 action row(s) read"
    )
    assert done.to_text("fr") == (
        "plan.xlsx : 3 actions de la campagne demo-2026 importées dans history.db (en remplacement de son import "
        "précédent) : 2 à faire, 1 faite ; 1 d'entre elles a gardé le statut précédent de son dispositif (ligne "
        "groupée laissée sans statut) ; dont 1 action de l'équipe (ses propres lignes) ; 12 ligne(s) d'action lue(s)"
    )


def test_the_plan_problems_speak_the_chosen_language(db, campaigns, filled, run, tmp_path):
    """Issue 34: each problem of a tampered plan in French (MEDRISK_LANG=fr), in English otherwise;
    --format json keeps the code beside the French message."""
    record(campaigns.first, db, manifest=MANIFEST)
    path = fill(filled.filled, tmp_path / "plusieurs.xlsx", {}, _three_problems)
    fr = run("actions", "import", str(path), "--db", db, env={"MEDRISK_LANG": "fr"})
    lines = fr.output.splitlines()
    assert fr.exit_code == 1 and len(lines) == 3, fr.output
    assert lines[0].startswith(f"{path}, feuille « Plan d'action », cellule I5, dispositif ")
    assert lines[0].endswith(
        ": contient la formule =A5 : le plan ne contient que des valeurs (collez en valeurs) [formula-in-plan]"
    )
    assert (
        "cellule H4" in lines[1] and "le texte de l'action indique « • Rien à faire. » au lieu de" in lines[1]
    )
    assert "cellule K6, dispositif " in lines[2] and lines[2].endswith(
        ": le statut « Terminé » n'est pas l'un de : À faire, En cours, Fait, Non applicable [bad-status]"
    )
    en = run("actions", "import", str(path), "--db", db, env={"MEDRISK_LANG": "en"})
    assert (
        ": the status 'Terminé' is not one of À faire, En cours, Fait, Non applicable [bad-status]"
        in en.output
    )
    department = run(
        "actions", "import", str(RETURNS / "Cardiologie.xlsx"), "--db", db, env={"MEDRISK_LANG": "fr"}
    )
    assert (
        "ce tableur est le classeur d'un service, pas le classeur consolidé : importez le plan d'action du "
        "classeur écrit par medrisk-xl consolidate [not-a-plan]" in department.output
    )


def test_a_deleted_row_is_a_french_warning(db, campaigns, filled, run, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    key = next(iter(filled.carried))

    def delete(ws, cols) -> None:
        ws.delete_rows(_row(ws, cols, key))

    path = fill(filled.filled, tmp_path / "supprimee.xlsx", {}, delete)
    fr = run("actions", "import", str(path), "--db", db, env={"MEDRISK_LANG": "fr"})
    assert fr.exit_code == 0, fr.output
    assert (
        f"avertissement: {path}, dispositif {key[0]}: l'action {key[1]} du dispositif {key[0]} n'est plus dans "
        "le plan (ligne supprimée ?) : non importée [action-missing]" in fr.output
    )
    data = json.loads(run("actions", "import", str(path), "--db", db, "--format", "json",
                          env={"MEDRISK_LANG": "fr"}).output)  # fmt: skip
    assert [(w["code"], w["message"][:9]) for w in data["warnings"]] == [("action-missing", "l'action ")]


def test_consolidate_db_says_what_it_recorded_in_french(db, run, tmp_path):
    """Issue 34: consolidate --db's history lines in the chosen language."""
    out = tmp_path / "cartographie.xlsx"
    args = [
        "consolidate",
        str(RETURNS),
        "-o",
        str(out),
        "--manifest",
        str(MANIFEST),
        "--db",
        db,
        "--lang",
        "fr",
    ]
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert "  aucun suivi d'actions antérieur dans l'historique : rien n'est repris" in res.output
    assert f"  campagne {FIRST} enregistrée dans " in res.output and " problème(s)" in res.output
    again = run(*args[:-1], "en")
    assert (
        f"campaign {FIRST} recorded in " in again.output
        and "(replacing its previous recording)" in again.output
    )
