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
