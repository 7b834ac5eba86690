"""confirm --mds2: the manufacturers' forms as evidence in the IT workbook, by-design answers
pre-filled (samples/mds2: a stand-alone Perfalis SY800 Neo pump, a networked Medivia PS-1200)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"
FORMS = ROOT / "samples" / "mds2"
SHEET = "Réponses informatique"
DEVICE = "DM-041086"  # Perfalis SY800 Neo, Oncologie: answered V1, V3, V6 NE SAIT PAS


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def rows_of(path: Path, model: str) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(path)[SHEET]
    codes = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    out = {}
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, codes["MODEL"]).value == model:
            out[ws.cell(r, codes["ITEM"]).value] = {k: ws.cell(r, c).value for k, c in codes.items()} | {
                "row": r
            }
    return out


def run_confirm(out: Path, *extra: str):
    before = digest(FORMS)
    res = CliRunner().invoke(
        cli,
        ["confirm", str(RETURNS), "--manifest", str(MANIFEST), "-o", str(out), "--mds2", str(FORMS), *extra],
    )
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    assert digest(FORMS) == before  # the forms are never modified
    return res


def test_a_stand_alone_pump_gets_its_network_items_pre_filled_by_design(tmp_path):
    out = tmp_path / "A-CONFIRMER.xlsx"
    res = run_confirm(out)
    assert (
        "  MDS2: 2 form(s) read, 1 matched to 1 device(s), 1 unmatched; 17 device(s) without a form; "
        "2 IT answer(s) pre-filled by design"
    ) in res.output
    assert "Medivia_PS-1200_MDS2.xlsx: matches none of the devices asked about" in res.output
    rows = rows_of(out, "SY800 Neo")
    assert sorted(rows) == ["V1", "V3", "V6"]
    for item in ("V1", "V6"):  # CONN-1 No: no network connection at all
        assert rows[item]["IT_ANSWER"] == "OUI"
        assert rows[item]["DEVICE_IDS"] == DEVICE
        evidence = str(rows[item]["EVIDENCE"])
        assert evidence.startswith("Formulaire MDS2 Perfalis_SY800-Neo_MDS2.xlsx (Perfalis SY800 Neo) :")
        assert "\nCONN-1 no\n" in evidence
        assert evidence.endswith(
            "→ Réglé par la conception du DM : OUI (pré-rempli d'après le formulaire, modifiable)"
        )
    # V3: the form has a login and changeable passwords; whether they are robust is the site's
    assert rows["V3"]["IT_ANSWER"] is None
    assert rows["V3"]["EVIDENCE"].splitlines()[1:] == [
        "AUTH-1 yes",
        "PAUT-1 yes",
        "PAUT-5 yes",
        "PAUT-6 no",
        "→ À vérifier par l'informatique : la configuration du site décide",
    ]
    others = [r for model in ("CS-500", "DF-300 Neo") for r in rows_of(out, model).values()]
    assert others and all(r["EVIDENCE"] is None and r["IT_ANSWER"] is None for r in others)


def test_the_pre_filled_answers_apply_once_returned(tmp_path, pack):
    out = tmp_path / "A-CONFIRMER.xlsx"
    run_confirm(out)
    result = consolidate([RETURNS, out], manifest=MANIFEST, pack=pack)
    assert result.files.loc[result.files["file"] == str(out), "status"].tolist() == ["valid"]
    device = result.register.set_index("device_id").loc[DEVICE]
    assert (device["V1_answer"], device["V1_source"]) == ("OUI", "it")
    assert (device["V6_answer"], device["V6_source"]) == ("OUI", "it")
    assert (device["V3_answer"], device["V3_source"]) == ("NE SAIT PAS", "department")
    assert device["unknown_items"] == "V3"


def test_a_map_matches_a_form_the_names_do_not(tmp_path):
    """The Medivia form mapped onto a model asked about (Cardexa DF-300 Neo) by --mds2-map."""
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "marque;modèle;formulaire\nCardexa;DF-300 Neo;Medivia_PS-1200_MDS2.xlsx\n", encoding="utf-8"
    )
    out = tmp_path / "A-CONFIRMER.xlsx"
    res = run_confirm(out, "--mds2-map", str(mapping))
    assert "2 form(s) read, 2 matched to 2 device(s), 0 unmatched" in res.output
    rows = rows_of(out, "DF-300 Neo")
    assert sorted(rows) == ["V3", "V9"]
    # PAUT-5 No (the service password cannot be changed): V3 NON by design
    assert rows["V3"]["IT_ANSWER"] == "NON" and "PAUT-5 no" in rows["V3"]["EVIDENCE"]
    assert "Note 3: The service password is set by Medivia" in rows["V3"]["EVIDENCE"]
    assert rows["V9"]["IT_ANSWER"] is None and "CSUP-11 yes" in rows["V9"]["EVIDENCE"]


def test_a_missing_or_bad_map_is_refused_without_a_traceback(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("nothing;here\n1;2\n", encoding="utf-8")
    for mapping in (bad, tmp_path / "none.csv"):
        res = CliRunner().invoke(
            cli,
            [
                "confirm",
                str(RETURNS),
                "-o",
                str(tmp_path / "x.xlsx"),
                "--mds2",
                str(FORMS),
                "--mds2-map",
                str(mapping),
            ],
        )
        assert res.exit_code == 2 and "Traceback" not in res.output
        assert not (tmp_path / "x.xlsx").exists()
