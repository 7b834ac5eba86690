"""Test helpers: an IT workbook (issue 25) read and filled with openpyxl, and what ``consolidate``
must make of its answers, computed apart from the code under test.

The oracle starts from the register of a consolidation *without* the IT workbook (the departments'
answers), substitutes the IT answer for each device of a row's group whose department answered
NE SAIT PAS, and scores every device again with the reference scorer
(:func:`medrisk_xl.method.scorer.score`). It never calls the code that applies the answers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.method.scorer import score
from medrisk_xl.workbook import contract

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"

ITEMS = tuple(f"V{i}" for i in range(1, 11))
CRITERIA = tuple(f"C{i}" for i in range(1, 10))
YES, NO, UNKNOWN = "OUI", "NON", "NE SAIT PAS"  # content/fr/labels.yaml, written out
DEPARTMENT, IT = "department", "it"  # the V*_source values
# A register status for what the scorer calls "empty".
STATUS = {"empty": "not_started"}
# Statuses the scorer does not give from the answers alone: an answer outside the list, and a
# row holding only its prefilled C1 (not started).
UNSCORED = ("invalid", "not_started")
CYCLE = (YES, NO, UNKNOWN, None)  # the answers put in the rows, in turn


@dataclass(frozen=True)
class Row:
    """One row of the IT workbook's answer sheet, as the IT team sees it."""

    row: int
    group: str
    item: str
    devices: tuple[str, ...]
    answer: str | None


def run(*args: str) -> Any:
    """The CLI through CliRunner: exit code 0 and no traceback, or the test fails."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 0, result.output
    return result


def build(out: Path, *paths: Path, group_by: str = "model") -> Path:
    """``medrisk-xl confirm`` on ``paths`` (default: the sample returns) with the sample manifest."""
    run("confirm", *(paths or (RETURNS,)), "--manifest", MANIFEST, "-o", out, "--group-by", group_by)
    return out


def answer_sheet(wb: openpyxl.Workbook):
    """The sheet whose code row holds IT_ANSWER."""
    for ws in wb.worksheets:
        if "IT_ANSWER" in [c.value for c in ws[contract.CODE_ROW]]:
            return ws
    raise AssertionError("no answer sheet")


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}


def read_rows(path: Path) -> list[Row]:
    """Every row of the answer sheet (from the first data row to the first without a group)."""
    wb = openpyxl.load_workbook(path)
    ws = answer_sheet(wb)
    col = columns(ws)
    rows = []
    r = contract.FIRST_ROW
    while ws.cell(r, col["GROUP"]).value:
        ids = str(ws.cell(r, col["DEVICE_IDS"]).value)
        assert "…" not in ids, "a group too big for its cell"
        answer = ws.cell(r, col["IT_ANSWER"]).value
        rows.append(
            Row(
                r,
                ws.cell(r, col["GROUP"]).value,
                ws.cell(r, col["ITEM"]).value,
                tuple(ids.split(", ")),
                answer,
            )
        )
        r += 1
    wb.close()
    return rows


def fill(src: Path, out: Path, answers: dict[int, Any]) -> Path:
    """A copy of the IT workbook ``src`` with IT_ANSWER set on the rows of ``answers``."""
    wb = openpyxl.load_workbook(src)
    ws = answer_sheet(wb)
    col = columns(ws)["IT_ANSWER"]
    for row, value in answers.items():
        ws.cell(row, col).value = value
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def cycled(rows: Iterable[Row]) -> dict[int, str | None]:
    """OUI, NON, NE SAIT PAS and no answer in turn, row after row."""
    return {r.row: CYCLE[i % len(CYCLE)] for i, r in enumerate(rows)}


def substitutions(rows: Iterable[Row]) -> dict[tuple[str, str], str]:
    """(device, item) -> the IT answer of every answered row, for each device of its group."""
    out: dict[tuple[str, str], str] = {}
    for r in rows:
        if r.answer not in (None, ""):
            for device in r.devices:
                out[(device, r.item)] = r.answer
    return out


def copy_returns(dest: Path, leave_out: Iterable[str] = ()) -> Path:
    """A copy of the sample returns, without the files named in ``leave_out``."""
    dest.mkdir(parents=True)
    for path in sorted(RETURNS.iterdir()):
        if path.name not in set(leave_out):
            shutil.copy2(path, dest / path.name)
    return dest


def plain(value: Any) -> Any:
    """A register cell as plain Python: None for a missing value, int for a number."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def by_device(register: pd.DataFrame) -> dict[str, dict[str, Any]]:
    assert register["device_id"].is_unique
    return {r["device_id"]: {k: plain(v) for k, v in r.items()} for r in register.to_dict("records")}


