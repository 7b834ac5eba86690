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


def echo_mds2(report, forms, prefilled: str, devices_were: str) -> None:
    """What the MDS2 forms gave a command: forms read and refused, matched and unmatched, devices
    without a form, and ``prefilled`` (what was pre-filled by design, said by the command);
    ``devices_were``: what the devices matched against were ("asked about", "in the inventory")."""
    refused = [f for f in forms if f.refused]
    devices = sum(len(ids) for ids in report.matched.values())
    click.echo(
        f"  MDS2: {len(forms) - len(refused)} form(s) read, {len(report.matched)} matched to {devices} device(s), "
        f"{len(report.unmatched_forms)} unmatched; {len(report.devices_without_form)} device(s) without a form; "
        f"{prefilled}"
    )
    for form in refused:
        reason = form.problems[0].message if form.problems else form.status
        click.echo(f"  {form.path}: not read: {reason}")
    for path in report.unmatched_forms:
        click.echo(f"  {path}: matches none of the devices {devices_were} (see --mds2-map)")
