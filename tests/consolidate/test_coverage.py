"""The campaign's coverage with --manifest (issue 27): expected, returned, mapped and confirmed, for
the fleet, per site and per department, on the samples (figures written out) and adding up with
the manifest; the summary sheet opens with it and lists the department that did not return."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.consolidate import consolidate

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
IT = ROOT / "samples" / "it"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"

# (level, name) -> expected, returned, mapped. Imagerie médicale never returned (its devices span
# both sites, so its 15 are of no known site); Urgences added URG-NEW-01 (no site); Bloc
# opératoire lost DM-007043's row.
SAMPLE_COVERAGE = {
    ("fleet", None): (120, 105, 90),
    ("site", "Hôpital Nord"): (60, 59, 55),
    ("site", "Hôpital Sud"): (45, 45, 34),
    ("site", ""): (15, 1, 1),
    ("department", "Bloc opératoire"): (16, 15, 15),
    ("department", "Cardiologie"): (14, 14, 14),
    ("department", "Imagerie médicale"): (15, 0, 0),
    ("department", "Laboratoire"): (7, 7, 7),
    ("department", "Néonatologie"): (10, 10, 10),
    ("department", "Oncologie"): (8, 8, 8),
    ("department", "Réanimation"): (26, 26, 25),
    ("department", "Urgences"): (24, 25, 11),
}


@pytest.fixture(scope="module")
def result(pack):
    return consolidate([RETURNS], manifest=MANIFEST, pack=pack)


def test_the_samples_coverage_is_written_out(result):
    got = {
        (r["level"], None if r["level"] == "fleet" else r["name"]): (
            r["expected"],
            r["returned"],
            r["mapped"],
        )
        for r in result.coverage.to_dict("records")
    }
    assert got == SAMPLE_COVERAGE
    assert result.coverage["confirmed"].isna().all()  # no IT workbook: nothing says confirmed


def test_the_coverage_adds_up_with_the_manifest(result):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    cov = result.coverage
    fleet = cov[cov["level"] == "fleet"].iloc[0]
    assert fleet["expected"] == sum(len(w["device_ids"]) for w in manifest["workbooks"])
    for level in ("site", "department"):
        part = cov[cov["level"] == level]
        for column in ("expected", "returned", "mapped"):
            assert part[column].sum() == fleet[column], (level, column)
    departments = cov.loc[cov["level"] == "department", "name"].tolist()
    assert departments == [w["department"] for w in manifest["workbooks"]]
    assert fleet["returned"] == len(result.register) and fleet["mapped"] == int(
        result.register["mapped"].sum()
    )


def test_with_the_it_workbook_the_confirmed_devices_are_counted(pack):
    cov = consolidate([RETURNS, IT], manifest=MANIFEST, pack=pack).coverage
    fleet = cov.iloc[0]
    assert (fleet["expected"], fleet["returned"], fleet["mapped"], fleet["confirmed"]) == (120, 105, 90, 88)


def test_the_summary_opens_with_the_coverage_and_lists_every_department(tmp_path, monkeypatch):
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    args = [
        "consolidate",
        "samples/returns",
        "-o",
        "map.xlsx",
        "--manifest",
        "samples/campaign/campaign.json",
    ]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "  coverage: 105 of 120 expected device(s) returned, 90 mapped\n" in res.output
    ws = openpyxl.load_workbook(tmp_path / "map.xlsx", read_only=True)["Synthèse"]
    rows = [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True, max_col=10)]
    rows = [r for r in rows if r]
    assert rows[2:8] == [
        ["Couverture de la campagne"],
        ["Site", "Attendus", "Retournés", "Cartographiés"],
        ["Parc", 120, 105, 90],
        ["Hôpital Nord", 60, 59, 55],
        ["Hôpital Sud", 45, 45, 34],
        ["(non précisé)", 15, 1, 1],
    ]
    assert ["Imagerie médicale — non retourné", 0, 0, 0, 0, 0, 0, 0, 15] in rows
    assert ["Bloc opératoire", 4, 10, 1, 0, 15, pytest.approx(15 / 105), 0, 16] in rows
