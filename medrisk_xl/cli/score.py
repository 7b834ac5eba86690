"""``medrisk-xl score``: one device scored from answers given on the command line, with the
reference scorer that validate and audit use."""

from __future__ import annotations

import json
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT, LANG
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.method.scorer import Result, score


def parse_answers(pairs: tuple[str, ...]) -> dict[str, str]:
    """The answers by question code from ``CODE=VALUE`` arguments; every malformed or repeated
    one is listed at once (exit 2), so the user fixes the command line in one go."""
    answers: dict[str, str] = {}
    problems = []
    for pair in pairs:
        code, sep, value = pair.partition("=")
        code = code.strip().upper()
        if not sep or not code:
            problems.append(Problem("bad-argument", msg("score.not-a-pair", pair=pair)))
        elif code in answers:
            problems.append(Problem("duplicate-code", msg("score.given-twice", code=code), path=code))
        else:
            answers[code] = value
    if problems:
        raise MedriskError(problems, exit_code=2)
    return answers


def result_text(result: Result, pack: ContentPack, lang: str | None) -> str:
    """The score of one device as lines in the pack's language (the text twin of ``--format json``)."""
    labels = pack.language(lang).labels
    data = result.to_dict(pack, lang)
    word = labels["terms"]["level"]
    lines = []
    for axis, unit in (
        ("criticality", labels["criticality"]["score_unit"]),
        ("vulnerability", labels["vulnerability"]["score_unit"]),
    ):
        name = labels[axis]["short"]
        if data[f"{axis}_score"] is None:
            lines.append(f"{name}: —")
        else:
            lines.append(
                f"{name}: {data[f'{axis}_score']}{unit} — {word} {data[f'{axis}_level']} "
                f"({data[f'{axis}_level_label']})"
            )
    risk = data["risk_level"]
    lines.append(f"{labels['risk']['short']}: " + (f"{risk} — {data['risk_level_label']}" if risk else "—"))
    terms = labels["terms"]
    lines.append(f"{terms['status']}: {data['status_label']}")
    for key in ("missing", "unknown_items", "non_compliant_items"):
        if data[key]:
            lines.append(f"{terms[key]}: {', '.join(data[key])}")
    return "\n".join(lines)


@click.command("score")
@click.argument("answers", nargs=-1, metavar="CODE=VALUE...")
@FORMAT
@LANG
@CONTENT
def score_cmd(answers: tuple[str, ...], fmt: str, lang: str | None, content_dir: Path | None) -> None:
    """Score one device from its answers.

    Criticality C1..C9: points 1-4 or the answer's label. Vulnerability V1..V10:
    OUI/NON/NSP (also YES/NO/UNKNOWN). A missing answer leaves the device incomplete:
    no score, no level, no risk.

    Example: medrisk-xl score C1=2 C2=3 C3=1 C4=2 C5=2 C6=3 C7=2 C8=2 C9=4
    V1=OUI V2=NON V3=OUI V4=OUI V5=NSP V6=OUI V7=OUI V8=NON V9=OUI V10=NON
    """
    pack = load_pack(content_dir)
    pack.language(lang)  # fail early on an unknown language
    speech_language(lang, pack)  # the problems below are said in --lang, else MEDRISK_LANG, else the locale
    result = score(parse_answers(answers), pack)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(pack, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(result_text(result, pack, lang))
