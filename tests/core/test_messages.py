"""The message catalogue (content/<language>/messages.yaml): every language has every template with
the same fields, numbers, dates and plurals follow the language, rewording a message keeps the
content hash, and the language is chosen --lang > MEDRISK_LANG > locale > English."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.package_edits import rebuild, vba_project

from medrisk_xl.cli import cli
from medrisk_xl.core import message_templates as mt
from medrisk_xl.core.language_choice import choose_language
from medrisk_xl.core.problems import Problem, msg, render
from medrisk_xl.method.pack import check_pack, load_pack
from medrisk_xl.workbook.read import part_kinds

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_every_template_with_the_same_fields():
    cat = mt.catalogue()
    assert set(cat) == {"en", "fr"}
    assert mt.catalogue_faults(cat, cat["en"]) == []
    for key in cat["en"]:  # each renders in each language, its plural forms too
        tpl = cat["en"][key]
        params = {name: 1 if name == "count" else name for name in mt.fields(tpl)}
        for lang in cat:
            assert mt.render(key, lang, **params)
            if "count" in params:
                assert mt.render(key, lang, **{**params, "count": 3})


def test_a_template_missing_or_with_other_fields_is_a_content_check_problem(edit_pack):
    def change(data: dict) -> None:
        del data["validate.not-started"]
        data["validate.device-missing"] = "le dispositif {appareil} a disparu"
        data["validate.no-such-message"] = "?"

    root = edit_pack("fr/messages.yaml", change)
    found = {(p.code, p.path) for p in check_pack(root)}
    assert found == {
        ("missing-text", "validate.not-started"),
        ("bad-template", "validate.device-missing"),
        ("unknown-key", "validate.no-such-message"),
    }
    res = CliRunner().invoke(cli, ["content", "check", str(root)])
    assert res.exit_code == 1 and "fr/messages.yaml, validate.device-missing" in res.output


def test_rewording_a_message_keeps_the_content_hash(edit_pack):
    shipped = load_pack().hash

    def change(data: dict) -> None:
        data["validate.not-started"] = "aucune réponse pour l'instant"

    root = edit_pack("fr/messages.yaml", change)
    assert load_pack(root).hash == shipped
    assert check_pack(root) == []


def test_numbers_dates_and_plurals_follow_the_language():
    assert mt.render("validate.count.files", "fr", count=1) == "1 fichier"
    assert mt.render("validate.count.files", "fr", count=0) == "0 fichier"
    assert mt.render("validate.count.files", "fr", count=12) == "12 fichiers"
    assert mt.render("validate.count.files", "fr", count=3027) == "3\u00a0027 fichiers"
    assert mt.render("validate.devices.complete", "fr", count=12) == "12 complets"
    assert mt.format_number(3027, "en") == "3,027" and mt.format_number(2.5, "fr") == "2,5"
    assert mt.format_date(dt.date(2026, 12, 18), "fr") == "18/12/2026"
    assert mt.format_date("2026-12-18T10:00:00", "en") == "2026-12-18"


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("en", {"MEDRISK_LANG": "fr", "LANG": "fr_FR.UTF-8"}, "en"),  # --lang wins
        (None, {"MEDRISK_LANG": "fr", "LANG": "C"}, "fr"),  # MEDRISK_LANG overrides the locale
        (None, {"MEDRISK_LANG": "en", "LC_ALL": "fr_FR.UTF-8"}, "en"),
        (None, {"MEDRISK_LANG": "xx", "LANG": "fr_CA.UTF-8"}, "fr"),  # no such language: the locale
        (None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),  # gettext's order
        (None, {"LC_MESSAGES": "fr_BE", "LANG": "en_GB"}, "fr"),
        (None, {"LC_ALL": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),  # first set decides
        (None, {"LANG": "fr_FR.UTF-8"}, "fr"),
        (None, {"LANG": "C"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_is_chosen_option_then_medrisk_lang_then_locale_then_english(option, env, expected):
    assert choose_language(option, ("en", "fr"), env) == expected


def test_a_problem_keeps_its_code_and_renders_its_message_in_each_language():
    p = Problem(
        "device-missing", msg("validate.device-missing", device="DM-1", row=20), sheet="Saisie", cell="A20"
    )
    assert p.message == "device DM-1 (row 20 as generated) is no longer in the workbook"
    assert p.to_text("fr") == (
        "feuille « Saisie », cellule A20: le dispositif DM-1 (ligne 20 à la génération) n'est plus "
        "dans le classeur [device-missing]"
    )
    data = json.loads(render([p], "json", "fr"))["problems"][0]
    assert data["code"] == "device-missing" and data["message"].startswith("le dispositif DM-1")
    assert "template" not in data
    plain = Problem("not-a-plan", "not an action plan", file="plan.xlsx", sheet="Plan", cell="B4")
    assert (
        plain.to_text("fr") == "plan.xlsx, sheet 'Plan', cell B4: not an action plan [not-a-plan]"
    )  # not mixed


def _validate(monkeypatch, lang: str, *extra: str) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MEDRISK_LANG", lang)
    args = ["validate", "samples/returns/Reanimation.xlsx", "samples/returns/Bloc_operatoire.xlsx"]
    res = CliRunner().invoke(cli, [*args, "--manifest", "samples/campaign/campaign.json", *extra])
    assert res.exit_code == 1, res.output
    return res.output


def test_the_same_faulty_returns_validated_in_french_and_in_english(monkeypatch):
    fr, en = _validate(monkeypatch, "fr"), _validate(monkeypatch, "en")
    assert "samples/returns/Reanimation.xlsx: NON VALIDE — Réanimation (demo-2026) ; dispositifs : " in fr
    assert (
        "DM-016609: erreur: CRIT_SCORE contient la constante « 12 » au lieu de sa formule (Saisie!AH9) "
        "[formula-replaced]" in fr
    )
    assert (
        "    erreur: le dispositif DM-007043 (ligne 20 à la génération) n'est plus dans le classeur "
        "[device-missing]" in fr
    )
    assert "2 fichiers : 0 valide, 2 non valides, 0 illisible ; 4 erreurs, 1 avertissement, 0 info" in fr
    assert "samples/returns/Reanimation.xlsx: INVALID — Réanimation (demo-2026); devices: " in en
    assert "DM-016609: error: CRIT_SCORE holds the constant 12 instead of its formula (Saisie!AH9)" in en
    assert "2 file(s): 0 valid, 2 invalid, 0 unreadable; 4 error(s), 1 warning(s), 0 info" in en
    assert "INVALID" not in fr and "device" not in fr.replace("device-", "")


def test_json_keeps_the_codes_and_gives_the_message_in_the_chosen_language(monkeypatch):
    fr = json.loads(_validate(monkeypatch, "fr", "--format", "json"))
    en = json.loads(_validate(monkeypatch, "en", "--format", "json"))
    pairs = [
        (a["code"], a["message"], b["message"])
        for f, g in zip(fr["files"], en["files"])
        for a, b in zip(f["problems"], g["problems"])
    ]
    assert [code for code, _, _ in pairs] == [p["code"] for f in en["files"] for p in f["problems"]]
    assert (
        "invalid-answer",
        "V3 contient « oui ? », qui n'est pas l'une de ses réponses possibles",
        "V3 holds 'oui ?', which is not one of its options",
    ) in pairs
    assert (
        "protection-removed",
        "la feuille n'est plus protégée",
        "the sheet is no longer protected",
    ) in pairs


def test_a_site_pack_adds_a_language_with_its_own_templates(pack_copy):
    shipped = yaml.safe_load((pack_copy / "en" / "messages.yaml").read_text(encoding="utf-8"))
    (pack_copy / "de").mkdir()
    data = {**shipped, "language": "de", "validate.not-started": "noch keine Antwort"}
    (pack_copy / "de" / "messages.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    assert [p for p in check_pack(pack_copy) if "messages" in (p.file or "")] == []
    mt.use_pack(pack_copy)
    try:
        assert mt.render("validate.not-started", "de") == "noch keine Antwort"
        assert choose_language(None, mt.languages(), {"LANG": "de_DE.UTF-8"}) == "de"
    finally:
        mt._site_roots.remove(pack_copy.resolve())


def test_an_opening_refusal_is_said_in_the_chosen_language(tmp_path, monkeypatch):
    empty = tmp_path / "Cardiologie.xlsx"
    empty.write_bytes(b"")
    said = {}
    for lang in ("fr", "en"):
        monkeypatch.setenv("MEDRISK_LANG", lang)
        res = CliRunner().invoke(cli, ["validate", str(empty)])
        assert res.exit_code == 1, res.output
        said[lang] = res.output
    assert f"{empty}: ILLISIBLE" in said["fr"]
    assert (
        "  erreur: Le fichier est vide (0 octet) : il n'a pas été enregistré ou joint entièrement. "
        "Demandez au service de renvoyer le classeur. (empty-file) [unreadable]" in said["fr"]
    )
    assert f"{empty}: UNREADABLE" in said["en"]
    assert "  error: The file is empty (0 bytes): it was not saved or not attached completely." in said["en"]


def test_generate_names_an_inventory_fault_in_the_locale_language(tmp_path, monkeypatch):
    """LANG=fr_FR.UTF-8 speaks French, LANG=C English (MEDRISK_LANG unset)."""
    inventory = tmp_path / "inventaire.csv"
    inventory.write_text(
        "id;designation;service\nA1;Pousse-seringue;Réa\nA1;Moniteur;Réa\n", encoding="utf-8"
    )
    monkeypatch.delenv("MEDRISK_LANG")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    said = {}
    for locale in ("fr_FR.UTF-8", "C"):
        monkeypatch.setenv("LANG", locale)
        res = CliRunner().invoke(cli, ["generate", str(inventory), "-o", str(tmp_path / locale)])
        assert res.exit_code == 1
        said[locale] = res.output
    assert (
        "inventaire.csv, ligne 3: le numéro d'inventaire « A1 » figure déjà ligne 2 [duplicate-id]"
        in said["fr_FR.UTF-8"]
    )
    assert "inventaire.csv, row 3: device id 'A1' already appears at row 2 [duplicate-id]" in said["C"]


def test_content_check_and_an_unknown_language_speak_the_chosen_language(monkeypatch):
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    res = CliRunner().invoke(cli, ["content", "check"])
    assert res.exit_code == 0 and ": contenu valide ids213-mace-afib " in res.output
    assert "(langues : en, fr ; empreinte " in res.output
    res = CliRunner().invoke(cli, ["score", "--lang", "de", "C1=1"])
    assert res.exit_code == 2
    assert (
        "la langue « de » n'est pas dans le contenu (disponibles : en, fr) [unknown-language]" in res.output
    )
    monkeypatch.setenv("MEDRISK_LANG", "en")
    res = CliRunner().invoke(cli, ["score", "--lang", "de", "C1=1"])
    assert "language 'de' is not in the content pack (available: en, fr) [unknown-language]" in res.output


def test_a_site_pack_with_broken_templates_is_refused_by_content_check_not_by_validate(
    pack_copy, monkeypatch
):
    (pack_copy / "fr" / "messages.yaml").write_text("validate.not-started: [unclosed\n", encoding="utf-8")
    assert [p.code for p in check_pack(pack_copy)] == ["bad-yaml"]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    try:
        res = CliRunner().invoke(
            cli, ["validate", "samples/returns/Cardiologie.xlsx", "--content", str(pack_copy)]
        )
        assert "internal error" not in res.output and "VALIDE — Cardiologie" in res.output, res.output
    finally:
        mt._site_roots.remove(pack_copy.resolve())


def test_a_refusal_names_what_the_file_is_in_the_chosen_language(tmp_path, monkeypatch):
    """Issue 34: no English fragment inside a French refusal (what the file is, what is damaged)."""
    pdf = tmp_path / "Urgences.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(200))
    archive = tmp_path / "Cardiologie.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "a")
        z.writestr("b.txt", "b")
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    fr = CliRunner().invoke(cli, ["validate", str(pdf), str(archive)]).output
    assert "Le fichier n'est pas un tableur : il ressemble à un document PDF." in fr
    assert (
        "Le fichier est une archive zip de 2 fichiers (si le classeur est dedans, extrayez-le et vérifiez le "
        ".xlsx lui-même), pas un classeur de tableur." in fr
    )
    monkeypatch.setenv("MEDRISK_LANG", "en")
    en = CliRunner().invoke(cli, ["validate", str(pdf), str(archive)]).output
    assert (
        "it looks like a PDF document" in en and "a zip archive of 2 files (if the workbook is inside" in en
    )


def test_content_check_lists_the_pack_structure_problems_in_french(edit_pack, monkeypatch):
    """Issue 34: an unknown key, a missing key and a missing template, listed in French."""
    edit_pack("method.yaml", lambda data: data.update(colour="bleu"))
    root = edit_pack("fr/messages.yaml", lambda data: data.pop("validate.not-started"))
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    fr = CliRunner().invoke(cli, ["content", "check", str(root)])
    assert fr.exit_code == 1
    assert "method.yaml, colour: clé inconnue « colour » [unknown-key]" in fr.output
    assert (
        "fr/messages.yaml, validate.not-started: modèle absent (validate.not-started) [missing-text]"
        in fr.output
    )
    assert fr.output.splitlines()[0] == f"{root} : 2 problèmes"
    data = json.loads(CliRunner().invoke(cli, ["content", "check", str(root), "--format", "json"]).output)
    assert ("unknown-key", "clé inconnue « colour »") in [(p["code"], p["message"]) for p in data["problems"]]
    monkeypatch.setenv("MEDRISK_LANG", "en")
    en = CliRunner().invoke(cli, ["content", "check", str(root)])
    assert "method.yaml, colour: unknown key 'colour' [unknown-key]" in en.output


def test_content_check_names_a_threshold_gap_in_french(edit_pack, monkeypatch):
    def gap(data: dict) -> None:
        data["criticality"]["levels"][1]["min"] += 2

    root = edit_pack("method.yaml", gap)
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    fr = CliRunner().invoke(cli, ["content", "check", str(root)]).output
    assert "method.yaml, criticality.levels[1].min: aucun niveau ne couvre les scores " in fr
    assert "(le niveau 1 finit à " in fr and "[threshold-gap]" in fr
    monkeypatch.setenv("MEDRISK_LANG", "en")
    en = CliRunner().invoke(cli, ["content", "check", str(root)]).output
    assert (
        "method.yaml, criticality.levels[1].min: scores " in en
        and " fall in no level (level 1 ends at " in en
    )


def test_content_check_names_register_faults_in_french(edit_pack, monkeypatch):
    def change(data: dict) -> None:
        del data["grid"]["negligible"]["remote"]
        data["seeding"]["V1"]["cause"] = "NO_SUCH_CAUSE"

    root = edit_pack("register.yaml", change)
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    fr = CliRunner().invoke(cli, ["content", "check", str(root)]).output
    assert (
        "register.yaml, grid.negligible.remote: la case de la grille (negligible, remote) est absente [bad-grid]"
        in fr
    )
    assert "register.yaml, seeding.V1.cause: code inconnu : la cause « NO_SUCH_CAUSE » [unknown-code]" in fr
    monkeypatch.setenv("MEDRISK_LANG", "en")
    en = CliRunner().invoke(cli, ["content", "check", str(root)]).output
    assert "register.yaml, seeding.V1.cause: unknown cause 'NO_SUCH_CAUSE' [unknown-code]" in en


def test_score_and_generate_option_errors_speak_the_chosen_language(tmp_path, monkeypatch):
    res = CliRunner().invoke(cli, ["score", "--lang", "fr", "C1=9", "C2"])
    assert res.exit_code == 2
    assert (
        "« C2 » n'est pas de la forme CODE=VALEUR (par exemple C1=2 ou V3=OUI) [bad-argument]" in res.output
    )
    res = CliRunner().invoke(cli, ["score", "--lang", "fr", "C1=9"])
    assert (
        "C1: « 9 » n'est pas une réponse valide (attendu : les points 1, 2, 3, 4 ou le libellé d'une réponse)"
        in (res.output)
    )
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    inventory = tmp_path / "inventaire.csv"
    inventory.write_text("id;designation;service\nA1;Moniteur;Réa\n", encoding="utf-8")
    res = CliRunner().invoke(
        cli, ["generate", str(inventory), "-o", str(tmp_path / "c"), "--deadline", "demain"]
    )
    assert res.exit_code == 2
    assert "--deadline « demain » n'est pas une date valide (attendu : jj/mm/aaaa ou aaaa-mm-jj" in res.output
    monkeypatch.setenv("MEDRISK_LANG", "en")
    res = CliRunner().invoke(cli, ["score", "C1=9"])
    assert "'9' is not a valid answer (expected points 1, 2, 3, 4 or an answer label)" in res.output


def test_every_kind_of_active_content_has_its_words_in_every_language():
    kinds = [*part_kinds.ACTIVE_KINDS, part_kinds.ODS_SCRIPT, part_kinds.ODS_OBJECT, part_kinds.ODS_LINK]
    kinds += [part_kinds.OTHER_EXTERNAL, part_kinds.HYPERLINK, part_kinds.DTD]
    for kind in kinds:
        key = f"open.kind.{part_kinds.kind_key(kind.what)}"
        assert mt.render(key, "en") == kind.what
        assert mt.render(key, "fr") != kind.what, key


def test_a_return_with_macros_is_refused_in_french(tmp_path, monkeypatch):
    macros = rebuild(
        ROOT / "samples" / "returns" / "Cardiologie.xlsx", tmp_path / "Cardiologie.xlsx", vba_project
    )
    monkeypatch.setenv("MEDRISK_LANG", "fr")
    fr = CliRunner().invoke(cli, ["validate", str(macros)]).output
    assert (
        "erreur: le fichier contient un projet de macros VBA (xl/vbaProject.bin), dont le classeur d'un "
        in fr
    )
    assert "N'ouvrez pas le fichier dans Excel ou LibreOffice" in fr and "[active-content]" in fr
    monkeypatch.setenv("MEDRISK_LANG", "en")
    en = CliRunner().invoke(cli, ["validate", str(macros)]).output
    assert (
        "error: the file holds a VBA macro project (xl/vbaProject.bin), which a department return never" in en
    )
