"""Checks of a language's texts against the method: labels, help and actions carry exactly the
method's codes, within the lengths a cell holds; languages agree; answers are told apart."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.checks.expected_codes import check_codes, normalize
from medrisk_xl.method.specs import LEVELS, VULN_ANSWER_CODES

SHORT_HELP_MAX = 400  # fits a spreadsheet cell note
NOTE_MAX = 32767  # Excel's cell text limit


def check_labels(data: dict, method: dict, file: str) -> list[Problem]:
    """Language labels must carry exactly the method's codes, with one label per answer."""
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    items = method["vulnerability"]["items"]
    groups = [g["code"] for g in method["criticality"]["groups"]]
    out = check_codes(data["criticality"]["groups"], groups, file, "criticality.groups", "group")
    crits = data["criticality"]["criteria"]
    out += check_codes(crits, crit_codes, file, "criticality.criteria", "criterion")
    for c in method["criticality"]["criteria"]:
        entry = crits.get(c["code"]) if isinstance(crits, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("answers"), list):
            labels = entry["answers"]
            if len(labels) != len(c["points"]):
                out.append(
                    Problem(
                        "bad-answers",
                        msg(
                            "content.answer-labels",
                            code=c["code"],
                            count=len(labels),
                            answers=len(c["points"]),
                        ),
                        file,
                        f"criticality.criteria.{c['code']}.answers",
                    )
                )
            norm = [normalize(x) for x in labels if isinstance(x, str)]
            if len(set(norm)) != len(norm):
                out.append(
                    Problem(
                        "duplicate-label",
                        msg("content.same-label", code=c["code"]),
                        file,
                        f"criticality.criteria.{c['code']}.answers",
                    )
                )
    out += check_codes(data["vulnerability"]["items"], items, file, "vulnerability.items", "item")
    out += check_codes(
        data["vulnerability"]["answers"], list(VULN_ANSWER_CODES), file, "vulnerability.answers", "answer"
    )
    aliases = data["vulnerability"].get("aliases", {})
    if isinstance(aliases, dict):
        for code in aliases:
            if code not in VULN_ANSWER_CODES:
                out.append(
                    Problem(
                        "unknown-code",
                        msg("content.unknown-alias", code=code),
                        file,
                        f"vulnerability.aliases.{code}",
                    )
                )
    for section, key in (
        ("criticality", "levels"),
        ("vulnerability", "levels"),
        ("risk", "levels"),
        ("risk", "short_levels"),
    ):
        out += check_codes(data[section][key], list(LEVELS), file, f"{section}.{key}", "level")
    return out


def check_help(data: dict, method: dict, file: str) -> list[Problem]:
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    out = check_codes(data["criticality"], crit_codes, file, "criticality", "criterion")
    out += check_codes(data["vulnerability"], method["vulnerability"]["items"], file, "vulnerability", "item")
    for section in ("criticality", "vulnerability"):
        for code, entry in data[section].items():
            short = entry.get("short") if isinstance(entry, dict) else None
            if isinstance(short, str) and len(short) > SHORT_HELP_MAX:
                out.append(
                    Problem(
                        "text-too-long",
                        msg("content.short-help", count=len(short), max=SHORT_HELP_MAX),
                        file,
                        f"{section}.{code}.short",
                    )
                )
            long = entry.get("long") if isinstance(entry, dict) else None
            if isinstance(long, str) and len(long) > NOTE_MAX:
                out.append(
                    Problem(
                        "text-too-long",
                        msg("content.long-help", max=NOTE_MAX),
                        file,
                        f"{section}.{code}.long",
                    )
                )
    return out


def check_actions(data: dict, method: dict, file: str) -> list[Problem]:
    out = check_codes(data["plans"], list(LEVELS), file, "plans", "risk level")
    themes = list(data["themes"]) if isinstance(data["themes"], dict) else []
    for level, plan in data["plans"].items():
        if isinstance(plan, dict):
            out += check_codes(plan.get("themes"), themes, file, f"plans.{level}.themes", "theme")
    out += check_codes(data["items"], method["vulnerability"]["items"], file, "items", "item")
    return out


def check_same_codes(langs: dict[str, dict[str, Any]], default: str) -> list[Problem]:
    """Codes not fixed by method.yaml (action themes) must agree across languages."""
    out: list[Problem] = []
    ref = langs.get(default, {}).get("actions.yaml")
    if not isinstance(ref, dict) or not isinstance(ref.get("themes"), dict):
        return out
    ref_themes = list(ref["themes"])
    for lang, files in langs.items():
        data = files.get("actions.yaml")
        if lang == default or not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
            continue
        out += check_codes(
            data["themes"], ref_themes, f"{lang}/actions.yaml", "themes", "theme-as-in", language=default
        )
    return out


def check_ambiguous_answers(method: dict, langs: dict[str, dict[str, Any]]) -> list[Problem]:
    """One label may stand for one answer only, across every language of the pack."""
    out: list[Problem] = []
    crit_codes = [c["code"] for c in method["criticality"]["criteria"]]
    for code in crit_codes:
        seen: dict[str, int] = {}
        for lang, files in langs.items():
            labels = files["labels.yaml"]["criticality"]["criteria"].get(code, {}).get("answers", [])
            for i, label in enumerate(labels):
                key = normalize(label)
                if key in seen and seen[key] != i:
                    out.append(
                        Problem(
                            "ambiguous-label",
                            msg("content.label-elsewhere", label=label, answer=seen[key] + 1),
                            f"{lang}/labels.yaml",
                            f"criticality.criteria.{code}.answers[{i}]",
                        )
                    )
                seen.setdefault(key, i)
    seen_v: dict[str, tuple[str, str]] = {}
    for lang, files in langs.items():
        vl = files["labels.yaml"]["vulnerability"]
        pairs = [(a, lab) for a, lab in vl["answers"].items()]
        pairs += [(a, lab) for a, labs in (vl.get("aliases") or {}).items() for lab in labs]
        pairs += [(a, a) for a in VULN_ANSWER_CODES]
        for answer, label in pairs:
            key = normalize(label)
            if key in seen_v and seen_v[key][0] != answer:
                other, where = seen_v[key]
                out.append(
                    Problem(
                        "ambiguous-label",
                        msg("content.label-ambiguous", label=label, answer=answer, other=other, where=where),
                        f"{lang}/labels.yaml",
                        "vulnerability",
                    )
                )
            seen_v.setdefault(key, (answer, f"{lang}/labels.yaml"))
    return out
