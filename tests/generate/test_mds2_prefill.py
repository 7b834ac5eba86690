"""generate --mds2 (issue 32): the items a manufacturer's MDS2 form settles by the device's
design are pre-filled in the department workbooks, as the CE class pre-fills C1; with
--vulnerability-by it the forms fill the IT workbook's evidence instead.

The expectation comes from the forms as ``mds2 read`` reads them and from the inventory's brand
and model, never from the generated workbooks.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support.it_answers_oracle import answer_sheet, columns

from medrisk_xl.cli import cli
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.mds2 import read_forms
from medrisk_xl.method.specs import VULN_ANSWER_CODES
from medrisk_xl.method.specs_mds2 import BY_DESIGN
from medrisk_xl.validate import validate
from medrisk_xl.workbook import contract

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "samples" / "inventory.csv"
FORMS = ROOT / "samples" / "mds2"


def key(text: object) -> str:
    return "".join(ch for ch in str(text or "").casefold() if ch.isalnum())


@pytest.fixture(scope="module")
def forms(pack) -> dict[tuple[str, str], object]:
    """The sample forms by (manufacturer, model), as read by the MDS2 reader."""
    return {(key(f.manufacturer), key(f.model)): f for f in read_forms([FORMS], pack).forms}


def by_design(form, language) -> dict[str, str]:
    """Item -> the label a form settles it with by design."""
    out = {}
    for item, found in form.items.items():
        if found.basis == BY_DESIGN and found.suggestion:
            out[item] = language.answer_labels(item)[VULN_ANSWER_CODES.index(found.suggestion)]
    return out


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, pack) -> Path:
    out = tmp_path_factory.mktemp("mds2") / "c"
    generate(INVENTORY, out, Options(campaign="mds2", password="pw", mds2=FORMS), pack)
    return out


def test_by_design_items_are_prefilled_with_a_note_quoting_the_form(campaign, forms, pack):
    """Every device of a form's model gets exactly the form's by-design answers, each with a
    note naming the form and its questions; every other device gets none."""
    language = pack.language("fr")
    checked = prefilled = 0
    seen_answers = set()
    for path in sorted(campaign.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        meta = {r[0]: r[1] for r in wb[contract.META_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
        ws = wb[meta["input_sheet"]]
        cols = {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}
        spare = int(meta["first_spare_row"] or 10**9)
        for r in range(contract.FIRST_ROW, spare):
            brand, model = ws.cell(r, cols["BRAND"]).value, ws.cell(r, cols["MODEL"]).value
            form = forms.get((key(brand), key(model)))
            want = by_design(form, language) if form else {}
            got = {
                item: ws.cell(r, cols[item]).value
                for item in pack.method.items
                if ws.cell(r, cols[item]).value not in (None, "")
            }
            assert got == want, f"{path.name} row {r} ({brand} {model})"
            for item, label in want.items():
                note = ws.cell(r, cols[item]).comment
                assert note is not None and form.path.name in note.text, (path.name, r, item)
                assert all(e.question in note.text for e in form.items[item].evidence)
                helper = ws.cell(r, cols[contract.prefill_code(item)]).value
                assert helper == pack.method.answer_points(item)[language.answer_labels(item).index(label)]
                seen_answers.add(label)
            checked += 1
            prefilled += len(want)
    assert checked == 120 and prefilled > 0
    assert seen_answers == {language.answer_labels("V1")[0], language.answer_labels("V1")[1]}  # OUI and NON


def test_prefilled_workbooks_are_valid_and_not_started(campaign, pack):
    """A pre-filled answer does not start a row: every device is still "not started"."""
    report = validate([campaign], manifest=campaign / "campaign.json", pack=pack)
    assert [f.status for f in report.files] == ["valid"] * 8
    assert sum(f.devices.get("not_started", 0) for f in report.files) == 120


def test_start_sheet_says_what_the_forms_prefilled(campaign, pack):
    texts = pack.language("fr").ui["confirm"]
    found = []
    for path in sorted(campaign.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, read_only=True)
        start = wb[pack.language("fr").ui["sheets"]["start"]]
        found += [row for row in start.iter_rows(values_only=True) if row[0] == texts["mds2_prefilled"]]
    assert found, "no start sheet says what the MDS2 forms pre-filled"


def test_it_campaign_gets_the_evidence_in_the_it_workbook(tmp_path, forms, pack):
    """With --vulnerability-by it, each row of a form's model shows the form in EVIDENCE and its
    by-design answer pre-filled; the department workbooks get no pre-fill."""
    language = pack.language("fr")
    out = tmp_path / "c"
    generate(INVENTORY, out, Options(campaign="m", vulnerability_by="it", mds2=FORMS), pack)
    wb = openpyxl.load_workbook(out / "Informatique.xlsx")
    ws = answer_sheet(wb)
    cols = columns(ws)
    rows = 0
    for r in range(contract.FIRST_ROW, ws.max_row + 1):
        item = ws.cell(r, cols["ITEM"]).value
        if not item:
            continue
        brand, model = ws.cell(r, cols["BRAND"]).value, ws.cell(r, cols["MODEL"]).value
        form = forms.get((key(brand), key(model)))
        evidence, answer = ws.cell(r, cols["EVIDENCE"]).value, ws.cell(r, cols["IT_ANSWER"]).value
        found = form.items.get(item) if form else None
        if found is None or not (found.evidence or found.suggestion):
            assert not evidence and not answer, (r, brand, model, item)
            continue
        assert form.path.name in evidence
        assert answer == by_design(form, language).get(item), (r, item)
        rows += 1
    assert rows > 0


@pytest.mark.parametrize(
    "args, said",
    [
        (["generate", "-o", "{out}", "--mds2", str(FORMS)], "--mds2 needs an inventory"),
        (["generate", str(INVENTORY), "-o", "{out}", "--mds2", str(INVENTORY.parent / "nowhere")], "nowhere"),
    ],
)
def test_refusals_write_nothing(tmp_path, args, said):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [a.replace("{out}", str(out)) for a in args])
    assert result.exit_code == 2 and said in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()


def test_cli_reports_what_the_forms_gave(tmp_path):
    result = CliRunner().invoke(
        cli, ["generate", str(INVENTORY), "-o", str(tmp_path / "c"), "--mds2", str(FORMS)]
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("MDS2:"))
    assert "2 form(s) read, 2 matched" in line and "department answer(s) pre-filled by design" in line
