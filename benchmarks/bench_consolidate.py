"""Benchmark: ``medrisk-xl consolidate`` as a user types it, on filled returns (issue 29).

Goals (2-core machine): 800 returns (20,000 devices) consolidated with the workbook and the CSV
under 15 s; 2,000 returns (50,000 devices) under 40 s with a peak memory under 500 MB for the
whole process tree.

Setup (not timed, ``returns.py``): a campaign's workbooks filled as departments fill them (every
device of ~90 % answered, a few NE SAIT PAS, ~10 % not started), each department's return saved
by one of the three kinds in turn (LibreOffice, openpyxl, Excel-style), and its campaign.json.

Timed: ``medrisk-xl consolidate FOLDER -o OUT.xlsx --manifest campaign.json --csv OUT.csv`` with
the default options (every core), a new process (start-up and pack load included). Prints the
register's figures, the time against the goal, the peak memory (the whole process tree: sum of
PSS sampled every 50 ms; and the max RSS of its largest process, ``ru_maxrss`` of the command and
its children), the CPU time other processes used meanwhile, and the baseline measured in the same
run: a straightforward openpyxl implementation (each workbook loaded, answers read, every device
scored by ``medrisk_xl.score``, sorted, an openpyxl register saved) on the first 200 returns,
extrapolated linearly; it must find the same risk level for each of those devices as the CSV.

Usage: python benchmarks/bench_consolidate.py [--sizes 800:20000 2000:50000]
       [--models-per-department N] [--kinds ...] [--count-plan]

``--count-plan`` only counts the action plan's rows at each size (``--plan-by`` device, model and
department), in seconds: the same inventory and answer distribution, each device scored by
``medrisk_xl.score``, no workbook written or read. ``--models-per-department 5`` gives each
department's devices 5 models to share, as a real fleet's (the default: 99 random models).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import make_inventory
from returns import KINDS, device_answers, machine, mixed_returns, run_cli, saved_returns, write_returns

from medrisk_xl import load_pack, score
from medrisk_xl.core.output_folder import MANIFEST
from medrisk_xl.generate.inventory import read_inventory
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.method.scorer import AnswerError

GOALS = {800: 15.0, 2000: 40.0}  # returns -> seconds (consolidate, workbook and CSV)
MEMORY_GOAL_MB = 500
BASELINE_FILES = 200


def sheet_rows(path: Path) -> dict[str, int]:
    """Rows of each sheet of a written xlsx, from its dimension (no full read)."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]*)"', workbook)
        out = {}
        for i, name in enumerate(names, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml") as f:
                head = f.read(4096).decode(errors="ignore")
            m = re.search(r'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
            out[name] = int(m.group(1) or 1) if m else 0
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISSED"


# The openpyxl baseline ----------------------------------------------------------------------------


def openpyxl_baseline(paths: list[Path], pack: ContentPack, out: Path) -> tuple[float, dict[str, int | None]]:
    """What one would write with openpyxl: load each workbook, read the answers of every device
    row, score it with the reference scorer, sort, save a register. Time and device -> risk."""
    start = time.perf_counter()
    codes = pack.method.codes
    devices = []
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the x14 validations of Excel files, dropped
            wb = openpyxl.load_workbook(path)
        meta = {k: v for k, v, *_ in wb["_meta"].iter_rows(max_col=2, values_only=True) if k}
        ws = wb[meta["input_sheet"]]
        columns = {cell.value: cell.column - 1 for cell in ws[int(meta["code_row"])] if cell.value}
        for row in ws.iter_rows(
            min_row=int(meta["first_row"]), max_row=int(meta["last_row"]), values_only=True
        ):
            answers = {code: row[columns[code]] for code in codes}
            device = row[columns["ID"]]
            if not device and all(v is None for v in answers.values()):
                continue  # a free row
            try:
                result = score(answers, pack)
            except AnswerError:
                result = None
            devices.append((device, row[columns["DEPARTMENT"]], row[columns["DESIGNATION"]], answers, result))
        wb.close()
    devices.sort(
        key=lambda d: (
            d[4] is None or d[4].risk_level is None,
            *(
                -(getattr(d[4], k, None) or 0)
                for k in ("risk_level", "criticality_score", "vulnerability_score")
            ),
            d[1] or "",
            d[0] or "",
        )
    )
    results = (
        "criticality_score",
        "criticality_level",
        "vulnerability_score",
        "vulnerability_level",
        "risk_level",
    )
    register = openpyxl.Workbook()
    ws = register.active
    ws.append(["device_id", "department", "designation", *codes, *results, "status"])
    for device, department, designation, answers, result in devices:
        figures = [getattr(result, k, None) for k in results]
        ws.append(
            [device, department, designation, *answers.values(), *figures, getattr(result, "status", None)]
        )
    register.save(out)
    seconds = time.perf_counter() - start
    return seconds, {d[0]: getattr(d[4], "risk_level", None) for d in devices}


# Run ----------------------------------------------------------------------------------------------


def run(workbooks: int, devices: int, pack: ContentPack, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_inventory(base / "inv.csv", devices, workbooks, args.models_per_department)
        start = time.perf_counter()
        manifest, counts = write_returns(base / "inv.csv", base / "written", pack)
        written = [base / "written" / e["file"] for e in manifest["workbooks"]]
        kinds = mixed_returns(written, saved_returns(written, base, args.kinds), base / "returns")
        print(f"{len(written)} returns, {devices} devices:")
        print(
            f"  returns (setup, not timed, {time.perf_counter() - start:.0f} s): {counts['complete']} "
            f"answered, {counts['partial']} incomplete, {counts['empty']} not started; saved by "
            + ", ".join(f"{kind} {n}" for kind, n in kinds.items())
        )
        out, csv = base / "OUT.xlsx", base / "OUT.csv"
        command = ["consolidate", str(base / "returns"), "-o", str(out), "--manifest"]
        r = run_cli([*command, str(base / "written" / MANIFEST), "--csv", str(csv)])
        assert r.exit_code == 0, f"consolidate exited {r.exit_code}"
        register = pd.read_csv(
            csv, sep=";", encoding="utf-8-sig", dtype={"risk_level": "Int64"}, low_memory=False
        )
        assert len(register) == devices, (len(register), devices)
        levels = Counter(int(x) for x in register["risk_level"].dropna())
        print(
            f"  register: {len(register)} devices, {sum(levels.values())} mapped "
            f"(risk 1/2/3: {levels[1]}/{levels[2]}/{levels[3]}); OUT.xlsx {out.stat().st_size / 2**20:.1f} MB, "
            + ", ".join(f"{name} {n}" for name, n in sheet_rows(out).items())
        )
        goal = GOALS.get(workbooks)
        print(
            f"  medrisk-xl consolidate (workbook and CSV, default options): {r.seconds:.2f} s "
            f"({len(written) / r.seconds:.0f} returns/s; CPU {r.cpu:.1f} s)"
            + (f"; goal < {goal:.0f} s: {verdict(r.seconds < goal)}" if goal else "")
        )
        print(
            f"  peak memory: whole process tree {r.tree_mb:.0f} MB (goal < {MEMORY_GOAL_MB} MB: "
            f"{verdict(r.tree_mb < MEMORY_GOAL_MB)}), largest process {r.max_rss_mb:.0f} MB max RSS"
        )
        others = max(0.0, r.machine_cpu - r.cpu)
        print(f"  CPU time of other processes meanwhile: {others:.1f} s (near 0 = a quiet machine)")

        sample = sorted((base / "returns").glob("*.xlsx"))[:BASELINE_FILES]
        baseline, naive = openpyxl_baseline(sample, pack, base / "naive.xlsx")
        ours = dict(zip(register["device_id"], register["risk_level"]))
        assert naive == {d: (None if pd.isna(ours[d]) else int(ours[d])) for d in naive}, "risk levels differ"
        full = baseline * len(written) / len(sample)
        print(
            f"  openpyxl baseline (1 process): {len(sample)} returns ({len(naive)} devices, same risk "
            f"levels) in {baseline:.1f} s, extrapolated to {len(written)}: {full:.0f} s; "
            f"ratio {full / r.seconds:.1f}x"
        )


def count_plan(workbooks: int, devices: int, pack: ContentPack, models: int | None = None) -> None:
    """The action plan's rows by --plan-by, from the benchmark's inventory and answers (no workbook)."""
    from medrisk_xl.consolidate.workbook import plan_rows
    from medrisk_xl.consolidate.workbook.plan_groups import plan_groups

    language = pack.language("fr")
    sources = language.ui["consolidated"]["action_source"]
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        make_inventory(Path(tmp) / "inv.csv", devices, workbooks, models)
        inventory = read_inventory(Path(tmp) / "inv.csv")
    records = []
    for d in inventory.devices:
        answers = device_answers(rng, pack, {"C1": d.ce_answer - 1} if d.ce_answer else {})
        r = score({code: language.answer_labels(code)[i] for code, i in answers.items()}, pack)
        f = d.fields
        records.append(
            {
                "device_id": f.get("device_id"),
                "department": f.get("department"),
                "designation": f.get("designation"),
                "site": f.get("site"),
                "manufacturer": f.get("brand"),
                "model": f.get("model"),
                "risk_level": r.risk_level,
                "criticality_level": r.criticality_level,
                "included": True,
                "non_compliant_items": ", ".join(r.non_compliant_items) or None,
            }
        )
    register = pd.DataFrame(records)
    register["risk_level"] = register["risk_level"].astype("Int64")
    counts = {"device": sum(1 for _ in plan_rows(language, register, sources))}
    for by in ("model", "department"):
        counts[by] = len(plan_groups(language, register, sources, by))
    mapped = int(register["risk_level"].notna().sum())
    print(
        f"{workbooks} workbooks, {devices} devices ({mapped} mapped"
        + (f", {models} models per department" if models else "")
        + "): action plan rows "
        + ", ".join(f"--plan-by {by} {n:,}" for by, n in counts.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["800:20000", "2000:50000"], help="RETURNS:DEVICES")
    parser.add_argument("--count-plan", action="store_true", help="only count the action plan's rows")
    parser.add_argument(
        "--models-per-department", type=int, default=None, help="models a department's devices share"
    )
    parser.add_argument(
        "--kinds", nargs="+", default=list(KINDS), choices=KINDS, help="how returns are saved"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    pack = load_pack()
    for size in args.sizes:
        workbooks, devices = (int(x) for x in size.split(":"))
        if args.count_plan:
            count_plan(workbooks, devices, pack, args.models_per_department)
        else:
            run(workbooks, devices, pack, args)


if __name__ == "__main__":
    main()
