"""Benchmark: consolidate a campaign's returns into the ranked register of the fleet.

Goals (2-core machine): 800 workbooks (20,000 devices) under 30 s and 2,000 workbooks (50,000
devices) under 60 s, with peak memory under 500 MB.

Setup (not timed): a campaign is planned as ``generate`` plans it and each workbook written
with the answer cells as the department left them (``SheetRow.filled``, cached results as
Excel shows them): seeded random answers on ~90 % of the devices (all three risk levels, a few
NE SAIT PAS, a few devices left incomplete), ~10 % not started, the C1 pre-filled from the CE
class kept. The workbooks and campaign.json are written as ``generate`` writes them (2
processes); every return is valid.

Timed, as ``medrisk-xl consolidate FOLDER -o OUT.xlsx --manifest campaign.json --jobs 2 [--csv]``
does: ``consolidate`` (every return read and checked, the register built), then the consolidated
workbook written; ``--csv`` is timed apart. Prints, for each size, the devices in the register,
the map and the action plan, the time of each phase and the total against the goal, and:

- the peak memory of a fresh process doing the same (consolidate, workbook, CSV): the max RSS of
  one process (parent or worker, as bench_validate), and the whole process tree sampled (sum of
  PSS, parent and workers together);
- the baseline measured in the same run: a straightforward openpyxl implementation (each
  workbook loaded, answers read, every device scored by ``medrisk_xl.score``, sorted, an
  openpyxl register saved). It runs on the first 200 workbooks only and is extrapolated
  linearly to the full size; it must find the same risk level for every one of those devices.

Usage: python benchmarks/bench_consolidate.py [--sizes 800:20000 2000:50000] [--count-plan]

``--count-plan`` only counts the action plan's rows at each size (``--plan-by`` device, model and
department), in seconds: the same inventory and answer distribution, each device scored by
``medrisk_xl.score``, no workbook written or read.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import make_inventory

from medrisk_xl import load_pack, score
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.exports import write_csv
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.core.output_folder import MANIFEST
from medrisk_xl.generate.campaign import Options, campaign_manifest, manifest_entry, plan_campaign
from medrisk_xl.generate.inventory import read_inventory
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.method.scorer import AnswerError
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.plan import WorkbookPlan

GOALS = {800: 30.0, 2000: 60.0}  # workbooks -> seconds (consolidate + workbook)
MEMORY_GOAL_MB = 500
BASELINE_FILES = 200
JOBS = 2


# Setup: filled returns -------------------------------------------------------------------------


def device_answers(rng: random.Random, pack: ContentPack, generated: dict[str, int]) -> dict[str, int]:
    """A department's answers for one device (option indexes); ``generated`` (C1 from the CE
    class) kept. ~10 % not started, ~2 % incomplete; the rest complete, low to high risk."""
    m = pack.method
    draw = rng.random()
    if draw < 0.10:
        return dict(generated)
    bias = rng.random() ** 1.3  # 0: a low-risk device, 1: a high-risk one
    answers = {c: min(3, max(0, round(rng.gauss(bias * 3, 0.9)))) for c in m.criterion_codes}
    for item in m.items:
        r = rng.random()
        answers[item] = 2 if r < 0.015 else 1 if r < 0.15 + 0.6 * bias else 0  # 2: NE SAIT PAS
    answers.update(generated)
    if draw < 0.12:  # incomplete: a few questions left unanswered (never only C1 left)
        for code in rng.sample([*m.criterion_codes[1:], *m.items], 3):
            del answers[code]
    return answers


_PACK: list[ContentPack] = []


def _init_worker(pack: ContentPack) -> None:
    _PACK[:] = [pack]


def _write_return(job: tuple[Path, str, WorkbookPlan, int]) -> tuple[dict[str, Any], Counter[str]]:
    """Fill the answers of one planned workbook, write it; its manifest entry and answer counts."""
    folder, stem, plan, seed = job
    pack = _PACK[0]
    rng = random.Random(seed)
    labels = pack.language(plan.language).answer_labels
    counts: Counter[str] = Counter()
    for row in plan.rows:
        if row.spare:
            continue
        answers = device_answers(rng, pack, row.answers)
        # What the answer cells hold, as the department left them; ``answers`` stays what the
        # generator pre-filled (the C1 from the CE class).
        row.filled = {code: labels(code)[i] for code, i in answers.items()}
        n = len(answers) - len(row.answers)
        counts[
            "empty" if n == 0 else "complete" if len(answers) == len(pack.method.codes) else "partial"
        ] += 1
    data = build_workbook(plan, pack)
    name = f"{stem}.xlsx"
    (folder / name).write_bytes(data)
    entry = manifest_entry(name, plan, data)
    return entry, counts


def write_returns(inventory_path: Path, folder: Path, pack: ContentPack) -> tuple[dict, Counter[str]]:
    """The campaign's workbooks, filled, and its campaign.json, as ``generate`` writes them."""
    opts = Options(campaign="bench-2026", password="x")
    inventory = read_inventory(
        inventory_path, require_columns=("department",), require_values=("department",)
    )
    plans = plan_campaign(inventory, pack, opts)
    folder.mkdir()
    jobs = [(folder, stem, plan, i) for i, (stem, plan) in enumerate(plans)]
    counts: Counter[str] = Counter()
    entries = []
    with ProcessPoolExecutor(JOBS, initializer=_init_worker, initargs=(pack,)) as pool:
        for entry, c in pool.map(_write_return, jobs, chunksize=16):
            entries.append(entry)
            counts += c
    manifest = campaign_manifest(plans[0][1], opts, pack, inventory, entries)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest, counts


