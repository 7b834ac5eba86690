"""A second campaign, a year after the samples', with known changes planted in it.

The samples' returns (``demo-2026``) are consolidated; campaign ``demo-2027`` is generated from
the devices of that register (the sample inventory's rows, plus the device a department added in
a free row), less one removed device, plus one new device; each returned workbook is filled from
its own dropdowns with exactly the answers the register holds for each device, except the
planted changes:

- one device gets one answer that raises its risk level;
- one device gets one answer that lowers its risk level;
- one device gets two answers changed (a criterion and an item) that leave its risk level as it
  was.

So comparing the two recorded campaigns must find exactly: one device whose risk rose, one whose
risk fell, one new device, one removed device, and four changed answers.

Usage: ``PYTHONPATH=tests python tests/support/next_campaign.py DIR`` writes DIR/campaign (with campaign.json) and
DIR/returns, and prints the planted changes.
"""

from __future__ import annotations

import csv
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medrisk_xl import ContentPack, load_pack, score
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.tables import CRITERIA, ITEMS, Consolidation
from medrisk_xl.generate.campaign import Options, generate
from support.wbtools import fill, open_book

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"
INVENTORY = ROOT / "samples" / "inventory.csv"
CAMPAIGN = "demo-2027"
NEW_DEVICE = "DM-100001"
EPOCH_2027 = "1826523600"  # 2027-11-18 (a year after the samples' campaign)


@dataclass
class NextCampaign:
    first: Consolidation  # demo-2026, the samples
    second: Consolidation  # demo-2027
    manifest: Path  # demo-2027's campaign.json
    returns: Path
    rose: str = ""
    fell: str = ""
    added: str = NEW_DEVICE
    removed: str = ""
    # (device, item, before, after): points for criteria, labels for items
    answers: set[tuple[str, str, object, object]] = field(default_factory=set)


def _choices(row: pd.Series, pack: ContentPack) -> dict[str, int | None]:
    """A register row's answers as dropdown option indices (None: no answer)."""
    labels = pack.language("fr").option_labels
    out: dict[str, int | None] = {}
    for code in CRITERIA:
        points = row[code]
        out[code] = None if pd.isna(points) else pack.method.answer_points(code).index(int(points))
    for item in ITEMS:
        label = row[f"{item}_answer"]
        out[item] = None if pd.isna(label) else labels[item].index(label)
    return out


def _risk(choices: dict[str, int | None], pack: ContentPack) -> int | None:
    labels = pack.language("fr").option_labels
    answers = {
        code: (pack.method.answer_points(code)[i] if code in CRITERIA else labels[code][i])
        for code, i in choices.items()
        if i is not None
    }
    return score(answers, pack).risk_level


def _shown(code: str, index: int | None, pack: ContentPack) -> object:
    """What compare shows for an answer: criterion points, item label."""
    if index is None:
        return None
    if code in CRITERIA:
        return pack.method.answer_points(code)[index]
    return pack.language("fr").option_labels[code][index]


def _plant(first: Consolidation, pack: ContentPack) -> tuple[dict[str, dict[str, int | None]], NextCampaign]:
    """Every device's answers for the second campaign, with the planted changes."""
    reg = first.register
    answers = {row["device_id"]: _choices(row, pack) for _, row in reg.iterrows()}
    planted = NextCampaign(first, first, Path(), Path())
    candidates = sorted(reg.loc[reg["included"] & (reg["status"] == "complete"), "device_id"])
    options = {code: len(pack.method.answer_points(code)) for code in CRITERIA} | dict.fromkeys(ITEMS, 3)

    def single_changes(choices: dict[str, int | None]) -> list[tuple[str, int]]:
        return [(code, o) for code, n in options.items() for o in range(n) if o != choices[code]]

    def find(choices: dict[str, int | None], want, codes=(*CRITERIA, *ITEMS)) -> tuple[str, int] | None:
        """The first single answer change, among ``codes``, whose risk level passes ``want``."""
        before = _risk(choices, pack)
        return next(
            (
                (code, o)
                for code, o in single_changes(choices)
                if code in codes and want(before, _risk({**choices, code: o}, pack))
            ),
            None,
        )

    def change(device: str, code: str, option: int) -> None:
        old = answers[device][code]
        answers[device] = {**answers[device], code: option}
        planted.answers.add((device, code, _shown(code, old, pack), _shown(code, option, pack)))

    used: set[str] = set()
    for attr, want in (("rose", lambda a, b: b > a), ("fell", lambda a, b: b < a)):
        device = next(d for d in candidates if d not in used and find(answers[d], want))
        change(device, *find(answers[device], want))
        setattr(planted, attr, device)
        used.add(device)
    for device in candidates:  # two answers changed (a criterion, an item), risk level unchanged
        crit = None if device in used else find(answers[device], lambda a, b: a == b, CRITERIA)
        if crit is None:
            continue
        trial = {**answers[device], crit[0]: crit[1]}
        item = find(trial, lambda a, b: a == b, ITEMS)
        if item is not None and _risk({**trial, item[0]: item[1]}, pack) == _risk(answers[device], pack):
            change(device, *crit)
            change(device, *item)
            used.add(device)
            break
    inventoried = set(reg.loc[~reg["added"], "device_id"])
    planted.removed = next(d for d in reversed(candidates) if d not in used and d in inventoried)
    return answers, planted


