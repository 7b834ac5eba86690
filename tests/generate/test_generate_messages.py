"""generate's summary in the chosen language (issue 34): --lang, else MEDRISK_LANG, else the
locale; numbers and plurals the language's way."""

from __future__ import annotations

from click.testing import CliRunner
from support.answers import write_inventory

from medrisk_xl.cli import cli

NO_LOCALE = {"MEDRISK_LANG": "", "LC_ALL": "", "LC_MESSAGES": ""}  # the locale is LANG alone


def _generate(tmp_path, *args: str, env: dict[str, str]) -> list[str]:
    inventory = tmp_path / "inventaire.csv"
    write_inventory(inventory, {"Réanimation": 3})
    out = tmp_path / f"campagne-{len(list(tmp_path.iterdir()))}"
    res = CliRunner().invoke(
        cli, ["generate", str(inventory), "-o", str(out), "--password", "pw-1", *args], env=env
    )
    assert res.exit_code == 0, res.output
    return [line.replace(str(out), "OUT") for line in res.output.splitlines()]


def test_the_summary_is_french_under_a_french_locale_and_english_under_c(tmp_path):
    fr = _generate(tmp_path, env={**NO_LOCALE, "LANG": "fr_FR.UTF-8"})
    assert fr[0].startswith(
        "inventaire : inventaire.csv, en-tête ligne 1 : 3 dispositif(s) lu(s), 0 ligne(s) ignorée(s)"
    )
    assert fr[1].startswith("OUT : 1 classeur(s), 3 dispositif(s), campagne ")
    assert fr[2].endswith(".xlsx  (Réanimation, 3 dispositif(s))")
    assert "  campaign.json (mot de passe des feuilles : pw-1)" in fr
    en = _generate(tmp_path, env={**NO_LOCALE, "LANG": "C"})
    assert en[0].startswith("inventory: inventaire.csv, header at row 1: 3 device(s) read, 0 row(s) ignored")
    assert en[1].startswith("OUT: 1 workbook(s), 3 device(s), campaign ")
    assert "  campaign.json (sheet password: pw-1)" in en


def test_lang_chooses_the_words_of_the_summary_too(tmp_path):
    en = _generate(tmp_path, "--lang", "en", env={"MEDRISK_LANG": "fr"})
    assert en[1].startswith("OUT: 1 workbook(s), 3 device(s)")


def test_an_output_folder_refusal_speaks_the_chosen_language(tmp_path):
    busy = tmp_path / "occupe"
    busy.mkdir()
    (busy / "notes.txt").write_text("à moi")
    inventory = tmp_path / "inventaire.csv"
    write_inventory(inventory, {"Réanimation": 2})
    args = ["generate", str(inventory), "-o", str(busy)]
    fr = CliRunner().invoke(cli, args, env={"MEDRISK_LANG": "fr"})
    assert fr.exit_code == 1
    assert (
        f"{busy}: le dossier de sortie n'est pas vide (choisissez un autre dossier) [output-not-empty]"
        in fr.output
    )
    en = CliRunner().invoke(cli, args, env={"MEDRISK_LANG": "en"})
    assert f"{busy}: output folder is not empty (choose another folder) [output-not-empty]" in en.output
