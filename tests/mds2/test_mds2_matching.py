"""Forms matched to inventory devices by manufacturer and model, or by an explicit map."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from support.mds2_forms import write_form

from medrisk_xl import MedriskError
from medrisk_xl.mds2 import DeviceRef, match_forms, match_key, read_form, read_map


def test_match_key_ignores_case_accents_spaces_and_punctuation():
    assert match_key("Modèle PS-1200") == "modeleps1200"
    assert match_key(" ps 1200 ") == match_key("PS-1200") == "ps1200"
    assert match_key(None) == ""


@pytest.fixture
def forms(tmp_path):
    pump = read_form(
        write_form(tmp_path / "pump.xlsx", identity={"DOC-1": "MEDIVIA S.A.S.", "DOC-3": "ps 1200"})
    )
    newer = read_form(
        write_form(tmp_path / "pump-2026.xlsx", identity={"DOC-3": "PS-1200", "DOC-7": "2026-01-05"})
    )
    other = read_form(write_form(tmp_path / "ecg.xlsx", identity={"DOC-1": "Cardexa", "DOC-3": "EC-700Pro"}))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    return [pump, newer, other, read_form(tmp_path / "scan.pdf")]


DEVICES = [
    DeviceRef("DM-1", "Medivia", "PS-1200"),
    DeviceRef("DM-2", "medivia", "PS 1200"),
    DeviceRef("DM-3", "Perfalis", "PS-1200"),  # same model, another brand
    DeviceRef("DM-4", "Sonarix", "SX-500"),
]


def test_by_manufacturer_and_model_the_latest_form_wins(forms, tmp_path):
    report = match_forms(forms, DEVICES)
    assert report.by_device == {"DM-1": tmp_path / "pump-2026.xlsx", "DM-2": tmp_path / "pump-2026.xlsx"}
    assert report.matched == {tmp_path / "pump-2026.xlsx": ["DM-1", "DM-2"]}
    assert report.unmatched_forms == [tmp_path / "pump.xlsx", tmp_path / "ecg.xlsx"]  # the PDF is refused
    assert report.devices_without_form == ["DM-3", "DM-4"]


def test_a_map_wins_over_the_forms_identity(forms, tmp_path):
    (tmp_path / "map.csv").write_text(
        "Marque;Modèle;Formulaire\nPerfalis;PS-1200;pump.xlsx\nSonarix;SX-500;ecg.xlsx\n", encoding="utf-8"
    )
    rows = read_map(tmp_path / "map.csv")
    report = match_forms(forms, DEVICES, rows)
    assert report.by_device == {
        "DM-1": tmp_path / "pump-2026.xlsx",
        "DM-2": tmp_path / "pump-2026.xlsx",
        "DM-3": tmp_path / "pump.xlsx",
        "DM-4": tmp_path / "ecg.xlsx",
    }
    assert report.unmatched_forms == [] and report.devices_without_form == []


def test_a_map_without_its_columns_is_refused(tmp_path):
    (tmp_path / "map.csv").write_text("brand,form\nMedivia,pump.xlsx\n", encoding="utf-8")
    with pytest.raises(MedriskError) as caught:
        read_map(tmp_path / "map.csv")
    (problem,) = caught.value.problems
    assert problem.code == "bad-mds2-map" and "no model column" in problem.message


def test_the_sample_form_matches_the_sample_inventorys_syringe_pumps():
    root = Path(__file__).resolve().parents[2]
    with (root / "samples" / "inventory.csv").open(encoding="utf-8-sig", newline="") as f:
        devices = [
            DeviceRef(r["N° inventaire"], r["Marque"], r["Modèle"]) for r in csv.DictReader(f, delimiter=";")
        ]
    form = read_form(root / "samples" / "mds2" / "Medivia_PS-1200_MDS2.xlsx")
    report = match_forms([form], devices)
    assert report.matched == {form.path: ["DM-005151", "DM-005623", "DM-019585"]}
    assert report.unmatched_forms == [] and len(report.devices_without_form) == len(devices) - 3
