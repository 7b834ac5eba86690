"""Test helpers for a campaign whose vulnerability items the IT team answers (``generate
--vulnerability-by it``): a small inventory with models, the department workbooks and the IT
workbook filled with openpyxl from their own dropdowns, and what ``consolidate`` must make of them.

The oracle is written apart from the code under test: it groups the inventory by hand (site,
manufacturer and model compared without case or surrounding spaces; a device of unknown
manufacturer or model alone), and scores each device with the reference scorer
(:func:`medrisk_xl.method.scorer.score`) on the criteria the test put in its department row and
the answers the test put in its group's rows of the IT workbook.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from medrisk_xl.generate.campaign import CampaignResult, Options, generate
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.method.scorer import score
from medrisk_xl.workbook import contract
from support.it_answers_oracle import (
    CRITERIA,
    ITEMS,
    NO,
    UNKNOWN,
    YES,
    Row,
    answer_sheet,
    by_device,
    columns,
    read_rows,
)
from support.wbtools import dropdowns, fill, open_book

HEADERS = ["N° inventaire", "Désignation", "Marque", "Modèle", "Service", "Site", "Classe CE"]
# (id, designation, manufacturer, model, department, site, CE class)
DEVICES: list[tuple[str, ...]] = [
    ("DM-0001", "Pompe", "Medivia", "P100", "Réanimation", "Nord", "IIb"),
    ("DM-0002", "Pompe", " medivia", "p100 ", "Urgences", "Nord", "IIa"),  # DM-0001's model, spelt apart
    ("DM-0003", "Moniteur", "Philips", "", "Urgences", "Nord", "IIb"),  # no model: alone
    ("DM-0004", "Moniteur", "Philips", "", "Urgences", "Nord", "I"),  # no model: alone too
    ("DM-0005", "Moniteur", "Philips", "MX40", "Réanimation", "Sud", "IIa"),
    ("DM-0006", "Moniteur", "Philips", "MX40", "Réanimation", "Nord", "IIa"),  # another site
    ("DM-0007", "Pompe", "Medivia", "P100", "Bloc", "Nord", ""),  # DM-0001's model, third department
    ("DM-0008", "Echographe", "GE", "Vivid", "Bloc", "Nord", "IIa"),
    ("DM-0009", "Echographe", "GE", "Vivid", "Bloc", "Nord", "III"),
    ("DM-0010", "Scope", "", "X1", "Cardiologie", "Nord", "IIb"),  # no manufacturer: alone
    ("DM-0011", "Scope", "Mindray", "X1", "Cardiologie", "Nord", "IIb"),
    ("DM-0012", "Scope", "Mindray", "X1", "Cardiologie", "Nord", "I"),
    ("DM-0013", "Pousse-seringue", "Fresenius", "Agilia", "Cardiologie", "Nord", "IIb"),
    ("DM-0014", "Pousse-seringue", "Fresenius", "Agilia", "Urgences", "Nord", "IIb"),
    ("DM-0015", "Respirateur", "Dräger", "V500", "Réanimation", "Nord", "IIb"),
    ("DM-0016", "Respirateur", "Dräger", "V500", "Bloc", "Nord", "IIb"),
]
SAME_MODEL = ("DM-0001", "DM-0002", "DM-0007")  # one site, manufacturer and model; three departments
NO_MODEL = ("DM-0003", "DM-0004", "DM-0010")  # model or manufacturer unknown: each its own group
DEPARTMENTS = sorted({d[4] for d in DEVICES})

FULL, PARTIAL, UNTOUCHED, INVALID = "full", "partial", "untouched", "invalid"
PASTED = "Très élevée (collé)"  # a pasted text that is none of a criterion's options
# Register statuses of a department row the test did not complete.
NOT_MAPPED_BY_KIND = {PARTIAL: "incomplete", UNTOUCHED: "not-started", INVALID: "invalid-answer"}
DEPARTMENT_STATUS = {PARTIAL: "incomplete", UNTOUCHED: "not_started", INVALID: "invalid"}


# Which of n options (points order) a row picks: leaning to the low points, to none, to the high.
def low(rng: random.Random, n: int) -> int:
    return rng.randrange(min(2, n))


def anywhere(rng: random.Random, n: int) -> int:
    return rng.randrange(n)


def high(rng: random.Random, n: int) -> int:
    return n - 1 - rng.randrange(min(2, n))


IT_WEIGHTS = (YES,) * 6 + (NO,) * 3 + (UNKNOWN,)  # OUI, NON and NE SAIT PAS drawn in these proportions


def extra_devices(n: int) -> list[tuple[str, ...]]:
    """``n`` more devices, of four models spread over the departments (several per group)."""
    models = [("Pompe", "Medivia", "P200"), ("Moniteur", "Philips", "MX40"), ("Scope", "Mindray", "X1")]
    models.append(("Respirateur", "Dräger", "V500"))
    out = []
    for i in range(n):
        designation, brand, model = models[i % len(models)]
        department = DEPARTMENTS[(i // len(models)) % len(DEPARTMENTS)]
        out.append(
            (f"DM-1{i:03d}", designation, brand, model, department, "Nord", ("I", "IIa", "IIb", "III")[i % 4])
        )
    return out


def write_it_inventory(path: Path, extra: int = 0, cneh: bool = False) -> Path:
    """The inventory of :data:`DEVICES` and ``extra`` more devices (:func:`extra_devices`); with
    ``cneh``, a CNEH column giving one code per designation (a type then spans several models,
    sites or unknown models)."""
    devices = DEVICES + extra_devices(extra)
    codes = {name: f"{i:02d}.01" for i, name in enumerate(sorted({d[1] for d in devices}), start=1)}
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADERS + (["CNEH"] if cneh else []))
        w.writerows([*d, codes[d[1]]] if cneh else d for d in devices)
    return path


def hand_groups(extra: int = 0) -> set[frozenset[str]]:
    """The groups the IT workbook must hold, worked out by hand from the inventory."""
    found: dict[tuple[str, ...], set[str]] = {}
    for device, _, brand, model, _, site, _ in DEVICES + extra_devices(extra):
        key = tuple(v.strip().casefold() for v in (site, brand, model))
        found.setdefault(key if brand.strip() and model.strip() else (device,), set()).add(device)
    return {frozenset(g) for g in found.values()}


def it_campaign(inventory: Path, out: Path, pack: ContentPack, **options: Any) -> CampaignResult:
    """``generate --vulnerability-by it`` through the library (campaign "itm", password "pw")."""
    opts = Options(campaign="itm", password="pw", spare_rows=2, vulnerability_by="it", **options)
    return generate(inventory, out, opts, pack)


def code_row(path: Path) -> list[str]:
    """The codes of the input sheet's code row, in column order."""
    book = open_book(path)
    return [c.value for c in book.input[contract.CODE_ROW] if c.value]


