"""Benchmark: validate a campaign's returns (issue 12 goals).

Generates campaigns of 5,000 devices in 200 department workbooks and 20,000 devices in 800, then
validates every workbook (each one read, every score recomputed, every formula compared) and
prints, for each size:

- the time with ``--jobs 1`` and ``--jobs 2``;
- the baseline measured in the same run: a plain ``openpyxl.load_workbook`` of the same files
  iterating all cells (200 files only: it is the slow path we avoid), and the ratio to it
  (goal: at least 10x faster);
- the peak memory (max RSS) of a process validating them, to show it stays flat in the number
  of files (goal: 800 workbooks under 15 s on the 2-core machine).

Usage: python benchmarks/bench_validate.py [--sizes 200:5000 800:20000]
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import make_inventory

from medrisk_xl import load_pack
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.validate import validate


def openpyxl_baseline(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    _ = cell.value
        wb.close()
    return time.perf_counter() - start


def peak_rss_mb(folder: Path, jobs: int) -> float:
    """Max RSS of a fresh process validating ``folder`` (children included)."""
    code = (
        "import resource, sys; from medrisk_xl.validate import validate; "
        f"validate([{str(folder)!r}], jobs={jobs}); "
        "r = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(r / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["200:5000", "800:20000"], help="WORKBOOKS:DEVICES")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    pack = load_pack()
    for size in args.sizes:
        departments, devices = (int(x) for x in size.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            make_inventory(base / "inv.csv", devices, departments)
            result = generate(base / "inv.csv", base / "c", Options(password="x"), pack)
            paths = [base / "c" / e["file"] for e in result.manifest["workbooks"]]
            print(f"{len(paths)} workbooks, {devices} devices:")
            timings = {}
            for jobs in (1, 2):
                start = time.perf_counter()
                report = validate([base / "c"], pack=pack, jobs=jobs)
                timings[jobs] = time.perf_counter() - start
                assert len(report.files) == len(paths) and report.valid
                print(
                    f"  validate --jobs {jobs}: {timings[jobs]:.2f} s ({len(paths) / timings[jobs]:.0f} workbooks/s)"
                )
            if len(paths) <= 200:
                baseline = openpyxl_baseline(paths)
                print(f"  baseline (openpyxl.load_workbook, all cells): {baseline:.2f} s")
                print(f"  ratio baseline / validate --jobs 2: {baseline / timings[2]:.1f}x (goal: >= 10x)")
            print(f"  peak memory --jobs 1: {peak_rss_mb(base / 'c', 1):.0f} MB")


if __name__ == "__main__":
    main()
