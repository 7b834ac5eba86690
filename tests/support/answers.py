"""Inventories and answers the tests fill workbooks with: a small inventory per department, and
answer sets of a given criticality or vulnerability sum."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from support.wbtools import Raw, Typed

CRIT = [f"C{i}" for i in range(1, 10)]


VULN = [f"V{i}" for i in range(1, 11)]


Choice = int | str | Typed | Raw | None


def crit_with_sum(total: int) -> dict[str, Choice]:
    out: dict[str, Choice] = {}
    rest = total - 9
    for code in CRIT:
        extra = min(3, rest)
        out[code] = extra
        rest -= extra
    return out


def vuln_with_sum(total: int, no: int = 1) -> dict[str, Choice]:
    return {code: (no if i < total else 0) for i, code in enumerate(VULN)}


def random_answers(rng: random.Random) -> dict[str, Choice]:
    return {**{c: rng.randrange(4) for c in CRIT}, **{v: rng.choice([0, 0, 1, 1, 2]) for v in VULN}}


def write_inventory(path: Path, sizes: dict[str, int]) -> None:
    classes = ["I", "IIa", "IIb", "III", ""]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["N° inventaire", "Désignation", "Marque", "Service", "Site", "Classe CE"])
        n = 0
        for dept, size in sizes.items():
            for _ in range(size):
                n += 1
                w.writerow([f"DM-{n:06d}", f"Appareil {n}", "Medivia", dept, "Nord", classes[n % 5]])


def effective(value: Choice, labels: list[str]) -> Any:
    """The value a cell holds once filled with ``value`` (a typed formula holds its result)."""
    if isinstance(value, (Typed, Raw)):
        return value.value
    if isinstance(value, int):
        return labels[value]
    return value
