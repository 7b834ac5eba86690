"""Benchmark: record a 20,000-device campaign in the history and compare two such campaigns,
against SQLite and against PostgreSQL.

Goals (issue 15, 2-core machine): recording under 10 s, compare under 2 s.

Setup (not timed): two synthetic consolidations with the register's real columns and types,
20,000 devices over 800 department workbooks (answers drawn at random, scored with the pack's
thresholds and matrix, a few NE SAIT PAS, ~10 % not started), one "not started" problem per
unanswered device, 800 files. The second campaign, a year later, has 5 % of its devices with
one answer changed, 1 % removed and 1 % new.

Timed, for each database:
- record campaign A into an empty history (schema created), then campaign B;
- record campaign A again (its 20,000 rows deleted and written again, one transaction);
- compare A with B (both registers read back, every answer compared).

The baseline, measured in the same run on the same database: the register's rows turned into
tuples and inserted with the DB-API driver's plain ``executemany`` into a bare table of the same
columns, one transaction (sqlite3; psycopg). The ratio record / baseline is what to compare
between machines.

PostgreSQL runs when MEDRISK_TEST_PG is set (a throw-away database is created on that server
and dropped at the end).

Usage: python benchmarks/bench_history.py [--devices N]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from medrisk_xl import load_pack
from medrisk_xl.consolidate.tables import (
    CRITERIA,
    FILE_COLUMNS,
    ITEMS,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)
from medrisk_xl.history import compare, open_history, record
from medrisk_xl.history.db_schema import DEVICE_COLUMN_NAMES, INT_REGISTER_COLUMNS

GOAL_RECORD, GOAL_COMPARE = 10.0, 2.0
PER_WORKBOOK = 25


def _score(reg: pd.DataFrame, pack) -> None:
    """Fill scores, levels, risk, status and item lists, vectorised, as the scorer would."""
    m = pack.method
    crit = reg[list(CRITERIA)].to_numpy(dtype=float)
    vuln = reg[list(ITEMS)].to_numpy(dtype=float)
    complete = ~np.isnan(crit).any(axis=1) & ~np.isnan(vuln).any(axis=1)
    started = ~np.isnan(crit[:, 1:]).all(axis=1) | ~np.isnan(vuln).all(axis=1)
    cs, vs = np.nansum(crit, axis=1).astype(int), np.nansum(vuln, axis=1).astype(int)
    cl = np.array([m.criticality_level(int(s)) for s in cs])
    vl = np.array([m.vulnerability_level(int(s)) for s in vs])
    risk = np.array([m.matrix[(v, c)] for v, c in zip(vl, cl)])
    unknown = reg["unknown_items"].notna().to_numpy()
    for column, values in (
        ("criticality_score", cs),
        ("criticality_level", cl),
        ("vulnerability_score", vs),
        ("vulnerability_level", vl),
        ("risk_level", risk),
    ):
        reg[column] = pd.array(np.where(complete, values, 0), dtype="Int64")
        reg.loc[~complete, column] = pd.NA
    reg["status"] = np.where(
        complete, np.where(unknown, "to_confirm", "complete"), np.where(started, "incomplete", "not_started")
    )
    reg["non_compliant_items"] = [
        ", ".join(i for i, v in zip(ITEMS, row) if v == 1) or None for row in vuln.tolist()
    ]


def synthetic(devices: int, pack, seed: int, campaign: str) -> Consolidation:
    rng = np.random.default_rng(seed)
    labels = pack.language("fr").option_labels
    books = (devices + PER_WORKBOOK - 1) // PER_WORKBOOK
    ids = [f"DM-{i:06d}" for i in range(devices)]
    departments = [f"Service {i // PER_WORKBOOK:03d}" for i in range(devices)]
    reg = pd.DataFrame({"device_id": ids, "department": departments})
    reg["site"] = [f"Site {i % 3}" for i in range(devices)]
    kinds = np.array(["Pousse-seringue", "Moniteur multiparamétrique", "Respirateur", "Échographe"])
    reg["designation"] = kinds[rng.integers(0, len(kinds), devices)]
    reg["manufacturer"], reg["model"] = "Medivia", [f"M{x}" for x in rng.integers(0, 99, devices)]
    answered = rng.random(devices) > 0.1
    for code in CRITERIA:
        reg[code] = pd.array(np.where(answered, rng.integers(1, 5, devices), 0), dtype="Int64")
        reg.loc[~answered, code] = pd.NA
    options = rng.choice(3, size=(devices, len(ITEMS)), p=[0.55, 0.4, 0.05])
    unknown = []
    for k, item in enumerate(ITEMS):
        reg[item] = pd.array(np.where(answered, np.minimum(options[:, k], 1), 0), dtype="Int64")
        reg.loc[~answered, item] = pd.NA
        names = np.array(labels[item], dtype=object)
        reg[f"{item}_answer"] = np.where(answered, names[options[:, k]], None)
    for row, ok in zip(options.tolist(), answered.tolist()):
        unknown.append(", ".join(i for i, o in zip(ITEMS, row) if o == 2) if ok else "")
    reg["unknown_items"] = [u or None for u in unknown]
    _score(reg, pack)
    reg["source_file"] = [f"returns/{campaign}/Service_{i // PER_WORKBOOK:03d}.xlsx" for i in range(devices)]
    reg["ce_class"] = "IIb"
    reg["type_assessment"] = None
    reg["added"], reg["included"] = False, True
    reg["sheet"], reg["row"] = (
        "Saisie",
        pd.array([5 + i % PER_WORKBOOK for i in range(devices)], dtype="Int64"),
    )
    reg = reg.sort_values(["risk_level", "criticality_score"], ascending=False, na_position="last")
    reg = reg.reset_index(drop=True)
    reg["priority"] = pd.array(range(1, devices + 1), dtype="Int64")
    reg.loc[reg["risk_level"].isna(), "priority"] = pd.NA
    reg = reg.reindex(columns=REGISTER_COLUMNS)
    waiting = reg[reg["status"] == "not_started"]
    problems = pd.DataFrame(
        {
            "file": waiting["source_file"],
            "code": "not-started",
            "severity": "warning",
            "sheet": "Saisie",
            "cell": None,
            "row": waiting["row"],
            "device_id": waiting["device_id"],
            "message": "no answer yet",
        },
        columns=PROBLEM_COLUMNS,
    )
    counts = ["2026-11-18T10:00:00", PER_WORKBOOK, 20, 2, 1, 0, 2, 0]  # saved, total, complete...
    files = pd.DataFrame(
        [
            [
                f"returns/{campaign}/Service_{b:03d}.xlsx",
                campaign,
                f"Service {b:03d}",
                "valid",
                True,
                None,
                *counts,
            ]
            for b in range(books)
        ],
        columns=FILE_COLUMNS,
    )
    return Consolidation(register=reg, problems=problems, files=files, campaign=campaign, language="fr")


def next_year(first: Consolidation, pack, campaign: str) -> Consolidation:
    """5 % of the devices with one answer changed, 1 % removed, 1 % new."""
    rng = np.random.default_rng(7)
    reg = first.register.copy()
    n = len(reg)
    scored = np.nonzero(reg["risk_level"].notna().to_numpy())[0]
    for k in rng.choice(scored, size=n // 20, replace=False):
        code = CRITERIA[rng.integers(0, len(CRITERIA))]
        reg.loc[k, code] = int(reg.loc[k, code]) % 4 + 1
    _score(reg, pack)
    reg = reg.drop(index=rng.choice(n, size=n // 100, replace=False))
    new = synthetic(n // 100, pack, 99, campaign).register
    new["device_id"] = [f"DM-9{i:05d}" for i in range(len(new))]
    reg = pd.concat([reg, new], ignore_index=True)
    files = first.files.assign(campaign=campaign)
    return Consolidation(register=reg, problems=first.problems, files=files, campaign=campaign, language="fr")


def baseline_rows(reg: pd.DataFrame) -> list[tuple]:
    """The register's rows as plain tuples for the driver (None for missing)."""
    frame = reg.astype(object).where(reg.notna(), None)
    return list(frame.itertuples(index=False, name=None))


