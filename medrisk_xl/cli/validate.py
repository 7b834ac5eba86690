"""``medrisk-xl validate``: the returned workbooks checked and their scores recomputed, through
:func:`medrisk_xl.validate.validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT, JOBS, manifest_option
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.method.pack import load_pack


@click.command("validate", short_help="Check returned workbooks, recompute scores.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT
@manifest_option("The campaign's campaign.json: checks campaign, device lists and passwords.")
@click.option(
    "--summary",
    is_flag=True,
    help="Text: one line per file and how many problems of each code (large campaigns).",
)
@JOBS
@CONTENT
def validate_cmd(
    paths: tuple[Path, ...],
    fmt: str,
    manifest: Path | None,
    summary: bool,
    jobs: int,
    content_dir: Path | None,
) -> None:
    """Validate returned workbooks (files or folders searched for .xlsx, .xlsm, .ods).

    Reads what was answered with the workbook's own matching rule, recomputes every score with
    the reference scorer, and lists each problem with its code, severity and cell (a problem
    repeated on many devices once, with how many; --summary: one line per file). Exit 0 when
    no file has an error (warnings allowed), 1 otherwise. Files are never modified.
    """
    # Deferred for start-up time: validation loads openpyxl and the readers, not a cycle.
    from medrisk_xl.validate import validate

    pack = load_pack(content_dir)
    lang = speech_language(None, pack)
    with progress_bar() as progress:
        report = validate(paths, manifest=manifest, pack=pack, progress=progress, jobs=jobs)
    click.echo(report.to_json(lang) if fmt == "json" else report.to_text(lang, summary))
    sys.exit(0 if not any(f.errors for f in report.files) else 1)
