"""The ``medrisk-xl`` command line: a thin wrapper over the library API."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from medrisk_xl import __version__
from medrisk_xl.cli_history import actions, compare_cmd, db_option, history
from medrisk_xl.cli_options import FORMAT, LANG
from medrisk_xl.engines import ENGINES
from medrisk_xl.output import reason
from medrisk_xl.pack import ContentPack, check_pack, load_pack
from medrisk_xl.problems import MedriskError, Problem, render
from medrisk_xl.resources import shipped_content_dir
from medrisk_xl.scorer import Result, score
from medrisk_xl.workbook.contract import LAYOUTS, PERS, SPLITS

CONTENT = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this site content pack instead of the shipped one.",
)
JOBS = click.option(
    "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Files read in parallel."
)


def manifest_option(help_text: str) -> Callable:
    """The --manifest option (the campaign's campaign.json), with what it adds to a command."""
    return click.option(
        "--manifest",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        default=None,
        help=help_text,
    )


class SafeGroup(click.Group):
    """The top-level group: any error reaches the user as a clear message and an exit code, never
    a traceback (``--debug`` shows the traceback of unexpected errors)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except MedriskError as exc:  # an expected problem with the input: listed, exit 1 or 2
            click.echo(render(exc.problems), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if ctx.params.get("debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"{where}{reason(exc)} [os-error]", err=True)
            ctx.exit(1)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"internal error: {exc.__class__.__name__}: {exc} (run again with --debug for the "
                "traceback, and please report it)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medrisk-xl")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Map the cyber risk of a medical device fleet with Excel workbooks.

    Criticality (MACE, 9 criteria, /36) x digital vulnerability (AFIB, 10 items, /10)
    -> risk level and action plan. Method: IDS213, DOI 10.34746/ids213.
    """


@cli.group()
def content() -> None:
    """Inspect and check content packs (the method as data)."""


@content.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@FORMAT
@click.option(
    "--audit",
    "run_audit",
    is_flag=True,
    help="Also generate a workbook from the pack in each layout and language and audit it.",
)
@click.option(
    "--engine",
    type=click.Choice([*ENGINES, "all"]),
    default="all",
    show_default=True,
    help="With --audit: the engines of the dynamic audit.",
)
def content_check(directory: Path | None, fmt: str, run_audit: bool, engine: str) -> None:
    """Validate a content pack (the shipped one by default).

    With --audit, a workbook generated from the pack (each layout and language) is audited too, so
    that a site's thresholds or matrix are proven before distribution. Exit 0 when valid (and the
    audit passes); 1 with every problem listed otherwise.
    """
    root = directory or shipped_content_dir()
    problems = check_pack(root)
    if run_audit and not problems:
        from medrisk_xl.audit.run import audit_pack

        with _progress() as progress:
            report = audit_pack(load_pack(root), engine=engine, progress=progress)
        click.echo(report.to_json() if fmt == "json" else report.to_text())
        sys.exit(0 if report.passed else 1)
    if fmt == "json":
        click.echo(render(problems, "json"))
    elif problems:
        click.echo(f"{root}: {len(problems)} problem(s)")
        click.echo(render(problems))
    else:
        pack = load_pack(root)
        langs = ", ".join(sorted(pack.languages))
        click.echo(
            f"{root}: valid content pack {pack.method.id} {pack.method.version} "
            f"(languages: {langs}; hash {pack.hash[:12]})"
        )
    sys.exit(1 if problems else 0)


def _parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    answers: dict[str, str] = {}
    problems = []
    for pair in pairs:
        code, sep, value = pair.partition("=")
        code = code.strip().upper()
        if not sep or not code:
            problems.append(Problem("bad-argument", f"{pair!r} is not CODE=VALUE (e.g. C1=2 or V3=OUI)"))
        elif code in answers:
            problems.append(Problem("duplicate-code", f"{code} is given twice", path=code))
        else:
            answers[code] = value
    if problems:
        raise MedriskError(problems, exit_code=2)
    return answers


def _result_text(result: Result, pack: ContentPack, lang: str | None) -> str:
    language = pack.language(lang)
    labels = language.labels
    data = result.to_dict(pack, lang)
    word = labels["terms"]["level"]
    lines = []
    for axis, unit in (
        ("criticality", labels["criticality"]["score_unit"]),
        ("vulnerability", labels["vulnerability"]["score_unit"]),
    ):
        name = labels[axis]["short"]
        if data[f"{axis}_score"] is None:
            lines.append(f"{name}: —")
        else:
            lines.append(
                f"{name}: {data[f'{axis}_score']}{unit} — {word} {data[f'{axis}_level']} "
                f"({data[f'{axis}_level_label']})"
            )
    risk = data["risk_level"]
    lines.append(f"{labels['risk']['short']}: " + (f"{risk} — {data['risk_level_label']}" if risk else "—"))
    terms = labels["terms"]
    lines.append(f"{terms['status']}: {data['status_label']}")
    for key in ("missing", "unknown_items", "non_compliant_items"):
        if data[key]:
            lines.append(f"{terms[key]}: {', '.join(data[key])}")
    return "\n".join(lines)


@cli.command("score")
@click.argument("answers", nargs=-1, metavar="CODE=VALUE...")
@FORMAT
@LANG
@CONTENT
def score_cmd(answers: tuple[str, ...], fmt: str, lang: str | None, content_dir: Path | None) -> None:
    """Score one device from its answers.

    Criticality C1..C9: points 1-4 or the answer's label. Vulnerability V1..V10:
    OUI/NON/NSP (also YES/NO/UNKNOWN). A missing answer leaves the device incomplete:
    no score, no level, no risk.

    Example: medrisk-xl score C1=2 C2=3 C3=1 C4=2 C5=2 C6=3 C7=2 C8=2 C9=4
    V1=OUI V2=NON V3=OUI V4=OUI V5=NSP V6=OUI V7=OUI V8=NON V9=OUI V10=NON
    """
    pack = load_pack(content_dir)
    pack.language(lang)  # fail early on an unknown language
    result = score(_parse_pairs(answers), pack)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(pack, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(_result_text(result, pack, lang))


def _parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise MedriskError([Problem("bad-argument", f"--map {pair!r} is not COLUMN=field")], exit_code=2)
        mapping[column.strip()] = name.strip()
    return mapping


@cli.command("generate", short_help="Generate the campaign's protected workbooks.")
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
    "ce_class, cneh, emdn, commissioning_date). Repeatable.",
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
    campaign: str | None,
    lang: str | None,
    content_dir: Path | None,
    layout: str,
    per: str,
    password: str | None,
    spare_rows: int | None,
    split_by: str,
    deadline: str | None,
    contact: str | None,
    mapping: tuple[str, ...],
    sheet: str | None,
    header_row: int | None,
    include_after_blank: bool,
    visible_only: bool,
    register: bool | None,
    force: bool,
) -> None:
    """Generate protected assessment workbooks from a device inventory (CSV, XLSX, XLS or ODS).

    Without INVENTORY, writes one blank workbook whose identity cells are editable.
    """
    from medrisk_xl.campaign import Options, generate

    pack = load_pack(content_dir)
    opts = Options(
        campaign=campaign,
        lang=lang,
        layout=layout,
        per=per,
        password=password,
        spare_rows=spare_rows,
        split_by=split_by,
        deadline=deadline,
        contact=contact,
        mapping=_parse_map(mapping),
        force=force,
        register=register,
        sheet=sheet,
        header_row=header_row,
        include_after_blank=include_after_blank,
        visible_only=visible_only,
    )
    with _progress() as progress:
        result = generate(inventory, outdir, opts, pack, progress=progress)
    for warning in result.warnings:
        click.echo(f"warning: {warning.to_text()}", err=True)
    if result.inventory is not None:
        click.echo(f"inventory: {result.inventory.summary_text()}")
    books = result.manifest["workbooks"]
    rows = sum(len(b["device_ids"]) for b in books)
    click.echo(
        f"{result.outdir}: {len(books)} workbook(s), {rows} device(s), campaign {result.manifest['campaign']}"
    )
    for book in books:
        click.echo(f"  {book['file']}  ({book['scope']}, {len(book['device_ids'])} device(s))")
    click.echo(f"  campaign.json (sheet password: {result.manifest['password']})")


@cli.command("validate", short_help="Check returned workbooks, recompute scores.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT
@manifest_option("The campaign's campaign.json: checks campaign, device lists and passwords.")
@JOBS
@CONTENT
def validate_cmd(
    paths: tuple[Path, ...], fmt: str, manifest: Path | None, jobs: int, content_dir: Path | None
) -> None:
    """Validate returned workbooks (files or folders searched for .xlsx, .xlsm, .ods).

    Reads what was answered with the workbook's own matching rule, recomputes every score with
    the reference scorer, and lists each problem with its code, severity and cell. Exit 0 when
    no file has an error (warnings allowed), 1 otherwise. Files are never modified.
    """
    from medrisk_xl.validate import validate

    pack = load_pack(content_dir)
    with _progress() as progress:
        report = validate(paths, manifest=manifest, pack=pack, progress=progress, jobs=jobs)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(0 if not any(f.errors for f in report.files) else 1)


@cli.command("consolidate", short_help="Build the prioritised map of the fleet.")
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
    db: str | None,
    content_dir: Path | None,
) -> None:
    """Consolidate returned workbooks into the prioritised map of the fleet (OUT.xlsx).

    Every return is read and checked as by validate; the register ranks every device by risk
    level, then criticality, then vulnerability. Devices of workbooks with errors are listed but
    not mapped unless --include-invalid. Outputs are written atomically.
    """
    from medrisk_xl.consolidate import consolidate
    from medrisk_xl.consolidated_workbook import write_consolidated
    from medrisk_xl.exports import write_csv, write_parquet

    pack = load_pack(content_dir)
    pack.language(lang)  # fail early on an unknown language
    with _progress() as progress:
        result = consolidate(
            paths,
            manifest=manifest,
            pack=pack,
            include_invalid=include_invalid,
            lang=lang,
            jobs=jobs,
            progress=progress,
        )
    carried = None
    if db:
        from medrisk_xl.history import carry_forward

        carried = carry_forward(result, db, pack=pack, manifest=manifest)
    write_consolidated(result, out, pack)
    if csv_path:
        write_csv(result.register, csv_path)
    if parquet_path:
        write_parquet(result.register, parquet_path)
    a = result.accounting
    click.echo(
        f"{out}: {a['devices_in_map']} device(s) mapped, {a['devices_in_register']} in the register, "
        f"from {a['files_used']} workbook(s) ({a['rows_in']} row(s) read)"
    )
    if a["files_superseded"] or a["files_unreadable"] or a["files_skipped"]:
        click.echo(
            f"  {a['files_superseded']} superseded by a newer return, {a['files_unreadable']} unreadable, "
            f"{a['files_skipped']} skipped (not a workbook)"
        )
    errors = int((result.problems["severity"] == "error").sum())
    if errors:
        click.echo(f"  {errors} error(s) in the returns: see the problems sheet (or medrisk-xl validate)")
    for path in (csv_path, parquet_path):
        if path:
            click.echo(f"  {path}")
    if carried:
        from medrisk_xl.history import record

        click.echo(f"  {carried.to_text()}")
        click.echo(f"  {record(result, db, manifest=manifest, pack=pack).to_text()}")


@cli.command("audit", short_help="Prove that workbooks compute the method.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice([*ENGINES, "all"]),
    default="all",
    show_default=True,
    help="Engines that recalculate the probes (all: those installed, the others listed).",
)
@FORMAT
@click.option(
    "--samples",
    type=click.IntRange(0, 100_000),
    default=50,
    show_default=True,
    help="Random devices added to the covering set.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the random devices.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write an evidence report (.md or .xlsx).",
)
@CONTENT
def audit_cmd(
    paths: tuple[Path, ...],
    engine: str,
    fmt: str,
    samples: int,
    seed: int,
    report_path: Path | None,
    content_dir: Path | None,
) -> None:
    """Audit workbooks (templates, site packs' workbooks or returns) against the method.

    Static audit: every formula, dropdown, lock, name and list-sheet value compared with what the
    generator writes for the workbook (from its _meta). Dynamic audit: private copies filled with a
    covering set of answers (every score sum, option and matrix cell, NE SAIT PAS, incomplete rows,
    pasted values, random devices), recalculated in LibreOffice, Gnumeric and the Python engine
    'formulas', every computed cell compared with the reference scorer. Exit 0 only when both
    pass. Inputs are never modified.
    """
    from medrisk_xl.audit import audit
    from medrisk_xl.audit.evidence import SUFFIXES

    if report_path and report_path.suffix.lower() not in SUFFIXES:
        raise MedriskError(
            [Problem("bad-argument", f"--report {report_path}: the report is .md or .xlsx")], 2
        )
    pack = load_pack(content_dir)
    with _progress() as progress:
        report = audit(paths, pack=pack, engine=engine, samples=samples, seed=seed, progress=progress)
    if not report.files:
        raise MedriskError([Problem("no-workbook", "no .xlsx workbook found in the paths given")], 2)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    if report_path:
        report.write(report_path)
        if fmt == "text":
            click.echo(f"evidence report: {report_path}")
    sys.exit(0 if report.passed else 1)


def stderr_is_terminal() -> bool:
    """Whether progress goes to a terminal (tests replace it to see the progress lines)."""
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not stderr_is_terminal():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="workbooks", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


cli.add_command(history)
cli.add_command(actions)
cli.add_command(compare_cmd)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="medrisk-xl")


if __name__ == "__main__":  # pragma: no cover
    main()