def baseline_sqlite(path: Path, reg: pd.DataFrame) -> float:
    columns = [DEVICE_COLUMN_NAMES[c] for c in REGISTER_COLUMNS]
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE plain ({', '.join(columns)})")
    rows = baseline_rows(reg)
    with con:
        con.executemany(f"INSERT INTO plain VALUES ({', '.join('?' * len(columns))})", rows)
    con.close()
    return time.perf_counter() - start


def baseline_postgresql(url: str, reg: pd.DataFrame) -> float:
    import psycopg

    columns = [DEVICE_COLUMN_NAMES[c] for c in REGISTER_COLUMNS]
    types = {c: ("integer" if c in INT_REGISTER_COLUMNS else "text") for c in REGISTER_COLUMNS}
    types |= {"added": "boolean", "included": "boolean"}
    start = time.perf_counter()
    with psycopg.connect(url) as con:
        con.execute(
            f"CREATE TABLE plain ({', '.join(f'{DEVICE_COLUMN_NAMES[c]} {types[c]}' for c in REGISTER_COLUMNS)})"
        )
        rows = baseline_rows(reg)
        with con.cursor() as cur:
            cur.executemany(f"INSERT INTO plain VALUES ({', '.join(['%s'] * len(columns))})", rows)
    return time.perf_counter() - start


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    out = action()
    return time.perf_counter() - start, out


