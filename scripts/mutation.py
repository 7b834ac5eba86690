"""Mutation testing of the modules where a silent bug costs most, each against its fast tests.

Usage::

    pip install mutmut                       # 3.x; a developer tool, not a dependency
    python scripts/mutation.py matching scorer
    python scripts/mutation.py --all
    python scripts/mutation.py --changed     # the modules whose source or tests differ from main
    python scripts/mutation.py --list        # the modules and their tests

For each module, mutmut (https://mutmut.readthedocs.io) copies the package into
``mutants/<module>/mutants/``, changes one thing at a time in the module's functions (a ``<`` for
``<=``, a string for another, a ``return`` dropped…) and runs the module's fast tests (``MODULES``
below, never an engine test) against each change. A mutant that no test notices "survives". The
script prints the score per module (killed / total) and the survivors; ``--diff`` shows each
survivor's change. Results are cached in ``mutants/`` (ignored by git): a second run only tests
the functions that changed. mutmut mutates functions only: module-level constants (a regular
expression, a tuple of characters) are not mutated.

It is a pre-merge habit, not a CI step: the whole table takes about an hour on 2 cores, too long
for ``.ci/run``; run ``--changed`` before merging a branch that touches one of these modules.
``tests/test_mutation_config.py`` checks that every module and test file named here exists.

Surviving mutants judged equivalent (they cannot change what the code does) are listed in
``EQUIVALENT`` below with the reason, and those left on purpose in ``KNOWN``; the script marks them
when it lists survivors. The Parquet writer's mutants survive where pyarrow is not installed (it is
an optional extra, not in the test extra): ``tests/consolidate/test_consolidate.py`` kills them
where it is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The one table: module name -> (source file, its fast tests). Engine tests (marker libreoffice)
# are deselected; each set runs in well under a minute.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "matching": ("medrisk_xl/core/matching.py", ("tests/core/test_matching.py",)),
    "scorer": (
        "medrisk_xl/method/scorer.py",
        ("tests/method/test_scorer.py", "tests/method/test_oracles.py"),
    ),
    "formulas": (
        "medrisk_xl/workbook/formulas.py",
        ("tests/workbook/test_formula_lint.py", "tests/method/test_oracles.py"),
    ),
    "exports": ("medrisk_xl/consolidate/exports.py", ("tests/consolidate/test_consolidate.py",)),
    "textsafe": (
        "medrisk_xl/core/textsafe.py",
        ("tests/core/test_textsafe.py", "tests/generate/test_inventory.py"),
    ),
    "answers": ("medrisk_xl/validate/checks/answers.py", ("tests/validate/test_validate.py",)),
    "list_labels": ("medrisk_xl/validate/checks/list_labels.py", ("tests/validate/test_validate.py",)),
    "computed_cells": (
        "medrisk_xl/validate/checks/computed_cells.py",
        ("tests/validate/test_validate.py", "tests/validate/test_validate_ods.py"),
    ),
    "device_places": (
        "medrisk_xl/validate/checks/device_places.py",
        ("tests/validate/test_validate.py", "tests/validate/test_validate_positions.py"),
    ),
    "input_grid": ("medrisk_xl/validate/checks/input_grid.py", ("tests/validate/test_validate.py",)),
}

# Never an engine test: they take minutes and need LibreOffice or Gnumeric. In one process ("-n 0"
# overrides the project's "-n auto"): mutmut records which tests reach which function in its own
# process, which pytest-xdist's workers would hide from it.
PYTEST_ARGS = ["-m", "not libreoffice", "-p", "no:cacheprovider", "-x", "-q", "-n", "0"]
# Copied beside the package: the shipped pack and templates (found by medrisk_xl.core.resources
# next to the package), and what the tests read (the samples, the README's examples).
DATA = ("content", "templates", "samples", "README.md")

# Surviving mutants that cannot change behaviour: mutant name -> why (checked 2026-12-03).
EQUIVALENT: dict[str, str] = {
    "medrisk_xl.method.scorer.x_parse_answer__mutmut_29": "looking a number or a boolean up among the "
    "labels (str() of it) finds nothing: the pack's labels are words, and points were tried first",
    "medrisk_xl.method.scorer.x_parse_answer__mutmut_40": "answer_labels(None) gives the vulnerability "
    "options, the same for every item, and this branch is for items only",
    "medrisk_xl.consolidate.exports.x_write_csv__mutmut_4": "neutralise leaves a number as it is: "
    "mapping it over numeric columns too changes no value (the dtype test only saves work)",
    "medrisk_xl.consolidate.exports.x_write_csv__mutmut_15": "to_csv(index=None) writes no index, "
    "as index=False does",
    "medrisk_xl.consolidate.exports.x_write_csv__mutmut_26": "Python's codec names ignore case: "
    "UTF-8-SIG is utf-8-sig",
    "medrisk_xl.validate.checks.answers.x_read_prefill__mutmut_1": "the reader hands whole numbers "
    "over as int (workbook/read/read_model.py): 'or' differs only for a float such as 2.0, never read",
    "medrisk_xl.validate.checks.list_labels.x_check_list_labels__mutmut_3": "the list sheet's name only "
    "spells references to it; the columns the check reads (Lists.col) do not depend on it",
    "medrisk_xl.workbook.formulas.x_form_formulas__mutmut_24": "Terms.answers is read by the grid's "
    "points helpers only (input_sheet.py); a form's are built from its rows directly",
    "medrisk_xl.workbook.formulas.x_item_actions__mutmut_5": "function names are not case-sensitive "
    "in any engine: or( is OR(",
    "medrisk_xl.workbook.formulas.x_seed_proposal__mutmut_5": "function names are not case-sensitive "
    "in any engine: or( is OR(",
    "medrisk_xl.validate.checks.device_places.x_rows_by_device__mutmut_4": "reading from row 0 adds the "
    "header rows' texts, each once and never a device id: no duplicate, no device found there",
    "medrisk_xl.validate.checks.device_places.x_rows_by_device__mutmut_11": "one row past the sheet's "
    "last is empty",
    "medrisk_xl.validate.checks.device_places.x_check_device_places__mutmut_24": "None and [] are both "
    "'on no row'",
    "medrisk_xl.validate.checks.device_places.x_check_device_places__mutmut_26": "None and [] are both "
    "'on no row'",
    "medrisk_xl.workbook.formulas.x__sum__mutmut_2": "one operand in parentheses, (a), computes as a",
    "medrisk_xl.workbook.formulas.x__sum__mutmut_9": "one operand in parentheses, (a), computes as a",
    "medrisk_xl.validate.checks.computed_cells.x_formula_problems__mutmut_36": "found != formula[1:] "
    "only skips the slower normalised comparison, which decides alike",
    "medrisk_xl.validate.checks.computed_cells.x_formula_problems__mutmut_71": "min's default matters "
    "only for a device without formulas, which never has a changed one",
}

# Survivors that do change behaviour but are left on purpose: mutant name -> why.
KNOWN: dict[str, str] = {
    "medrisk_xl.core.matching.x_fold__mutmut_1": "upper() instead of lower() differs only for letters "
    "outside the packs' labels (ß, ς, ı), on which the engines disagree among themselves (2026-12-03: "
    "'straße'='STRASSE' is TRUE in Gnumeric and formulas, FALSE in LibreOffice; 'ς'='σ' TRUE in all "
    "three): no rule can match them all",
}

STATUSES = ("killed", "survived", "timeout", "no tests", "suspicious", "skipped", "segfault")


def run_dir(name: str) -> Path:
    return ROOT / "mutants" / name


def prepare(name: str) -> Path:
    """``mutants/<name>/``: the package, data and tests (links to the checkout) and a pyproject
    holding this module's mutmut configuration and the project's pytest options."""
    source, tests = MODULES[name]
    where = run_dir(name)
    where.mkdir(parents=True, exist_ok=True)
    for entry in ("medrisk_xl", "tests", *DATA):
        link = where / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry, target_is_directory=(ROOT / entry).is_dir())
    import tomllib  # Python 3.11+, like the rest of this developer tool

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = project["tool"]["pytest"]["ini_options"]
    lines = [
        f"# inputs {fingerprint(tests)}: results are kept only while the code, data and tests are these",
        "[tool.mutmut]",
        'source_paths = ["medrisk_xl"]',
        f"only_mutate = [{_quoted(source)}]",
        f"also_copy = [{', '.join(map(_quoted, DATA))}]",
        f"pytest_add_cli_args = [{', '.join(map(_quoted, PYTEST_ARGS))}]",
        f"pytest_add_cli_args_test_selection = [{', '.join(map(_quoted, tests))}]",
        "",
        "[tool.pytest.ini_options]",
        *(f"{key} = {_toml(value)}" for key, value in pytest_options.items()),
        "",
    ]
    config = where / "pyproject.toml"
    text = "\n".join(lines)
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
        shutil.rmtree(where / "mutants", ignore_errors=True)  # other code, tests or settings: afresh
    return where


def fingerprint(tests: tuple[str, ...]) -> str:
    """A hash of everything a module's verdicts depend on: the package, its data, the module's
    tests and their helpers. mutmut itself only notices changes to the mutated functions."""
    import hashlib

    digest = hashlib.sha256()
    files = [ROOT / t for t in tests] + [ROOT / "tests" / "conftest.py"]
    for folder, pattern in (("medrisk_xl", "*.py"), ("tests/support", "*.py"), *((d, "*") for d in DATA[:2])):
        files += sorted(
            f for f in (ROOT / folder).rglob(pattern) if f.is_file() and "__pycache__" not in f.parts
        )
    for f in files:
        digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml(value: object) -> str:
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def mutmut(where: Path, *args: str, quiet: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # engines are deselected anyway
    exe = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if exe is None:
        sys.exit("mutmut is not installed: pip install mutmut")
    return subprocess.run([exe, *args], cwd=where, env=env, text=True, capture_output=quiet, check=False)


def results(where: Path) -> dict[str, str]:
    """Mutant name -> status, from ``mutmut results --all true``."""
    out = mutmut(where, "results", "--all", "true", quiet=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and status in STATUSES:
            found[name] = status
    return found


def run(name: str, jobs: int, diff: bool) -> tuple[int, int, list[str]]:
    where = prepare(name)
    proc = mutmut(where, "run", "--max-children", str(jobs), quiet=True)
    found = results(where)
    if proc.returncode != 0 or not found:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
        sys.exit(f"mutmut failed on {name} (exit {proc.returncode})")
    killed = sum(1 for s in found.values() if s in ("killed", "timeout"))
    survivors = sorted(n for n, s in found.items() if s not in ("killed", "timeout"))
    print(f"{name}: {killed}/{len(found)} killed ({100 * killed / len(found):.0f} %)")
    for survivor in survivors:
        note = f"equivalent: {EQUIVALENT[survivor]}" if survivor in EQUIVALENT else KNOWN.get(survivor)
        print(f"    {found[survivor]}: {survivor}" + (f"  ({note})" if note else ""))
        if diff:
            print(mutmut(where, "show", survivor, quiet=True).stdout)
    return killed, len(found), survivors


def changed_modules(base: str) -> list[str]:
    """The modules whose source or tests differ from where the branch left ``base`` (committed or
    not)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, text=True, capture_output=True, check=True).stdout

    changed = set(git("diff", "--name-only", git("merge-base", base, "HEAD").strip()).split())
    changed |= set(git("ls-files", "--others", "--exclude-standard").split())  # new test files
    return [name for name, (source, tests) in MODULES.items() if changed & {source, *tests}]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--all", action="store_true", help="every module of the table")
    parser.add_argument("--changed", metavar="BASE", nargs="?", const="main", help="modules changed vs BASE")
    parser.add_argument("--list", action="store_true", help="print the table and stop")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--diff", action="store_true", help="show each survivor's change")
    args = parser.parse_args(argv)
    if args.list:
        for name, (source, tests) in MODULES.items():
            print(f"{name:15} {source:45} {' '.join(tests)}")
        return
    names = list(MODULES) if args.all else list(args.modules)
    if args.changed:
        names += [n for n in changed_modules(args.changed) if n not in names]
        if not names:
            print(f"no module of the table differs from {args.changed}")
            return
    if not names:
        parser.error("name modules, or use --all or --changed")
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}: choose among {', '.join(MODULES)}")
    print("mutation testing:", ", ".join(names))
    for name in names:
        run(name, args.jobs, args.diff)


if __name__ == "__main__":
    main()
