"""Regenerate the README pictures: the input sheet and the matrix sheet as LibreOffice renders
them, and one page of the input sheet as it prints (workbook -> PDF -> PNG). Needs LibreOffice
(soffice) and poppler-utils (pdftoppm, pdftotext, pdfinfo).

Demo workbooks are generated from samples/inventory.csv (one department) with answers filled
in, then printed by LibreOffice after a full recalculation. The overview pictures use a narrower
inventory and the whole input sheet on one page, as on screen; the printed page uses the full
sample inventory and the print setup people get (several pages wide, at a readable scale).

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
from medrisk_xl.workbook import input_sheet
from medrisk_xl.workbook.styles import grid_template
from medrisk_xl.workbook.writer import build_workbook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def fill(plan, pack) -> None:
    """Random answers on every device but the last (left untouched), one device incomplete."""
    rng = random.Random(3)
    devices = [r for r in plan.rows if not r.spare]
    for i, row in enumerate(devices[:-1]):  # the last device shows as "not started"
        row.answers.update({c: rng.choice([0, 1, 1, 2, 3]) for c in pack.method.criterion_codes})
        row.answers.update({v: rng.choice([0, 0, 1, 1, 2]) for v in pack.method.items})
        if i == 3:
            del row.answers["V4"]  # one incomplete device


def printed_workbook(path: Path) -> str:
    """A filled workbook of one department from the full sample inventory; returns a header
    of the printed page to picture (the first vulnerability item)."""
    pack = load_pack()
    inventory = read_inventory(ROOT / "samples" / "inventory.csv")
    plans = plan_campaign(inventory, pack, Options(campaign="demo-2026", password="demo"))
    _, plan = next((stem, p) for stem, p in plans if p.scope == "Cardiologie")
    fill(plan, pack)
    path.write_bytes(build_workbook(plan, pack))
    fr = pack.language("fr")
    return f"V1 – {fr.title('V1')}"


def _one_page_wide(ws, *args, **kwargs) -> None:
    """The input sheet on one page, as on screen, for the overview picture only."""
    _print_setup(ws, *args, **kwargs)
    ws.fit_to_pages(1, 0)


_print_setup = input_sheet.setup_input_print


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
    fill(plan, pack)
    input_sheet.setup_input_print = _one_page_wide
    try:
        path.write_bytes(build_workbook(plan, pack))
    finally:
        input_sheet.setup_input_print = _print_setup
    fr = pack.language("fr").ui
    return fr["input"]["title"].format(department=plan.scope), fr["matrix"]["title"].format(
        department=plan.scope
    )


def page_of(pdf: Path, needle: str) -> int:
    """The first page of ``pdf`` whose text holds ``needle`` (spaces and line breaks ignored)."""
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
        if "".join(needle.split()) in "".join(text.split()):
            return page
    raise SystemExit(f"{needle!r} not found in {pdf}")


def text_box(pdf: Path, page: int) -> tuple[float, float, float, float]:
    """Bounding box (points) of the words printed on ``page``, the footer left out."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    body_end = height - grid_template()["print"]["margins"]["bottom"] * 72  # the footer is below
    boxes = [
        tuple(float(v) for v in m)
        for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    ]
    boxes = [b for b in boxes if b[1] < body_end]
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
        book = Path(tmp) / "printed.xlsx"
        header = printed_workbook(book)
        (pdf,) = convert([book], Path(tmp) / "pdf", "pdf")
        page = page_of(pdf, header)
        name = "printed-input-page"
        pages = ["-f", str(page), "-l", str(page)]
        subprocess.run(
            ["pdftoppm", *pages, "-r", "100", "-png", "-singlefile", str(pdf), str(OUT / name)], check=True
        )
        print(f"docs/images/{name}.png (page {page}, whole A4 page)")


if __name__ == "__main__":
    main()