def run(name: str, target: str, a: Consolidation, b: Consolidation, baseline: float) -> None:
    t_a, _ = timed(lambda: record(a, target))
    t_b, _ = timed(lambda: record(b, target))
    t_again, done = timed(lambda: record(a, target))
    with open_history(target) as h:
        t_cmp, cmp = timed(lambda: compare(h, a.campaign, b.campaign))
    t_cmp_cold, _ = timed(lambda: compare(target, a.campaign, b.campaign))
    worst = max(t_a, t_b, t_again)
    print(f"{name}:")
    print(f"  record A (new history): {t_a:6.2f} s")
    print(f"  record B:               {t_b:6.2f} s")
    print(f"  record A again:         {t_again:6.2f} s  (replaced: {done.replaced})")
    print(f"  baseline executemany:   {baseline:6.2f} s  -> record / baseline = {t_b / baseline:.1f}x")
    print(f"  compare A B:            {t_cmp:6.2f} s  (opening the history included: {t_cmp_cold:.2f} s)")
    print(
        f"  found: {len(cmp.risk_rose)} rose, {len(cmp.risk_fell)} fell, {len(cmp.added)} new, "
        f"{len(cmp.removed)} removed, {len(cmp.answers_changed)} answers changed"
    )
    print(
        f"  goals: recording {worst:.2f} s < {GOAL_RECORD:.0f} s: {'OK' if worst < GOAL_RECORD else 'MISSED'}; "
        f"compare {t_cmp_cold:.2f} s < {GOAL_COMPARE:.0f} s: {'OK' if t_cmp_cold < GOAL_COMPARE else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=20_000)
    args = parser.parse_args()
    pack = load_pack()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, ", end=""
    )
    print(f"SQLAlchemy {sa.__version__}, SQLite {sqlite3.sqlite_version}")
    a = synthetic(args.devices, pack, 1, "bench-2026")
    b = next_year(a, pack, "bench-2027")
    print(
        f"campaign A: {len(a.register)} devices, {len(a.problems)} problems, {len(a.files)} files; B: {len(b.register)}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline_sqlite(Path(tmp) / "baseline.db", a.register)
        run("SQLite", str(Path(tmp) / "history.db"), a, b, base)
    server = os.environ.get("MEDRISK_TEST_PG")
    if not server:
        print("PostgreSQL: skipped (set MEDRISK_TEST_PG=postgresql://user:password@host:port/database)")
        return
    url = sa.make_url(server).set(drivername="postgresql+psycopg")
    name = f"medrisk_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        plain = url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
        base_db = f"{name}_baseline"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{base_db}"')
        base = baseline_postgresql(
            url.set(drivername="postgresql", database=base_db).render_as_string(False), a.register
        )
        run(f"PostgreSQL {version}", plain, a, b, base)
    finally:
        with admin.connect() as conn:
            for db in (name, f"{name}_baseline"):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
