"""Filled returns for the benchmarks, built once and never timed, and the command line timed as a
user runs it (issue 29: measure what users run).

A campaign is planned as ``generate`` plans it and each workbook written with the answer cells as
the department left them (``SheetRow.filled``, cached results as Excel shows them): every device
of ~90 % answered (all three risk levels, a few NE SAIT PAS, a few incomplete), ~10 % not started.
That file is then saved the three ways returns come back:

- ``libreoffice``: opened and saved by LibreOffice headless (a throw-away profile, as
  :mod:`medrisk_xl.engines.libreoffice` runs it);
- ``openpyxl``: loaded and saved by openpyxl, as a script fills a return (formulas kept, their
  cached values dropped);
- ``excel``: the LibreOffice file rewritten as Microsoft Excel writes it, by the Excel fixture of
  ``tests/validate/test_validate_excel.py`` (shared strings and formulas, x14 validations, SHA-512
  protection).
"""

from __future__ import annotations

import compileall
import contextlib
import functools
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

import medrisk_xl
from medrisk_xl.core.output_folder import MANIFEST
from medrisk_xl.core.processes import process_context, usable_cores
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, campaign_manifest, manifest_entry, plan_campaign
from medrisk_xl.generate.inventory import read_inventory
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.plan import WorkbookPlan

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("libreoffice", "openpyxl", "excel")
PASSWORD = "x"
SETUP_JOBS = 2
LIBREOFFICE_BATCH = 100  # files per soffice run (one run's timeout covers its batch)


def machine() -> str:
    """The machine the figures were measured on, printed with them."""
    cpu = platform.processor()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    return (
        f"{platform.system()} {platform.machine()} ({cpu or 'unknown CPU'}), {usable_cores()} usable "
        f"cores of {os.cpu_count()}, Python {platform.python_version()}"
    )


# Answers -----------------------------------------------------------------------------------------


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
    return manifest_entry(name, plan, data), counts


def write_returns(inventory_path: Path, folder: Path, pack: ContentPack) -> tuple[dict, Counter[str]]:
    """The campaign's workbooks, filled, and its campaign.json, as ``generate`` writes them."""
    opts = Options(campaign="bench-2026", password=PASSWORD)
    inventory = read_inventory(
        inventory_path, require_columns=("department",), require_values=("department",)
    )
    plans = plan_campaign(inventory, pack, opts)
    folder.mkdir()
    jobs = [(folder, stem, plan, i) for i, (stem, plan) in enumerate(plans)]
    counts: Counter[str] = Counter()
    entries = []
    context = process_context()
    with ProcessPoolExecutor(SETUP_JOBS, context, initializer=_init_worker, initargs=(pack,)) as pool:
        for entry, c in pool.map(_write_return, jobs, chunksize=16):
            entries.append(entry)
            counts += c
    manifest = campaign_manifest(plans[0][1], opts, pack, inventory, entries)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest, counts


# The three kinds of returns ----------------------------------------------------------------------


def _openpyxl_save(job: tuple[Path, Path]) -> None:
    src, dst = job
    openpyxl.load_workbook(src).save(dst)


def _excel_save(job: tuple[Path, Path]) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "validate"))
    from test_validate_excel import save_as_excel  # the tests' Excel writer, not a copy

    save_as_excel(job[0], job[1], PASSWORD)


def _in_pool(function: Any, jobs: list[tuple[Path, Path]]) -> None:
    with ProcessPoolExecutor(SETUP_JOBS, process_context()) as pool:
        list(pool.map(function, jobs, chunksize=8))


def saved_returns(paths: Sequence[Path], root: Path, kinds: Sequence[str] = KINDS) -> dict[str, Path]:
    """``paths`` (the filled returns) saved as each kind, one folder per kind under ``root``."""
    folders = {kind: root / kind for kind in kinds}
    libreoffice = root / "libreoffice"
    if {"libreoffice", "excel"} & set(kinds):
        for start in range(0, len(paths), LIBREOFFICE_BATCH):
            convert(paths[start : start + LIBREOFFICE_BATCH], libreoffice, recalc=False, timeout=900)
    if "openpyxl" in kinds:
        folders["openpyxl"].mkdir(parents=True)
        _in_pool(_openpyxl_save, [(p, folders["openpyxl"] / p.name) for p in paths])
    if "excel" in kinds:
        folders["excel"].mkdir(parents=True)
        _in_pool(_excel_save, [(libreoffice / p.name, folders["excel"] / p.name) for p in paths])
    return folders


def mixed_returns(paths: Sequence[Path], folders: dict[str, Path], out: Path) -> Counter[str]:
    """One folder of returns, each department's saved by one of the kinds in turn (hard links)."""
    out.mkdir()
    kinds = list(folders)
    counts: Counter[str] = Counter()
    for i, path in enumerate(paths):
        kind = kinds[i % len(kinds)]
        os.link(folders[kind] / path.name, out / path.name)
        counts[kind] += 1
    return counts


# Timing what users run ---------------------------------------------------------------------------


@dataclass
class Run:
    """A command line run: wall time, exit code, max RSS of its largest process and peak of the
    whole process tree (sum of PSS, sampled every 50 ms), both in MB; the CPU seconds of the
    command's whole process tree (workers started by a forkserver included), and of the machine
    meanwhile (other work on it makes the times pessimistic)."""

    seconds: float
    exit_code: int
    max_rss_mb: float
    tree_mb: float
    cpu: float
    machine_cpu: float


def run_cli(args: Sequence[str], cwd: Path | None = None) -> Run:
    """``medrisk-xl ARGS`` as a user types it: a new process (start-up and pack load timed)."""
    _compiled_once()
    command = [str(Path(sys.executable).with_name("medrisk-xl")), *args]
    machine_before = _machine_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()
    cpu_of: dict[int, float] = {}  # pid -> its own CPU seconds, as last sampled

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            tree = _tree(proc.pid)
            peak = max(peak, sum(_memory_kb(p) for p in tree))
            for p in tree:
                cpu_of[p] = max(cpu_of.get(p, 0.0), _own_cpu(p))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the usage of the command and its waited-for children
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    machine_cpu = _machine_cpu() - machine_before
    done.set()
    sampler.join()
    # Both fall short: wait4 of workers a forkserver started, the samples of each process's last
    # 50 ms. The larger is the closer.
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_of.values()))
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, peak / 1024, cpu, machine_cpu)


@functools.cache
def _compiled_once() -> None:
    """The package's bytecode written, as ``pip install`` writes it: an editable install run with
    PYTHONDONTWRITEBYTECODE set (as on some CI machines) would compile every module at each start,
    0.1 s that no installed copy pays."""
    compileall.compile_dir(Path(medrisk_xl.__file__).parent, quiet=1)


def _own_cpu(pid: int) -> float:
    """CPU seconds ``pid`` used itself so far (Linux /proc; 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _machine_cpu() -> float:
    """CPU seconds used so far by the whole machine (all cores; NaN where /proc/stat is absent)."""
    try:
        with open("/proc/stat") as f:
            values = [int(x) for x in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return float("nan")
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # idle, iowait


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


def openpyxl_full_load(paths: Sequence[Path]) -> float:
    """The baseline: ``openpyxl.load_workbook`` of each file, every cell of every sheet read."""
    start = time.perf_counter()
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the x14 validations of Excel files, dropped
            wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    _ = cell.value
        wb.close()
    return time.perf_counter() - start
