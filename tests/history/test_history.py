"""The campaign history, against SQLite and against PostgreSQL: every test that takes ``db``
runs on both. PostgreSQL comes from ``MEDRISK_TEST_PG`` (a URL of a server and a database the
tests may create databases from; .ci/run starts one): each test gets a throw-away database.
Without it the PostgreSQL tests skip, with the reason; with ``CI=true`` they fail instead.

End to end: the samples' campaign (demo-2026) and a second campaign a year later
(``next_campaign.py``: answers changed, a device added, one removed) are recorded, and
``compare`` finds exactly the planted changes.

The fixtures (``db``, ``campaigns``, ``run``...) come from ``history_db.py``.
"""

# ruff: noqa: F811 (a test's parameters name the fixtures imported from history_db)

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import signal
import subprocess
import sys
import threading
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from support.history_db import campaigns, count_rows, db, db_engine, dump_tables, pg_db, pg_server, run  # noqa: F401 (fixtures)
from support.next_campaign import CAMPAIGN, MANIFEST, RETURNS

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.tables import PROBLEM_COLUMNS, REGISTER_COLUMNS
from medrisk_xl.core.message_templates import catalogue
from medrisk_xl.core.problems import MedriskError
from medrisk_xl.history import SCHEMA_VERSION, compare, open_history, record, store
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.compare import sheet_names, write_comparison
from medrisk_xl.method.checks.pack_files import COMPARE_IN_B, COMPARE_SHEETS
from medrisk_xl.method.pack import load_pack
from medrisk_xl.workbook.contract import META_SHEET
from medrisk_xl.workbook.kinds import COMPARE_KIND

ROOT = Path(__file__).resolve().parents[2]
FIRST = "demo-2026"


