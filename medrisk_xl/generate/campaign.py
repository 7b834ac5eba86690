"""Generate a campaign: one protected workbook per department (or site), the IT team's workbook
when it answers the vulnerability items, and campaign.json; all of them, or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medrisk_xl.core.output_folder import MANIFEST, Staging, check_output
from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.generate.campaign_json import campaign_manifest, manifest_entry
from medrisk_xl.generate.campaign_options import Options, check_options, parse_deadline
from medrisk_xl.generate.campaign_plan import plan_campaign, safe_file_stem
from medrisk_xl.generate.carried_answers import check_carried, prefill_carried
from medrisk_xl.generate.central_answers import (
    Central,
    column_answers,
    merge,
    prefill_central,
    read_answers_file,
    rule_answers,
)
from medrisk_xl.generate.inventory import Inventory, read_inventory
from medrisk_xl.generate.it_campaign import check_it_campaign, it_entry, it_plan
from medrisk_xl.generate.mds2_prefill import Mds2Use, match_inventory, prefill_departments
from medrisk_xl.mds2.it_evidence import Mds2Input, add_mds2_evidence, read_mds2
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.it_book import build_it_workbook
from medrisk_xl.workbook.write.plan import WorkbookPlan

__all__ = [  # the library API of generate (the other names stay importable from here)
    "CampaignResult",
    "Options",
    "campaign_manifest",
    "generate",
    "manifest_entry",
    "parse_deadline",
    "plan_campaign",
    "safe_file_stem",
]


Progress = Callable[[int, int], None]  # (workbooks written, workbooks in all)


@dataclass
class CampaignResult:
    outdir: Path
    manifest: dict
    warnings: list[Problem]
    inventory: Inventory | None = None
    mds2: Mds2Use | None = None  # what --mds2 gave
    central: int = 0  # answers pre-filled centrally (--answers, --map COLUMN=Cn, --prefill-rules)
    carried: int = 0  # rows pre-filled with the previous campaign's answers (--previous)


def read_answers(path: Path, pack: ContentPack) -> Central:
    """The answers file, or MedriskError listing every problem of it (exit 1, nothing written)."""
    given, problems = read_answers_file(Path(path), pack)
    if problems:
        raise MedriskError(problems)
    return given


def _central(
    plans: list[tuple[str, WorkbookPlan]],
    inventory: Inventory,
    pack: ContentPack,
    opts: Options,
    given_file: Central,
    criteria_map: dict[str, str],
) -> int:
    """Pre-fill what the biomedical service answered: the answers file, then the mapped columns,
    then the pack's rules; how many answers. Bad mapped values fail the run (nothing written)."""
    columns, problems = column_answers(inventory, criteria_map, pack)
    if problems:
        raise MedriskError(problems)
    created = plans[0][1].created.date()
    rules = rule_answers(inventory, pack, created) if opts.prefill_rules else {}
    return prefill_central(plans, merge(given_file, columns, rules), pack)


def _write_it(
    staging: Staging,
    inventory: Inventory,
    plans: list[tuple[str, WorkbookPlan]],
    pack: ContentPack,
    mds2: Mds2Input | None,
) -> tuple[dict[str, Any], Mds2Use | None]:
    """Write the campaign's IT workbook (the forms' evidence in it); its campaign.json entry, and
    what the forms gave."""
    first = plans[0][1]
    plan = it_plan(inventory, first, pack)
    use = None
    if mds2 is not None:
        report = add_mds2_evidence(plan, mds2, pack)
        use = Mds2Use(report, mds2.forms, sum(1 for row in plan.rows if row.filled), "it")
    texts = pack.language(first.language).ui["it_workbook"]["department"]
    name = safe_file_stem(texts["file"], {stem.casefold() for stem, _ in plans}) + ".xlsx"
    data = build_it_workbook(plan, pack)
    staging.write(name, data)
    return it_entry(name, plan, hashlib.sha256(data).hexdigest()), use


@dataclass
class Inputs:
    """What a campaign is built from, read and checked before anything is written: the inventory,
    the MDS2 forms, the answers file, and the inventory columns mapped to criteria."""

    inventory: Inventory | None
    mds2: Mds2Input | None
    given: Central
    criteria_map: dict[str, str]
    central: list[str]  # the central-answer options given (--answers, --prefill-rules, --map COLUMN=Cn)