@dataclass
class DepartmentRow:
    """A device row of a department workbook and what the test put in it."""

    device: str
    file: str
    row: int
    kind: str  # FULL, PARTIAL, UNTOUCHED, INVALID
    labels: dict[str, str | None]  # criterion -> the text its cell holds after filling


def fill_departments(
    books: list[Path],
    out: Path,
    rng: random.Random,
    kinds: tuple[str, ...] = (FULL,) * 6 + (PARTIAL, UNTOUCHED),
    forced: dict[str, str] | None = None,
) -> dict[str, DepartmentRow]:
    """Each department workbook of ``books`` filled into ``out`` (same file names): every device
    row gets one of ``kinds`` at random (or its kind in ``forced``), then its criteria from the
    cells' own dropdowns (FULL: all nine; PARTIAL: all but one, the pre-filled C1 kept; INVALID:
    all nine, one a pasted text; UNTOUCHED: left as generated). A row's options lean low, high or
    nowhere (so that every criticality level comes up). Returns what each device's row holds, by
    device id."""
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, DepartmentRow] = {}
    for path in books:
        book = open_book(path)
        cols, lists = book.columns, book.dropdowns()
        plan: dict[int, dict[str, object]] = {}
        for r in book.rows:
            device = book.input.cell(r, cols["ID"]).value
            if not device:
                continue  # a free row
            kind = (forced or {}).get(device) or rng.choice(kinds)
            labels = {c: book.input.cell(r, cols[c]).value for c in CRITERIA}
            choices: dict[str, object] = {}
            if kind != UNTOUCHED:
                asked = CRITERIA if kind != PARTIAL else CRITERIA[1:]
                lean = rng.choice((low, anywhere, high))
                for code in asked:
                    options = lists[book.input.cell(r, cols[code]).coordinate]
                    choices[code] = lean(rng, len(options))
                    labels[code] = options[choices[code]]
                if kind == PARTIAL:
                    gap = rng.choice(CRITERIA[1:])
                    choices[gap] = labels[gap] = None
                if kind == INVALID:
                    bad = rng.choice(CRITERIA)
                    choices[bad] = labels[bad] = PASTED
            plan[r] = choices
            rows[device] = DepartmentRow(device, path.name, r, kind, labels)
        fill(path, out / path.name, plan)
    return rows


