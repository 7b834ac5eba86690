"""Regenerate the README and guide pictures: the input sheet and the matrix sheet as LibreOffice
renders them, one page of the input sheet as it prints, the risk register of a filled sample
return, and the consolidated workbook's summary and first action plan rows (workbook -> PDF ->
PNG). Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext, pdfinfo).

Demo workbooks are generated from samples/inventory.csv (one department) with answers filled
in, then printed by LibreOffice after a full recalculation. The overview pictures use a narrower
inventory and the whole input sheet on one page, as on screen; the printed page uses the full
sample inventory and the print setup people get (several pages wide, at a readable scale).

The risk register picture is the "Registre des risques" sheet of the shipped Cardiologie return
(samples/returns/Cardiologie.xlsx, two rows filled by scripts/make_returns.py), in a trimmed copy:
its print area cut after the filled rows and the next empty one, fitted to one page wide (it
prints two pages wide), so that the whole row reads on one picture.

The consolidated pictures come from the consolidation of the shipped returns (samples/returns with
samples/campaign/campaign.json), printed by LibreOffice with the workbook's own print setup: the
management summary's one page (issue 27), the summary page with its two native charts, and the
top of the action plan's first page. They are cropped to what is drawn (charts and cell borders
included), the page footer left out.

Usage: python scripts/make_pictures.py [--only direction]
(--only direction: the management summary's picture alone, the others left as they are)
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import openpyxl

from medrisk_xl import load_pack
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, plan_campaign
from medrisk_xl.generate.inventory import read_inventory
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write import input_sheet
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.styles import grid_template

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
ACTION_ROWS = 8  # action plan rows pictured at most (below the header)...
ACTION_ROWS_HEIGHT = 4.5  # ...within this height (inches on the printed page)
REGISTER_RETURN = ROOT / "samples" / "returns" / "Cardiologie.xlsx"  # a return with register rows


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


def register_workbook(path: Path) -> str:
    """A copy of a filled sample return whose risk register prints on one page wide, as on screen:
    the columns of its own print area, the filled rows and the first empty one. Returns the header
    of its residual-risk column, which no sheet printed before it holds (to find its page)."""
    texts = load_pack().language("fr").register["sheet"]
    wb = openpyxl.load_workbook(REGISTER_RETURN)
    ws = wb[texts["name"]]
    codes = {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}
    last = contract.FIRST_ROW
    while ws.cell(last, codes["HAZARD"]).value:
        last += 1
    last_column = re.search(r":\$?([A-Z]+)\$?\d+$", ws.print_area).group(1)
    ws.print_area = f"A1:{last_column}{last}"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(path)
    return texts["columns"]["RISK_RESIDUAL"]


def register_picture(tmp: Path) -> None:
    """The risk register of the filled sample return, as LibreOffice prints the trimmed copy."""
    book = tmp / "registre.xlsx"
    needle = register_workbook(book)
    (pdf,) = convert([book], tmp / "pdf", "pdf")
    page = page_of(pdf, needle)
    dpi = 250
    gray = render_gray(pdf, page, dpi, tmp)
    box = ink_box(gray, dpi, footer_top(pdf, page))
    crop_png(pdf, page, dpi, padded(box, gray, 16), "register-sheet")
    print(f"docs/images/register-sheet.png (page {page}, {REGISTER_RETURN.name}, filled rows)")


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


def consolidated_workbook(path: Path, plan_by: str = "device") -> tuple[str, str]:
    """The consolidated workbook of the shipped returns, its plan laid out ``plan_by``; returns the
    summary's title and the header of the action plan's owner column (to find the pictured pages)."""
    pack = load_pack()
    result = consolidate(
        [ROOT / "samples" / "returns"], manifest=ROOT / "samples" / "campaign" / "campaign.json", pack=pack
    )
    write_consolidated(result, path, pack, plan_by=plan_by)
    ui = pack.language(result.language).ui["consolidated"]
    return ui["title"], ui["action_columns"]["owner"]


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of ``pdf`` (one pdftotext run: the consolidated PDF is long)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def first_page_with(pdf: Path, needle: str) -> int:
    """The first page of ``pdf`` whose text holds ``needle`` (spaces and line breaks ignored)."""
    needle = "".join(needle.split())
    for page, text in enumerate(page_texts(pdf), start=1):
        if needle in "".join(text.split()):
            return page
    raise SystemExit(f"{needle!r} not found in {pdf}")


def render_gray(pdf: Path, page: int, dpi: int, tmp: Path) -> np.ndarray:
    """``page`` of ``pdf`` rendered in grey levels (0 black .. 255 white), one value per pixel."""
    root = tmp / f"gray-{page}-{dpi}"
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", *pages, "-r", str(dpi), "-gray", "-singlefile", str(pdf), str(root)], check=True
    )
    data = root.with_suffix(".pgm").read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)  # binary PGM: P5 W H 255 pixels
    assert magic == b"P5" and maxval == b"255", "unexpected pdftoppm output"
    return np.frombuffer(pixels, np.uint8)[: int(width) * int(height)].reshape(int(height), int(width))


def footer_top(pdf: Path, page: int) -> float:
    """Where the page footer starts (points from the top): the top of the page's last line of text."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tops = [float(y) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', html)]
    last = max(tops)
    return min(y for y in tops if y > last - 2)


