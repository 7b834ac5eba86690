"""Options shared by the commands: one definition each, so that a flag reads and behaves the same
in every command that takes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from medrisk_xl.core.processes import MAX_JOBS, default_jobs

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
LANG = click.option("--lang", default=None, help="Language of labels (default: the pack's, fr).")
CONTENT = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this site content pack instead of the shipped one.",
)
JOBS = click.option(
    "--jobs",
    type=click.IntRange(1, MAX_JOBS),
    default=None,
    callback=lambda _ctx, _param, value: value or default_jobs(),
    help="Files read in parallel, in up to N processes (default: the machine's usable cores; "
    "1: this process only). The results are the same, in the same order, whatever N.",
)

DB_HELP = (
    "The history: a SQLite file or a postgresql://user:password@host/database URL; default: the "
    "MEDRISK_DB environment variable. The password is never shown."
)


def manifest_option(help_text: str) -> Callable:
    """The --manifest option (the campaign's campaign.json), with what it adds to a command."""
    return click.option(
        "--manifest",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        default=None,
        help=help_text,
    )


def db_option(help_text: str = DB_HELP) -> Callable:
    """The ``--db TARGET`` option, read from ``MEDRISK_DB`` when not given."""
    return click.option("--db", "db", metavar="TARGET", envvar="MEDRISK_DB", default=None, help=help_text)


def also_xlsx(what: str) -> Callable:
    """The ``-o FILE.xlsx`` option of a command that prints its result and can also write it."""
    return click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help=f"Also write {what} as FILE.xlsx.",
    )


MDS2 = click.option(
    "--mds2",
    "mds2",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of manufacturers' MDS2 forms: their answers as evidence, by-design answers pre-filled.",
)
MDS2_MAP = click.option(
    "--mds2-map",
    "mds2_map",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="CSV (brand, model, form) matching forms to models the names do not match.",
)
