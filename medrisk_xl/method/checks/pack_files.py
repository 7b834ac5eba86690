"""Validation of a content pack: structure of every file and the method's coherence.

Each check returns problems naming the file and key path; nothing stops at the first one.

This module reads a pack and runs the checks; they live next to it, and every name they define
can still be imported from here:

- :mod:`medrisk_xl.method.specs`: file names, shared codes, the spec of each file (ui.yaml's in
  :mod:`medrisk_xl.method.specs_ui`);
- :mod:`medrisk_xl.method.checks.method`: method.yaml;
- :mod:`medrisk_xl.method.checks.language_texts`: each language's labels, help and actions;
- :mod:`medrisk_xl.method.checks.register`: the risk register (register.yaml) and its texts;
- :mod:`medrisk_xl.method.checks.mds2_rules`: mds2.yaml (optional; the MDS2 mapping);
- :mod:`medrisk_xl.method.checks.ui`: ui.yaml (with its consolidated and compare sections);
- :mod:`medrisk_xl.method.checks.expected_codes`: expected codes, and :func:`normalize` for labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.checks.editions import read_editions
from medrisk_xl.method.checks.expected_codes import normalize
from medrisk_xl.method.checks.language_texts import (
    NOTE_MAX,
    SHORT_HELP_MAX,
    check_actions,
    check_ambiguous_answers,
    check_help,
    check_labels,
    check_same_codes,
)
from medrisk_xl.method.checks.mds2_rules import read_mds2
from medrisk_xl.method.checks.method import check_method
from medrisk_xl.method.checks.prefill_checks import read_prefill
from medrisk_xl.method.checks.register import check_register, check_register_texts
from medrisk_xl.method.checks.ui import (
    INPUT_MESSAGE_MAX,
    INPUT_TITLE_MAX,
    LIST_SOURCE_MAX,
    SHEET_NAME_MAX,
    check_compare,
    check_consolidated,
    check_ui,
)
from medrisk_xl.method.schema import read_yaml, walk
from medrisk_xl.method.specs import (
    ACTIONS_SPEC,
    FIELD_KINDS,
    HELP_SPEC,
    KEY_PROPERTIES,
    LANGUAGE_FILES,
    LEVELS,
    METHOD_FILE,
    METHOD_SPEC,
    REGISTER_FILE,
    REGISTER_GROUPS,
    REGISTER_LISTS,
    REGISTER_SECTIONS,
    REGISTER_SPEC,
    REGISTER_TEXT_SPEC,
    SCALE_SIZE,
    STAGES,
    STATUSES,
    TERMS,
    VULN_ANSWER_CODES,
    labels_spec,
)
from medrisk_xl.method.specs_history_ui import (
    COMPARE_CAMPAIGN_COLUMNS,
    COMPARE_COLUMNS,
    COMPARE_IN_B,
    COMPARE_SHEETS,
    COMPARE_SPEC,
)
from medrisk_xl.method.specs_ui import (
    ACTION_FOLLOW_UP_TEXTS,
    ACTION_HEADER_CODES,
    CONSOLIDATED_SHEETS,
    CONSOLIDATED_SPEC,
    FIELD_CODES,
    FILE_HEADER_CODES,
    FOLLOW_UP_HEADER_CODES,
    PROBLEM_HEADER_CODES,
    REGISTER_HEADER_CODES,
    RESULT_CODES,
    SHEETS,
    SUMMARY_TEXTS,
    UI_SPEC,
)

__all__ = [
    "ACTIONS_SPEC",
    "ACTION_FOLLOW_UP_TEXTS",
    "ACTION_HEADER_CODES",
    "COMPARE_CAMPAIGN_COLUMNS",
    "COMPARE_COLUMNS",
    "COMPARE_IN_B",
    "COMPARE_SHEETS",
    "COMPARE_SPEC",
    "CONSOLIDATED_SHEETS",
    "CONSOLIDATED_SPEC",
    "FIELD_CODES",
    "FIELD_KINDS",
    "FILE_HEADER_CODES",
    "FOLLOW_UP_HEADER_CODES",
    "HELP_SPEC",
    "INPUT_MESSAGE_MAX",
    "INPUT_TITLE_MAX",
    "KEY_PROPERTIES",
    "LANGUAGE_FILES",
    "LEVELS",
    "LIST_SOURCE_MAX",
    "METHOD_FILE",
    "METHOD_SPEC",
    "NOTE_MAX",
    "PROBLEM_HEADER_CODES",
    "REGISTER_FILE",
    "REGISTER_GROUPS",
    "REGISTER_HEADER_CODES",
    "REGISTER_LISTS",
    "REGISTER_SECTIONS",
    "REGISTER_SPEC",
    "REGISTER_TEXT_SPEC",
    "RESULT_CODES",
    "SCALE_SIZE",
    "SHEETS",
    "SHEET_NAME_MAX",
    "SHORT_HELP_MAX",
    "STAGES",
    "STATUSES",
    "SUMMARY_TEXTS",
    "TERMS",
    "UI_SPEC",
    "VULN_ANSWER_CODES",
    "check_actions",
    "check_ambiguous_answers",
    "check_compare",
    "check_consolidated",
    "check_dir",
    "check_help",
    "check_labels",
    "check_method",
    "check_register",
    "check_register_texts",
    "check_same_codes",
    "check_ui",
    "labels_spec",
    "normalize",
    "read_pack",
]


def check_dir(root: Path) -> tuple[list[Problem], dict | None, dict[str, dict[str, Any]]]:
    """Read and check a pack directory, mds2.yaml included. Returns (problems, method data,
    language data)."""
    problems, method, _register, langs = read_pack(root)
    valid = None if problems else method
    problems += read_mds2(root, valid, langs)[0] + read_prefill(root, valid)[0] + read_editions(root)[0]
    return problems, method, langs


def read_pack(
    root: Path,
) -> tuple[list[Problem], dict | None, dict | None, dict[str, dict[str, Any]]]:
    """Read and check a pack directory. Returns (problems, method data, register data, language
    data); the data are only usable when there is no problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem("missing-file", msg("content.no-pack"), file=str(root))], None, None, {}
    method, probs = read_yaml(root / METHOD_FILE, METHOD_FILE)
    problems += probs
    method_ok = False
    if method is not None or not probs:
        structural = walk(method, METHOD_SPEC, METHOD_FILE)
        problems += structural
        if not structural:
            sem = check_method(method)
            problems += sem
            method_ok = True
    register, probs = read_yaml(root / REGISTER_FILE, REGISTER_FILE)
    problems += probs
    register_ok = False
    if register is not None or not probs:
        structural = walk(register, REGISTER_SPEC, REGISTER_FILE)
        problems += structural
        if not structural:
            problems += check_register(register, method if method_ok else None)
            register_ok = True
    lang_dirs = sorted(
        p for p in root.iterdir() if p.is_dir() and any((p / f).exists() for f in LANGUAGE_FILES)
    )
    if not lang_dirs:
        problems.append(
            Problem(
                "missing-language",
                msg("content.no-language"),
                file=str(root),
            )
        )
    langs: dict[str, dict[str, Any]] = {}
    all_ok = method_ok
    for d in lang_dirs:
        langs[d.name], ok = _read_language(
            d, method if method_ok else None, register if register_ok else None, problems
        )
        all_ok = all_ok and ok
    if method_ok:
        default = method["default_language"]
        if lang_dirs and default not in langs:
            problems.append(
                Problem(
                    "missing-language",
                    msg("content.default-language", language=default),
                    METHOD_FILE,
                    "default_language",
                )
            )
        problems += check_same_codes(langs, default)
    if all_ok and lang_dirs:
        problems += check_ambiguous_answers(method, langs)
    return problems, method, register, langs