def ink_box(gray: np.ndarray, dpi: int, footer: float) -> tuple[int, int, int, int]:
    """Bounding box (pixels: x0, y0, x1, y1) of everything drawn above the page footer (``footer``,
    points from the top): text, cell borders and fills, charts."""
    ink = gray[: round((footer - 2) * dpi / 72)] < 245
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def row_lines(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[int]:
    """The pixel rows where a table's horizontal lines end (cell borders, the header's fill): rows
    inked across most of ``box``'s width."""
    x0, y0, x1, y1 = box
    ruled = np.flatnonzero((gray[y0:y1, x0:x1] < 245).mean(axis=1) > 0.8) + y0
    return [int(y) + 1 for i, y in enumerate(ruled) if i + 1 == len(ruled) or ruled[i + 1] != y + 1]


def crop_png(pdf: Path, page: int, dpi: int, box: tuple[int, int, int, int], name: str) -> None:
    """``page`` of ``pdf`` as docs/images/``name``.png, cropped to ``box`` (pixels at ``dpi``)."""
    x0, y0, x1, y1 = box
    crop = [str(v) for v in (x0, y0, x1 - x0, y1 - y0)]
    subprocess.run(
        [
            "pdftoppm",
            *("-f", str(page), "-l", str(page), "-r", str(dpi)),
            *("-png", "-singlefile"),
            *("-x", crop[0], "-y", crop[1], "-W", crop[2], "-H", crop[3]),
            str(pdf),
            str(OUT / name),
        ],
        check=True,
    )


def padded(box: tuple[int, int, int, int], gray: np.ndarray, pad: int) -> tuple[int, int, int, int]:
    """``box`` grown by ``pad`` pixels on every side, within the page."""
    x0, y0, x1, y1 = box
    height, width = gray.shape
    return max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)


def page_picture(pdf: Path, page: int, tmp: Path, name: str, dpi: int = 150) -> None:
    """``page`` of ``pdf`` as docs/images/``name``.png, cropped to what is drawn above its footer."""
    gray = render_gray(pdf, page, dpi, tmp)
    box = ink_box(gray, dpi, footer_top(pdf, page))
    crop_png(pdf, page, dpi, padded(box, gray, 16), name)
    print(f"docs/images/{name}.png (page {page})")


def direction_picture(pdf: Path, tmp: Path) -> None:
    """The management summary (first sheet of the map), its whole page as printed."""
    title = load_pack().language("fr").ui["consolidated"]["direction"]["title"]
    page_picture(pdf, first_page_with(pdf, title), tmp, "consolidated-direction", dpi=170)


def consolidated_pictures(tmp: Path, only_direction: bool = False) -> None:
    """The management summary's page, the summary page (charts included) and the first rows of
    the action plan, one row per device and grouped by department, as printed."""
    book = tmp / "cartographie.xlsx"
    title, owner = consolidated_workbook(book)
    (pdf,) = convert([book], tmp / "pdf", "pdf")
    direction_picture(pdf, tmp)
    if only_direction:
        return
    page = first_page_with(pdf, title)
    dpi = 150
    gray = render_gray(pdf, page, dpi, tmp)
    box = ink_box(gray, dpi, footer_top(pdf, page))
    crop_png(pdf, page, dpi, padded(box, gray, 16), "consolidated-summary")
    print(f"docs/images/consolidated-summary.png (page {page})")
    # Last: the action plan's layout is the one most likely to change.
    plan_picture(pdf, owner, tmp, "consolidated-actions")
    grouped = tmp / "grouped" / "cartographie.xlsx"
    grouped.parent.mkdir()
    consolidated_workbook(grouped, plan_by="department")
    (pdf,) = convert([grouped], tmp / "grouped" / "pdf", "pdf")
    plan_picture(pdf, owner, tmp, "consolidated-grouped-actions")


def plan_picture(pdf: Path, owner: str, tmp: Path, name: str) -> None:
    """The first rows of the action plan (the first page naming the owner column): whole rows
    only, as many as fit (at least one)."""
    page = first_page_with(pdf, owner)
    dpi = 170
    gray = render_gray(pdf, page, dpi, tmp)
    x0, y0, x1, y1 = padded(ink_box(gray, dpi, footer_top(pdf, page)), gray, 16)
    lines = row_lines(gray, (x0, y0, x1, y1))  # the header's bottom edge, then each row's
    fitting = [y for y in lines if y <= y0 + ACTION_ROWS_HEIGHT * dpi]
    if len(fitting) >= 2:
        y1 = fitting[: ACTION_ROWS + 1][-1]
    elif len(lines) >= 2:
        y1 = lines[1]  # the first row alone is taller than the limit
    crop_png(pdf, page, dpi, (x0, y0, x1, y1), name)
    print(f"docs/images/{name}.png (page {page}, first rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate the README and guide pictures.")
    parser.add_argument("--only", choices=["direction"], help="regenerate this picture alone")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.only == "direction":
        with tempfile.TemporaryDirectory() as tmp:
            consolidated_pictures(Path(tmp), only_direction=True)
        return
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
        register_picture(Path(tmp))
        consolidated_pictures(Path(tmp))


if __name__ == "__main__":
    main()
