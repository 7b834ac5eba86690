"""The one problem catalogue: every code the package can emit is in it, each command's table is a
view of it, and the README's tables are its rows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from medrisk_xl.audit.finding_codes import CATALOGUE as AUDIT_CODES
from medrisk_xl.core.message_templates import catalogue
from medrisk_xl.core.problem_catalogue import (
    ACTIONS_IMPORT,
    AUDIT,
    CATALOGUE,
    ERROR,
    GENERATE,
    INFO,
    MDS2,
    OPENING,
    SCOPES,
    VALIDATE,
    WARNING,
    codes_of,
    readme_table,
)
from medrisk_xl.history.actions import PROBLEM_CODES
from medrisk_xl.validate import CATALOGUE as VALIDATE_CODES
from medrisk_xl.workbook.read.part_kinds import ACTIVE_KINDS
from medrisk_xl.workbook.read.part_kinds import CODES as OPENING_CODES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "medrisk_xl"
# The functions that make a problem from a literal code as first argument (or ``code=``).
# (``add``: the action plan's PlanProblems.add; no set.add of a literal code-like text in the package.)
PROBLEM_MAKERS = {
    "Problem",
    "problem",
    "finding",
    "warning",
    "_fail",
    "history_error",
    "_refuse",
    "bad",
    "add",
}
CODE = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def _literal_codes() -> dict[str, set[str]]:
    """Every string literal passed as a code to a problem maker in the package, and where."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in PROBLEM_MAKERS:
                continue
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "code")]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    code = arg.value.split(".", 1)[0]  # the inventory's message keys: code.variant
                    if CODE.fullmatch(code):
                        found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_code_the_package_emits_is_catalogued():
    emitted = _literal_codes()
    assert len(emitted) > 80  # the scan does find the codes
    missing = {code: where for code, where in emitted.items() if code not in CATALOGUE}
    assert missing == {}


def test_the_inventory_and_the_opening_codes_are_catalogued():
    # Every inventory.<id> template is a problem of the inventory (inventory-text.*: parts of them).
    inventory = {key.split(".")[1] for key in catalogue()["en"] if key.startswith("inventory.")}
    assert "duplicate-id" in inventory and inventory <= set(codes_of(GENERATE))
    assert {kind.code for kind in ACTIVE_KINDS} <= set(codes_of(OPENING))


def test_every_code_has_known_scopes_severities_and_a_meaning():
    for code, scopes in CATALOGUE.items():
        assert CODE.fullmatch(code) and scopes, code
        for scope, (severity, meaning) in scopes.items():
            assert scope in SCOPES and severity in (ERROR, WARNING, INFO) and meaning.strip(), (code, scope)


def test_the_commands_tables_are_views_of_the_catalogue():
    assert codes_of(VALIDATE) == VALIDATE_CODES
    assert codes_of(AUDIT) == AUDIT_CODES
    assert codes_of(OPENING) == OPENING_CODES
    assert {code: severity for code, (severity, _) in codes_of(ACTIONS_IMPORT).items()} == PROBLEM_CODES


def test_the_readme_tables_are_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sections = {
        VALIDATE: "### `medrisk-xl validate`",
        ACTIONS_IMPORT: "### Action follow-up: `actions import`",
        AUDIT: "### `medrisk-xl audit`",
        MDS2: "### MDS2 forms: `medrisk-xl mds2 read`",
    }
    for scope, title in sections.items():
        section = readme.split(title, 1)[1].split("\n### ", 1)[0]
        shown = {
            line
            for line in section.splitlines()
            if re.match(r"\| `[a-z0-9-]+` \| (error|warning|info) \|", line)  # codes may hold digits
        }
        assert shown == set(readme_table(scope)), scope
