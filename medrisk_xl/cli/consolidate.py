"""``medrisk-xl consolidate``: the prioritised map of the fleet (OUT.xlsx, optional CSV and Parquet
register), through :func:`medrisk_xl.consolidate.consolidate`, and with ``--db`` the campaign
recorded in the history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from medrisk_xl.cli.options import CONTENT, JOBS, LANG, db_option, manifest_option
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render
from medrisk_xl.method.pack import load_pack

if TYPE_CHECKING:
    from medrisk_xl.consolidate import Consolidation


def echo_accounting(result: Consolidation, out: Path, lang: str | None = None) -> None:
    """How many devices reached the map, from how many returns, and the errors left in them (in
    ``lang``)."""
    a = result.accounting

    def say(key: str, **params: Any) -> None:
        click.echo(render(f"consolidate.{key}", lang, **params))

    say(
        "summary",
        out=out,
        count=a["devices_in_map"],
        register=a["devices_in_register"],
        files=a["files_used"],
        rows=a["rows_in"],
    )
    if result.coverage is not None:
        fleet = result.coverage.iloc[0]
        counts = {k: int(fleet[k]) for k in ("expected", "returned", "mapped")}
        if fleet["confirmed"] is None:
            say("summary_coverage", **counts)
        else:
            say("summary_coverage_confirmed", confirmed=int(fleet["confirmed"]), **counts)
    if a["files_superseded"] or a["files_unreadable"] or a["files_skipped"]:
        say(
            "summary_files",
            superseded=a["files_superseded"],
            unreadable=a["files_unreadable"],
            skipped=a["files_skipped"],
        )
    if a["it_files"]:
        say("summary_it", count=a["it_answers_applied"], files=a["it_files"])
    if a.get("it_models_without_network"):
        say("summary_no_network", count=a["it_models_without_network"])
    if a.get("devices_awaiting_it"):
        say("summary_awaiting_it", count=a["devices_awaiting_it"])
    if a["devices_provisional"]:
        say("summary_provisional", count=a["devices_provisional"])
    errors = int((result.problems["severity"] == "error").sum())
    if errors:
        say("summary_errors", count=errors)


@click.command("consolidate", short_help="Build the prioritised map of the fleet.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="OUT.xlsx"
)
@manifest_option("The campaign's campaign.json: adds the campaign follow-up.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the register as CSV.",
)
@click.option(
    "--parquet",
    "parquet_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the register as Parquet (needs pyarrow).",
)
@LANG
@JOBS
@click.option(
    "--include-invalid", is_flag=True, help="Also map the devices of workbooks with errors (marked)."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Any error in a workbook keeps all its devices out of the map (by default each device is "
    "judged on its own row).",
)
@click.option(
    "--plan-by",
    type=click.Choice(["model", "department", "device"]),
    default="model",
    show_default=True,
    help="Action plan rows: one per action and group of devices sharing it (site, department, "
    "manufacturer and model; or site and department), or one per device and action.",
)
@db_option(
    "Also record the campaign in this history: a SQLite file (created when missing) or a "
    "postgresql://user:password@host/database URL; default: the MEDRISK_DB environment variable."
)
@CONTENT
def consolidate_cmd(
    paths: tuple[Path, ...],
    out: Path,
    manifest: Path | None,
    csv_path: Path | None,
    parquet_path: Path | None,
    lang: str | None,
    jobs: int,
    include_invalid: bool,
    strict: bool,
    plan_by: str,
    db: str | None,
    content_dir: Path | None,
) -> None:
    """Consolidate returned workbooks into the prioritised map of the fleet (OUT.xlsx).

    Every return is read and checked as by validate; the register ranks every device by risk
    level, then criticality, then vulnerability. A device is mapped when its own row matches the
    campaign and its answers are complete and valid; a file-level error (unreadable, another
    campaign, not a return) keeps the whole file out, and --strict any error. --include-invalid
    maps what can be scored. Outputs are written atomically.
    """
    # Deferred for start-up time: consolidation loads pandas and openpyxl; not a cycle.
    from medrisk_xl.consolidate import consolidate

    pack = load_pack(content_dir)
    pack.language(lang)  # fail early on an unknown language
    speech = speech_language(lang, pack)
    with progress_bar() as progress:
        result = consolidate(
            paths,
            manifest=manifest,
            pack=pack,
            include_invalid=include_invalid,
            lang=lang,
            jobs=jobs,
            progress=progress,
            plan_by=plan_by,
            strict=strict,
        )
    carried = None
    if db:  # the actions of the previous campaign are carried in before the workbook is written
        # Deferred: the history and its database driver are loaded only with --db; not a cycle.
        from medrisk_xl.history import carry_forward, record

        carried = carry_forward(result, db, pack=pack, manifest=manifest)
    _write_outputs(result, out, csv_path, parquet_path, pack)
    echo_accounting(result, out, speech)
    for path in (csv_path, parquet_path):
        if path:
            click.echo(f"  {path}")
    if carried:
        click.echo(f"  {carried.to_text(speech)}")
        if result.plan_follow_up:
            click.echo("  " + plan_follow_up_text(result.plan_follow_up, speech))
        click.echo(f"  {record(result, db, manifest=manifest, pack=pack).to_text(speech)}")


def _write_outputs(
    result: Any, out: Path, csv_path: Path | None, parquet_path: Path | None, pack: Any
) -> None:
    """The map, then the exports asked for; each return named relative to the folder given."""
    # Deferred for start-up time, as in consolidate_cmd.
    from medrisk_xl.consolidate.exports import write_csv, write_parquet
    from medrisk_xl.consolidate.source_names import named_for_output
    from medrisk_xl.consolidate.workbook import write_consolidated

    shown = named_for_output(result)  # once for the map and the exports
    write_consolidated(shown, out, pack)
    if csv_path:
        write_csv(shown.register, csv_path)
    if parquet_path:
        write_parquet(shown.register, parquet_path)


def plan_follow_up_text(kpis: dict[str, Any], lang: str) -> str:
    """The previous campaign's plan in one line: actions, done, open, overdue."""
    return render(
        "consolidate.plan_follow_up",
        lang,
        campaign=kpis["campaign"],
        on=kpis["on"],
        count=kpis["actions"],
        done=kpis["done"],
        open=kpis["open"],
        overdue=kpis["overdue"],
    )
