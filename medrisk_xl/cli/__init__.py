"""The ``medrisk-xl`` command line: a thin wrapper over the library API.

This module holds the top-level group and its error handling; each command group lives in its own
module (:mod:`.generate`, :mod:`.validate`, :mod:`.consolidate`, :mod:`.audit`, :mod:`.history`,
:mod:`.content`, :mod:`.score`, :mod:`.mds2`), which never imports this one, and is registered here. The command
modules import the heavy parts of the library (openpyxl, pandas, database drivers) only when their
command runs, so that ``--help`` and ``score`` start fast.
"""

from __future__ import annotations

from typing import Any

import click

from medrisk_xl.cli import audit, confirm, consolidate, content, generate, history, mds2, score, validate
from medrisk_xl.cli.speech import current_language
from medrisk_xl.core.message_templates import render as render_template
from medrisk_xl.core.message_templates import text_in
from medrisk_xl.core.output_folder import reason
from medrisk_xl.core.problems import MedriskError, render
from medrisk_xl.core.version import __version__

__all__ = ["SafeGroup", "cli", "main"]


class SafeGroup(click.Group):
    """The top-level group: any error reaches the user as a clear message and an exit code, never
    a traceback (``--debug`` shows the traceback of unexpected errors)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except MedriskError as exc:  # an expected problem with the input: listed, exit 1 or 2
            click.echo(render(exc.problems, lang=current_language()), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if ctx.params.get("debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"{where}{text_in(reason(exc), current_language())} [os-error]", err=True)
            ctx.exit(1)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            said = {"kind": exc.__class__.__name__, "error": str(exc)}
            click.echo(render_template("cli.internal-error", current_language(), **said), err=True)
            ctx.exit(1)


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medrisk-xl")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Map the cyber risk of a medical device fleet with Excel workbooks.

    Criticality (MACE, 9 criteria, /36) x digital vulnerability (AFIB, 10 items, /10)
    -> risk level and action plan. Method: IDS213, DOI 10.34746/ids213.
    """


cli.add_command(content.content)
cli.add_command(score.score_cmd)
cli.add_command(generate.generate_cmd)
cli.add_command(validate.validate_cmd)
cli.add_command(confirm.confirm_cmd)
cli.add_command(consolidate.consolidate_cmd)
cli.add_command(audit.audit_cmd)
cli.add_command(history.history)
cli.add_command(history.compare_cmd)
cli.add_command(history.actions)
cli.add_command(mds2.mds2)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="medrisk-xl")
