"""Test helpers for the IT workbook built from returns (issue 25): the shipped samples, the
workbook ``confirm`` builds from them, and what its sheets hold read back with openpyxl."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl

from medrisk_xl.confirm import confirm, write_it_workbook
from medrisk_xl.workbook.contract import CODE_ROW

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"
# What the samples hold, counted by hand from their register (unknown_items): 17 devices answered
# NE SAIT PAS to 41 items in all; they are 17 models on their site, one of which has a second
# device (DM-044483, Réanimation) that answered every item.
SAMPLE_ROWS, SAMPLE_GROUPS, SAMPLE_DEVICES, SAMPLE_RETURNS = 41, 17, 18, 7
ANSWER_SHEET = {"fr": "Réponses informatique", "en": "IT answers"}
START_SHEET = {"fr": "Accueil", "en": "Start"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its sha256."""
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def sample_it_workbook(out: Path, pack) -> Path:
    """The IT workbook of the samples' returns, as ``confirm`` writes it (French, by model)."""
    plan, _ = confirm([RETURNS], manifest=MANIFEST, pack=pack)
    write_it_workbook(plan, out, pack)
    return out


def meta_pairs(wb: openpyxl.Workbook) -> dict[str, str]:
    """The key/value pairs of the ``_meta`` sheet (columns A:B)."""
    ws = wb["_meta"]
    return {k: v for k, v in ws.iter_rows(min_col=1, max_col=2, values_only=True) if k}


def start_facts(wb: openpyxl.Workbook, lang: str = "fr") -> dict[str, object]:
    """The start sheet's label -> value pairs (columns A:B, both filled)."""
    ws = wb[START_SHEET[lang]]
    return {a: b for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True) if a and b}


def code_columns(ws, code_row: int = CODE_ROW) -> dict[str, int]:
    """Column code -> 1-based column, from the answer sheet's code row."""
    return {ws.cell(code_row, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(code_row, c).value}
