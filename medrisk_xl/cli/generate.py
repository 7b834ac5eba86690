"""``medrisk-xl generate``: the campaign's protected workbooks from a device inventory, through
:func:`medrisk_xl.generate.campaign.generate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from medrisk_xl.cli.mds2 import echo_mds2
from medrisk_xl.cli.options import CONTENT, LANG, MDS2, MDS2_MAP, db_option
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.method.pack import load_pack
from medrisk_xl.workbook.contract import LAYOUTS, PERS, SPLITS, VULNERABILITY_BYS

if TYPE_CHECKING:
    from medrisk_xl.generate.campaign import CampaignResult


def parse_column_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """The inventory columns renamed by ``--map COLUMN=field`` (the last ``=`` splits, so a
    column name may hold one)."""
    mapping = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise MedriskError([Problem("bad-argument", msg("generate.bad-map", pair=pair))], exit_code=2)
        mapping[column.strip()] = name.strip()
    return mapping


def echo_summary(result: CampaignResult, lang: str | None = None) -> None:
    """What was generated: the inventory read (its warnings in ``lang``), then one line per
    workbook and the password."""
    for warning in result.warnings:
        click.echo(f"{render('severity.warning', lang)}: {warning.to_text(lang)}", err=True)
    if result.inventory is not None:
        click.echo(render("generate.inventory_line", lang, summary=result.inventory.summary_text(lang)))
    manifest = result.manifest
    books = manifest["workbooks"]
    rows = sum(len(b["device_ids"]) for b in books)
    said = {"count": len(books), "devices": rows, "campaign": manifest["campaign"]}
    click.echo(render("generate.summary", lang, folder=result.outdir, **said))
    for book in books:
        said = {"file": book["file"], "scope": book["scope"], "count": len(book["device_ids"])}
        click.echo("  " + render("generate.workbook", lang, **said))
    it = manifest.get("it_workbook")
    if it:
        click.echo(
            "  " + render("generate.it_workbook", lang, file=it["file"], groups=it["groups"], rows=it["rows"])
        )
    click.echo("  " + render("generate.password", lang, password=manifest["password"]))
    if result.central:
        click.echo("  " + render("generate.central", lang, count=result.central))
    if result.carried:
        said = {"count": result.carried, "campaign": manifest["previous_campaign"]}
        click.echo("  " + render("generate.carried", lang, **said))
    use = result.mds2
    if use is not None:
        what = "mds2.prefilled.it" if use.where == "it" else "mds2.prefilled.department"
        echo_mds2(use.report, use.forms, render(what, lang, count=use.prefilled), "inventory", lang)


@click.command("generate", short_help="Generate the campaign's protected workbooks.")
@click.argument("inventory", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder that receives the workbooks and campaign.json (created; must be empty).",
)
@click.option(
    "--campaign",
    default=None,
    help="Campaign id (default: campagne-YYYY-MM-DD, or campaign-YYYY-MM-DD with --lang en).",
)
@LANG
@CONTENT
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default=LAYOUTS[0],
    show_default=True,
    help="grid: one row per device; form: one questionnaire sheet per device (assessment at purchase).",
)
@click.option(
    "--vulnerability-by",
    type=click.Choice(VULNERABILITY_BYS),
    default=VULNERABILITY_BYS[0],
    show_default=True,
    help="Who answers the 10 vulnerability items: each department in its workbook (the seed's single "
    "questionnaire), or the IT team once per model in its own workbook, written beside them "
    "(recommended beyond a few dozen devices).",
)
@MDS2
@MDS2_MAP
@click.option(
    "--answers",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="CSV of the biomedical service's answers (device id, criterion C1-C9, answer): pre-filled, "
    "editable, each cell's note naming the file.",
)
@click.option(
    "--prefill-rules",
    is_flag=True,
    help="Pre-fill criteria by the content pack's rules (prefill.yaml: C2 from the commissioning date, "
    "C3 from a failure count): a site's proposal, not the method.",
)
@db_option(
    "The history that --previous reads (a SQLite file, a folder or a PostgreSQL URL); default: the "
    "MEDRISK_DB environment variable. The password is never shown."
)
@click.option(
    "--previous",
    metavar="CAMPAIGN",
    default=None,
    help="Year two: pre-fill each device's answers from this recorded campaign (matched by device id), "
    "marked to check; a REVIEWED column lets a department confirm a row in one step.",
)
@click.option(
    "--lock-prefilled",
    is_flag=True,
    help="Make every pre-filled criterion answer (CE class, --answers, --map, --prefill-rules) read-only "
    "for the departments; the start sheet's time estimate counts what is left.",
)
@click.option(
    "--per",
    type=click.Choice(PERS),
    default=PERS[0],
    show_default=True,
    help="One row per device, or per CNEH / EMDN code (answers apply to every device of the code).",
)
@click.option(
    "--password",
    default=None,
    help="Sheet password, not empty (default: a random one per campaign, kept in campaign.json; "
    "derived from SOURCE_DATE_EPOCH and the campaign id when that is set).",
)
@click.option(
    "--spare-rows",
    type=click.IntRange(0, 5000),
    default=None,
    help="Free rows for devices missing from the inventory (default 10; 50 rows for a blank workbook).",
)
@click.option(
    "--split-by",
    type=click.Choice(SPLITS),
    default=SPLITS[0],
    show_default=True,
    help="One workbook per department, per site, or one for all.",
)
@click.option(
    "--deadline",
    default=None,
    metavar="DATE",
    help="Return deadline shown on the start sheet: dd/mm/yyyy or yyyy-mm-dd.",
)
@click.option("--contact", default=None, help="Who to return the workbook to (shown on the start sheet).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=field",
    help="Read inventory column COLUMN as field (device_id, designation, brand, model, department, site, "
    'ce_class, cneh, emdn, commissioning_date), or as the answers to a criterion ("Vétusté=C2": '
    "pre-filled, editable). Repeatable.",
)
@click.option(
    "--sheet",
    default=None,
    metavar="NAME|N",
    help="Inventory sheet, by name or number (default: the first sheet with a header row).",
)
@click.option(
    "--header-row",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Inventory header row (default: the first of the first 30 rows holding the device id column "
    "and another known column).",
)
@click.option(
    "--include-after-blank",
    is_flag=True,
    help="Also read the inventory rows after the table's first empty row (by default ignored, with a warning).",
)
@click.option(
    "--visible-only",
    is_flag=True,
    help="Leave out the inventory's hidden and filtered-out rows (by default read, with a warning).",
)
@click.option(
    "--register/--no-register",
    default=None,
    help="Add the IEC 80001-2-1 risk register sheet and the change form (default: with --layout form).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a previous campaign's output (a folder holding only campaign.json and its workbooks).",
)
def generate_cmd(
    inventory: Path | None,
    outdir: Path,
    content_dir: Path | None,
    mapping: tuple[str, ...],
    **options: Any,
) -> None:
    """Generate protected assessment workbooks from a device inventory (CSV, XLSX, XLS or ODS).

    Without INVENTORY, writes one blank workbook whose identity cells are editable.
    """
    # Every other option is the field of campaign.Options of the same name.
    # Deferred for start-up time: generation loads openpyxl and the inventory readers, not a cycle.
    from medrisk_xl.generate.campaign import Options, generate

    pack = load_pack(content_dir)
    speech = speech_language(options["lang"], pack)
    db = options.pop("db")
    if options["previous"] is not None:  # read (an unknown campaign refused) before the long part
        # Deferred: the history and its database driver are loaded only with --previous; not a cycle.
        from medrisk_xl.history.recorded_answers import carried_answers

        options["carried"] = carried_answers(db, options["previous"], pack)
    opts = Options(mapping=parse_column_map(mapping), **options)
    with progress_bar() as progress:
        result = generate(inventory, outdir, opts, pack, progress=progress)
    echo_summary(result, speech)
