"""Issue 32's end-to-end proof: a campaign whose inventory holds devices of a form's model gets
the by-design answers pre-filled; filled as a department would (a pre-fill kept, changed to a
value worth the same points, changed to another answer), its computed cells in LibreOffice and
Gnumeric are what the reference scorer says, and once saved by LibreOffice and consolidated,
each item's source is ``mds2`` exactly where the department kept the form's answer.

The expected pre-fills come from the forms as the MDS2 reader reads them; the expected scores from
the reference scorer on the answers the test chose.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from support.engines import recalculate
from support.wbtools import fill, open_book

from medrisk_xl.consolidate import consolidate
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.mds2 import read_forms
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.method.specs import VULN_ANSWER_CODES
from medrisk_xl.method.specs_mds2 import BY_DESIGN
from medrisk_xl.workbook.shown import shown_values, view_row

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "samples" / "mds2"
DEVICES = [  # id, brand, model: four of one form's model, one of the other's, one without form
    ("P-1", "Medivia", "PS-1200"),
    ("P-2", "Medivia", "PS-1200"),
    ("P-3", "medivia ", "ps-1200"),
    ("P-4", "Medivia", "PS-1200"),
    ("S-1", "Perfalis", "SY800 Neo"),
    ("X-1", "Acme", "Z-9"),
]


def prefills(pack) -> dict[str, dict[str, int]]:
    """Device -> item -> the option index its form settles by design (from the MDS2 reader)."""
    forms = {(f.manufacturer.casefold(), f.model.casefold()): f for f in read_forms([FORMS], pack).forms}
    out = {}
    for device, brand, model in DEVICES:
        form = forms.get((brand.strip().casefold(), model.strip().casefold()))
        out[device] = {
            item: VULN_ANSWER_CODES.index(found.suggestion)
            for item, found in (form.items.items() if form else ())
            if found.basis == BY_DESIGN and found.suggestion
        }
    return out


@pytest.fixture(scope="module")
def proof(tmp_path_factory, pack) -> dict:
    base = tmp_path_factory.mktemp("mds2_engine")
    inv = base / "inv.csv"
    with inv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["N° inventaire", "Marque", "Modèle", "Service", "Classe CE"])
        w.writerows([[d, b, m, "Bloc", "IIb"] for d, b, m in DEVICES])
    generate(inv, base / "c", Options(campaign="m", password="pw", spare_rows=0, mds2=FORMS), pack)
    (book_path,) = sorted((base / "c").glob("*.xlsx"))
    book = open_book(book_path)
    rows = {book.input.cell(r, book.columns["ID"]).value: r for r in book.rows}
    pre = prefills(pack)
    assert pre["P-1"] == {"V3": 1} and len(pre["S-1"]) >= 2 and pre["X-1"] == {}
    rng = random.Random(32)
    codes = pack.method.codes

    def full(device: str) -> dict[str, int]:
        answers = {c: rng.randrange(len(pack.method.answer_points(c))) for c in codes if c != "C1"}
        return {c: i for c, i in answers.items() if c not in pre[device]}  # the pre-fills kept

    unknown = pack.method.unknown_answer
    plan = {
        "P-1": {},  # untouched: still not started
        "P-2": {"V3": unknown},  # NON by design changed to NE SAIT PAS: the same points
        "P-3": full("P-3"),  # completed, the pre-fill kept: source mds2
        "P-4": {**full("P-4"), "V3": 0},  # completed, the pre-fill changed: source department
        "S-1": full("S-1"),
        "X-1": full("X-1"),
    }
    filled = base / "filled" / book_path.name
    filled.parent.mkdir()
    fill(book_path, filled, {rows[d]: answers for d, answers in plan.items()})
    return {"base": base, "filled": filled, "rows": rows, "plan": plan, "pre": pre, "book": book}


def chosen_answers(proof, device: str, pack) -> dict[str, int]:
    """The option index of every answer the row holds: C1 from the CE class (IIb), the pre-fills,
    then what the test chose."""
    return {"C1": 2, **proof["pre"][device], **proof["plan"][device]}


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
def test_engines_compute_the_prefilled_rows_as_the_scorer(proof, pack, engine):
    language = pack.language("fr")
    values = recalculate(engine, [proof["filled"]], proof["base"] / engine)[proof["filled"]]
    book = proof["book"]
    sheet = values[book.meta["input_sheet"]]
    cols = book.columns
    statuses = {}
    for device, row in proof["rows"].items():
        answers = chosen_answers(proof, device, pack)
        raw = {c: language.answer_labels(c)[i] for c, i in answers.items()}
        prefill = {"C1": 2, **proof["pre"][device]}
        want = shown_values(view_row(raw, pack, language, prefill), pack, language)
        got = {code: sheet.get((row, cols[code]), "") for code in want}
        assert got == want, f"{engine} {device}"
        statuses[device] = got["STATUS"]
    not_started = language.status_label("empty")
    assert statuses["P-1"] == statuses["P-2"] == not_started  # NE SAIT PAS is worth NON's points
    assert statuses["P-3"] != not_started


def test_consolidation_names_the_form_where_its_answer_was_kept(proof, pack):
    (saved,) = convert([proof["filled"]], proof["base"] / "lo", "xlsx")
    result = consolidate([saved], pack=pack)
    register = result.register.set_index("device_id")
    for device in ("P-3", "P-4", "S-1", "X-1"):
        answers = chosen_answers(proof, device, pack)
        want = score_indexes(answers, pack)
        rec = register.loc[device]
        assert (rec["criticality_score"], rec["vulnerability_score"], rec["risk_level"]) == (
            want.criticality_score,
            want.vulnerability_score,
            want.risk_level,
        ), device
        kept = {i for i, index in proof["pre"][device].items() if answers[i] == index}
        for item in pack.method.items:
            assert rec[f"{item}_source"] == ("mds2" if item in kept else "department"), (device, item)
    assert register.loc["P-3", "V3_source"] == "mds2" and register.loc["P-4", "V3_source"] == "department"
    assert {register.loc["S-1", f"{i}_source"] for i in proof["pre"]["S-1"]} == {"mds2"}
