"""The CLI, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from medrisk_xl import __version__
from medrisk_xl.cli import cli

FULL = [
    "C1=2",
    "C2=3",
    "C3=1",
    "C4=2",
    "C5=2",
    "C6=3",
    "C7=2",
    "C8=2",
    "C9=4",
    "V1=OUI",
    "V2=NON",
    "V3=OUI",
    "V4=OUI",
    "V5=NSP",
    "V6=OUI",
    "V7=OUI",
    "V8=NON",
    "V9=OUI",
    "V10=NON",
]


@pytest.fixture
def runner():
    return CliRunner()


def test_help_and_version(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "score" in result.output and "content" in result.output
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_score_json(runner, pack):
    result = runner.invoke(cli, ["score", "--format", "json", *FULL])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["criticality_score"] == 21 and data["criticality_level"] == 2
    assert data["vulnerability_score"] == 4 and data["vulnerability_level"] == 2
    assert data["risk_level"] == 2 and data["status"] == "to_confirm"
    assert data["unknown_items"] == ["V5"] and data["non_compliant_items"] == ["V2", "V5", "V8", "V10"]
    assert data["risk_level_label"] == pack.language("fr").labels["risk"]["levels"][2]


def test_score_text_in_english_with_labels(runner):
    args = [a.replace("OUI", "YES").replace("NON", "NO").replace("NSP", "UNKNOWN") for a in FULL]
    args[0] = "C1=IIa: medium risk"
    result = runner.invoke(cli, ["score", "--lang", "en", *args])
    assert result.exit_code == 0, result.output
    assert "Criticality: 21/36 — level 2 (Moderate)" in result.output
    assert "Risk: 2 — Moderate risk (action advised)" in result.output


def test_incomplete_has_no_score(runner):
    result = runner.invoke(cli, ["score", "--format", "json", *FULL[:-1]])
    data = json.loads(result.output)
    assert data["status"] == "incomplete" and data["missing"] == ["V10"]
    assert data["risk_level"] is None and data["criticality_score"] is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["C1=5"], "C1"),
        (["V4=maybe"], "V4"),
        (["C1"], "CODE=VALUE"),
        (["C1=1", "c1=2"], "C1"),
        (["X9=1"], "X9"),
    ],
)
def test_bad_values_exit_2_naming_the_code(runner, args, needle):
    result = runner.invoke(cli, ["score", *args])
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_unknown_language_exit_2(runner):
    result = runner.invoke(cli, ["score", "--lang", "de", *FULL])
    assert result.exit_code == 2 and "'de'" in result.output


def test_content_check_shipped(runner):
    result = runner.invoke(cli, ["content", "check"])
    assert result.exit_code == 0 and "valid content pack" in result.output


def test_content_check_broken_lists_problems(runner, pack_copy):
    path = pack_copy / "method.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["criticality"]["levels"][1]["min"] = 14
    data["risk"]["matrix"][3].pop(1)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(cli, ["content", "check", str(pack_copy)])
    assert result.exit_code == 1
    assert "method.yaml, criticality.levels[1].min" in result.output
    assert "method.yaml, risk.matrix.3.1" in result.output
    result = runner.invoke(cli, ["content", "check", "--format", "json", str(pack_copy)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False and {p["code"] for p in report["problems"]} == {
        "threshold-gap",
        "bad-matrix",
    }
    result = runner.invoke(cli, ["score", "--content", str(pack_copy), *FULL])
    assert result.exit_code == 1 and "threshold-gap" in result.output


def test_score_with_site_pack(runner, pack_copy):
    path = pack_copy / "method.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["risk"]["matrix"][2][2] = 3
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(cli, ["score", "--format", "json", "--content", str(pack_copy), *FULL])
    assert json.loads(result.output)["risk_level"] == 3
