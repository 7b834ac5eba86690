"""scripts/mutation.py (the mutation-testing habit, README "Mutation testing"): its table names
modules and fast test files that exist, so a rename cannot leave it silently testing nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "mutation.py"


def load_script():
    spec = importlib.util.spec_from_file_location("mutation_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_and_test_file_of_the_table_exists():
    modules = load_script().MODULES
    for name, (source, tests) in modules.items():
        assert (ROOT / source).is_file(), name
        assert source.startswith("medrisk_xl/") and source.endswith(".py"), name
        assert tests, name
        for test in tests:
            assert (ROOT / test).is_file(), (name, test)
            assert Path(test).name.startswith("test_") and test.startswith("tests/"), (name, test)


def test_the_table_covers_the_modules_where_a_silent_bug_costs_most():
    sources = {source for source, _ in load_script().MODULES.values()}
    assert {
        "medrisk_xl/core/matching.py",
        "medrisk_xl/method/scorer.py",
        "medrisk_xl/workbook/formulas.py",
        "medrisk_xl/consolidate/exports.py",
        "medrisk_xl/core/textsafe.py",
    } <= sources
    assert any(s.startswith("medrisk_xl/validate/checks/") for s in sources)


def test_no_engine_test_runs_under_mutation():
    assert load_script().PYTEST_ARGS[:2] == ["-m", "not libreoffice"]


def test_survivors_left_name_a_module_of_the_table_and_say_why():
    script = load_script()
    modules = {source[:-3].replace("/", ".") for source, _ in script.MODULES.values()}
    for mutant, why in (script.EQUIVALENT | script.KNOWN).items():
        assert mutant.rsplit(".", 1)[0] in modules and "__mutmut_" in mutant, mutant
        assert len(why) > 10, mutant


def test_list_prints_the_table_and_mutants_are_ignored_by_git():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--list"], capture_output=True, text=True, check=True
    ).stdout
    assert [line.split()[0] for line in out.splitlines()] == list(load_script().MODULES)
    assert "mutants/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
