"""Benchmark: ``medrisk-xl validate FOLDER`` as a user types it, on filled returns (issue 29).

For each size (200 returns of 5,000 devices, 800 of 20,000 by default), the returns are built
once, not timed (``returns.py``: every device of ~90 % answered, a few NE SAIT PAS), and saved
the three ways they come back: by LibreOffice, by openpyxl, Excel-style. For each kind it prints:

- ``medrisk-xl validate FOLDER`` timed as a new process with the default options (every core),
  start-up and pack load included; it must exit 0 (every return valid);
- the baseline in the same run, ``openpyxl.load_workbook`` of the same files iterating every
  cell (up to ``--baseline-files`` files, extrapolated linearly beyond), and the ratio to it;
- the goals: at least 10x the baseline (aim 30x), 800 returns under 3 s.

Usage: python benchmarks/bench_validate.py [--sizes 200:5000 800:20000] [--kinds libreoffice ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import make_inventory
from returns import KINDS, machine, openpyxl_full_load, run_cli, saved_returns, write_returns

from medrisk_xl import load_pack

RATIO_GOAL, RATIO_AIM = 10.0, 30.0
SECONDS_GOAL = {800: 3.0}  # returns -> seconds


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISSED"


def measure(kind: str, folder: Path, baseline_files: int) -> None:
    """One kind of returns: the command line, then the baseline, and the goals."""
    paths = sorted(folder.glob("*.xlsx"))
    run = run_cli(["validate", str(folder)])
    assert run.exit_code == 0, f"validate exited {run.exit_code} on the {kind} returns"
    sample = paths[:baseline_files]
    baseline = openpyxl_full_load(sample) * len(paths) / len(sample)
    ratio = baseline / run.seconds
    line = f"  {kind:11s}: validate {run.seconds:5.2f} s ({len(paths) / run.seconds:4.0f} returns/s)"
    line += f", openpyxl {baseline:6.1f} s" + (" (extrapolated)" if len(sample) < len(paths) else "")
    line += f", ratio {ratio:4.1f}x (goal >= {RATIO_GOAL:.0f}x: {verdict(ratio >= RATIO_GOAL)}"
    line += f"; aim {RATIO_AIM:.0f}x)"
    goal = SECONDS_GOAL.get(len(paths))
    if goal:
        line += f"; goal < {goal:.0f} s: {verdict(run.seconds < goal)}"
    print(line + f"; max RSS {run.max_rss_mb:.0f} MB, tree {run.tree_mb:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["200:5000", "800:20000"], help="RETURNS:DEVICES")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--baseline-files", type=int, default=200, help="files the baseline reads")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    pack = load_pack()
    for size in args.sizes:
        returns, devices = (int(x) for x in size.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            make_inventory(base / "inv.csv", devices, returns)
            manifest, counts = write_returns(base / "inv.csv", base / "written", pack)
            paths = [base / "written" / e["file"] for e in manifest["workbooks"]]
            folders = saved_returns(paths, base, args.kinds)
            print(
                f"{len(paths)} returns, {devices} devices ({counts['complete']} answered, "
                f"{counts['partial']} incomplete, {counts['empty']} not started), built untimed:"
            )
            for kind in args.kinds:
                measure(kind, folders[kind], args.baseline_files)


if __name__ == "__main__":
    main()
