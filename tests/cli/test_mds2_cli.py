"""``medrisk-xl mds2 read`` through click's CliRunner: text and JSON, exit codes, no traceback,
and the forms' bytes unchanged."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from support.mds2_forms import write_form

from medrisk_xl.cli import cli


@pytest.fixture
def folder(tmp_path):
    write_form(
        tmp_path / "pump.xlsx",
        {"AUTH-1": "Yes", "PAUT-5": "No", "CONN-1": "Yes", "CONN-1.1": "Yes", "CONN-1.1.1": "Yes, 5 GHz"},
    )
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "notes.txt").write_text("not a form")
    return tmp_path


def _digests(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_json_lists_every_form_and_exits_1_when_one_is_refused(folder):
    before = _digests(folder)
    result = CliRunner().invoke(cli, ["mds2", "read", str(folder), "--format", "json"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    forms = json.loads(result.output)["forms"]
    assert [(f["path"], f["status"]) for f in forms] == [
        (str(folder / "old" / "scan.pdf"), "unreadable"),
        (str(folder / "pump.xlsx"), "read"),
    ]
    pdf, pump = forms
    assert [p["code"] for p in pdf["problems"]] == ["pdf-form"] and pdf["items"] == {}
    assert (pump["manufacturer"], pump["model"], pump["date"], pump["answered"]) == (
        "Medivia",
        "PS-1200",
        "2025-03-14",
        5,
    )
    assert pump["answers"]["PAUT-5"] == "no" and pump["answers"]["SBOM-1"] is None
    assert pump["items"]["V3"] == {
        "suggestion": "NO",
        "basis": "by-design",
        "evidence": [
            {"question": "AUTH-1", "answer": "yes", "text": None},
            {"question": "PAUT-5", "answer": "no", "text": None},
        ],
    }
    assert pump["items"]["V4"]["suggestion"] is None and pump["items"]["V4"]["basis"] == "evidence"
    assert pump["items"]["V10"] == {"suggestion": None, "basis": None, "evidence": []}
    assert _digests(folder) == before


def test_text_summarises_each_form_then_each_item(folder):
    result = CliRunner().invoke(cli, ["mds2", "read", str(folder / "pump.xlsx")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == f"{folder / 'pump.xlsx'}: READ — Medivia PS-1200 (Syringe pump); document MDS2-PS1200-03, 2025-03-14"
    )
    # 38 questions over 13 sections in the test layout, and DOC-8 to DOC-11
    assert lines[1] == "  5 of 42 questions answered (sheet mds2-form)"
    assert "  V3: NO (by-design) — AUTH-1 yes; PAUT-5 no" in lines
    assert "  V4: no suggestion — CONN-1 yes; CONN-1.1 yes; CONN-1.1.1 yes (5 GHz)" in lines
    assert "  V10: nothing in the form" in lines
    assert lines[-1] == "1 form(s): 1 read, 0 refused"


def test_usage_errors_exit_2(tmp_path):
    missing = CliRunner().invoke(cli, ["mds2", "read", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    (tmp_path / "empty").mkdir()
    empty = CliRunner().invoke(cli, ["mds2", "read", str(tmp_path / "empty")])
    assert empty.exit_code == 2 and "[no-form]" in empty.output and "Traceback" not in empty.output


def test_the_forms_are_reported_in_the_chosen_language(folder):
    """Issue 34: MEDRISK_LANG=fr gives the report and the refusals in French; --format json keeps
    the codes, the message in French."""
    fr = CliRunner().invoke(cli, ["mds2", "read", str(folder)], env={"MEDRISK_LANG": "fr"})
    lines = fr.output.splitlines()
    pdf = folder / "old" / "scan.pdf"
    assert lines[:2] == [
        f"{pdf} : ILLISIBLE",
        "  erreur: C'est un fichier PDF : ses réponses ne peuvent pas être lues de façon fiable. Demandez au "
        "fabricant son formulaire MDS2 (ANSI/NEMA HN 1-2019) sous forme de classeur Excel (.xlsx). [pdf-form]",
    ]
    assert (
        f"{folder / 'pump.xlsx'} : LU — Medivia PS-1200 (Syringe pump) ; document MDS2-PS1200-03, 2025-03-14"
        in lines
    )
    assert "  5 questions sur 42 ont une réponse (feuille mds2-form)" in lines
    assert "  V4: pas de suggestion — CONN-1 yes; CONN-1.1 yes; CONN-1.1.1 yes (5 GHz)" in lines
    assert "  V10: rien dans le formulaire" in lines
    assert lines[-1] == "2 formulaires : 1 lu(s), 1 refusé(s)"
    data = json.loads(
        CliRunner()
        .invoke(cli, ["mds2", "read", str(pdf), "--format", "json"], env={"MEDRISK_LANG": "fr"})
        .output
    )
    [problem] = data["forms"][0]["problems"]
    assert problem["code"] == "pdf-form" and problem["message"].startswith("C'est un fichier PDF")
    en = CliRunner().invoke(cli, ["mds2", "read", str(pdf)], env={"MEDRISK_LANG": "en"})
    assert (
        "  error: This is a PDF file: its answers cannot be read reliably. Ask the manufacturer" in en.output
    )
