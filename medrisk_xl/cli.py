"""The ``medrisk-xl`` command line: a thin wrapper over the library API."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from medrisk_xl import __version__
from medrisk_xl.pack import ContentPack, check_pack, load_pack
from medrisk_xl.problems import MedriskError, Problem, render
from medrisk_xl.resources import shipped_content_dir
from medrisk_xl.scorer import Result, score

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
CONTENT = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this site content pack instead of the shipped one.",
)
LANG = click.option("--lang", default=None, help="Language of labels (default: the pack's, fr).")


def reports_problems(func: Callable) -> Callable:
    """Turn a MedriskError into its problems on stderr and an exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MedriskError as exc:
            click.echo(render(exc.problems), err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medrisk-xl")
def cli() -> None:
    """Map the cyber risk of a medical device fleet with Excel workbooks.

    Criticality (MACE, 9 criteria, /36) x digital vulnerability (AFIB, 10 items, /10)
    -> risk level and action plan. Method: IDS213, DOI 10.34746/ids213.
    """


@cli.group()
def content() -> None:
    """Inspect and check content packs (the method as data)."""


@content.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@FORMAT
def content_check(directory: Path | None, fmt: str) -> None:
    """Validate a content pack (the shipped one by default).

    Exit 0 when valid; 1 with every problem listed otherwise.
    """
    root = directory or shipped_content_dir()
    problems = check_pack(root)
    if fmt == "json":
        click.echo(render(problems, "json"))
    elif problems:
        click.echo(f"{root}: {len(problems)} problem(s)")
        click.echo(render(problems))
    else:
        pack = load_pack(root)
        langs = ", ".join(sorted(pack.languages))
        click.echo(
            f"{root}: valid content pack {pack.method.id} {pack.method.version} "
            f"(languages: {langs}; hash {pack.hash[:12]})"
        )
    sys.exit(1 if problems else 0)


def _parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    answers: dict[str, str] = {}
    problems = []
    for pair in pairs:
        code, sep, value = pair.partition("=")
        code = code.strip().upper()
        if not sep or not code:
            problems.append(Problem("bad-argument", f"{pair!r} is not CODE=VALUE (e.g. C1=2 or V3=OUI)"))
        elif code in answers:
            problems.append(Problem("duplicate-code", f"{code} is given twice", path=code))
        else:
            answers[code] = value
    if problems:
        raise MedriskError(problems, exit_code=2)
    return answers


def _result_text(result: Result, pack: ContentPack, lang: str | None) -> str:
    language = pack.language(lang)
    labels = language.labels
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


@cli.command("score")
@click.argument("answers", nargs=-1, metavar="CODE=VALUE...")
@FORMAT
@LANG
@CONTENT
@reports_problems
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
    result = score(_parse_pairs(answers), pack)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(pack, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(_result_text(result, pack, lang))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="medrisk-xl")


if __name__ == "__main__":  # pragma: no cover
    main()
