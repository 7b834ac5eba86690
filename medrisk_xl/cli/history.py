"""The history commands (``history list``, ``history trend``, ``compare``, ``actions import``): thin wrappers over
:mod:`medrisk_xl.history`. The library and its database driver are imported only when a command
runs, to keep the command line's start-up fast (deferred imports here hide no cycle)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from medrisk_xl.cli.options import FORMAT, LANG, also_xlsx, db_option
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render as render_template
from medrisk_xl.method.pack import load_pack


@click.group("history")
def history() -> None:
    """The campaign history that consolidate --db records."""


@history.command("list")
@db_option()
@FORMAT
def history_list(db: str | None, fmt: str) -> None:
    """List the recorded campaigns, oldest first."""
    from medrisk_xl.history import campaigns_text, open_history

    with open_history(db, create=False) as store:
        infos = store.campaigns()
        target = store.target.display
    if fmt == "json":
        click.echo(json.dumps([i.to_dict() for i in infos], ensure_ascii=False, indent=2))
    else:
        click.echo(campaigns_text(infos, target, speech_language(None)))


@history.command("trend")
@click.argument("campaigns", nargs=-1)
@db_option()
@FORMAT
@also_xlsx("the trend (a line chart of the risk levels, the sites, the action KPIs)")
@LANG
def history_trend(
    campaigns: tuple[str, ...], db: str | None, fmt: str, out: Path | None, lang: str | None
) -> None:
    """Coverage, risk and actions over recorded campaigns (default: all of them, oldest first).

    Per campaign: devices expected (when recorded with --manifest), returned and mapped, by risk
    level; the same like for like (the devices in the map in every campaign given); the share of
    NE SAIT PAS answers; the imported action plan's actions done, open and overdue (per owner,
    department and theme for the latest plan). Per site too.
    """
    from medrisk_xl.history.trend import trend, trend_text, write_trend

    pack = load_pack()
    pack.language(lang)  # fail early on an unknown language
    said = speech_language(lang, pack)
    result = trend(db, list(campaigns) or None)
    if out:
        write_trend(result, out, lang, pack)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(trend_text(result, said))
        if out:
            click.echo(f"  {out}")


@click.command("compare", short_help="Compare two recorded campaigns.")
@click.argument("campaign_a")
@click.argument("campaign_b")
@db_option()
@FORMAT
@also_xlsx("the comparison (one sheet per list, a chart of the distributions)")
@LANG
def compare_cmd(
    campaign_a: str, campaign_b: str, db: str | None, fmt: str, out: Path | None, lang: str | None
) -> None:
    """Compare campaign A with campaign B of the history.

    Lists the devices whose risk level rose or fell, new and removed devices, the answers that
    changed (per device and per question), and the change in the risk distribution of the
    fleet and of each department: raw, like for like (the devices in the map in both), and
    the part of each change that comes from risk and from coverage. --lang sets the language
    of the workbook, of the answers shown and of the sentences (the JSON keeps the answers as
    recorded).
    """
    from medrisk_xl.history import compare, write_comparison

    pack = load_pack()
    pack.language(lang)  # fail early on an unknown language
    said = speech_language(lang, pack)
    comparison = compare(db, campaign_a, campaign_b)
    if out:
        write_comparison(comparison, out, lang, pack)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(comparison.in_language(pack, lang).to_text(said))
        if out:
            click.echo(f"  {out}")


@click.group("actions", short_help="Read the team's action plan back into the history.")
def actions() -> None:
    """The action follow-up: the consolidated workbook's action plan, read back into the history."""


@actions.command("import")
@click.argument("plan", type=click.Path(path_type=Path, dir_okay=False))
@db_option()
@FORMAT
@click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The content pack the workbook was written with, when not the shipped one.",
)
def actions_import(plan: Path, db: str | None, fmt: str, content_dir: Path | None) -> None:
    """Read the owner, due date and status of PLAN.xlsx's action plan into the history.

    PLAN is the consolidated workbook (consolidate -o) the team filled in. It is checked first:
    every row must be an action the recorded campaign implies, its identity cells unchanged, no
    formula, due dates and statuses valid. On any error nothing is imported (exit 1, one line per
    problem). Importing the campaign's plan again replaces its actions.
    """
    from medrisk_xl.history import import_actions

    pack = load_pack(content_dir)
    lang = speech_language(None, pack)
    imported = import_actions(plan, db, pack=pack)
    if fmt == "json":
        click.echo(json.dumps(imported.to_dict(lang), ensure_ascii=False, indent=2))
        return
    for warning in imported.warnings:
        severity = render_template(f"severity.{warning.severity}", lang)
        click.echo(f"{severity}: {warning.to_text(lang)}", err=True)
    click.echo(imported.to_text(lang))
