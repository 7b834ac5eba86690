"""Options shared by the command-line modules (one definition each)."""

from __future__ import annotations

import click

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
LANG = click.option("--lang", default=None, help="Language of labels (default: the pack's, fr).")
