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


def test_top_level_help_shows_each_command_summary_whole(runner):
    result = runner.invoke(cli, ["--help"])
    commands = result.output.split("Commands:", 1)[1].strip().splitlines()
    assert len(commands) == len(cli.commands) and not any(line.rstrip().endswith("...") for line in commands)
    lines = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in commands}
    assert lines["generate"] == "Generate the campaign's protected workbooks."
    assert lines["validate"] == "Check returned workbooks, recompute scores."
    assert lines["consolidate"] == "Build the prioritised map of the fleet."
    assert "--debug" in result.output


def test_unknown_language_lists_languages_not_an_install_path(runner, tmp_path):
    from medrisk_xl.core.resources import shipped_content_dir

    for args in (["score", "--lang", "de", *FULL], ["generate", "-o", str(tmp_path / "o"), "--lang", "de"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2
        assert "language 'de' is not in the content pack (available: en, fr)" in result.output
        assert str(shipped_content_dir()) not in result.output and "site-packages" not in result.output
    assert not (tmp_path / "o").exists()


def test_unknown_language_of_a_site_pack_names_the_pack(runner, pack_copy):
    result = runner.invoke(cli, ["score", "--content", str(pack_copy), "--lang", "de", *FULL])
    assert result.exit_code == 2 and str(pack_copy) in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--password", ""], "--password must not be empty"),
        (["--password", "  "], "--password must not be empty"),
        (
            ["--deadline", "notadate"],
            "--deadline 'notadate' is not a valid date (expected dd/mm/yyyy or yyyy-mm-dd",
        ),
        (["--deadline", "30/02/2026"], "--deadline '30/02/2026' is not a valid date"),
    ],
)
def test_generate_refuses_bad_options_with_exit_2(runner, tmp_path, args, needle):
    result = runner.invoke(cli, ["generate", "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2 and needle in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_generate_accepts_french_and_iso_deadlines(runner, tmp_path):
    for i, text in enumerate(("18/12/2026", "2026-12-18")):
        result = runner.invoke(cli, ["generate", "-o", str(tmp_path / str(i)), "--deadline", text])
        assert result.exit_code == 0, result.output
        assert json.loads((tmp_path / str(i) / "campaign.json").read_text())["deadline"] == "2026-12-18"


def test_progress_only_on_a_terminal(runner, tmp_path, monkeypatch):
    import medrisk_xl.cli.progress as progress_mod

    quiet = runner.invoke(cli, ["generate", "-o", str(tmp_path / "a")])
    assert quiet.exit_code == 0 and "workbooks" not in quiet.output  # not a terminal: silent
    monkeypatch.setattr(progress_mod, "stderr_is_terminal", lambda: True)
    shown = runner.invoke(cli, ["generate", "-o", str(tmp_path / "b")])
    assert shown.exit_code == 0 and "workbooks" in shown.output
