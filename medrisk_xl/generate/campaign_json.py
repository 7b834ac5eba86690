"""campaign.json: the campaign, its content pack, and every workbook written (file, scope, device
ids, sha256, password), which validate and consolidate check the returns against."""

from __future__ import annotations

import hashlib
from typing import Any

from medrisk_xl.core.version import __version__
from medrisk_xl.generate.campaign_options import Options
from medrisk_xl.generate.inventory import Inventory
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.write.plan import WorkbookPlan


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