# Figures of the result ---------------------------------------------------------------------------


def action_plan_rows(result, pack: ContentPack) -> int | None:
    """Rows of the action plan sheet, from the writer's own generator (None if unavailable)."""
    try:
        from medrisk_xl.consolidate.workbook import Book, action_rows

        wb = xlsxwriter.Workbook(os.devnull, {"in_memory": True})
        book = Book(wb, pack, pack.language(result.language), result.campaign)
        return sum(1 for _ in action_rows(book, result.register))
    except Exception:  # the action plan layout is being reworked: skip the figure
        return None


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


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine (all cores) and by this process and its
    waited-for children (the --jobs workers are waited for when their pool closes)."""
    try:
        with open("/proc/stat") as f:
            values = [int(x) for x in f.readline().split()[1:8]]
        machine = (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # idle, iowait
    except (OSError, ValueError):
        machine = float("nan")
    t = os.times()
    return machine, t.user + t.system + t.children_user + t.children_system


# Peak memory ------------------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
    return out


def _memory_kb(pid: int) -> int:
    """PSS of ``pid`` (shared pages split between the processes sharing them), else its RSS."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        with contextlib.suppress(OSError), open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    return 0


def peak_memory_mb(folder: Path, manifest: Path, out: Path) -> tuple[float, float, float]:
    """A fresh process doing consolidate --jobs 2, the workbook and the CSV: its own max RSS,
    its largest worker's max RSS, and the peak of the whole tree sampled every 50 ms (MB)."""
    code = (
        "import resource, sys\n"
        "from medrisk_xl import load_pack\n"
        "from medrisk_xl.consolidate import consolidate\n"
        "from medrisk_xl.consolidate.workbook import write_consolidated\n"
        "from medrisk_xl.consolidate.exports import write_csv\n"
        "pack = load_pack()\n"
        f"result = consolidate([{str(folder)!r}], manifest={str(manifest)!r}, pack=pack, jobs={JOBS})\n"
        f"write_consolidated(result, {str(out)!r}, pack)\n"
        f"write_csv(result.register, {str(out.with_suffix('.csv'))!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_memory_kb(p) for p in _tree(proc.pid)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, _ = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"the memory run failed (exit {proc.returncode})")
    parent, child = (float(x) for x in stdout.split()[-2:])
    return parent, child, peak / 1024


# The openpyxl baseline ----------------------------------------------------------------------------


def openpyxl_baseline(paths: list[Path], pack: ContentPack, out: Path) -> tuple[float, dict[str, int | None]]:
    """What one would write with openpyxl: load each workbook, read the answers of every device
    row, score it with the reference scorer, sort, save a register. Time and device -> risk."""
    start = time.perf_counter()
    codes = pack.method.codes
    devices = []
    for path in paths:
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


def run(workbooks: int, devices: int, pack: ContentPack) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_inventory(base / "inv.csv", devices, workbooks)
        folder, manifest_path = base / "c", base / "c" / MANIFEST
        start = time.perf_counter()
        manifest, counts = write_returns(base / "inv.csv", folder, pack)
        setup = time.perf_counter() - start
        paths = [folder / e["file"] for e in manifest["workbooks"]]
        print(f"{len(paths)} workbooks, {devices} devices:")
        print(
            f"  returns (setup, not timed, {setup:.0f} s): {counts['complete']} answered, "
            f"{counts['partial']} incomplete, {counts['empty']} not started"
        )

        out = base / "OUT.xlsx"
        cpu_before = cpu_seconds()  # other work on the machine makes the times pessimistic
        start = time.perf_counter()
        result = consolidate([folder], manifest=manifest_path, pack=pack, jobs=JOBS)
        t_consolidate = time.perf_counter() - start
        cpu_between = cpu_seconds()
        start = time.perf_counter()
        write_consolidated(result, out, pack)
        t_workbook = time.perf_counter() - start
        cpu_written = cpu_seconds()
        start = time.perf_counter()
        write_csv(result.register, base / "OUT.csv")
        t_csv = time.perf_counter() - start
        total = t_consolidate + t_workbook
        cpu_after = cpu_seconds()
        others = (cpu_after[0] - cpu_before[0]) - (cpu_after[1] - cpu_before[1])

        a, register = result.accounting, result.register
        errors = int((result.problems["severity"] == "error").sum())
        assert a["files_used"] == len(paths) and errors == 0, (a, result.problems["code"].value_counts())
        assert a["devices_in_register"] == devices, a
        levels = Counter(int(x) for x in result.scored["risk_level"])
        actions = action_plan_rows(result, pack)
        rows = sheet_rows(out)
        print(
            f"  register: {len(register)} devices, {a['devices_in_map']} in the map "
            f"(risk 1/2/3: {levels[1]}/{levels[2]}/{levels[3]})"
            + (f", action plan: {actions} rows" if actions is not None else "")
        )
        print(
            f"  OUT.xlsx: {out.stat().st_size / 2**20:.1f} MB; sheet rows: "
            + ", ".join(f"{name} {n}" for name, n in rows.items())
        )
        print(
            f"  consolidate --jobs {JOBS}: {t_consolidate:.2f} s ({len(paths) / t_consolidate:.0f} workbooks/s; "
            f"CPU {cpu_between[1] - cpu_before[1]:.1f} s, main process and workers)"
        )
        print(f"  write OUT.xlsx: {t_workbook:.2f} s (CPU {cpu_written[1] - cpu_between[1]:.1f} s)")
        goal = GOALS.get(workbooks)
        verdict = (
            f" (goal: under {goal:.0f} s: {'PASS' if total < goal else 'over'})"
            if goal
            else " (no goal for this size)"
        )
        print(f"  total (consolidate + workbook): {total:.2f} s{verdict}")
        print(f"  --csv: {t_csv:.2f} s more ({total + t_csv:.2f} s with it)")
        print(
            f"  CPU time of other processes during the timed run: {max(0.0, others):.1f} s "
            f"(of {(total + t_csv) * (os.cpu_count() or 1):.0f} s on {os.cpu_count()} cores; near 0 = a quiet machine)"
        )

        parent, child, tree = peak_memory_mb(folder, manifest_path, base / "MEM.xlsx")
        one = max(parent, child)
        print(
            f"  peak memory (fresh process: consolidate --jobs {JOBS}, workbook, CSV): {one:.0f} MB max RSS "
            f"(main {parent:.0f} MB, largest worker {child:.0f} MB; goal: under {MEMORY_GOAL_MB} MB: "
            f"{'PASS' if one < MEMORY_GOAL_MB else 'over'}); whole process tree: {tree:.0f} MB (PSS, sampled)"
        )

        sample = paths[:BASELINE_FILES]
        baseline, naive = openpyxl_baseline(sample, pack, base / "naive.xlsx")
        names = {p.name for p in sample}
        ours_rows = register[register["source_file"].map(lambda s: Path(s).name in names)]
        ours = {
            d: None if pd.isna(r) else int(r)
            for d, r in zip(ours_rows["device_id"], ours_rows["risk_level"].astype(object))
        }
        assert len(naive) == len(ours), (len(naive), len(ours))
        assert naive == ours, "the baseline and consolidate disagree on risk levels"
        scored = sum(1 for r in naive.values() if r is not None)
        full = baseline * len(paths) / len(sample)
        head = f"  openpyxl baseline (1 process): {len(sample)} workbooks ({len(naive)} devices) in {baseline:.1f} s"
        if len(sample) < len(paths):
            head += f", extrapolated to {len(paths)}: {full:.0f} s"
        print(head + f"; ratio {full:.1f} / {total:.1f} = {full / total:.1f}x")
        print(
            f"    same {len(naive)} devices and risk levels as consolidate on those files ({scored} scored)"
        )


def count_plan(workbooks: int, devices: int, pack: ContentPack) -> None:
    """The action plan's rows by --plan-by, from the benchmark's inventory and answers (no workbook)."""
    from medrisk_xl.consolidate.workbook import plan_rows
    from medrisk_xl.consolidate.workbook.plan_groups import plan_groups

    language = pack.language("fr")
    sources = language.ui["consolidated"]["action_source"]
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        make_inventory(Path(tmp) / "inv.csv", devices, workbooks)
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
        f"{workbooks} workbooks, {devices} devices ({mapped} mapped): action plan rows "
        + ", ".join(f"--plan-by {by} {n:,}" for by, n in counts.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["800:20000", "2000:50000"], help="WORKBOOKS:DEVICES")
    parser.add_argument("--count-plan", action="store_true", help="only count the action plan's rows")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    pack = load_pack()
    for size in args.sizes:
        workbooks, devices = (int(x) for x in size.split(":"))
        if args.count_plan:
            count_plan(workbooks, devices, pack)
        else:
            run(workbooks, devices, pack)


if __name__ == "__main__":
    main()
