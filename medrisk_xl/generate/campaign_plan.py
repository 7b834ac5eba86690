"""What each workbook of a campaign holds: the inventory split by department (or site), one row per
device (or device type), its identity and pre-filled C1, and the file names."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from medrisk_xl.generate.campaign_options import Options, parse_deadline
from medrisk_xl.generate.inventory import CE_CLASS_NAMES, Device, Inventory, field_codes
from medrisk_xl.generate.reproducible import created_at, default_password
from medrisk_xl.method.checks.pack_files import normalize
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.contract import TYPE_JOIN
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
