"""Make samples/returns/: realistic returned workbooks from the samples campaign.

Departments fill their workbook from the dropdowns (seeded, reproducible answers). Some returns
are clean, some incomplete, one has NE SAIT PAS answers, one is saved through LibreOffice
headless (cached values present, very hidden sheets turned hidden), and a few are tampered
with: a pasted value, a formula typed over, a deleted row, protection removed.

Then the IT team's workbook (samples/it/Informatique.xlsx): ``medrisk-xl confirm`` on those
returns, partly answered from its dropdowns (some rows left blank, one item still NE SAIT PAS).

Usage: python scripts/make_returns.py [--it-only]   (needs LibreOffice for the LibreOffice-saved
return; --it-only remakes the IT workbook alone, from the returns already there)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.wbtools import dropdowns, fill, fill_register, open_book  # noqa: E402

from medrisk_xl import load_pack  # noqa: E402
from medrisk_xl.confirm import confirm, write_it_workbook  # noqa: E402
from medrisk_xl.engines.libreoffice import convert  # noqa: E402
from medrisk_xl.workbook import contract  # noqa: E402
from medrisk_xl.workbook.it_contract import ItMeta  # noqa: E402
from medrisk_xl.workbook.lists import list_codes  # noqa: E402
from medrisk_xl.workbook.read.reader import read_workbook  # noqa: E402

CAMPAIGN = ROOT / "samples" / "campaign"
OUT = ROOT / "samples" / "returns"
IT_OUT = ROOT / "samples" / "it" / "Informatique.xlsx"
CRIT = [f"C{i}" for i in range(1, 10)]
VULN = [f"V{i}" for i in range(1, 11)]


def answers(rng: random.Random, unknown: bool = False) -> dict[str, int]:
    """A device answered from the dropdowns: criticality 1-4, vulnerability OUI/NON (NSP too)."""
    choices = [0, 0, 1, 1, 2] if unknown else [0, 0, 1]
    return {**{c: rng.randrange(4) for c in CRIT}, **{v: rng.choice(choices) for v in VULN}}


# Risk register rows (IEC/TR 80001-2-1) as departments fill them: pack codes, picked from the
# dropdowns (free text elsewhere).
REGISTER = {
    "Cardiologie": [
        {
            "HAZARD": "UNAUTHORIZED_ACCESS",
            "CAUSE": "WIRELESS_INTERCEPTION",
            "SITUATION": "PRIVACY_BREACH",
            "CONSEQUENCE": "Données de télémétrie lues sur le Wi-Fi invités",
            "PROPERTY": "security",
            "SEVERITY": "medium",
            "PROBABILITY": "occasional",
            "CONTROL": "Télémétrie sur un SSID dédié chiffré (WPA2-Entreprise)",
            "CONTROL_TYPE": "inherent_safety",
            "RES_SEVERITY": "medium",
            "RES_PROBABILITY": "improbable",
            "OWNER": "RSSI",
            "STATUS": "implemented",
        },
        {
            "HAZARD": "COMPLETE_LINK_LOSS",
            "CAUSE": "NETWORK_HARDWARE_FAILURE",
            "SITUATION": "DELAYED_CARE",
            "CONSEQUENCE": "Alarmes de la centrale non reçues en salle de soins",
            "PROPERTY": "safety",
            "SEVERITY": "high",
            "PROBABILITY": "probable",
            "CONTROL": "Commutateur redondant et alarme de perte de liaison",
            "CONTROL_TYPE": "protective_measures",
            "RES_SEVERITY": "high",
            "RES_PROBABILITY": "remote",
            "OWNER": "Ingénieur biomédical",
            "STATUS": "control_chosen",
        },
    ],
    "Neonatologie": [
        {
            "HAZARD": "DEVICE_FUNCTION_LOSS",
            "CAUSE": "MALWARE",
            "SITUATION": "NO_CARE",
            "CONSEQUENCE": "Couveuses connectées bloquées par un rançongiciel",
            "PROPERTY": "safety",
            "SEVERITY": "catastrophic",
            "PROBABILITY": "occasional",
            "CONTROL": "Segmentation du réseau des couveuses",
            "CONTROL_TYPE": "protective_measures",
            "RES_SEVERITY": "catastrophic",
            "RES_PROBABILITY": "remote",
            "OWNER": "DSI",
            "STATUS": "identified",
        },
    ],
    "Oncologie": [
        {
            "HAZARD": "DATA_INTEGRITY",
            "CAUSE": "USER_ERROR",
            "SITUATION": "INAPPROPRIATE_CARE",
            "CONSEQUENCE": "Protocole de chimiothérapie modifié sans trace",
            "PROPERTY": "effectiveness",
            "SEVERITY": "high",
            "PROBABILITY": "remote",
            "STATUS": "identified",
        },
    ],
}
LISTS = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}


def register_rows(path: Path, department: str, devices: list[str]) -> dict[int, dict]:
    """The department's register rows, by sheet row: list answers as dropdown option indexes."""
    pack = load_pack()
    first = int(open_book(path).meta["register_first_row"])
    out = {}
    for i, row in enumerate(REGISTER[department]):
        values: dict[str, object] = {"DEVICE": devices[i]}
        for code, value in row.items():
            values[code] = list_codes(pack, LISTS[code]).index(value) if code in LISTS else value
        out[first + i] = values
    return out


