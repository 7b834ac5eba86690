"""``medrisk-xl mds2 read``: manufacturers' MDS2 forms read and turned into evidence for the
vulnerability items, through :func:`medrisk_xl.mds2.read_forms`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT
from medrisk_xl.method.pack import load_pack


@click.group()
def mds2() -> None:
    """Manufacturers' MDS2 forms (ANSI/NEMA HN 1-2019)."""


@mds2.command("read")
@click.argument("forms", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@FORMAT
@CONTENT
def read_cmd(forms: tuple[Path, ...], fmt: str, content_dir: Path | None) -> None:
    """Read MDS2 forms (files, or folders searched for .xlsx, .xlsm, .xls, .ods, .pdf).

    Prints each form's manufacturer, model and answers, and per vulnerability item what the
    form suggests (YES or NO by design, or answers as evidence for the IT team). Files are
    opened safely and never modified. Exit 0 when every form was read, 1 when one was refused.
    """
    # Deferred for start-up time: the reader loads python-calamine, not a cycle.
    from medrisk_xl.mds2 import read_forms

    report = read_forms(forms, load_pack(content_dir))
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(report.exit_code)
