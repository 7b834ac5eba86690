"""Snapshot what the command line produces on the samples, to prove a refactoring changed nothing.

``python scripts/behaviour_snapshot.py OUT_DIR`` runs, under a fixed SOURCE_DATE_EPOCH, the
commands a campaign uses and keeps their outputs: the sample campaign and a form-layout campaign
(workbooks byte for byte), the JSON of ``validate``, ``audit`` (Gnumeric), ``compare`` and
``content check``, and the consolidated workbook's cell values (every sheet, as JSON).
``python scripts/behaviour_snapshot.py --compare A B`` lists every file that differs.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
EPOCH = "1764547200"  # 2025-12-01, any fixed instant


def run(out: Path, name: str, *args: str) -> None:
    """Run ``medrisk-xl ARGS`` and keep its stdout (JSON commands) and exit code."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "medrisk_xl", *args], capture_output=True, text=True, env=env, cwd=out
    )
    text = done.stdout.replace(str(out), "OUT").replace(str(ROOT), "ROOT")
    text = re.sub(r'"(recorded_at|date)": "[^"]*"', r'"\1": "…"', text)  # the wall clock
    text = re.sub(r"recorded \d{4}-\d\d-\d\dT[0-9:]+Z", "recorded …", text)
    (out / f"{name}.out").write_text(f"exit {done.returncode}\n{text}", encoding="utf-8")


def cell_values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values (formulas as written), as JSON-able lists."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: [
            [None if v is None else str(v).replace(str(ROOT), "ROOT") for v in row]
            for row in ws.iter_rows(values_only=True)
        ]
        for ws in book.worksheets
    }


def snapshot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=False)
    manifest = str(SAMPLES / "campaign" / "campaign.json")
    returns = str(SAMPLES / "returns")
    gen = ["--campaign", "snap-2026", "--deadline", "18/12/2026", "--contact", "biomed@hopital.example"]
    run(out, "generate-grid", "generate", str(SAMPLES / "inventory.csv"), "-o", "grid", *gen)
    run(
        out,
        "generate-form",
        "generate",
        str(SAMPLES / "inventory.csv"),
        "-o",
        "form",
        "--layout",
        "form",
        *gen,
    )
    run(out, "validate", "validate", returns, "--manifest", manifest, "--format", "json")
    run(
        out,
        "audit",
        "audit",
        returns,
        "--engine",
        "gnumeric",
        "--format",
        "json",
        "--samples",
        "2",
        "--seed",
        "1",
    )
    run(out, "content-check", "content", "check", "--format", "json")
    run(
        out,
        "consolidate",
        "consolidate",
        returns,
        "-o",
        "map.xlsx",
        "--manifest",
        manifest,
        "--csv",
        "map.csv",
    )
    for lang in ("fr", "en"):
        run(
            out,
            f"consolidate-db-{lang}",
            "consolidate",
            returns,
            "-o",
            f"map-{lang}.xlsx",
            "--manifest",
            manifest,
            "--db",
            "history.db",
            "--lang",
            lang,
        )
    run(out, "history", "history", "list", "--db", "history.db", "--format", "json")
    ids = [c["campaign"] for c in json.loads((out / "history.out").read_text().split("\n", 1)[1])]
    run(out, "compare", "compare", ids[0], ids[-1], "--db", "history.db", "--format", "json")
    run(out, "compare-xlsx", "compare", ids[0], ids[-1], "--db", "history.db", "-o", "compare.xlsx")
    for name in ("map.xlsx", "map-fr.xlsx", "map-en.xlsx", "compare.xlsx"):
        if (out / name).exists():
            values = cell_values(out / name)
            (out / f"{name}.json").write_text(
                json.dumps(values, ensure_ascii=False, indent=0), encoding="utf-8"
            )
            (out / name).unlink()  # its zip holds the write time; its values are compared instead
    (out / "history.db").unlink(missing_ok=True)
    csv = out / "map.csv"  # the returns' paths, wherever the checkout is
    csv.write_bytes(csv.read_bytes().replace(str(ROOT).encode(), b"ROOT"))


def compare(a: Path, b: Path) -> int:
    """Print every file present in one snapshot only, or whose bytes differ; 1 when any."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {
        p.relative_to(b) for p in b.rglob("*") if p.is_file()
    }
    differ = [
        n
        for n in sorted(names)
        if not (a / n).exists() or not (b / n).exists() or not filecmp.cmp(a / n, b / n, shallow=False)
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names)} file(s) compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    snapshot(Path(sys.argv[1]).resolve())
