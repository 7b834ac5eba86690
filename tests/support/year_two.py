"""Year two (issue 26) for the tests: the samples recorded as demo-2026 in a throw-away history,
then demo-2027 generated from the sample inventory with and without ``--previous``; and what
demo-2026 answered, read from its consolidated register (the oracle of what is carried over)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.history import record
from medrisk_xl.method.pack import ContentPack

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "samples" / "inventory.csv"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"
FIRST, SECOND = "demo-2026", "demo-2027"
# A device bought since demo-2026, in a department that returned its workbook: only its CE class's
# C1 is pre-filled, nothing is carried over to it.
NEW_DEVICE = "DM-200001"
# A device of Cardiologie, answered in demo-2026, gone from the inventory since.
REMOVED = "DM-009076"
NEW_ROW = (
    f"{NEW_DEVICE};Pousse-seringue;Perfusia;PS-20;Cardiologie;Hôpital Nord;IIb;;;02/03/2027;Cardio;Oui\n"
)


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@dataclass
class YearTwo:
    base: Path
    db: Path
    first: Consolidation  # demo-2026, the samples
    output: str  # what generate --previous printed
    campaign: Path  # demo-2027 generated with --previous
    plain: Path  # demo-2027 generated without it


def build(base: Path, pack: ContentPack) -> YearTwo:
    first = consolidate([ROOT / "samples" / "returns"], manifest=MANIFEST, pack=pack)
    db = base / "history.sqlite"
    record(first, db, manifest=MANIFEST)
    inventory = base / "inventory.csv"
    lines = INVENTORY.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(REMOVED + ";")]
    assert len(kept) == len(lines) - 1
    inventory.write_text("".join(kept) + NEW_ROW, encoding="utf-8")
    common = ("--campaign", SECOND, "--password", "pw")
    plain = run("generate", inventory, "-o", base / "plain", *common)
    assert plain.exit_code == 0, plain.output
    done = run("generate", inventory, "-o", base / "c", *common, "--db", db, "--previous", FIRST)
    assert done.exit_code == 0, done.output
    return YearTwo(base, db, first, done.output, base / "c", base / "plain")


def last_year(
    first: Consolidation, pack: ContentPack, included_only: bool = True
) -> dict[str, dict[str, str]]:
    """Device -> code -> the label it chose in demo-2026, from the recorded register: included
    (unless ``included_only`` is false), recorded once, "don't know" left out; devices with no
    such answer left out."""
    labels = pack.language("fr")
    reg = first.register[first.register["included"]] if included_only else first.register
    once = reg["device_id"].value_counts()
    out: dict[str, dict[str, str]] = {}
    for row in reg.to_dict("records"):
        if once[row["device_id"]] > 1:
            continue
        answers = {}
        for code in pack.method.criterion_codes:
            if not pd.isna(row[code]):
                answers[code] = labels.answer_labels(code)[pack.method.answer_points(code).index(row[code])]
        for item in pack.method.items:
            label = row[f"{item}_answer"]
            if isinstance(label, str) and label != labels.answer_labels(item)[pack.method.unknown_answer]:
                answers[item] = label
        if answers:
            out[row["device_id"]] = answers
    return out
