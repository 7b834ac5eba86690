"""``medrisk-xl audit``: the proof that workbooks compute the method, through
:func:`medrisk_xl.audit.audit`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.core.problems import MedriskError, Problem
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
@CONTENT
def audit_cmd(
    paths: tuple[Path, ...],
    engine: str,
    fmt: str,
    samples: int,
    seed: int,
    report_path: Path | None,
    content_dir: Path | None,
) -> None:
    """Audit workbooks (templates, site packs' workbooks or returns) against the method.

    Static audit: every formula, dropdown, lock, name and list-sheet value compared with what the
    generator writes for the workbook (from its _meta). Dynamic audit: private copies filled with a
    covering set of answers (every score sum, option and matrix cell, NE SAIT PAS, incomplete rows,
    pasted values, random devices), recalculated in LibreOffice, Gnumeric and the Python engine
    'formulas', every computed cell compared with the reference scorer. Exit 0 only when both
    pass. Inputs are never modified.
    """
    # Deferred for start-up time: the audit loads openpyxl and the engines, not a cycle.
    from medrisk_xl.audit import audit
    from medrisk_xl.audit.evidence import SUFFIXES

    if report_path and report_path.suffix.lower() not in SUFFIXES:
        raise MedriskError(
            [Problem("bad-argument", f"--report {report_path}: the report is .md or .xlsx")], 2
        )
    pack = load_pack(content_dir)
    with progress_bar() as progress:
        report = audit(paths, pack=pack, engine=engine, samples=samples, seed=seed, progress=progress)
    if not report.files:
        raise MedriskError([Problem("no-workbook", "no .xlsx workbook found in the paths given")], 2)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    if report_path:
        report.write(report_path)
        if fmt == "text":
            click.echo(f"evidence report: {report_path}")
    sys.exit(0 if report.passed else 1)
