"""Benchmark: recalculating one filled department workbook in each spreadsheet engine.

Prints, for workbooks of several sizes, the time each engine (LibreOffice headless, Gnumeric
``ssconvert --recalc``, the Python engine ``formulas``) takes to load, recalculate and give back
every value, and its ratio to a baseline measured in the same run: reading the same workbook's
cached values with openpyxl (no calculation at all).

Usage: python benchmarks/bench_engines.py [--devices 50 200 ...]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from engines import ENGINES, read_values, recalculate
from test_generate_engine import random_answers, write_inventory
from wbtools import fill, open_book

from medrisk_xl import load_pack
from medrisk_xl.generate.campaign import Options, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}")
    pack = load_pack()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n in args.devices:
            inv = base / f"inv{n}.csv"
            write_inventory(inv, {"Service": n})
            result = generate(inv, base / f"c{n}", Options(spare_rows=0), pack)
            path = base / f"c{n}" / result.manifest["workbooks"][0]["file"]
            filled = base / f"filled{n}.xlsx"
            fill(path, filled, {r: random_answers(rng) for r in open_book(path).rows})
            start = time.perf_counter()
            read_values(filled)
            baseline = time.perf_counter() - start
            print(f"{n} devices: baseline (openpyxl reads cached values) {baseline:.2f} s")
            for engine in ENGINES:
                start = time.perf_counter()
                recalculate(engine, [filled], base / f"out-{engine}-{n}")
                took = time.perf_counter() - start
                print(f"  {engine:12s} {took:7.2f} s  ({took / baseline:6.1f} x baseline)")


if __name__ == "__main__":
    main()