def _read_language(
    folder: Path, method: dict | None, register: dict | None, problems: list[Problem]
) -> tuple[dict[str, Any], bool]:
    """The files of one language folder, read and checked (against ``method`` and ``register``
    when they are valid, else None); problems are added to ``problems``. Also whether the
    method's texts are all valid (the register's texts never stop the checks of the labels)."""
    specs = {
        "labels.yaml": labels_spec(),
        "help.yaml": HELP_SPEC,
        "actions.yaml": ACTIONS_SPEC,
        "ui.yaml": UI_SPEC,
        "register.yaml": REGISTER_TEXT_SPEC,
    }
    semantic = {
        "labels.yaml": check_labels,
        "help.yaml": check_help,
        "actions.yaml": check_actions,
        "ui.yaml": check_ui,
    }
    lang = folder.name
    files: dict[str, Any] = {}
    all_ok = True
    for name in LANGUAGE_FILES:
        label = f"{lang}/{name}"
        counts = name != "register.yaml"
        data, probs = read_yaml(folder / name, label)
        problems += probs
        if probs:
            all_ok = all_ok and not counts
            continue
        structural = walk(data, specs[name], label)
        problems += structural
        if structural:
            all_ok = all_ok and not counts
            continue
        if data["language"] != lang:
            problems.append(
                Problem(
                    "bad-language",
                    msg("content.bad-language", language=data["language"], folder=lang),
                    label,
                    "language",
                )
            )
        if name == "register.yaml":
            if register is not None:
                problems += check_register_texts(data, register, label)
        elif method is not None:
            sem = semantic[name](data, method, label)
            problems += sem
            all_ok = all_ok and not sem
        files[name] = data
    return files, all_ok
