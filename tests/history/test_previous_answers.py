"""confirm --db: what the last recorded campaign answered for a model, shown beside the IT answer
as a hint (history/previous_answers.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate
from medrisk_xl.history import record
from medrisk_xl.history.previous_answers import previous_answers

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
IT = ROOT / "samples" / "it"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


def test_the_last_campaign_s_answers_are_a_hint_never_an_answer(tmp_path, pack):
    db = str(tmp_path / "history.db")
    # Last year's campaign: the samples with the IT team's answers, recorded as demo-2025.
    last = consolidate([RETURNS, IT], manifest=MANIFEST, pack=pack)
    record(last, db, manifest=MANIFEST, pack=pack, campaign="demo-2025")
    reg = last.register.set_index("device_id")
    # DM-041086 (Perfalis SY800 Neo): its V1 answered by the IT team last year.
    hints = previous_answers(db, "demo-2026", "{answers} ({campaign})")
    v1 = reg.loc["DM-041086", "V1_answer"]
    assert hints[("perfalis", "sy800 neo", "V1")] == f"{v1} (demo-2025)"
    # Two devices of one model answering differently are both counted, most frequent first.
    assert all(key[2].startswith("V") for key in hints)
    out = tmp_path / "A-CONFIRMER.xlsx"
    res = CliRunner().invoke(
        cli, ["confirm", str(RETURNS), "--manifest", str(MANIFEST), "-o", str(out), "--db", db]
    )
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out)["Réponses informatique"]
    codes = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {
        (ws.cell(r, codes["MODEL"]).value, ws.cell(r, codes["ITEM"]).value): r
        for r in range(5, ws.max_row + 1)
    }
    r = rows[("SY800 Neo", "V1")]
    assert ws.cell(r, codes["PREVIOUS"]).value == f"{v1} (campagne demo-2025)"
    assert ws.cell(r, codes["IT_ANSWER"]).value is None  # a hint only, never copied into the answer


def test_the_campaign_being_confirmed_is_not_its_own_hint(tmp_path, pack):
    db = str(tmp_path / "history.db")
    record(consolidate([RETURNS], manifest=MANIFEST, pack=pack), db, manifest=MANIFEST, pack=pack)
    assert previous_answers(db, "demo-2026", "{answers} ({campaign})") == {}
