"""The history commands of the command line (``history list``, ``compare``) and the ``--db``
option that ``consolidate`` uses to record a campaign: thin wrappers over
:mod:`medrisk_xl.history`. The library is imported only when a command runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from medrisk_xl.cli_options import FORMAT

DB_HELP = (
    "The history: a SQLite file or a postgresql://user:password@host/database URL; default: the "
    "MEDRISK_DB environment variable. The password is never shown."
)


def db_option(help_text: str = DB_HELP) -> Callable:
    """The ``--db TARGET`` option, read from ``MEDRISK_DB`` when not given."""
    return click.option("--db", "db", metavar="TARGET", envvar="MEDRISK_DB", default=None, help=help_text)


@click.group("history")
def history() -> None:
    """The campaign history that consolidate --db records."""


@history.command("list")
@db_option()
@FORMAT
def history_list(db: str | None, fmt: str) -> None:
    """List the recorded campaigns, oldest first."""
    from medrisk_xl.history import campaigns_text, open_history

    with open_history(db, create=False) as h:
        infos = h.campaigns()
        target = h.target.display
    if fmt == "json":
        click.echo(json.dumps([i.to_dict() for i in infos], ensure_ascii=False, indent=2))
    else:
        click.echo(campaigns_text(infos, target))


@click.command("compare", short_help="Compare two recorded campaigns.")
@click.argument("campaign_a")
@click.argument("campaign_b")
@db_option()
@FORMAT
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the comparison as FILE.xlsx (one sheet per list, a chart of the distributions).",
)
def compare_cmd(campaign_a: str, campaign_b: str, db: str | None, fmt: str, out: Path | None) -> None:
    """Compare campaign A with campaign B of the history.

    Lists the devices whose risk level rose or fell, new and removed devices, the answers that
    changed (per device and per question), and the change in the risk distribution of the
    fleet and of each department.
    """
    from medrisk_xl.history import compare, write_comparison

    comparison = compare(db, campaign_a, campaign_b)
    if out:
        write_comparison(comparison, out)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(comparison.to_text())
        if out:
            click.echo(f"  {out}")
