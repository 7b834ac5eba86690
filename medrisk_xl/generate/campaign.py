"""Generate a campaign: one protected workbook per department (or site), and campaign.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.core.output_folder import MANIFEST, Staging, check_output
from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.core.version import __version__
from medrisk_xl.generate.central_answers import (
    Central,
    column_answers,
    merge,
    prefill_central,
    read_answers_file,
    rule_answers,
)
from medrisk_xl.generate.inventory import CE_CLASS_NAMES, Device, Inventory, field_codes, read_inventory
from medrisk_xl.generate.it_campaign import check_it_campaign, it_entry, it_plan
from medrisk_xl.generate.mds2_prefill import Mds2Use, match_inventory, prefill_departments
from medrisk_xl.generate.reproducible import created_at, default_password
from medrisk_xl.mds2.it_evidence import Mds2Input, add_mds2_evidence, read_mds2
from medrisk_xl.method.checks.pack_files import normalize
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.workbook.contract import LAYOUTS, PERS, SPLITS, TYPE_JOIN, VULNERABILITY_BYS
from medrisk_xl.workbook.write.build import build_workbook
from medrisk_xl.workbook.write.it_book import build_it_workbook
from medrisk_xl.workbook.write.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.write.styles import grid_template

BLANK_FIELDS = ("ID", "DESIGNATION", "BRAND", "MODEL", "DEPARTMENT", "SITE")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


@dataclass
class Options:
    campaign: str | None = None
    lang: str | None = None
    layout: str = "grid"
    per: str = "device"
    password: str | None = None
    spare_rows: int | None = None
    split_by: str = "department"
    deadline: str | dt.date | None = None  # dd/mm/yyyy or yyyy-mm-dd text, or a date
    contact: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    force: bool = False
    register: bool | None = None  # risk register sheet and change form (default: with --layout form)
    sheet: str | None = None  # inventory sheet, by name or 1-based number (default: found)
    header_row: int | None = None  # inventory header row (default: found)
    include_after_blank: bool = False  # read inventory rows after the table's first empty row
    visible_only: bool = False  # leave out the inventory's hidden and filtered-out rows
    vulnerability_by: str = "department"  # "it": the IT team answers the items in its own workbook
    mds2: Path | None = None  # a folder of manufacturers' MDS2 forms
    mds2_map: Path | None = None  # CSV (brand, model, form) for the names that do not match
    answers: Path | None = None  # CSV of the biomedical service's answers (device id, criterion, answer)
    prefill_rules: bool = False  # apply the pack's pre-fill rules (prefill.yaml)
    lock_prefilled: bool = False  # pre-filled criterion answers read-only for the departments

    @property
    def with_register(self) -> bool:
        return self.layout == "form" if self.register is None else self.register


Progress = Callable[[int, int], None]  # (workbooks written, workbooks in all)


@dataclass
class CampaignResult:
    outdir: Path
    manifest: dict
    warnings: list[Problem]
    inventory: Inventory | None = None
    mds2: Mds2Use | None = None  # what --mds2 gave
    central: int = 0  # answers pre-filled centrally (--answers, --map COLUMN=Cn, --prefill-rules)


_DATE_FORMS = ((r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"), (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d"))


def parse_deadline(value: str | dt.date | None) -> dt.date | None:
    """The return deadline as a date: French (dd/mm/yyyy) or ISO (yyyy-mm-dd) text, or a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, form in _DATE_FORMS:
        if re.fullmatch(pattern, text):
            try:
                return dt.datetime.strptime(text, form).date()
            except ValueError:
                break
    raise MedriskError(
        [
            Problem(
                "bad-deadline",
                f"--deadline {value!r} is not a valid date (expected dd/mm/yyyy or yyyy-mm-dd, e.g. 18/12/2026)",
            )
        ],
        exit_code=2,
    )


