"""Regenerate the README pictures: the input sheet and the matrix sheet as LibreOffice renders
them (workbook -> PDF -> PNG). Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext).

A demo workbook is generated from samples/inventory.csv (one department) with answers filled
in, then printed by LibreOffice after a full recalculation.

Usage: python scripts/make_pictures.py
"""

from __future__ import annotations

import csv
import random
import re
import subprocess
import tempfile
from pathlib import Path

from medrisk_xl import load_pack
from medrisk_xl.campaign import Options, plan_campaign
from medrisk_xl.inventory import read_inventory
from medrisk_xl.libreoffice import convert
from medrisk_xl.workbook.writer import build_workbook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def demo_workbook(path: Path) -> tuple[str, str]:
    """A filled demo workbook for one department; returns the titles of the two pictured sheets."""
    pack = load_pack()
    # A narrower inventory (id, designation, brand, department) keeps the picture readable.
    with (ROOT / "samples" / "inventory.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    keep = [rows[0].index(h) for h in ("N° inventaire", "Désignation", "Marque", "Service")]
    narrow = path.with_suffix(".csv")
    with narrow.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([[r[i] for i in keep] for r in rows])
    inventory = read_inventory(narrow)
    plans = plan_campaign(inventory, pack, Options(campaign="demo-2026", password="demo", spare_rows=2))
    _, plan = next((stem, p) for stem, p in plans if p.scope == "Cardiologie")
    rng = random.Random(3)
    for i, row in enumerate(r for r in plan.rows if not r.spare):
        if i == len([r for r in plan.rows if not r.spare]) - 1:
            continue  # leave the last device untouched: it shows as "not started"/"incomplete"
        row.answers.update({c: rng.choice([0, 1, 1, 2, 3]) for c in pack.method.criterion_codes})
        row.answers.update({v: rng.choice([0, 0, 1, 1, 2]) for v in pack.method.items})
        if i == 3:
            del row.answers["V4"]  # one incomplete device
    path.write_bytes(build_workbook(plan, pack))
    fr = pack.language("fr").ui
    return fr["input"]["title"].format(department=plan.scope), fr["matrix"]["title"].format(
        department=plan.scope
    )


def page_of(pdf: Path, needle: str) -> int:
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if needle in text:
            return page
    raise SystemExit(f"{needle!r} not found in {pdf}")


def text_box(pdf: Path, page: int) -> tuple[float, float, float, float]:
    """Bounding box (points) of the words printed on ``page``."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    boxes = [
        tuple(float(v) for v in m)
        for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    ]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "demo.xlsx"
        titles = demo_workbook(book)
        (pdf,) = convert([book], Path(tmp) / "pdf", "pdf")
        for title, name, dpi in zip(titles, ("input-sheet", "matrix-sheet"), (220, 130)):
            page = page_of(pdf, title)
            x0, y0, x1, y1 = text_box(pdf, page)
            scale = dpi / 72
            crop = [str(round(v * scale)) for v in (x0 - 12, y0 - 12, x1 - x0 + 60, y1 - y0 + 24)]
            subprocess.run(
                [
                    "pdftoppm",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-r",
                    str(dpi),
                    "-png",
                    "-singlefile",
                    "-x",
                    crop[0],
                    "-y",
                    crop[1],
                    "-W",
                    crop[2],
                    "-H",
                    crop[3],
                    str(pdf),
                    str(OUT / name),
                ],
                check=True,
            )
            print(f"docs/images/{name}.png (page {page})")


if __name__ == "__main__":
    main()
