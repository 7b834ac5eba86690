"""The accounting of a consolidation sits on its own "Contrôle" sheet for the engineer, not on
the summary that management reads (issue 27)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from medrisk_xl.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_the_samples_accounting_is_on_the_control_sheet(tmp_path):
    out = tmp_path / "cartographie.xlsx"
    args = [
        "consolidate",
        str(SAMPLES / "returns"),
        "--manifest",
        str(SAMPLES / "campaign" / "campaign.json"),
    ]
    result = CliRunner().invoke(cli, [*args, "--jobs", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = [r[:2] for r in wb["Contrôle"].iter_rows(values_only=True)]
    assert rows[:4] == [
        ("Contrôle", None),
        ("Campagne", "demo-2026"),
        (None, None),
        ("Lignes reçues et leur destination", None),
    ]
    figures = dict(rows[4:])
    # The samples: seven returns of 105 devices, 90 of them mapped (Urgences' 12 not started and 2
    # incomplete, Réanimation's DM-016132 with an invalid answer), 8 resting on NE SAIT PAS.
    assert figures["Fichiers lus"] == 7 and figures["Classeurs retenus"] == 7
    assert figures["Fichiers ignorés (pas un classeur)"] == 0
    assert figures["Lignes de dispositifs lues"] == 105 == figures["Dispositifs au registre"]
    assert figures["Dispositifs dans la carte"] == 90
    assert figures["Dispositifs au risque provisoire (NE SAIT PAS)"] == 8
    summary = [c for row in wb["Synthèse"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(text in summary for text in ("Lignes reçues et leur destination", "Fichiers lus"))
    assert wb.sheetnames.index("Contrôle") == wb.sheetnames.index("Problèmes") - 1
