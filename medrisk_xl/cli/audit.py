"""``medrisk-xl audit``: the proof that workbooks compute the method, through
:func:`medrisk_xl.audit.audit`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT, LANG
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.engines import ENGINES
from medrisk_xl.method.pack import load_pack


@click.command("audit", short_help="Prove that workbooks compute the method.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice([*ENGINES, "all"]),
    default="all",
    show_default=True,
    help="Engines that recalculate the probes (all: those installed, the others listed).",
)
@FORMAT
@click.option(
    "--samples",
    type=click.IntRange(0, 100_000),
    default=50,
    show_default=True,
    help="Random devices added to the covering set.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the random devices.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write an evidence report (.md or .xlsx).",
)
@LANG
@CONTENT
def audit_cmd(
    paths: tuple[Path, ...],
    engine: str,
    fmt: str,
    samples: int,
    seed: int,
    report_path: Path | None,
    lang: str | None,
    content_dir: Path | None,
) -> None:
    """Audit workbooks (templates, site packs' workbooks or returns) against the method.

    Static audit: every formula, dropdown, lock, name and list-sheet value compared with what the
    generator writes for the workbook (from its _meta). Dynamic audit: private copies filled with a
    covering set of answers (every score sum, option and matrix cell, NE SAIT PAS, incomplete rows,
    pasted values, random devices), recalculated in LibreOffice, Gnumeric and the Python engine
    'formulas', every computed cell compared with the reference scorer. Exit 0 only when both
    pass. Inputs are never modified. Messages and the evidence report follow --lang, else
    MEDRISK_LANG, else the locale.
    """
    # Deferred for start-up time: the audit loads openpyxl and the engines, not a cycle.
    from medrisk_xl.audit import audit
    from medrisk_xl.audit.evidence import SUFFIXES

    pack = load_pack(content_dir)
    if lang:
        pack.language(lang)  # fail early on an unknown language
    speech = speech_language(lang, pack)
    if report_path and report_path.suffix.lower() not in SUFFIXES:
        raise MedriskError([Problem("bad-argument", msg("audit.bad-report", path=str(report_path)))], 2)
    with progress_bar() as progress:
        report = audit(paths, pack=pack, engine=engine, samples=samples, seed=seed, progress=progress)
    if not report.files:
        raise MedriskError([Problem("no-workbook", msg("audit.no-workbook"))], 2)
    click.echo(report.to_json(speech) if fmt == "json" else report.to_text(speech))
    if report_path:
        report.write(report_path, speech)
        if fmt == "text":
            click.echo(render("audit.evidence-written", speech, path=str(report_path)))
    sys.exit(0 if report.passed else 1)
