"""A medrisk-xl file of another kind given where a department return is expected is named for
what it is (issue 34), in the chosen language, under the stable code ``not-medrisk``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from medrisk_xl.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def consolidated_map(tmp_path_factory) -> Path:
    """The samples' consolidated map, as ``consolidate`` writes it."""
    out = tmp_path_factory.mktemp("map") / "cartographie.xlsx"
    args = ["consolidate", str(SAMPLES / "returns"), "--jobs", "1", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output  # the samples' returns hold errors
    assert out.exists()
    return out


def _compare_like(path: Path) -> Path:
    """A spreadsheet whose _meta names it a comparison (what compare -o writes: tests/history)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Comparaison"
    meta = wb.create_sheet("_meta")
    meta.append(["kind", "medrisk-xl compare workbook"])
    meta.append(["generator", "medrisk-xl 0.1.0"])
    wb.save(path)
    return path


def _messages(path: Path, lang: str) -> list[tuple[str, str]]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--format", "json"], env={"MEDRISK_LANG": lang})
    files = json.loads(result.output)["files"]
    return [(p["code"], p["message"]) for f in files for p in f["problems"]]


def test_a_consolidated_map_is_named_as_such(consolidated_map):
    assert _messages(consolidated_map, "en") == [
        (
            "not-medrisk",
            "this is a consolidated map (consolidate) made by medrisk-xl, not a department's return: "
            "take it out of the returns folder",
        )
    ]
    assert _messages(consolidated_map, "fr") == [
        (
            "not-medrisk",
            "c'est une cartographie consolidée (consolidate) de medrisk-xl, pas le retour d'un service : "
            "retirez-le du dossier des retours",
        )
    ]


def test_a_comparison_and_a_plain_spreadsheet(tmp_path):
    compare = _compare_like(tmp_path / "comparaison.xlsx")
    assert _messages(compare, "en") == [
        (
            "not-medrisk",
            "this is a comparison of two campaigns (compare) made by medrisk-xl, not a department's "
            "return: take it out of the returns folder",
        )
    ]
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert _messages(plain, "en") == [("not-medrisk", "not a medrisk-xl workbook (no contract sheet _meta)")]


def test_a_map_saved_into_the_returns_folder(consolidated_map, tmp_path):
    """consolidate names it too, and still maps the returns beside it."""
    returns = shutil.copytree(SAMPLES / "returns", tmp_path / "returns")
    shutil.copy(consolidated_map, returns / "cartographie.xlsx")
    out = tmp_path / "again.xlsx"
    args = ["consolidate", str(returns), "--jobs", "1", "-o", str(out), "--lang", "fr"]
    CliRunner().invoke(cli, args)
    wb = openpyxl.load_workbook(out, read_only=True)
    problems = next(ws for ws in wb.worksheets if ws.title.startswith("Probl"))
    texts = [str(c) for row in problems.iter_rows(values_only=True) for c in row if c]
    assert any("c'est une cartographie consolidée (consolidate) de medrisk-xl" in t for t in texts)


def test_the_audit_names_a_map_too_in_its_own_words(consolidated_map):
    def findings(*lang: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(cli, ["audit", str(consolidated_map), "--format", "json", *lang])
        return [(f["code"], f["message"]) for f in json.loads(result.output)["files"][0]["findings"]]

    assert findings() == [
        (
            "not-medrisk",
            "this is a consolidated map (consolidate) made by medrisk-xl, not a department's workbook: "
            "audit the workbooks generated for the departments, or their returns",
        )
    ]
    assert findings("--lang", "fr") == [
        (
            "not-medrisk",
            "c'est une cartographie consolidée (consolidate) de medrisk-xl, pas un classeur de service : "
            "auditez les classeurs générés pour les services, ou leurs réponses",
        )
    ]