def fill_it_workbook(
    src: Path, out: Path, rng: random.Random, blank_groups: int = 1, gap_groups: int = 2
) -> Path:
    """The IT workbook ``src`` answered into ``out`` from its own dropdowns: OUI, NON and NE SAIT
    PAS drawn at random (:data:`IT_WEIGHTS`), except ``blank_groups`` groups left unanswered and
    ``gap_groups`` groups with one or two items left blank."""
    rows = read_rows(src)
    groups = sorted({r.group for r in rows})
    picked = rng.sample(groups, blank_groups + gap_groups)
    blank, gaps = set(picked[:blank_groups]), set(picked[blank_groups:])
    skipped = {(g, item) for g in gaps for item in rng.sample(ITEMS, rng.randint(1, 2))}
    wb = openpyxl.load_workbook(src)
    ws = answer_sheet(wb)
    col = columns(ws)["IT_ANSWER"]
    lists = dropdowns(wb, ws)
    for r in rows:
        cell = ws.cell(r.row, col)
        options = lists[cell.coordinate]
        if r.group in blank or (r.group, r.item) in skipped:
            cell.value = None
        else:
            cell.value = options[options.index(rng.choice(IT_WEIGHTS))]
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def it_answers(rows: list[Row]) -> dict[str, dict[str, str]]:
    """device -> item -> the IT answer its group's row holds (blank rows left out)."""
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        for device in r.devices:
            out.setdefault(device, {})
            if r.answer not in (None, ""):
                out[device][r.item] = r.answer
    return out


def expected_register(
    departments: dict[str, DepartmentRow], it: dict[str, dict[str, str]], pack: ContentPack
) -> dict[str, dict[str, Any]]:
    """What each device's register row must show: its IT answers (source ``it``) whatever its
    department's row holds; scores, levels, risk and status from the reference scorer once its
    criteria are all answered and its group answers every item; else unmapped (no figure) and
    ``incomplete``, or the status its criteria alone give. A device whose own row holds an
    invalid answer is not ``included`` in the map; the devices of the other rows of its return
    are (issue 27). Why each is not mapped, written out per kind of row."""
    out = {}
    for device, d in departments.items():
        given = it.get(device, {})
        labels = {item: given.get(item) for item in ITEMS}
        exp: dict[str, Any] = {"included": d.kind != INVALID}
        exp["not_mapped_reason"] = NOT_MAPPED_BY_KIND.get(d.kind)
        if d.kind == FULL and len(given) < len(ITEMS):
            exp["not_mapped_reason"] = "awaiting-it"
        exp["mapped"] = exp["not_mapped_reason"] is None
        exp |= {f"{i}_answer": labels[i] for i in ITEMS}
        exp |= {f"{i}_source": "it" if labels[i] is not None else None for i in ITEMS}
        exp |= {i: None if labels[i] is None else (0 if labels[i] == YES else 1) for i in ITEMS}
        answered = {i: v for i, v in labels.items() if v is not None}
        exp["unknown_items"] = ", ".join(i for i in ITEMS if answered.get(i) == UNKNOWN) or None
        exp["non_compliant_items"] = ", ".join(i for i in ITEMS if answered.get(i, YES) != YES) or None
        figures = ("criticality_score", "criticality_level", "vulnerability_score", "vulnerability_level")
        if d.kind != FULL or len(answered) < len(ITEMS):
            exp |= dict.fromkeys((*figures, "risk_level", "risk_provisional"))
            exp["status"] = DEPARTMENT_STATUS.get(d.kind, "incomplete")
        else:
            result = score({**d.labels, **answered}, pack)
            exp |= {f: getattr(result, f) for f in figures}
            exp |= {"risk_level": result.risk_level, "status": result.status}
            as_compliant = score(
                {**d.labels, **{i: YES if v == UNKNOWN else v for i, v in answered.items()}}, pack
            )
            exp["risk_provisional"] = as_compliant.risk_level < result.risk_level
        out[device] = exp
    return out


def waiting(departments: dict[str, DepartmentRow], it: dict[str, dict[str, str]]) -> int:
    """How many devices have all their criteria answered and wait for an IT answer."""
    return sum(
        1 for device, d in departments.items() if d.kind == FULL and len(it.get(device, {})) < len(ITEMS)
    )


def mismatches(register, want: dict[str, dict[str, Any]]) -> list[str]:
    """Every field of ``want`` that the register shows otherwise, as readable lines."""
    got = by_device(register)
    assert set(got) == set(want), "the register's devices are not the inventory's"
    return [
        f"{device} {name}: got {got[device][name]!r}, expected {value!r}"
        for device, fields in want.items()
        for name, value in fields.items()
        if got[device][name] != value
    ]
