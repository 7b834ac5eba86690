"""The package's shape (issue 24, ARCHITECTURE.md): layers, no private name across packages, no
import hidden in a function to dodge a cycle, and modules of a readable size."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "medrisk_xl"
MAX_MODULE_LINES = 430  # "about 400"
MAX_FUNCTION_LINES = 60
# Known debts: functions over MAX_FUNCTION_LINES not split yet, with their length when listed.
# This list may only shrink: a debt that grows, or a new long function, fails the test; so does
# an entry paid off (split, renamed or gone), so that the list stays true.
LONG_FUNCTIONS = {
    # audit/ (being reworked with the problem catalogue)
    "medrisk_xl.audit.run:audit_file": 103,
}


def modules() -> dict[str, Path]:
    """Dotted name -> file of every module of medrisk_xl."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def package_of(module: str, path: Path) -> str:
    """The package a module belongs to (itself, for a package's __init__)."""
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def is_private(name: str) -> bool:
    """``_name``, not a dunder such as ``__version__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_layers_hold():
    """import-linter's contracts in pyproject.toml: each package imports only those below it."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.fail("lint-imports (import-linter, in the test extra) is not installed")
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def imports_of(path: Path) -> list[tuple[ast.ImportFrom | ast.Import, bool]]:
    """Every import of a file, and whether it sits inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[ast.ImportFrom | ast.Import, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


def test_no_private_name_is_imported_across_packages():
    all_modules = modules()
    crossing = []
    for module, path in all_modules.items():
        for node, _ in imports_of(path):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("medrisk_xl"):
                continue
            source = node.module or ""
            source_path = all_modules.get(source)
            source_package = package_of(source, source_path) if source_path else source
            for alias in node.names:
                if is_private(alias.name) and source_package != package_of(module, path):
                    crossing.append(f"{module}: from {source} import {alias.name}")
    assert crossing == []


def test_no_test_imports_a_private_name():
    crossing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node, _ in imports_of(path):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("medrisk_xl"):
                crossing += [f"{path.name}: {node.module}.{a.name}" for a in node.names if is_private(a.name)]
    assert crossing == []


# Imports inside a function, each for a reason that is not a cycle: the command line loads a
# command's library only when that command runs (start-up time), and optional dependencies are
# imported where they are used.
DEFERRED_ALLOWED = ("medrisk_xl.cli",)


def test_no_import_inside_a_function_hides_a_cycle():
    deferred = []
    for module, path in modules().items():
        if module.startswith(DEFERRED_ALLOWED):
            continue
        for node, in_function in imports_of(path):
            if not in_function:
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            deferred += [f"{module}: {name}" for name in names if name.startswith("medrisk_xl")]
    assert deferred == []


def test_modules_are_of_a_readable_size():
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in modules().items()}
    assert {m: n for m, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def function_sizes(path: Path) -> dict[str, int]:
    """Lines of every function and method of a file, by qualified name (``Class.method``)."""
    sizes: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                sizes[prefix + child.name] = child.end_lineno - child.lineno + 1
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return sizes


def test_functions_are_of_a_readable_size():
    """No function over MAX_FUNCTION_LINES, but the known debts of LONG_FUNCTIONS, none grown."""
    long = {
        f"{module}:{name}": n
        for module, path in modules().items()
        for name, n in function_sizes(path).items()
        if n > MAX_FUNCTION_LINES
    }
    new_or_grown = {name: n for name, n in long.items() if n > LONG_FUNCTIONS.get(name, MAX_FUNCTION_LINES)}
    paid_off = sorted(set(LONG_FUNCTIONS) - set(long))
    assert new_or_grown == {}, "split these functions (each under 60 lines)"
    assert paid_off == [], "remove these from LONG_FUNCTIONS: they are no longer long"


def test_no_two_modules_share_a_name_for_different_things():
    """A module name appears once in the tree (``__init__`` and ``__main__`` aside)."""
    seen: dict[str, list[str]] = {}
    for module, path in modules().items():
        if path.name not in ("__init__.py", "__main__.py"):
            seen.setdefault(path.stem, []).append(module)
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_tests_mirror_the_packages_and_share_helpers_through_support():
    """tests/<package>/ for each package; helpers in tests/support/, never imported from a test."""
    tests = ROOT / "tests"
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert folders - packages == {"support"}
    from_tests = []
    for path in sorted(tests.rglob("*.py")):
        for node, _ in imports_of(path):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            from_tests += [
                f"{path.relative_to(tests)}: {n}" for n in names if n.split(".")[0].startswith("test_")
            ]
    assert from_tests == []
