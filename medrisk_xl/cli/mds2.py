"""``medrisk-xl mds2 read``: manufacturers' MDS2 forms read and turned into evidence for the
vulnerability items, through :func:`medrisk_xl.mds2.read_forms`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import CONTENT, FORMAT
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render
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
    Messages follow MEDRISK_LANG, else the locale.
    """
    # Deferred for start-up time: the reader loads python-calamine, not a cycle.
    from medrisk_xl.mds2 import read_forms

    pack = load_pack(content_dir)
    lang = speech_language(None, pack)
    report = read_forms(forms, pack)
    click.echo(report.to_json(lang) if fmt == "json" else report.to_text(lang))
    sys.exit(report.exit_code)


def echo_mds2(report, forms, prefilled: str, devices_were: str, lang: str | None = None) -> None:
    """What the MDS2 forms gave a command, in ``lang``: forms read and refused, matched and
    unmatched, devices without a form, and ``prefilled`` (what was pre-filled by design, said by
    the command); ``devices_were``: what the devices matched against were (``asked``: those
    asked about, ``inventory``: those of the inventory)."""
    refused = [f for f in forms if f.refused]
    devices = sum(len(ids) for ids in report.matched.values())
    said = {
        "read": len(forms) - len(refused),
        "matched": len(report.matched),
        "devices": devices,
        "unmatched": len(report.unmatched_forms),
        "without": len(report.devices_without_form),
    }
    click.echo("  " + render("mds2.summary", lang, prefilled=prefilled, **said))
    for form in refused:
        reason = form.problems[0].text(lang) if form.problems else form.status
        click.echo("  " + render("mds2.not-read", lang, path=form.path, reason=reason))
    for path in report.unmatched_forms:
        click.echo("  " + render(f"mds2.unmatched.{devices_were}", lang, path=path))