def safe_file_stem(name: str, taken: set[str]) -> str:
    """An ASCII file stem from ``name``, safe on Windows, unique (case-insensitively) within ``taken``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")[:60] or "classeur"
    if stem.lower() in _RESERVED:
        stem = f"{stem}_"
    candidate, n = stem, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _identity_columns(inventory: Inventory, per: str, lang_fields: dict[str, str]) -> list[tuple[str, str]]:
    codes = field_codes()
    cols = [(codes[name], lang_fields[codes[name]]) for name in inventory.fields]
    if per != "device":
        cols.insert(1, ("DEVICE_COUNT", lang_fields["DEVICE_COUNT"]))
        cols.insert(2, ("DEVICE_IDS", lang_fields["DEVICE_IDS"]))
    taken = {c for c, _ in cols}
    for header in inventory.extra_columns:
        code = "X_" + (re.sub(r"[^A-Z0-9]+", "_", normalize(header).upper()).strip("_") or "COL")
        base, n = code, 2
        while code in taken:
            code = f"{base}_{n}"
            n += 1
        taken.add(code)
        cols.append((code, header))
    return cols


def _device_row(device: Device, extra_codes: dict[str, str]) -> SheetRow:
    codes = field_codes()
    identity = {codes[k]: v for k, v in device.fields.items()}
    identity.update({extra_codes[h]: v for h, v in device.extra.items()})
    answers = {"C1": device.ce_answer - 1} if device.ce_answer else {}
    return SheetRow(identity, answers, devices=[device.id])


def _joined(members: list[Device], name: str) -> str:
    """The distinct values of field ``name`` over ``members``, joined with " / ".

    Spellings of one value ("Réa" / "REA ", "Classe III" / "III") are shown once; CE classes by
    their canonical name (I, IIa, IIb, III).
    """
    values: dict[str, str] = {}
    for device in members:
        value = device.get(name)
        if name == "ce_class" and device.ce_answer:
            value = CE_CLASS_NAMES[device.ce_answer]
        if value:
            values.setdefault(normalize(value), value)
    return TYPE_JOIN.join(values.values())


def _type_rows(devices: list[Device], per: str, extra_codes: dict[str, str]) -> list[SheetRow]:
    """One row per CNEH/EMDN code (answers apply to every device of the type); devices
    without the code keep a row of their own."""
    groups: dict[str, list[Device]] = {}
    rows: list[SheetRow] = []
    for device in devices:
        key = device.get(per).strip()
        if key:
            groups.setdefault(key.upper(), []).append(device)
    for members in groups.values():
        identity: dict[str, str] = {
            "ID": f"{per.upper()}:{members[0].get(per).strip()}",
            per.upper(): members[0].get(per).strip(),
            "DEVICE_COUNT": str(len(members)),
            "DEVICE_IDS": ", ".join(d.id for d in members),
        }
        for name, code in (
            ("designation", "DESIGNATION"),
            ("brand", "BRAND"),
            ("model", "MODEL"),
            ("department", "DEPARTMENT"),
            ("site", "SITE"),
            ("ce_class", "CE_CLASS"),
        ):
            identity[code] = _joined(members, name)
        classes = {d.ce_answer for d in members}
        answers = {"C1": classes.pop() - 1} if len(classes) == 1 and None not in classes else {}
        rows.append(SheetRow(identity, answers, devices=[d.id for d in members]))
    for device in devices:
        if not device.get(per).strip():
            row = _device_row(device, extra_codes)
            row.identity.update({"DEVICE_COUNT": "1", "DEVICE_IDS": device.id})
            rows.append(row)
    return rows


def _common_plan_fields(language: Language, opts: Options) -> dict[str, Any]:
    """The plan fields every workbook of the campaign shares: name, password, dates, options."""
    created = created_at()
    prefix = language.ui.get("campaign_prefix", "campaign")
    campaign = opts.campaign or f"{prefix}-{created:%Y-%m-%d}"
    return {
        "campaign": campaign,
        "language": language.code,
        "password": opts.password or default_password(campaign),
        "created": created,
        "contact": opts.contact,
        "deadline": parse_deadline(opts.deadline),
        "per": opts.per,
        "layout": opts.layout,
        "split_by": opts.split_by,
        "register": opts.with_register,
        "vulnerability_by": opts.vulnerability_by,
        "lock_prefilled": opts.lock_prefilled,
    }


def _split_groups(devices: list[Device], split_by: str) -> tuple[dict[str, list[Device]], dict[str, str]]:
    """Devices by normalized split value, and the name of each group.

    Split values that differ only by case, accents or spacing ("Réa" / "REA ") are one group,
    named after their first spelling.
    """
    groups: dict[str, list[Device]] = {}
    names: dict[str, str] = {}
    for device in devices:
        value = "" if split_by == "none" else device.get(split_by)
        names.setdefault(normalize(value), value)
        groups.setdefault(normalize(value), []).append(device)
    return groups, names


def plan_campaign(
    inventory: Inventory | None, pack: ContentPack, opts: Options
) -> list[tuple[str, WorkbookPlan]]:
    """Plans of every workbook of the campaign, with their file stems."""
    language = pack.language(opts.lang)
    fields_ui = language.ui["fields"]
    template = grid_template()
    common = _common_plan_fields(language, opts)
    campaign = common["campaign"]
    if inventory is None:
        default = template["rows"]["blank_forms" if opts.layout == "form" else "blank"]
        n = opts.spare_rows if opts.spare_rows is not None else default
        identity = [(code, fields_ui[code]) for code in BLANK_FIELDS]
        plan = WorkbookPlan(
            department=None,
            site=None,
            identity=identity,
            rows=[SheetRow({}, spare=True) for _ in range(max(n, 1))],
            scope=campaign,
            **common,
        )
        return [(safe_file_stem(campaign, set()), plan)]
    if opts.spare_rows is not None:
        spare = opts.spare_rows
    else:
        spare = 0 if opts.layout == "form" else template["rows"]["spare"]
    identity = _identity_columns(inventory, opts.per, fields_ui)
    extra_codes = dict(zip(inventory.extra_columns, [c for c, _ in identity if c.startswith("X_")]))
    groups, names = _split_groups(inventory.devices, opts.split_by)
    plans = []
    taken: set[str] = set()
    for norm in sorted(groups):
        devices, key = groups[norm], names[norm]
        rows = (
            _type_rows(devices, opts.per, extra_codes)
            if opts.per != "device"
            else [_device_row(d, extra_codes) for d in devices]
        )
        split_code = {"department": "DEPARTMENT", "site": "SITE"}.get(opts.split_by)
        spare_identity = {split_code: key} if key and split_code in dict(identity) else {}
        rows += [SheetRow(dict(spare_identity), spare=True) for _ in range(spare)]
        sites = sorted({d.get("site") for d in devices if d.get("site")})
        plan = WorkbookPlan(
            department=key if opts.split_by == "department" else None,
            site=key if opts.split_by == "site" else (sites[0] if len(sites) == 1 else None),
            identity=identity,
            rows=rows,
            scope=key or campaign,
            **common,
        )
        plans.append((safe_file_stem(key or campaign, taken), plan))
    return plans


def manifest_entry(name: str, plan: WorkbookPlan, data: bytes) -> dict[str, Any]:
    """The campaign.json entry of one written workbook."""
    return {
        "file": name,
        "scope": plan.scope,
        "department": plan.department,
        "site": plan.site,
        "rows": len(plan.rows),
        "device_ids": plan.device_ids,
        "sha256": hashlib.sha256(data).hexdigest(),
        "password": plan.password,
    }


def campaign_manifest(
    first: WorkbookPlan, opts: Options, pack: ContentPack, inventory: Inventory | None, entries: list[dict]
) -> dict:
    """campaign.json: the campaign (from its first workbook's plan and the options), the content
    pack, and one entry per workbook (:func:`manifest_entry`)."""
    return {
        "schema_version": 1,
        "campaign": first.campaign,
        "created": first.created.isoformat(timespec="seconds"),
        "deadline": first.deadline.isoformat() if first.deadline else None,
        "contact": first.contact,
        "generator": {"name": "medrisk-xl", "version": __version__},
        "content": {"id": pack.method.id, "version": pack.method.version, "hash": pack.hash},
        "language": first.language,
        "layout": opts.layout,
        **({"lock_prefilled": True} if opts.lock_prefilled else {}),
        "register": opts.with_register,
        "per": opts.per,
        "split_by": opts.split_by,
        "inventory": inventory.source if inventory else None,
        "inventory_read": inventory.summary() if inventory else None,
        "password": first.password,
        "workbooks": entries,
    }


def check_options(opts: Options) -> None:
    """Refuse a split, per or layout not offered, and an empty password (exit code 2)."""
    for value, allowed, name in (
        (opts.split_by, SPLITS, "split-by"),
        (opts.per, PERS, "per"),
        (opts.layout, LAYOUTS, "layout"),
        (opts.vulnerability_by, VULNERABILITY_BYS, "vulnerability-by"),
    ):
        if value not in allowed:
            raise MedriskError(
                [Problem("bad-option", f"--{name} must be one of {', '.join(allowed)}")], exit_code=2
            )
    if opts.password is not None and not opts.password.strip():
        raise MedriskError(
            [Problem("bad-option", "--password must not be empty (omit it for a random password)")],
            exit_code=2,
        )


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
    if opts.mds2 is not None and inventory_path is None:
        raise MedriskError(
            [Problem("bad-option", "--mds2 needs an inventory: forms are matched to its devices")],
            exit_code=2,
        )
    mds2 = read_mds2(opts.mds2, pack, opts.mds2_map) if opts.mds2 else None  # a bad one fails first
    fields_map = {c: t for c, t in opts.mapping.items() if t.upper() not in pack.method.criterion_codes}
    criteria_map = {c: t.upper() for c, t in opts.mapping.items() if c not in fields_map}
    central_needs = [
        name
        for name, given in (
            ("--answers", opts.answers),
            ("--prefill-rules", opts.prefill_rules),
            ("--map COLUMN=Cn", criteria_map),
        )
        if given
    ]
    if central_needs and inventory_path is None:
        raise MedriskError(
            [
                Problem(
                    "bad-option",
                    f"{', '.join(central_needs)} need(s) an inventory: the answers are its devices'",
                )
            ],
            exit_code=2,
        )
    given_file = read_answers(opts.answers, pack) if opts.answers else {}
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
    by_it = opts.vulnerability_by == "it"
    if by_it:
        check_it_campaign(inventory, opts.layout, pack, opts.lang)
    plans = plan_campaign(inventory, pack, opts)
    central = 0
    if inventory is not None and central_needs:
        central = _central(plans, inventory, pack, opts, given_file, criteria_map)
    use = None
    if mds2 is not None and inventory is not None and not by_it:
        report = match_inventory(inventory, mds2)
        use = Mds2Use(report, mds2.forms, prefill_departments(plans, report, mds2, pack), "department")
    staging = Staging(outdir, force=opts.force, inventory=inventory_path)
    try:
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
        manifest = campaign_manifest(plans[0][1], opts, pack, inventory, entries)
        if by_it and inventory is not None:
            entry, use = _write_it(staging, inventory, plans, pack, mds2)
            manifest |= {"vulnerability_by": "it", "it_workbook": entry}
        staging.write(MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    return CampaignResult(
        Path(outdir), manifest, inventory.warnings if inventory else [], inventory, use, central
    )