def _text(value: object) -> str:
    """A register value as an inventory cell: empty when missing (never "nan")."""
    return "" if value is None or pd.isna(value) else str(value)


def _inventory(first: Consolidation, path: Path, removed: str) -> None:
    """The sample inventory's rows of the devices in the first register, the device added in a
    free row, less the removed one, plus the new device."""
    reg = first.register.set_index("device_id")
    with INVENTORY.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    header, body = rows[0], rows[1:]
    keep = [r for r in body if r[0] in reg.index and r[0] != removed]
    known = {r[0] for r in body}
    col = {
        name: header.index(name)
        for name in ("Désignation", "Marque", "Modèle", "Service", "Site", "Classe CE")
    }

    def row(
        device: str, designation: str, brand: str, model: str, department: str, site: str, ce: str
    ) -> list[str]:
        out = [""] * len(header)
        out[0] = device
        for name, value in zip(col, (designation, brand, model, department, site, ce)):
            out[col[name]] = value
        return out

    for device in reg.index:
        if device not in known and device != removed:  # added in a free row of the first campaign
            r = reg.loc[device]
            keep.append(
                row(
                    device,
                    *(_text(r[c]) for c in ("designation", "manufacturer", "model")),
                    r["department"],
                    _text(r["site"]),
                    "",
                )
            )
    keep.append(
        row(NEW_DEVICE, "Pousse-seringue connecté", "Medivia", "PS-300", "Cardiologie", "Hôpital Nord", "IIb")
    )
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([header, *keep])


def build(dest: Path, pack: ContentPack | None = None, first: Consolidation | None = None) -> NextCampaign:
    """Generate, fill and consolidate the second campaign in ``dest``."""
    pack = pack or load_pack()
    first = first or consolidate([RETURNS], manifest=MANIFEST, pack=pack)
    answers, planted = _plant(first, pack)
    dest.mkdir(parents=True, exist_ok=True)
    inventory = dest / "inventory.csv"
    _inventory(first, inventory, planted.removed)
    new = answers[planted.rose]  # the new device: answered like a complete device
    answers[NEW_DEVICE] = dict(new)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH_2027
    try:
        made = generate(
            inventory,
            dest / "campaign",
            Options(campaign=CAMPAIGN, deadline="2027-12-18", password="demo-medrisk"),
            pack,
        )
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    returns = dest / "returns"
    returns.mkdir(exist_ok=True)
    for entry in made.manifest["workbooks"]:
        path = dest / "campaign" / entry["file"]
        book = open_book(path)
        id_col = book.columns["ID"]
        by_row = {}
        for r in book.rows:
            device = book.input.cell(r, id_col).value
            if device:
                by_row[r] = answers[device]
        fill(path, returns / entry["file"], by_row)
    planted.manifest = dest / "campaign" / "campaign.json"
    planted.returns = returns
    planted.first = first
    planted.second = consolidate([returns], manifest=planted.manifest, pack=pack)
    return planted


if __name__ == "__main__":
    made = build(Path(sys.argv[1]))
    print(f"{made.returns} (campaign {CAMPAIGN}, manifest {made.manifest})")
    print(f"risk rose: {made.rose}; risk fell: {made.fell}; added: {made.added}; removed: {made.removed}")
    for change in sorted(made.answers, key=str):
        print("answer changed:", *change)
