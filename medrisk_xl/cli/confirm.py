"""``medrisk-xl confirm``: the IT workbook of the items the departments answered "don't know",
through :func:`medrisk_xl.confirm.confirm`."""

from __future__ import annotations

from pathlib import Path

import click

from medrisk_xl.cli.mds2 import echo_mds2
from medrisk_xl.cli.options import CONTENT, JOBS, LANG, MDS2, MDS2_MAP, db_option, manifest_option
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.method.pack import load_pack
from medrisk_xl.workbook.it_contract import GROUP_BYS


@click.command("confirm", short_help="Ask the IT team the items departments could not answer.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="OUT.xlsx"
)
@manifest_option("The campaign's campaign.json: its password, contact and deadline.")
@click.option(
    "--group-by",
    type=click.Choice(GROUP_BYS),
    default=GROUP_BYS[0],
    show_default=True,
    help="One row per site, manufacturer and model and item, or per device and item.",
)
@click.option("--deadline", default=None, metavar="DATE", help="Return deadline: dd/mm/yyyy or yyyy-mm-dd.")
@click.option("--contact", default=None, help="Who to return the IT workbook to.")
@MDS2
@MDS2_MAP
@db_option(
    "A history (SQLite file or postgresql:// URL): show what earlier campaigns answered per model, as a hint."
)
@LANG
@JOBS
@CONTENT
def confirm_cmd(
    paths: tuple[Path, ...],
    out: Path,
    manifest: Path | None,
    group_by: str,
    deadline: str | None,
    contact: str | None,
    lang: str | None,
    jobs: int,
    mds2: Path | None,
    mds2_map: Path | None,
    db: str | None,
    content_dir: Path | None,
) -> None:
    """Build the IT workbook (OUT.xlsx) from the returns: one row per model (or device) and
    vulnerability item that a department answered NE SAIT PAS, for the IT team to answer once.

    Returns are read as consolidate reads them. Put the filled IT workbook among the returns given
    to consolidate: its answers replace NE SAIT PAS.
    """
    # Deferred for start-up time: confirm loads pandas; not a cycle.
    from medrisk_xl.confirm import ConfirmOptions, add_mds2_evidence, confirm, read_mds2, write_it_workbook
    from medrisk_xl.generate.campaign import parse_deadline
    from medrisk_xl.validate import collect

    if out.suffix.lower() != ".xlsx":
        raise MedriskError([Problem("bad-argument", msg("confirm.not-xlsx", path=str(out)))], exit_code=2)
    returns, _ = collect(paths)  # the files given, and those found in the folders given
    if out.resolve() in {p.resolve() for p in returns}:
        raise MedriskError([Problem("bad-argument", msg("confirm.overwrite", path=str(out)))], exit_code=2)
    pack = load_pack(content_dir)
    pack.language(lang)  # fail early on an unknown language
    speech = speech_language(lang, pack)
    options = ConfirmOptions(group_by, lang, None, contact, parse_deadline(deadline), db)
    forms = read_mds2(mds2, pack, mds2_map) if mds2 else None  # a bad form folder or map fails first
    with progress_bar() as progress:
        plan, result = confirm(
            paths, manifest=manifest, pack=pack, options=options, jobs=jobs, progress=progress
        )
    matched = add_mds2_evidence(plan, forms, pack) if forms is not None else None
    write_it_workbook(plan, out, pack)
    devices = sum(len(g.devices) for g in plan.groups)
    unknown = sum(1 for g in plan.groups for d in g.devices if d.unknown)
    said = {"rows": len(plan.rows), "groups": len(plan.groups), "devices": devices, "unknown": unknown}
    click.echo(render("confirm.summary", speech, path=out, files=result.accounting["files_used"], **said))
    if forms is not None and matched is not None:
        prefilled = sum(1 for row in plan.rows if row.filled)
        echo_mds2(matched, forms.forms, render("mds2.prefilled.it", speech, count=prefilled), "asked", speech)
    errors = int((result.problems["severity"] == "error").sum())
    if errors:
        click.echo("  " + render("confirm.errors", speech, count=errors))
