"""Make samples/year-two/: the samples a year later, a campaign generated with --previous.

- ``inventory.csv``: the sample inventory a year later: one device of Cardiologie retired from the
  CMMS since (``REMOVED``), one bought (``NEW_DEVICE``), both defined in tests/support/year_two.py.
- ``campaign/``: campaign demo-2027 generated from it with ``--db HISTORY --previous demo-2026``,
  HISTORY being the sample returns consolidated and recorded (exactly the commands the campaign
  guides show; fixed date and password, so the files are reproducible byte for byte).
- ``returns/``: the seven departments that returned in demo-2026 return again, filled from the
  cells' own dropdowns (seeded): every empty answer given, every carried row confirmed in its
  REVIEWED cell, except in Cardiologie (two rows left as carried, still to check; one carried
  answer changed, which counts as a review; a device retired) and Urgences (a device lent).

Usage: python scripts/make_year_two.py
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from click.testing import CliRunner  # noqa: E402
from support.wbtools import fill, open_book  # noqa: E402
from support.year_two import FIRST, NEW_ROW, REMOVED, SECOND, last_year  # noqa: E402

from medrisk_xl import load_pack  # noqa: E402
from medrisk_xl.cli import cli  # noqa: E402
from medrisk_xl.consolidate import consolidate  # noqa: E402
from medrisk_xl.history import record  # noqa: E402
from medrisk_xl.workbook import contract  # noqa: E402

OUT = ROOT / "samples" / "year-two"
EPOCH = "1826523600"  # 2027-11-18: a year after the samples' campaign
PASSWORD = "demo-medrisk"
# The command lines the guides show, less the history and the output folder.
GENERATE = ("--campaign", SECOND, "--deadline", "17/12/2027", "--contact", "biomed@hopital.example")
MANIFEST_2026 = ROOT / "samples" / "campaign" / "campaign.json"
STATUS = {"present": 0, "retired": 1, "moved": 2, "lent": 3, "missing": 4}  # dropdown order


def inventory_text() -> str:
    """The sample inventory less REMOVED, plus NEW_ROW."""
    lines = (ROOT / "samples" / "inventory.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(REMOVED + ";")]
    assert len(kept) == len(lines) - 1, REMOVED
    return "".join(kept) + NEW_ROW


def invoke(*args: object) -> str:
    done = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


def make_campaign(inventory: Path, out: Path, work: Path) -> tuple[str, dict[str, dict[str, str]]]:
    """Record the sample returns in a throw-away history, then generate demo-2027 from it.
    Returns what generate printed and every answer given in demo-2026 (device -> code -> label),
    mapped or not: what each department answers again, a year later."""
    first = consolidate([ROOT / "samples" / "returns"], manifest=MANIFEST_2026, pack=load_pack())
    db = work / "historique.db"
    record(first, db, manifest=MANIFEST_2026)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        args = (*GENERATE, "--password", PASSWORD, "--db", db, "--previous", FIRST)
        return invoke("generate", inventory, "-o", out, *args), last_year(
            first, load_pack(), included_only=False
        )
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _answer_rest(
    book, menus: dict[str, list[str]], row: int, codes: list[str], rng: random.Random, known: dict[str, str]
) -> dict[str, object]:
    """The row's answers as the department gives them: as in demo-2026 where the device was
    answered then (``known``: code -> label; C1's CE-class default is corrected back), else at
    random from the dropdown where the cell is empty (no NE SAIT PAS)."""
    out: dict[str, object] = {}
    for code in codes:
        cell = book.input.cell(row, book.columns[code])
        options = menus[cell.coordinate]
        if code in known and cell.value != known[code]:
            out[code] = options.index(known[code])
        elif code not in known and cell.value in (None, ""):
            out[code] = rng.randrange(4 if code[0] == "C" else 2)
    return out


def fill_return(
    src: Path,
    dest: Path,
    rng: random.Random,
    plan: dict[str, dict[str, object]],
    known: dict[str, dict[str, str]],
) -> None:
    """Answer every row and confirm its carried answers, except what ``plan`` says per device
    (extra cells to write; ``{"unchecked": True}``: left exactly as carried)."""
    book = open_book(src)
    carried = set(book.meta.get(contract.Meta.PREVIOUS, "") and _carried_rows(book))
    codes = [c for c in book.columns if c[0] in "CV" and c[1:].isdigit()]
    menus = book.dropdowns()
    cells: dict[int, dict[str, object]] = {}
    for row in book.rows:
        device = book.input.cell(row, book.columns["ID"]).value
        if not device:
            continue
        extra = dict(plan.get(device, {}))
        if extra.pop("unchecked", False):
            continue
        changed = extra.pop("changed", None)
        given = {**_answer_rest(book, menus, row, codes, rng, known.get(device, {})), **extra}
        if changed:  # another option than the carried one, from the cell's dropdown
            shown = book.input.cell(row, book.columns[changed]).value
            options = menus[book.input.cell(row, book.columns[changed]).coordinate]
            given[changed] = (options.index(shown) + 1) % len(options)
        elif row in carried and not any(c in given for c in codes):
            given[contract.REVIEW_CODE] = 0  # "Oui": the department read the row and confirms it
        cells[row] = given
    fill(src, dest, cells)


def _carried_rows(book) -> list[int]:
    """Rows pre-filled from the previous campaign: the shaded answers' notes say so."""
    rows = []
    for row in book.rows:
        notes = (book.input.cell(row, book.columns[c]).comment for c in book.columns if c[0] in "CV")
        if any(n is not None and FIRST in n.text for n in notes):
            rows.append(row)
    return rows


def main() -> None:
    rng = random.Random(2027)
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "returns").mkdir(parents=True)
    inventory = OUT / "inventory.csv"
    inventory.write_text(inventory_text(), encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        output, known = make_campaign(inventory, OUT / "campaign", Path(work))
    print(output, end="")
    campaign = OUT / "campaign"
    lent = {
        contract.DEVICE_STATUS_CODE: STATUS["lent"],
        contract.DEVICE_NOTE_CODE: "Prêté au Bloc jusqu'au 31/01",
    }
    retired = {
        contract.DEVICE_STATUS_CODE: STATUS["retired"],
        contract.DEVICE_NOTE_CODE: "Réformé en octobre",
    }
    plans = {  # Imagerie médicale does not return its workbook, as in demo-2026
        "Bloc_operatoire": {},
        "Cardiologie": {
            "DM-007732": {"unchecked": True},
            "DM-008807": {"unchecked": True},
            "DM-010082": {"changed": "C4"},
            "DM-012624": retired,
        },
        "Laboratoire": {},
        "Neonatologie": {},
        "Oncologie": {},
        "Reanimation": {},
        "Urgences": {"DM-025061": lent},
    }
    for name, plan in plans.items():
        fill_return(campaign / f"{name}.xlsx", OUT / "returns" / f"{name}.xlsx", rng, plan, known)
    print(f"samples/year-two/returns: {len(plans)} returns")


if __name__ == "__main__":
    main()