def add_register(path: Path, out: Path, department: str) -> None:
    """Fill the department's register rows into ``path`` (a filled return), saved as ``out``."""
    book = open_book(path)
    ids = [book.input.cell(r, book.columns["ID"]).value for r in device_rows(path)]
    fill_register(path, out, register_rows(path, department, ids))


def device_rows(path: Path) -> list[int]:
    book = open_book(path)
    first_spare = int(book.meta["first_spare_row"] or 10**9)
    return [r for r in book.rows if r < first_spare]


def main() -> None:
    rng = random.Random(2026)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp())
    try:
        # Clean, complete returns (one renamed by the department).
        fill(
            CAMPAIGN / "Cardiologie.xlsx",
            tmp / "Cardiologie.xlsx",
            {r: answers(rng) for r in device_rows(CAMPAIGN / "Cardiologie.xlsx")},
        )
        add_register(tmp / "Cardiologie.xlsx", OUT / "Cardiologie.xlsx", "Cardiologie")
        fill(
            CAMPAIGN / "Laboratoire.xlsx",
            OUT / "Labo - retour final (2).xlsx",
            {r: answers(rng) for r in device_rows(CAMPAIGN / "Laboratoire.xlsx")},
        )
        # NE SAIT PAS answers to confirm with the IT team.
        fill(
            CAMPAIGN / "Neonatologie.xlsx",
            tmp / "Neonatologie.xlsx",
            {r: answers(rng, unknown=True) for r in device_rows(CAMPAIGN / "Neonatologie.xlsx")},
        )
        add_register(tmp / "Neonatologie.xlsx", OUT / "Neonatologie.xlsx", "Neonatologie")
        # Incomplete: half the devices answered, two of them partly; a device added in a free row.
        rows = device_rows(CAMPAIGN / "Urgences.xlsx")
        plan: dict[int, dict] = {r: answers(rng) for r in rows[: len(rows) // 2]}
        plan[rows[0]]["C5"] = None
        plan[rows[1]]["V7"] = None
        plan[rows[-1] + 1] = {"ID": "URG-NEW-01", "DESIGNATION": "Échographe portable", **answers(rng)}
        fill(CAMPAIGN / "Urgences.xlsx", OUT / "Urgences.xlsx", plan)
        # Saved through LibreOffice headless after filling.
        filled = tmp / "Oncologie.xlsx"
        fill(
            CAMPAIGN / "Oncologie.xlsx",
            tmp / "onco-answers.xlsx",
            {r: answers(rng, unknown=True) for r in device_rows(CAMPAIGN / "Oncologie.xlsx")},
        )
        add_register(tmp / "onco-answers.xlsx", filled, "Oncologie")
        (saved,) = convert([filled], tmp / "lo")
        shutil.copy(saved, OUT / "Oncologie (LibreOffice).xlsx")
        # Tampered: a value pasted over a dropdown and a score typed over its formula.
        path = CAMPAIGN / "Reanimation.xlsx"
        rows = device_rows(path)
        fill(path, tmp / "rea.xlsx", {r: answers(rng) for r in rows})
        wb = openpyxl.load_workbook(tmp / "rea.xlsx")
        cols = open_book(path).columns
        ws = wb[open_book(path).meta["input_sheet"]]
        ws.cell(rows[2], cols["V3"]).value = "oui ?"
        ws.cell(rows[4], cols["CRIT_SCORE"]).value = 12
        wb.save(OUT / "Reanimation.xlsx")
        # Tampered: a device row deleted, and the input sheet's protection removed.
        path = CAMPAIGN / "Bloc_operatoire.xlsx"
        rows = device_rows(path)
        fill(path, tmp / "bloc.xlsx", {r: answers(rng) for r in rows})
        wb = openpyxl.load_workbook(tmp / "bloc.xlsx")
        ws = wb[open_book(path).meta["input_sheet"]]
        ws.delete_rows(rows[-1])
        ws.protection.sheet = False
        wb.save(OUT / "Bloc_operatoire.xlsx")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path in OUT.iterdir():
        if "LibreOffice" not in path.name:  # LibreOffice's return keeps the time it was saved at
            stamp_saved(path, SAVED_AT)
    print(f"{OUT.relative_to(ROOT)}: {len(list(OUT.iterdir()))} returned workbooks")


# When the departments saved their returns (openpyxl writes the time of the run): fixed, so that
# the samples are the same whenever they are remade.
SAVED_AT = "2026-11-26T13:08:12Z"


def stamp_saved(path: Path, when: str) -> None:
    """Set the save time (docProps/core.xml, dcterms:modified) of the workbook at ``path``."""
    with zipfile.ZipFile(path) as z:
        items = [(item, z.read(item.filename)) for item in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item, data in items:
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + when.encode() + rb"\g<2>",
                    data,
                )
            z.writestr(item, data)


def make_it_workbook() -> None:
    """The IT workbook of the sample returns, as the IT team sends it back: two rows in three
    answered from each row's own dropdown, with who confirmed it and when."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01: reproducible bytes
    pack = load_pack()
    plan, _ = confirm([OUT], manifest=CAMPAIGN / "campaign.json", pack=pack)
    IT_OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    try:
        write_it_workbook(plan, tmp / "it.xlsx", pack)
        wb = openpyxl.load_workbook(tmp / "it.xlsx")
        ws = wb[read_workbook(tmp / "it.xlsx").meta[ItMeta.ANSWER_SHEET]]
        codes = {ws.cell(contract.CODE_ROW, c).value: c for c in range(1, ws.max_column + 1)}
        options = dropdowns(wb, ws)
        rng = random.Random(80001)
        for r in range(contract.FIRST_ROW, contract.FIRST_ROW + len(plan.rows)):
            if r % 3 == 0:
                continue  # still to be checked by the IT team
            labels = options[ws.cell(r, codes["IT_ANSWER"]).coordinate]
            ws.cell(r, codes["IT_ANSWER"]).value = labels[0 if rng.random() < 0.6 else 1]
            ws.cell(r, codes["CONFIRMED_BY"]).value = "DSI — équipe biomédicale et réseau"
            ws.cell(r, codes["CONFIRMED_ON"]).value = dt.date(2026, 12, 10)
        last = contract.FIRST_ROW + len(plan.rows) - 1
        ws.cell(last, codes["IT_ANSWER"]).value = options[ws.cell(last, codes["IT_ANSWER"]).coordinate][2]
        ws.cell(last, codes["COMMENT"]).value = "Le fabricant n'a pas encore répondu"
        wb.save(IT_OUT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{IT_OUT.relative_to(ROOT)}: {len(plan.rows)} rows for the IT team")


if __name__ == "__main__":
    if "--it-only" not in sys.argv:
        main()
    make_it_workbook()