def expected(before: pd.DataFrame, subs: dict[tuple[str, str], str], pack) -> dict[str, dict[str, Any]]:
    """What each device of ``before`` (a register without IT answers) must show once the IT
    answers ``subs`` replace its NE SAIT PAS: answers, points, sources, scores, levels, risk,
    status, the items to confirm and whether its risk is provisional."""
    out = {}
    for device, rec in by_device(before).items():
        labels = {item: rec[f"{item}_answer"] for item in ITEMS}
        sources = {item: DEPARTMENT if labels[item] is not None else None for item in ITEMS}
        for item in ITEMS:
            if labels[item] == UNKNOWN and (device, item) in subs:
                labels[item], sources[item] = subs[(device, item)], IT
        answers = {code: rec[code] for code in CRITERIA} | labels
        result = score(answers, pack)
        exp: dict[str, Any] = {f"{item}_answer": labels[item] for item in ITEMS}
        exp |= {f"{item}_source": sources[item] for item in ITEMS}
        exp |= {item: None if labels[item] is None else (0 if labels[item] == YES else 1) for item in ITEMS}
        exp |= {
            "unknown_items": ", ".join(result.unknown_items) or None,
            "non_compliant_items": ", ".join(result.non_compliant_items) or None,
        }
        if rec["status"] in UNSCORED:  # no NE SAIT PAS to replace, and never scored
            exp |= dict.fromkeys(("criticality_score", "vulnerability_score", "risk_level"))
            exp |= {"status": rec["status"], "risk_provisional": None}
        else:
            exp |= {
                "criticality_score": result.criticality_score,
                "criticality_level": result.criticality_level,
                "vulnerability_score": result.vulnerability_score,
                "vulnerability_level": result.vulnerability_level,
                "risk_level": result.risk_level,
                "status": STATUS.get(result.status, result.status),
                "risk_provisional": provisional(answers, result.risk_level, pack),
            }
        out[device] = exp
    return out


def provisional(answers: dict[str, Any], risk: int | None, pack) -> bool | None:
    """Whether the risk would be lower were every remaining NE SAIT PAS an OUI (None: unscored)."""
    if risk is None:
        return None
    known = {code: YES if value == UNKNOWN else value for code, value in answers.items()}
    return score(known, pack).risk_level < risk


def mismatches(register: pd.DataFrame, want: dict[str, dict[str, Any]]) -> list[str]:
    """Every field of ``want`` that the register does not show, as readable lines."""
    got = by_device(register)
    assert set(got) == set(want), "the register's devices changed"
    return [
        f"{device} {field}: got {got[device][field]!r}, expected {value!r}"
        for device, fields in want.items()
        for field, value in fields.items()
        if got[device][field] != value
    ]


def edit_return(path: Path, device: str, code: str, value: Any) -> Any:
    """Set the cell ``code`` of ``device``'s row in a return's input sheet (in place, with
    openpyxl); the value it held."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Saisie"]
    codes = {c.value: c.column for c in ws[contract.CODE_ROW]}
    (line,) = [
        r for r in range(contract.FIRST_ROW, ws.max_row + 1) if ws.cell(r, codes["ID"]).value == device
    ]
    held = ws.cell(line, codes[code]).value
    ws.cell(line, codes[code]).value = value
    wb.save(path)
    return held
