"""``medrisk-xl content check``: a content pack proven before distribution."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medrisk_xl.cli.options import FORMAT
from medrisk_xl.cli.progress import progress_bar
from medrisk_xl.cli.speech import speech_language
from medrisk_xl.core.message_templates import render as render_template
from medrisk_xl.core.problems import render
from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.engines import ENGINES
from medrisk_xl.method.pack import check_pack, load_pack


@click.group()
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
    lang = speech_language(None)
    if run_audit and not problems:
        # Deferred for start-up time: the audit loads openpyxl and the engines, not a cycle.
        from medrisk_xl.audit.run import audit_pack

        with progress_bar() as progress:
            report = audit_pack(load_pack(root), engine=engine, progress=progress)
        click.echo(report.to_json(lang) if fmt == "json" else report.to_text(lang))
        sys.exit(0 if report.passed else 1)
    if fmt == "json":
        click.echo(render(problems, "json", lang))
    elif problems:
        click.echo(render_template("content.problems", lang, root=root, count=len(problems)))
        click.echo(render(problems, lang=lang))
    else:
        pack = load_pack(root)
        langs = ", ".join(sorted(pack.languages))
        said = {"pack": f"{pack.method.id} {pack.method.version}", "languages": langs, "hash": pack.hash[:12]}
        click.echo(render_template("content.valid", lang, root=root, **said))
    sys.exit(1 if problems else 0)