def _plain(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


# The columns naming a return: the history names it relative to the folder given (every campaign
# here consolidates one flat folder of returns: the file's name).
PATH_COLUMNS = ("source_file", "file")


def _same_table(got: pd.DataFrame, want: pd.DataFrame, columns) -> None:
    assert len(got) == len(want)
    for column in columns:
        expected = [_plain(v) for v in want[column].tolist()]
        if column in PATH_COLUMNS:
            expected = [v if v is None else Path(v).name for v in expected]
        assert [_plain(v) for v in got[column].tolist()] == expected, column


# -- recording ----------------------------------------------------------------------------------


def test_record_and_read_back(db, campaigns):
    first = campaigns.first
    done = record(first, db, manifest=MANIFEST)
    assert (done.campaign, done.devices, done.files, done.replaced) == (FIRST, 105, 7, False)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    with open_history(db) as h:
        [info] = h.campaigns()
        assert (info.campaign, info.created, info.deadline) == (
            FIRST,
            manifest["created"],
            manifest["deadline"],
        )
        assert (info.content_version, info.content_hash) == (
            manifest["content"]["version"],
            manifest["content"]["hash"],
        )
        assert (info.devices, info.devices_in_map, info.problems) == (105, 90, len(first.problems))
        _same_table(h.register(FIRST), first.register, REGISTER_COLUMNS)
        _same_table(h.problems(FIRST), first.problems, PROBLEM_COLUMNS)
        recorded_files = h.files(FIRST)
    for name, sha, size in recorded_files[["file", "sha256", "size"]].itertuples(index=False):
        data = (RETURNS / name).read_bytes()  # named relative to the folder given
        assert (sha, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert sorted(recorded_files["file"]) == sorted(Path(f).name for f in first.files["file"])


def test_re_recording_a_campaign_replaces_it(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    again = record(campaigns.first, db, manifest=MANIFEST)
    assert again.replaced
    assert count_rows(db, schema.campaigns) == 1
    assert count_rows(db, schema.devices) == len(campaigns.first.register) == 105
    assert count_rows(db, schema.problems) == len(campaigns.first.problems)
    assert count_rows(db, schema.files) == 7


def test_compare_finds_exactly_the_planted_changes(db, campaigns):
    """Two campaigns a year apart: exactly the planted changes, and the distributions of both
    consolidations (counted here from their registers, not from the history)."""
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    got = compare(db, FIRST, CAMPAIGN)
    assert [c.device_id for c in got.risk_rose] == [campaigns.rose]
    assert [c.device_id for c in got.risk_fell] == [campaigns.fell]
    assert (
        got.risk_rose[0].risk_b > got.risk_rose[0].risk_a
        and got.risk_fell[0].risk_b < got.risk_fell[0].risk_a
    )
    assert [d.device_id for d in got.added] == [campaigns.added]
    assert [d.device_id for d in got.removed] == [campaigns.removed]
    assert {(a.device_id, a.item, a.before, a.after) for a in got.answers_changed} == campaigns.answers
    assert len(got.answers_changed) == len(campaigns.answers) == 4

    def counts(result) -> tuple[Counter, dict[str, Counter]]:
        reg = result.register
        mapped = reg["included"] & reg["risk_level"].notna()
        buckets = [str(int(r)) if m else "not_mapped" for r, m in zip(reg["risk_level"].fillna(0), mapped)]
        per: dict[str, Counter] = {}
        for dep, bucket in zip(reg["department"], buckets):
            per.setdefault(dep, Counter())[bucket] += 1
        return Counter(buckets), per

    for side, result in (("a", campaigns.first), ("b", campaigns.second)):
        fleet, per = counts(result)
        assert {k: v for k, v in getattr(got.fleet, side).items() if v} == dict(fleet)
        for dist in got.departments:
            assert {k: v for k, v in getattr(dist, side).items() if v} == dict(per.get(dist.name, {}))
    assert {d.name for d in got.departments} == set(campaigns.first.register["department"]) | set(
        campaigns.second.register["department"]
    )
    for bucket, change in got.fleet.change.items():
        assert change == sum(d.change[bucket] for d in got.departments)


def test_command_line_list_compare_json_and_workbook(db, campaigns, run, pack, tmp_path):
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    listed = run("history", "list", "--db", db)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert (
        lines[1].startswith(FIRST) and lines[2].startswith(CAMPAIGN) and lines[-1].startswith("2 campaign(s)")
    )
    french = run("history", "list", "--db", db, env={"MEDRISK_LANG": "fr"}).output.splitlines()
    assert french[0].split()[:3] == ["campagne", "créée", "le"] and french[-1].startswith("2 campagnes dans ")
    assert re.match(rf"{FIRST} +\d\d/\d\d/\d{{4}} ", french[1]), french[1]  # the created date the French way
    from_env = run("history", "list", "--format", "json", env={"MEDRISK_DB": db})
    assert [c["campaign"] for c in json.loads(from_env.output)] == [FIRST, CAMPAIGN]

    out = tmp_path / "comparison.xlsx"
    res = run("compare", "--db", db, FIRST, CAMPAIGN, "-o", str(out))
    assert res.exit_code == 0, res.output
    assert f"Risk level rose: 1 device(s)\n  {campaigns.rose}" in res.output
    assert "Answers changed: 4 answer(s) on 3 device(s)" in res.output and res.output.endswith(f"  {out}\n")
    french = run("compare", "--db", db, FIRST, CAMPAIGN, env={"MEDRISK_LANG": "fr"}).output
    assert f"Risque en hausse : 1 dispositif\n  {campaigns.rose}" in french
    assert "Réponses modifiées : 4 (dispositifs concernés : 3)" in french
    assert "\nÀ périmètre constant : " in french and "\nL'évolution du parc, dont risque" in french
    data = json.loads(run("compare", "--db", db, "--format", "json", FIRST, CAMPAIGN).output)
    assert [d["device_id"] for d in data["added"]] == [campaigns.added]
    assert data["distribution"]["fleet"]["change"] == {
        k: data["distribution"]["fleet"]["b"][k] - data["distribution"]["fleet"]["a"][k]
        for k in ("1", "2", "3", "not_mapped")
    }
    fleet = data["distribution"]["fleet"]
    assert {k: fleet["from_risk"][k] + fleet["from_coverage"][k] for k in fleet["change"]} == fleet["change"]

    wb = openpyxl.load_workbook(out)
    sheets = dict(zip(COMPARE_SHEETS, wb.sheetnames))
    assert tuple(wb.sheetnames) == (*sheet_names(pack.language("fr")), META_SHEET)  # French by default
    assert [r[0] for r in wb[sheets["added"]].iter_rows(min_row=2, values_only=True)] == [campaigns.added]
    assert [r[0] for r in wb[sheets["removed"]].iter_rows(min_row=2, values_only=True)] == [campaigns.removed]
    changed = {
        (r[0], r[2], r[3], r[4]) for r in wb[sheets["answers_changed"]].iter_rows(min_row=2, values_only=True)
    }
    assert changed == campaigns.answers
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:ser>") == 2 and '<c:barDir val="col"/>' in chart


# -- the comparison workbook speaks the pack's languages ------------------------------------------


def _headers(ws) -> list:
    return [c.value for c in next(ws.iter_rows(max_row=1))]


def _expected_texts(pack, lang: str) -> dict:
    """What the comparison workbook of FIRST -> CAMPAIGN shows in ``lang``, from the pack alone."""
    language = pack.language(lang)
    ui, col = language.ui["compare"], language.ui["compare"]["columns"]
    short = language.labels["risk"]["short_levels"]
    return {
        "sheets": [ui["sheets"][k] for k in COMPARE_SHEETS],
        "title": ui["title"].format(a=FIRST, b=CAMPAIGN),
        "distribution": [col["scope"], col["level"], FIRST, CAMPAIGN, col["change"]],
        "levels": [ui["level"].format(level=n, name=short[n]) for n in (1, 2, 3)] + [ui["not_mapped"]],
        "fleet": ui["fleet"],
        "risk": [col["device_id"], col["department"], col["designation"]]
        + [col["risk"].format(campaign=c) for c in (FIRST, CAMPAIGN)],
        "added": [col["device_id"], col["department"], col["designation"]]
        + [col[k].format(campaign=CAMPAIGN) for k in ("risk", "status")],
        "answers": [col["device_id"], col["department"], col["item"]]
        + [col["answer"].format(campaign=c) for c in (FIRST, CAMPAIGN)],
        "statuses": set(language.labels["status"].values()) | {language.ui["invalid_status"]},
    }


def _check_language(path: Path, pack, lang: str, campaigns) -> None:
    want = _expected_texts(pack, lang)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*want["sheets"], META_SHEET]  # _meta names the kind, very hidden
    assert wb[META_SHEET].sheet_state == "veryHidden" and wb[META_SHEET]["B1"].value == COMPARE_KIND
    dist, _, rose, fell, added, removed, answers, _ = (wb[n] for n in want["sheets"])
    assert dist["A1"].value == want["title"]
    assert [c.value for c in dist[4][:5]] == want["distribution"]
    assert [dist.cell(r, 2).value for r in range(5, 9)] == want["levels"]
    assert dist["A5"].value == want["fleet"]
    assert _headers(rose) == _headers(fell) == want["risk"]
    assert _headers(added) == want["added"]
    assert _headers(answers) == want["answers"]
    assert {r[4] for ws in (added, removed) for r in ws.iter_rows(min_row=2, values_only=True)} <= want[
        "statuses"
    ]
    # the answers read in the workbook's language (the campaigns were recorded in French)
    fr, other = pack.language("fr").option_labels, pack.language(lang).option_labels

    def shown(item: str, value):
        return other[item][fr[item].index(value)] if isinstance(value, str) else value

    got = {(r[0], r[2], r[3], r[4]) for r in answers.iter_rows(min_row=2, values_only=True)}
    assert got == {(d, i, shown(i, x), shown(i, y)) for d, i, x, y in campaigns.answers}


def test_the_comparison_workbook_is_french_by_default_and_english_with_lang_en(
    db, campaigns, run, pack, tmp_path
):
    record(campaigns.first, db, manifest=MANIFEST)
    record(campaigns.second, db, manifest=campaigns.manifest)
    fr_out, en_out = tmp_path / "fr.xlsx", tmp_path / "en.xlsx"
    res = run("compare", "--db", db, FIRST, CAMPAIGN, "-o", str(fr_out))
    assert res.exit_code == 0, res.output
    _check_language(fr_out, pack, "fr", campaigns)
    assert pack.language("fr").ui["compare"]["sheets"]["answers_changed"] == "Réponses modifiées"
    res = run("compare", "--db", db, FIRST, CAMPAIGN, "-o", str(en_out), "--lang", "en")
    assert res.exit_code == 0, res.output
    _check_language(en_out, pack, "en", campaigns)
    assert openpyxl.load_workbook(en_out).sheetnames != openpyxl.load_workbook(fr_out).sheetnames
    # the terminal shows the item answers in the chosen language; the JSON keeps them as recorded
    _device, item, before, after = min(a for a in campaigns.answers if a[1].startswith("V"))
    fr, en = pack.language("fr").option_labels[item], pack.language("en").option_labels[item]
    en_change = f"{item} {en[fr.index(before)]} → {en[fr.index(after)]}"
    assert en_change in res.output and f"{item} {before} → {after}" not in res.output
    assert f"{item} {before} → {after}" in run("compare", "--db", db, FIRST, CAMPAIGN).output
    data = json.loads(run("compare", "--db", db, FIRST, CAMPAIGN, "--format", "json", "--lang", "en").output)
    assert {
        (a["device_id"], a["item"], a["before"], a["after"]) for a in data["answers_changed"]
    } == campaigns.answers
    # the library function takes the language too
    got = compare(db, FIRST, CAMPAIGN)
    _check_language(write_comparison(got, tmp_path / "lib.xlsx", "en", pack), pack, "en", campaigns)
    res = run("compare", "--db", db, FIRST, CAMPAIGN, "-o", str(tmp_path / "de.xlsx"), "--lang", "de")
    assert res.exit_code == 2 and "language 'de' is not in the content pack" in res.output
    assert not (tmp_path / "de.xlsx").exists()


def test_the_comparison_texts_are_checked_and_left_out_of_the_content_hash(edit_pack, pack_copy):
    assert {f"compare.in_b.{k}" for k in COMPARE_IN_B} <= set(catalogue()["fr"]) & set(catalogue()["en"])
    shipped = load_pack().hash
    root = edit_pack("fr/ui.yaml", lambda d: d["compare"]["sheets"].update(risk_rose="Hausse du risque"))
    assert load_pack(root).hash == shipped  # department workbooks do not carry these texts
    edit_pack("en/ui.yaml", lambda d: d["compare"]["columns"].pop("owner"))
    edit_pack(
        "fr/ui.yaml", lambda d: d["compare"]["sheets"].update(added="Nouveaux dispositifs : 2027 et après")
    )
    edit_pack("fr/ui.yaml", lambda d: d["compare"]["in_b"].update(resolved="Conforme en {b}"))
    edit_pack("en/ui.yaml", lambda d: d["compare"].update(intro=" "))
    with pytest.raises(MedriskError) as err:
        load_pack(root)
    found = {(p.code, p.file, p.path) for p in err.value.problems}
    assert found == {
        ("missing-key", "en/ui.yaml", "compare.columns.owner"),
        ("bad-sheet-name", "fr/ui.yaml", "compare.sheets.added"),
        ("bad-template", "fr/ui.yaml", "compare.in_b.resolved"),
        ("missing-text", "en/ui.yaml", "compare.intro"),
    }


# -- an interrupted recording leaves the history as it was ---------------------------------------


def test_a_crash_after_the_devices_were_written_leaves_the_history_as_it_was(db, campaigns, monkeypatch):
    record(campaigns.first, db, manifest=MANIFEST)
    before = dump_tables(db)
    seen = []

    def crash(stage: str, conn) -> None:
        if stage == "devices-written":
            seen.append(conn.execute(sa.select(sa.func.count()).select_from(schema.devices)).scalar_one())
            raise RuntimeError("injected crash")

    monkeypatch.setattr(store, "checkpoint", crash)
    with pytest.raises(RuntimeError, match="injected crash"):
        record(campaigns.second, db, manifest=campaigns.manifest)  # a new campaign
    with pytest.raises(RuntimeError, match="injected crash"):
        record(campaigns.first, db, manifest=MANIFEST)  # replacing the recorded one
    assert seen == [105 + 105, 105]  # the devices were written (in the transaction) each time
    assert dump_tables(db) == before


KILLER = """
import os, signal, sys
from medrisk_xl.consolidate import consolidate
from medrisk_xl.history import record, store

def die(stage, conn):
    if stage == "devices-written":
        os.kill(os.getpid(), signal.SIGKILL)

store.checkpoint = die
record(consolidate([sys.argv[2]], manifest=sys.argv[3]), sys.argv[1], manifest=sys.argv[3])
"""


def test_a_killed_recording_leaves_the_history_as_it_was(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    before = dump_tables(db)
    args = [sys.executable, "-c", KILLER, db, str(campaigns.returns), str(campaigns.manifest)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert dump_tables(db) == before
    assert record(campaigns.second, db, manifest=campaigns.manifest).devices == 105  # still writable


# -- schema versions -----------------------------------------------------------------------------


def test_a_history_of_a_newer_version_is_refused_with_a_message(db, campaigns, run):
    record(campaigns.first, db, manifest=MANIFEST)
    engine = db_engine(db)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.schema_info).values(version=SCHEMA_VERSION + 1, written_by="9.0.0"))
    engine.dispose()
    with pytest.raises(MedriskError, match="newer medrisk-xl"):
        open_history(db)
    res = run("history", "list", "--db", db)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.count("\n") == 1 and "9.0.0" in res.output and "upgrade medrisk-xl" in res.output
    with pytest.raises(MedriskError):
        record(campaigns.first, db, manifest=MANIFEST)


def test_an_older_history_is_migrated_forward_on_open(db, campaigns, monkeypatch):
    record(campaigns.first, db, manifest=MANIFEST)
    later = sa.Table(  # what a later version might add
        "medrisk_later",
        sa.MetaData(),
        sa.Column("campaign", sa.Text, primary_key=True),
        sa.Column("device_id", sa.Text, primary_key=True),
        sa.Column("note", sa.Text),
    )
    ran = []

    def add_later(conn) -> None:
        ran.append(True)
        later.create(conn)

    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, SCHEMA_VERSION, add_later)
    with open_history(db) as h:
        assert h.schema_version() == SCHEMA_VERSION + 1
        assert [i.campaign for i in h.campaigns()] == [FIRST]
    with open_history(db) as h:  # once only
        assert h.schema_version() == SCHEMA_VERSION + 1
    assert ran == [True]
    engine = db_engine(db)
    assert sa.inspect(engine).has_table("medrisk_later")
    engine.dispose()


SOURCES = [f"V{i}_source" for i in range(1, 11)]
# The columns schema 3 added to medrisk_devices, as named in the database (by hand).
SCHEMA_3_COLUMNS = [*(f"v{i}_source" for i in range(1, 11)), "risk_provisional"]


def _device_columns(target: str) -> set[str]:
    engine = db_engine(target)
    names = {c["name"] for c in sa.inspect(engine).get_columns("medrisk_devices")}
    engine.dispose()
    return names


def test_a_history_of_schema_2_is_migrated_to_the_answer_sources(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    engine = db_engine(db)
    with engine.begin() as conn:  # back to what medrisk-xl wrote before the IT workbook
        for column in SCHEMA_3_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE medrisk_devices DROP COLUMN {column}")
        conn.execute(sa.update(schema.schema_info).values(version=2))
    engine.dispose()
    assert not set(SCHEMA_3_COLUMNS) & _device_columns(db)
    with open_history(db, create=False) as h:
        assert h.schema_version() == SCHEMA_VERSION == 5
        old = h.register(FIRST)
    assert set(SCHEMA_3_COLUMNS) <= _device_columns(db)
    assert len(old) == 105
    for column in [*SOURCES, "risk_provisional"]:  # nobody knew who answered: empty
        assert {_plain(v) for v in old[column].tolist()} == {None}, column
    _same_table(
        old,
        campaigns.first.register,
        [c for c in REGISTER_COLUMNS if c not in (*SOURCES, "risk_provisional")],
    )

    # a campaign recorded after the migration keeps who answered and whether its risk is provisional
    second = dataclasses.replace(campaigns.second, register=campaigns.second.register.copy())
    reg = second.register
    a, b, c = reg["device_id"].iloc[:3]
    planted = {
        a: (["it", "department", "it", *["department"] * 7], True),
        b: (["it"] * 10, False),
        c: (["department"] * 10, None),
    }
    for device, (sources, provisional) in planted.items():
        at = reg.index[reg["device_id"] == device][0]
        for column, source in zip(SOURCES, sources):
            reg.at[at, column] = source
        reg.at[at, "risk_provisional"] = pd.NA if provisional is None else provisional
    record(second, db, manifest=campaigns.manifest)
    with open_history(db) as h:
        back = h.register(CAMPAIGN).set_index("device_id")
        assert [i.campaign for i in h.campaigns()] == [FIRST, CAMPAIGN]
    for device, (sources, provisional) in planted.items():
        assert [back.at[device, column] for column in SOURCES] == sources, device
        value = _plain(back.at[device, "risk_provisional"])
        assert (None if value is None else bool(value)) is provisional, device
    _same_table(back.reset_index(), reg, REGISTER_COLUMNS)


# The columns schema 4 added (year two: generate --previous), as named in the database (by hand).
SCHEMA_4_COLUMNS = ["carried_over", "reviewed"]


def test_a_history_of_schema_3_is_migrated_to_the_carried_answers(db, campaigns):
    record(campaigns.first, db, manifest=MANIFEST)
    engine = db_engine(db)
    with engine.begin() as conn:  # back to what medrisk-xl wrote before year two
        for column in SCHEMA_4_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE medrisk_devices DROP COLUMN {column}")
        conn.execute(sa.update(schema.schema_info).values(version=3))
    engine.dispose()
    assert not set(SCHEMA_4_COLUMNS) & _device_columns(db)
    with open_history(db, create=False) as h:
        assert h.schema_version() == SCHEMA_VERSION == 5
        old = h.register(FIRST)
    assert set(SCHEMA_4_COLUMNS) <= _device_columns(db)
    for column in SCHEMA_4_COLUMNS:  # nothing was carried over then: empty
        assert {_plain(v) for v in old[column].tolist()} == {None}, column
    _same_table(old, campaigns.first.register, [c for c in REGISTER_COLUMNS if c not in SCHEMA_4_COLUMNS])

    # a campaign recorded after the migration keeps what was carried over and reviewed
    second = dataclasses.replace(campaigns.second, register=campaigns.second.register.copy())
    reg = second.register
    planted = dict(zip(reg["device_id"].iloc[:3], [("C2, V3", True), ("C1", False), (None, None)]))
    for device, (carried, reviewed) in planted.items():
        at = reg.index[reg["device_id"] == device][0]
        reg.at[at, "carried_over"] = carried
        reg.at[at, "reviewed"] = pd.NA if reviewed is None else reviewed
    record(second, db, manifest=campaigns.manifest)
    with open_history(db) as h:
        back = h.register(CAMPAIGN).set_index("device_id")
    for device, (carried, reviewed) in planted.items():
        assert _plain(back.at[device, "carried_over"]) == carried, device
        value = _plain(back.at[device, "reviewed"])
        assert (None if value is None else bool(value)) is reviewed, device
    _same_table(back.reset_index(), reg, REGISTER_COLUMNS)


# -- concurrency ---------------------------------------------------------------------------------


def _in_threads(*jobs) -> list[BaseException]:
    errors: list[BaseException] = []

    def go(job) -> None:
        try:
            job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_two_campaigns_recorded_at_the_same_time_both_succeed(db, campaigns, monkeypatch):
    """On PostgreSQL both transactions are inside their recording at once (a barrier after the
    devices were written: neither waits for the other); SQLite serialises its writers."""
    open_history(db).close()  # the schema exists: both recordings race on the data only
    stage = "devices-written" if db.startswith("postgresql") else "begin"
    barrier = threading.Barrier(2, timeout=30)
    monkeypatch.setattr(store, "checkpoint", lambda s, conn: barrier.wait() if s == stage else None)
    errors = _in_threads(
        lambda: record(campaigns.first, db, manifest=MANIFEST),
        lambda: record(campaigns.second, db, manifest=campaigns.manifest),
    )
    assert errors == []
    with open_history(db) as h:
        assert [i.campaign for i in h.campaigns()] == [FIRST, CAMPAIGN]
    assert count_rows(db, schema.devices, FIRST) == count_rows(db, schema.devices, CAMPAIGN) == 105


def test_the_same_campaign_recorded_twice_at_once_leaves_one_copy(db, campaigns, monkeypatch):
    open_history(db).close()
    barrier = threading.Barrier(2, timeout=30)
    inside = []

    def hook(stage: str, conn) -> None:
        if stage == "begin":
            barrier.wait()  # both start together
        elif stage == "locked":
            inside.append("in")
        elif stage == "written":
            inside.append("out")

    monkeypatch.setattr(store, "checkpoint", hook)
    errors = _in_threads(*[lambda: record(campaigns.first, db, manifest=MANIFEST)] * 2)
    assert errors == []
    assert inside == ["in", "out", "in", "out"]  # one after the other, never interleaved
    assert count_rows(db, schema.campaigns) == 1
    assert count_rows(db, schema.devices) == 105
    assert count_rows(db, schema.problems) == len(campaigns.first.problems)


# -- secrets and bad input -----------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_password_is_never_shown(run, caplog):
    secret = "Sup3r-S3cret%2Fpw"
    url = f"postgresql://medrisk:{secret}@127.0.0.1:{_free_port()}/history"
    for res in (
        run("history", "list", "--db", url),
        run("history", "list", env={"MEDRISK_DB": url}),
        run("compare", "--db", url, "a", "b", "--format", "json"),
        run("history", "list", "--db", url.replace("postgresql:", "mysql:")),
        run("history", "list", "--db", url.replace("/history", ":port/history")),
    ):
        assert res.exit_code in (1, 2) and res.output.count("\n") == 1, res.output
        assert "Traceback" not in res.output and "Sup3r" not in res.output and "S3cret" not in res.output
    assert "postgresql://medrisk:***@127.0.0.1" in run("history", "list", "--db", url).output
    with caplog.at_level("DEBUG"), pytest.raises(MedriskError) as err:
        record(consolidate([RETURNS / "Cardiologie.xlsx"]), url)
    assert "Sup3r" not in str(err.value) and "Sup3r" not in caplog.text


def test_a_password_is_never_shown_by_a_real_server(pg_db, run, campaigns):
    url = sa.make_url(pg_db)
    record(campaigns.first, pg_db, manifest=MANIFEST)
    res = run("history", "list", "--db", pg_db)
    assert res.exit_code == 0 and url.password not in res.output and ":***@" in res.output
    wrong = url.set(password="Wr0ng-Passw0rd").render_as_string(hide_password=False)
    res = run("history", "list", "--db", wrong)
    assert res.exit_code == 1 and "Wr0ng" not in res.output and "password authentication failed" in res.output


def test_bad_targets_get_one_clear_line(run, tmp_path, campaigns):
    not_db = tmp_path / "notes.db"
    not_db.write_text("not a database, " * 100, encoding="utf-8")
    cases = {
        str(tmp_path): "this is a folder",
        str(not_db): "not a SQLite database",
        "sqlite://": "must be a file",
        "mysql://u@h/db": "not a supported history",
    }
    for target, message in cases.items():
        res = run("history", "list", "--db", target)
        assert res.exit_code in (1, 2) and message in res.output and res.output.count("\n") == 1, (
            target,
            res.output,
        )
    res = run("history", "list")
    assert res.exit_code == 2 and "MEDRISK_DB" in res.output
    res = run("history", "list", "--db", str(tmp_path / "none.db"))
    assert res.exit_code == 1 and "no history here yet" in res.output
    assert not (tmp_path / "none.db").exists()
    with pytest.raises(MedriskError, match="missing does not exist"):
        record(campaigns.first, tmp_path / "missing" / "h.db", manifest=MANIFEST)
    history = tmp_path / "h.db"
    record(campaigns.first, history, manifest=MANIFEST)
    res = run("compare", "--db", str(history), FIRST, "demo-1999")
    assert res.exit_code == 2 and "'demo-1999' is not in the history (recorded: demo-2026)" in res.output
    res = run("compare", "--db", str(history), FIRST, FIRST, "-o", str(tmp_path / "out.csv"))
    assert res.exit_code == 2 and ".xlsx" in res.output


def test_returns_of_two_campaigns_are_not_recorded_as_one(tmp_path, campaigns):
    mixed = consolidate([RETURNS / "Cardiologie.xlsx", campaigns.returns / "Cardiologie.xlsx"])
    with pytest.raises(MedriskError, match="several campaigns"):
        record(mixed, tmp_path / "h.db")
    assert record(mixed, tmp_path / "h.db", campaign="mixed").campaign == "mixed"
