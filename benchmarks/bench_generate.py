"""Benchmark: generate a campaign for 10,000 devices over 200 departments.

Goal (issue 3): under 20 s on a 2-core machine. Prints the machine, the time, throughput, and
the ratio to a baseline measured in the same run: writing the same inventory cells into 200
plain XlsxWriter workbooks (no formulas, dropdowns, notes, protection or reading sheets). The
ratio is what to compare between machines; the times depend on the machine.

Usage: python benchmarks/bench_generate.py [--devices N] [--departments N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import tempfile
import time
from pathlib import Path

import xlsxwriter

from medrisk_xl import load_pack
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.generate.inventory import read_inventory

HEADER = [
    "N° inventaire",
    "Désignation",
    "Marque",
    "Modèle",
    "Service",
    "Site",
    "Classe CE",
    "Code CNEH",
    "Code EMDN",
    "Date de mise en service",
]


def make_inventory(
    path: Path, devices: int, departments: int, models_per_department: int | None = None
) -> None:
    """``devices`` over ``departments``, 3 sites, random models among 99; with
    ``models_per_department``, each department's devices share that many models (a real fleet's
    rows of identical pumps or monitors), the designation following the model."""
    rng = random.Random(1)
    kinds = ["Pousse-seringue", "Moniteur multiparamétrique", "Respirateur", "Échographe", "Défibrillateur"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADER)
        for i in range(devices):
            kind, model = rng.choice(kinds), f"M{rng.randrange(99)}"
            if models_per_department:
                number = (i % departments) * models_per_department + rng.randrange(models_per_department)
                kind, model = kinds[number % len(kinds)], f"M{number}"
            w.writerow(
                [
                    f"DM-{i:06d}",
                    kind,
                    "Medivia",
                    model,
                    f"Service {i % departments:03d}",
                    f"Site {i % 3}",
                    rng.choice(["I", "IIa", "IIb", "III", ""]),
                    f"{rng.randrange(10, 30)}.01.02",
                    f"Z1203{rng.randrange(10, 99)}",
                    "01/01/2020",
                ]
            )


def baseline(inventory: Path) -> float:
    """Plain XlsxWriter: the same identity cells, one workbook per department."""
    start = time.perf_counter()
    inv = read_inventory(inventory)
    groups: dict[str, list] = {}
    for d in inv.devices:
        groups.setdefault(d.get("department"), []).append(d)
    for devices in groups.values():
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet()
        for r, d in enumerate(devices):
            for c, value in enumerate(d.fields.values()):
                ws.write_string(r, c, value)
        wb.close()
    return time.perf_counter() - start


def machine() -> str:
    """CPU model and count, OS, Python and XlsxWriter versions of this run."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text(errors="replace").splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpus} CPU(s) {model}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, XlsxWriter {xlsxwriter.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=200)
    args = parser.parse_args()
    pack = load_pack()
    with tempfile.TemporaryDirectory() as tmp:
        inv = Path(tmp) / "inventory.csv"
        make_inventory(inv, args.devices, args.departments)
        base = baseline(inv)
        start = time.perf_counter()
        result = generate(inv, Path(tmp) / "campaign", Options(campaign="bench", password="bench"), pack)
        elapsed = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (Path(tmp) / "campaign").iterdir())
    books = len(result.manifest["workbooks"])
    print(f"machine: {machine()}")
    print(
        f"generate: {args.devices} devices, {books} workbooks in {elapsed:.2f} s "
        f"({args.devices / elapsed:.0f} devices/s, {elapsed / books * 1000:.0f} ms/workbook, {size / 1e6:.1f} MB)"
    )
    print(f"baseline (plain XlsxWriter, identity cells only): {base:.2f} s")
    print(f"ratio generate / baseline: {elapsed / base:.1f}x")
    print(f"goal: < 20 s -> {'met' if elapsed < 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
