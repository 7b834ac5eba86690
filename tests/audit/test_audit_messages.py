"""The audit speaks the chosen language (issue 34): its findings, its text report and its evidence
report follow --lang, else MEDRISK_LANG, else the locale; the codes and JSON keys stay as they are.
The dynamic audit is left out (no engine runs here): these tests are about words."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Protection
from support.answers import write_inventory
from support.wbtools import open_book

from medrisk_xl.audit import run as audit_run
from medrisk_xl.cli import cli
from medrisk_xl.generate.campaign import Options, generate


@pytest.fixture(scope="module")
def faulty(tmp_path_factory, pack) -> tuple[Path, str, str]:
    """A workbook whose first device's ID cell is unlocked and whose first formula is a constant:
    (its path, the unlocked cell, the replaced cell)."""
    base = tmp_path_factory.mktemp("audit_words")
    inv = base / "inv.csv"
    write_inventory(inv, {"Urgences": 3})
    result = generate(inv, base / "c", Options(lang="fr", spare_rows=1), pack)
    book = open_book(base / "c" / result.manifest["workbooks"][0]["file"])
    row = book.rows[0]
    unlocked = book.input.cell(row, book.columns["ID"])
    unlocked.protection = Protection(locked=False)
    formula = next(c for c in book.input[row] if isinstance(c.value, str) and c.value.startswith("="))
    formula.value = 9
    path = base / "Urgences.xlsx"
    book.wb.save(path)
    return path, unlocked.coordinate, formula.coordinate


@pytest.fixture
def static_only(monkeypatch):
    monkeypatch.setattr(audit_run, "audit_dynamic", lambda *args: [])


def test_the_audit_findings_and_verdict_in_french_and_in_english(faulty, static_only):
    path, unlocked, replaced = faulty
    fr = CliRunner().invoke(cli, ["audit", str(path), "--lang", "fr"])
    assert fr.exit_code == 1, fr.output
    assert (
        f"  avertissement: feuille « Saisie », cellule {unlocked}: une cellule que le générateur "
        "verrouille est déverrouillée [cell-unlocked]" in fr.output
    )
    assert (
        f"  erreur: feuille « Saisie », cellule {replaced}: la constante 9 au lieu de la formule du générateur ="
        in (fr.output)
    )
    assert "  audit statique : NON CONFORME (comparé au générateur : " in fr.output
    assert "  verdict : NON CONFORME" in fr.output
    assert fr.output.splitlines()[-1].startswith("1 classeur audité avec ids213-mace-afib ")
    assert " (empreinte " in fr.output.splitlines()[-1] and "hash" not in fr.output
    en = CliRunner().invoke(cli, ["audit", str(path)], env={"MEDRISK_LANG": "en"})
    assert (
        f"  warning: sheet 'Saisie', cell {unlocked}: a cell the generator locks is unlocked [cell-unlocked]"
        in en.output
    )
    assert f"cell {replaced}: the constant 9 instead of the generator's =" in en.output
    assert "  static audit: FAIL (" in en.output and "  verdict: FAIL" in en.output


def test_json_keeps_the_codes_with_the_message_in_the_chosen_language(faulty, static_only):
    path, unlocked, _ = faulty
    res = CliRunner().invoke(cli, ["audit", str(path), "--format", "json"], env={"MEDRISK_LANG": "fr"})
    data = json.loads(res.output)
    found = {(f["code"], f.get("cell")): f["message"] for f in data["files"][0]["findings"]}
    assert found[("cell-unlocked", unlocked)] == "une cellule que le générateur verrouille est déverrouillée"
    assert set(data) >= {"passed", "files"} and data["passed"] is False


def test_the_evidence_report_follows_the_language(faulty, static_only, tmp_path):
    path, unlocked, _ = faulty
    md, xlsx = tmp_path / "preuve.md", tmp_path / "preuve.xlsx"
    for report in (md, xlsx):
        res = CliRunner().invoke(cli, ["audit", str(path), "--lang", "fr", "--report", str(report)])
        assert f"rapport de preuve : {report}" in res.output
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Rapport d'audit medrisk-xl\n")
    assert "- **Verdict : NON CONFORME**" in text
    assert "| gravité | code | emplacement | constat |" in text
    assert (
        f"| avertissement | `cell-unlocked` | Saisie {unlocked} | une cellule que le générateur verrouille "
        "est déverrouillée |" in text
    )
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Audit", "Constats", "Écarts"]
    assert wb["Audit"]["A1"].value == "Verdict" and wb["Audit"]["B1"].value == "NON CONFORME"
    rows = [[c.value for c in row] for row in wb["Constats"].iter_rows()]
    assert rows[0] == ["Classeur", "Gravité", "Code", "Feuille", "Cellule", "Constat"]
    assert [path.name, "avertissement", "cell-unlocked", "Saisie", unlocked, (
        "une cellule que le générateur verrouille est déverrouillée"
    )] in rows  # fmt: skip
    english = tmp_path / "evidence.md"
    CliRunner().invoke(cli, ["audit", str(path), "--lang", "en", "--report", str(english)])
    assert "- **Verdict: FAIL**" in english.read_text(encoding="utf-8")


def test_files_the_audit_cannot_read_are_named_in_french(tmp_path):
    junk = tmp_path / "Cardiologie.xlsx"
    junk.write_bytes(b"")
    plain = tmp_path / "tableau.xlsx"
    openpyxl.Workbook().save(plain)
    res = CliRunner().invoke(cli, ["audit", str(junk), str(plain)], env={"MEDRISK_LANG": "fr"})
    assert res.exit_code == 1
    assert "  erreur: pas de feuille _meta : ce n'est pas un classeur medrisk-xl [not-medrisk]" in res.output
    assert "  erreur: Le fichier est vide (0 octet)" in res.output
    res = CliRunner().invoke(cli, ["audit", str(tmp_path), "--report", "x.pdf"], env={"MEDRISK_LANG": "fr"})
    assert (
        res.exit_code == 2
        and "--report x.pdf : le rapport est un fichier .md ou .xlsx [bad-argument]" in (res.output)
    )
