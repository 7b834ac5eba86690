"""Issue 26's proof in LibreOffice and Gnumeric: answers pre-filled centrally (answers file,
mapped column, pack rules) show the right option, leave an untouched row "not started", and give
the reference scores once the remaining questions are answered; saved by LibreOffice and
consolidated, the register holds the reference scores."""

from __future__ import annotations

import csv
import random

import pytest
from support.engines import recalculate
from support.wbtools import fill, open_book

from medrisk_xl.consolidate import consolidate
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.workbook.shown import shown_values, view_row

pytestmark = pytest.mark.libreoffice
HEADER = ["N° inventaire", "Service", "Date de mise en service", "Pannes 12 mois", "Détectabilité"]
DEVICES = [
    ("D-1", "01/01/2012", "5", "Facilement détectable"),
    ("D-2", "01/06/2024", "0", ""),
    ("D-3", "", "2", "3"),
]


@pytest.fixture(scope="module")
def proof(tmp_path_factory, pack) -> dict:
    base = tmp_path_factory.mktemp("central")
    inv = base / "inv.csv"
    with inv.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows([HEADER, *([d, "Bloc", *rest] for d, *rest in DEVICES)])
    answers = base / "answers.csv"
    answers.write_text("N° inventaire;Critère;Réponse\nD-2;C5;3\nD-3;C1;1\n", encoding="utf-8")
    opts = Options(campaign="c", password="pw", spare_rows=0, answers=answers, prefill_rules=True)
    with pytest.MonkeyPatch.context() as mp:  # ages counted at a fixed creation date (2025-12-06)
        mp.setenv("SOURCE_DATE_EPOCH", "1765000000")
        generate(inv, base / "c", Options(**{**opts.__dict__, "mapping": {"Détectabilité": "C4"}}), pack)
    (path,) = sorted((base / "c").glob("*.xlsx"))
    book = open_book(path)
    rows = {book.input.cell(r, book.columns["ID"]).value: r for r in book.rows}
    language = pack.language("fr")
    prefill = {}  # device -> code -> index, as the workbook shows it (checked below against the inputs)
    for device, r in rows.items():
        cells = {c: book.input.cell(r, book.columns[c]).value for c in pack.method.criterion_codes}
        prefill[device] = {c: language.answer_labels(c).index(v) for c, v in cells.items() if v}
    rng = random.Random(26)
    rest = {
        d: {
            c: rng.randrange(len(pack.method.answer_points(c)))
            for c in pack.method.codes
            if c not in prefill[d]
        }
        for d in ("D-2", "D-3")
    }
    plan = {rows["D-1"]: {}, rows["D-2"]: rest["D-2"], rows["D-3"]: rest["D-3"]}
    filled = base / "filled" / path.name
    filled.parent.mkdir()
    fill(path, filled, plan)
    return {"base": base, "filled": filled, "rows": rows, "prefill": prefill, "rest": rest, "book": book}


def test_the_prefilled_options_are_the_inputs(proof, pack):
    labels = pack.language("fr").answer_labels
    shown = {d: {c: labels(c)[i] for c, i in p.items()} for d, p in proof["prefill"].items()}
    assert shown["D-1"] == {"C2": labels("C2")[3], "C3": labels("C3")[3], "C4": "Facilement détectable"}
    assert shown["D-2"] == {"C2": labels("C2")[0], "C3": labels("C3")[0], "C5": labels("C5")[2]}
    assert shown["D-3"] == {"C1": labels("C1")[0], "C3": labels("C3")[2], "C4": labels("C4")[2]}


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
def test_engines_compute_what_the_scorer_computes(proof, pack, engine):
    language = pack.language("fr")
    values = recalculate(engine, [proof["filled"]], proof["base"] / engine)[proof["filled"]]
    book = proof["book"]
    sheet = values[book.meta["input_sheet"]]
    for device, row in proof["rows"].items():
        answers = {**proof["prefill"][device], **proof["rest"].get(device, {})}
        raw = {c: language.answer_labels(c)[i] for c, i in answers.items()}
        want = shown_values(view_row(raw, pack, language, proof["prefill"][device]), pack, language)
        got = {code: sheet.get((row, book.columns[code]), "") for code in want}
        assert got == want, f"{engine} {device}"
    d1 = sheet.get((proof["rows"]["D-1"], book.columns["STATUS"]))
    assert d1 == language.status_label("empty")  # only pre-filled: not started


def test_consolidated_scores_are_the_reference(proof, pack):
    (saved,) = convert([proof["filled"]], proof["base"] / "lo", "xlsx")
    register = consolidate([saved], pack=pack).register.set_index("device_id")
    for device in ("D-2", "D-3"):
        want = score_indexes({**proof["prefill"][device], **proof["rest"][device]}, pack)
        got = register.loc[device]
        assert (got["criticality_score"], got["vulnerability_score"], got["risk_level"]) == (
            want.criticality_score,
            want.vulnerability_score,
            want.risk_level,
        )
    assert register.loc["D-1", "status"] == "not_started"
