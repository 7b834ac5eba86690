"""consolidate speaks the map's language: a French map's problems sheet holds French messages (the
codes unchanged), an English map's English ones, and the summary follows --lang."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.consolidate.tables import PROBLEM_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ["samples/returns/Bloc_operatoire.xlsx", "samples/returns/Reanimation.xlsx"]


def _consolidate(monkeypatch, tmp_path: Path, *lang: str) -> tuple[str, dict[str, list[str]]]:
    """The summary printed, and the problems sheet's messages by code."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / f"map-{'-'.join(lang) or 'default'}.xlsx"
    res = CliRunner().invoke(
        cli, ["consolidate", *RETURNS, "--manifest", "samples/campaign/campaign.json", "-o", str(out), *lang]
    )
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(out, read_only=True)
    sheet = next(ws for ws in book.worksheets if ws.title in ("Problèmes", "Problems"))
    by_code: dict[str, list[str]] = {}
    message = PROBLEM_COLUMNS.index("message")  # the table starts in column A
    for row in sheet.iter_rows(values_only=True):
        code = next((c for c in row if c in ("device-missing", "formula-replaced", "invalid-answer")), None)
        if code:
            by_code.setdefault(code, []).append(row[message])
    return res.output, by_code


def test_a_french_map_holds_french_messages_and_an_english_one_english(monkeypatch, tmp_path):
    said_fr, fr = _consolidate(monkeypatch, tmp_path)  # the pack's language: French
    said_en, en = _consolidate(monkeypatch, tmp_path, "--lang", "en")
    assert set(fr) == set(en) == {"device-missing", "formula-replaced", "invalid-answer"}
    assert fr["device-missing"] == [
        "le dispositif DM-007043 (ligne 20 à la génération) n'est plus dans le classeur"
    ]
    assert fr["formula-replaced"] == ["CRIT_SCORE contient la constante « 12 » au lieu de sa formule"]
    assert fr["invalid-answer"] == ["V3 contient « oui ? », qui n'est pas l'une de ses réponses possibles"]
    assert en["device-missing"] == ["device DM-007043 (row 20 as generated) is no longer in the workbook"]
    assert en["formula-replaced"] == ["CRIT_SCORE holds the constant 12 instead of its formula"]
    # The terminal: MEDRISK_LANG=en (tests/conftest.py) without --lang, --lang when given.
    assert "device(s) mapped" in said_fr and "4 error(s) in the returns" in said_fr
    said_fr_lang, _ = _consolidate(monkeypatch, tmp_path, "--lang", "fr")
    assert (
        ".xlsx : 40 dispositifs cartographiés, 41 dans le registre, depuis 2 classeur(s) (41 ligne(s) lue(s))"
        in (said_fr_lang)
    )
    assert (
        "  couverture : 41 dispositif(s) retourné(s) sur 120 attendu(s), 40 cartographié(s)\n" in said_fr_lang
    )
    assert "  coverage: 41 of 120 expected device(s) returned, 40 mapped\n" in said_en
    assert (
        "  4 erreurs dans les réponses : voir la feuille « Problèmes » (ou medrisk-xl validate)"
        in said_fr_lang
    )
    assert "4 error(s) in the returns" in said_en
