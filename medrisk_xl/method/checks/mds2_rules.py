"""Checks of ``mds2.yaml``: every item is the method's, every question an MDS2 id, every rule one
the reader can apply, and every rationale cites its item's own help in each language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Problem
from medrisk_xl.method.checks.expected_codes import normalize
from medrisk_xl.method.schema import read_optional
from medrisk_xl.method.specs_mds2 import MDS2_FILE, MDS2_SPEC, QUESTION_ID, RULE_ANSWERS, RULE_KINDS

F = MDS2_FILE


def read_mds2(
    root: Path, method: dict | None, langs: dict[str, dict[str, Any]]
) -> tuple[list[Problem], dict | None]:
    """The pack's mds2.yaml (None when the pack has none) and its problems; the rules are checked
    against the method and the help texts when these are given (valid)."""
    problems, data, valid = read_optional(root, F, MDS2_SPEC)
    if not valid or method is None:
        return problems, data
    return check_mds2(data, method, langs), data


def check_mds2(data: dict, method: dict, langs: dict[str, dict[str, Any]]) -> list[Problem]:
    """The semantic problems of a structurally valid mds2.yaml."""
    known = method["vulnerability"]["items"]
    answers = [a["code"] for a in method["vulnerability"]["answers"] if not a["flag"]]
    problems: list[Problem] = []
    for item, entry in data["items"].items():
        path = f"items.{item}"
        if item not in known:
            problems.append(Problem("unknown-code", f"unknown vulnerability item {item!r}", F, path))
            continue
        problems += _questions(entry["questions"], path)
        for i, rule in enumerate(entry["rules"]):
            problems += _rule(rule, set(entry["questions"]), answers, f"{path}.rules[{i}]")
        problems += _rationale(
            item, entry["rationale"], langs, method["default_language"], f"{path}.rationale"
        )
    return problems


def _questions(questions: list[str], path: str) -> list[Problem]:
    out = []
    for i, question in enumerate(questions):
        if not QUESTION_ID.fullmatch(question):
            out.append(
                Problem(
                    "bad-question",
                    f"{question!r} is not an MDS2 question id (e.g. CONN-1.1.1)",
                    F,
                    f"{path}.questions[{i}]",
                )
            )
        elif question in questions[:i]:
            out.append(Problem("duplicate-code", f"question {question} listed twice", F, f"{path}.questions"))
    return out


def _rule(rule: dict, questions: set[str], answers: list[str], path: str) -> list[Problem]:
    """A rule the reader can apply: a known kind, conditions on listed questions answered yes or
    no (N/A is never scored), and a suggestion among the method's non-flagged answers."""
    if rule["kind"] not in RULE_KINDS:
        known = ", ".join(RULE_KINDS)
        return [Problem("unknown-rule", f"unknown rule kind {rule['kind']!r} (known: {known})", F, path)]
    out = []
    if not rule["when"]:
        out.append(Problem("bad-rule", "a rule needs at least one condition", F, f"{path}.when"))
    for question, answer in rule["when"].items():
        if question not in questions:
            out.append(
                Problem(
                    "bad-rule", f"condition on {question}, which the item does not list", F, f"{path}.when"
                )
            )
        if answer not in RULE_ANSWERS:
            out.append(
                Problem(
                    "bad-rule",
                    f"condition {question}: {answer!r} must be {' or '.join(RULE_ANSWERS)} (N/A is never scored)",
                    F,
                    f"{path}.when.{question}",
                )
            )
    if rule["suggest"] not in answers:
        out.append(
            Problem(
                "bad-rule",
                f"suggests {rule['suggest']!r}, which is not one of {', '.join(answers)}",
                F,
                f"{path}.suggest",
            )
        )
    return out


def _rationale(
    item: str, rationale: dict, langs: dict[str, dict[str, Any]], default: str, path: str
) -> list[Problem]:
    """A rationale in the pack's default language at least (a language added by a site may do
    without: the default one is shown), each citing a passage of the item's help."""
    out = []
    if default not in rationale:
        out.append(Problem("missing-text", f"no rationale in language {default!r}", F, f"{path}.{default}"))
    for lang, entry in rationale.items():
        if lang not in langs:
            out.append(
                Problem("unknown-language", f"language {lang!r} is not in the pack", F, f"{path}.{lang}")
            )
            continue
        help_ = (langs[lang].get("help.yaml") or {}).get("vulnerability", {}).get(item)
        if not help_:
            continue
        texts = normalize(help_.get("short", "")), normalize(help_.get("long", ""))
        if not any(normalize(entry["cite"]) in text for text in texts):
            out.append(
                Problem(
                    "bad-citation",
                    f"the cited passage is not in the help of {item} ({lang}/help.yaml)",
                    F,
                    f"{path}.{lang}.cite",
                )
            )
    return out
