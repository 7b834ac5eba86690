"""The wheel ships content/ and templates/, and the CLI works from any folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 and "hatchling" in proc.stderr and not os.environ.get("CI"):
        pytest.skip("hatchling is not installed (pip install '.[test]')")
    assert proc.returncode == 0, proc.stderr
    (whl,) = out.glob("medrisk_xl-*.whl")
    return whl


def test_wheel_contains_content_and_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("fr", "en"):
        for name in ("labels.yaml", "help.yaml", "actions.yaml", "ui.yaml", "register.yaml", "messages.yaml"):
            assert f"medrisk_xl/_data/content/{lang}/{name}" in names
    assert "medrisk_xl/_data/content/method.yaml" in names
    assert "medrisk_xl/_data/content/register.yaml" in names
    assert any(n.startswith("medrisk_xl/_data/templates/") for n in names)


def test_installed_wheel_runs_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "medrisk_xl", *args], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    check = run("content", "check")
    assert check.returncode == 0, check.stderr
    assert str(target / "medrisk_xl" / "_data" / "content") in check.stdout
    scored = run(
        "score", "--format", "json", *[f"C{i}=4" for i in range(1, 10)], *[f"V{i}=NON" for i in range(1, 11)]
    )
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["risk_level"] == 3


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def test_supported_pythons_are_one_fact() -> None:
    """README, requires-python, the classifiers and CI's smoke runs name the same range."""
    # Read as text: tomllib is not in Python 3.10, which runs this test too.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    oldest = _minor(re.search(r'^requires-python = ">=([0-9.]+)"$', pyproject, re.M).group(1))
    classified = sorted(
        _minor(v) for v in re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    )
    assert classified[0] == oldest
    assert classified == [(3, m) for m in range(oldest[1], classified[-1][1] + 1)], "a gap in the range"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, last = re.search(r"## Quick start \(fresh machine, Python (3\.\d+) to (3\.\d+)\)", readme).groups()
    assert (_minor(first), _minor(last)) == (oldest, classified[-1])
    smoked = re.findall(
        r"^bash \.ci/smoke-python (3\.\d+) (lowest|highest)$", (ROOT / ".ci/run").read_text(), re.M
    )
    assert (_minor(smoked[0][0]), smoked[0][1]) == (oldest, "lowest")
    assert (_minor(smoked[-1][0]), smoked[-1][1]) == (classified[-1], "highest")


def test_ci_runs_the_readme_test_command_in_parallel() -> None:
    """.ci/run's full suite is the README's test command, word for word, and that command runs on
    every core: pyproject.toml's addopts hold pytest-xdist's ``-n auto``, in the test extra."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^pip install '\.\[test\]' && (python -m pytest[^\n]*)$", readme, re.M)
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    suite = ci.split('echo "== tests (README test command)"', 1)[1]
    assert re.findall(r"^(python -m pytest[^\n]*)$", suite, re.M) == [command]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    addopts = re.search(r'^addopts = "([^"]*)"$', pyproject, re.M).group(1).split()
    assert addopts[addopts.index("-n") + 1] == "auto"
    assert re.search(r'^test = \[[^\n]*"pytest-xdist>=', pyproject, re.M)