def read_inputs(inventory_path: str | Path | None, opts: Options, pack: ContentPack) -> Inputs:
    """Every input of the campaign, each refused with a clear message (nothing written yet)."""
    if opts.mds2 is not None and inventory_path is None:
        raise MedriskError(
            [Problem("bad-option", "--mds2 needs an inventory: forms are matched to its devices")],
            exit_code=2,
        )
    mds2 = read_mds2(opts.mds2, pack, opts.mds2_map) if opts.mds2 else None  # a bad one fails first
    fields_map = {c: t for c, t in opts.mapping.items() if t.upper() not in pack.method.criterion_codes}
    criteria_map = {c: t.upper() for c, t in opts.mapping.items() if c not in fields_map}
    given_options = (("--answers", opts.answers), ("--prefill-rules", opts.prefill_rules))
    central = [name for name, given in (*given_options, ("--map COLUMN=Cn", criteria_map)) if given]
    if central and inventory_path is None:
        why = f"{', '.join(central)} need(s) an inventory: the answers are its devices'"
        raise MedriskError([Problem("bad-option", why)], exit_code=2)
    given = read_answers(opts.answers, pack) if opts.answers else {}
    split = (opts.split_by,) if opts.split_by != "none" else ()
    per = (opts.per,) if opts.per != "device" else ()
    inventory = None
    if inventory_path is not None:
        inventory = read_inventory(
            inventory_path,
            mapping=fields_map,
            require_columns=split + per,
            require_values=split,
            sheet=opts.sheet,
            header_row=opts.header_row,
            include_after_blank=opts.include_after_blank,
            visible_only=opts.visible_only,
        )
    if opts.vulnerability_by == "it":
        check_it_campaign(inventory, opts.layout, pack, opts.lang)
    check_carried(opts, inventory is not None)
    return Inputs(inventory, mds2, given, criteria_map, central)


def generate(
    inventory_path: str | Path | None,
    outdir: str | Path,
    opts: Options | None = None,
    pack: ContentPack | None = None,
    progress: Progress | None = None,
) -> CampaignResult:
    """Generate a campaign into ``outdir``: all workbooks and campaign.json, or nothing.

    ``progress(done, total)`` is called before the first workbook and after each one.
    """
    opts = opts or Options()
    check_options(opts)
    parse_deadline(opts.deadline)  # a bad --deadline fails before anything is read
    check_output(outdir, force=opts.force, inventory=inventory_path)  # fail before the long part
    pack = pack or load_pack()
    inputs = read_inputs(inventory_path, opts, pack)
    inventory, by_it = inputs.inventory, opts.vulnerability_by == "it"
    plans = plan_campaign(inventory, pack, opts)
    central = 0
    if inventory is not None and inputs.central:
        central = _central(plans, inventory, pack, opts, inputs.given, inputs.criteria_map)
    use = None
    if inputs.mds2 is not None and inventory is not None and not by_it:
        report = match_inventory(inventory, inputs.mds2)
        use = Mds2Use(
            report, inputs.mds2.forms, prefill_departments(plans, report, inputs.mds2, pack), "department"
        )
    carried = 0
    if opts.carried is not None and opts.previous:
        carried = prefill_carried(plans, opts.carried, pack, opts.previous)
    staging = Staging(outdir, force=opts.force, inventory=inventory_path)
    try:
        manifest, it_use = _write(staging, plans, opts, pack, inputs, progress)
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    warnings = inventory.warnings if inventory else []
    return CampaignResult(Path(outdir), manifest, warnings, inventory, it_use or use, central, carried)


def _write(
    staging: Staging,
    plans: list[tuple[str, WorkbookPlan]],
    opts: Options,
    pack: ContentPack,
    inputs: Inputs,
    progress: Progress | None,
) -> tuple[dict[str, Any], Mds2Use | None]:
    """Every workbook, then campaign.json, into ``staging``; the manifest, and what the MDS2 forms
    gave the IT workbook."""
    entries = []
    if progress is not None:
        progress(0, len(plans))
    for done, (stem, plan) in enumerate(plans, start=1):
        data = build_workbook(plan, pack)
        name = f"{stem}.xlsx"
        staging.write(name, data)
        entries.append(manifest_entry(name, plan, data))
        if progress is not None:
            progress(done, len(plans))
    manifest = campaign_manifest(plans[0][1], opts, pack, inputs.inventory, entries)
    if opts.previous:
        manifest["previous_campaign"] = opts.previous
    use = None
    if opts.vulnerability_by == "it" and inputs.inventory is not None:
        entry, use = _write_it(staging, inputs.inventory, plans, pack, inputs.mds2)
        manifest |= {"vulnerability_by": "it", "it_workbook": entry}
    staging.write(MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return manifest, use
