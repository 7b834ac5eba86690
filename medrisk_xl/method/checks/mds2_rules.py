"""Checks of ``mds2.yaml``: every item is the method's, every question an MDS2 id, every rule one
the reader can apply, and every rationale cites its item's own help in each language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.method.checks.expected_codes import normalize
from medrisk_xl.method.schema import read_optional
from medrisk_xl.method.specs_mds2 import MDS2_FILE, MDS2_SPEC, QUESTION_ID, RULE_ANSWERS, RULE_KINDS

F = MDS2_FILE


def _either() -> Message:
    """The answers a condition may name, in words ("yes or no")."""
    first, second = RULE_ANSWERS
    return msg("content.either", first=first, second=second)


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
            problems.append(Problem("unknown-code", msg("mds2-rules.unknown-item", item=item), F, path))
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
                    msg("mds2-rules.bad-question", question=question),
                    F,
                    f"{path}.questions[{i}]",
                )
            )
        elif question in questions[:i]:
            out.append(
                Problem(
                    "duplicate-code",
                    msg("mds2-rules.listed-twice", question=question),
                    F,
                    f"{path}.questions",
                )
            )
    return out


def _rule(rule: dict, questions: set[str], answers: list[str], path: str) -> list[Problem]:
    """A rule the reader can apply: a known kind, conditions on listed questions answered yes or
    no (N/A is never scored), and a suggestion among the method's non-flagged answers."""
    if rule["kind"] not in RULE_KINDS:
        known = ", ".join(RULE_KINDS)
        return [
            Problem("unknown-rule", msg("mds2-rules.unknown-rule", kind=rule["kind"], known=known), F, path)
        ]
    out = []
    if not rule["when"]:
        out.append(Problem("bad-rule", msg("mds2-rules.no-condition"), F, f"{path}.when"))
    for question, answer in rule["when"].items():
        if question not in questions:
            out.append(
                Problem("bad-rule", msg("mds2-rules.not-listed", question=question), F, f"{path}.when")
            )
        if answer not in RULE_ANSWERS:
            out.append(
                Problem(
                    "bad-rule",
                    msg("mds2-rules.condition-answer", question=question, answer=answer, answers=_either()),
                    F,
                    f"{path}.when.{question}",
                )
            )
    if rule["suggest"] not in answers:
        out.append(
            Problem(
                "bad-rule",
                msg("mds2-rules.suggest", suggest=rule["suggest"], answers=", ".join(answers)),
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
        out.append(
            Problem("missing-text", msg("mds2-rules.no-rationale", language=default), F, f"{path}.{default}")
        )
    for lang, entry in rationale.items():
        if lang not in langs:
            out.append(
                Problem("unknown-language", msg("mds2-rules.language", language=lang), F, f"{path}.{lang}")
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
                    msg("mds2-rules.citation", item=item, language=lang),
                    F,
                    f"{path}.{lang}.cite",
                )
            )
    return out
