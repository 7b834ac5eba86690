"""Year two (issue 26) in LibreOffice, Gnumeric and the Python engine: a row of carried-over
answers reads "to review" until its REVIEWED cell confirms it or an answer changes; a new device
with only its CE class's C1 reads "not started"; the audit's review probes pass in every engine;
a return saved by LibreOffice (.xlsx and .ods) consolidates as the openpyxl-filled one."""

from __future__ import annotations

import pandas as pd
import pytest
from support.engines import recalculate
from support.wbtools import fill, open_book
from support.year_two import build, last_year

from medrisk_xl.audit import audit
from medrisk_xl.consolidate import consolidate
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.workbook import contract

pytestmark = pytest.mark.libreoffice
FILE = "Cardiologie.xlsx"


@pytest.fixture(scope="module")
def proof(tmp_path_factory, pack) -> dict:
    """Cardiologie filled: rows confirmed (the choice, and in other case), one answer changed,
    a REVIEWED cell holding another text, the rest as carried."""
    y = build(tmp_path_factory.mktemp("year-two-engines"), pack)
    src = y.campaign / FILE
    book = open_book(src)
    before = last_year(y.first, pack)
    rows = {d: r for r in book.rows if (d := book.input.cell(r, book.columns["ID"]).value)}
    carried = [d for d in rows if d in before]
    new = [d for d in rows if d not in before]
    checked, other_case, changed, untouched = carried[:4]
    code = next(iter(before[changed]))
    labels = pack.language("fr").answer_labels(code)
    swap = (labels.index(before[changed][code]) + 1) % len(labels)
    plan = {
        rows[checked]: {contract.REVIEW_CODE: 0},
        rows[other_case]: {contract.REVIEW_CODE: "oUI"},
        rows[changed]: {code: swap},
    }
    filled = y.base / "filled" / FILE
    filled.parent.mkdir()
    fill(src, filled, plan)
    answers = {d: dict(before[d]) for d in (checked, other_case, changed)}
    answers[changed][code] = labels[swap]
    return {
        "y": y,
        "book": book,
        "filled": filled,
        "rows": rows,
        "answers": answers,
        "untouched": untouched,
        "new": new,
    }


def _status_label(answers: dict[str, str], pack) -> str:
    language = pack.language("fr")
    result = score_indexes({c: language.answer_labels(c).index(v) for c, v in answers.items()}, pack)
    return language.status_label(result.status)


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric"])
def test_engines_show_what_a_department_did(proof, pack, engine):
    values = recalculate(engine, [proof["filled"]], proof["y"].base / engine)[proof["filled"]]
    book, rows = proof["book"], proof["rows"]
    sheet = values[book.meta["input_sheet"]]
    status = {d: sheet.get((r, book.columns["STATUS"])) for d, r in rows.items()}
    review = pack.language("fr").ui["prefill"]["review"]["status"]
    for device, answers in proof["answers"].items():
        assert status[device] == _status_label(answers, pack), (engine, device)
    assert status[proof["untouched"]] == review
    assert proof["new"] and all(status[d] == pack.language("fr").status_label("empty") for d in proof["new"])


@pytest.mark.parametrize("engine", ["libreoffice", "gnumeric", "python"])
def test_the_audit_probes_the_review_in_every_engine(proof, pack, engine):
    report = audit([proof["y"].campaign / "Laboratoire.xlsx"], pack=pack, engine=engine, samples=2)
    (found,) = report.files
    assert found.passed, [p.message for p in found.findings]
    (ran,) = found.runs
    assert ran.ran and ran.engine == engine and ran.mismatches == 0 and ran.cells > 0


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_return_saved_by_libreoffice_consolidates_the_same(proof, pack, kind):
    (saved,) = convert([proof["filled"]], proof["y"].base / f"lo-{kind}", kind)
    want = consolidate([proof["filled"]], pack=pack).register.set_index("device_id")
    got = consolidate([saved], pack=pack).register.set_index("device_id")
    columns = ["status", "risk_level", "criticality_score", "carried_over", "reviewed"]
    pd.testing.assert_frame_equal(got.loc[want.index, columns], want[columns])
    assert want.loc[proof["untouched"], "status"] == contract.STATUS_TO_REVIEW
    assert bool(want.loc[next(iter(proof["answers"])), "reviewed"]) is True
