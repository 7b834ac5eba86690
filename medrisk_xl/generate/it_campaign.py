"""The IT workbook a campaign starts with when the IT team answers the vulnerability items
(``generate --vulnerability-by it``): every item for every group of devices of the inventory (a
model on a site, or one device), answered once per group. The department workbooks then ask the
criteria only (:mod:`medrisk_xl.workbook.questions`)."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.generate.inventory import Device, Inventory
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.it_contract import MODES
from medrisk_xl.workbook.write.it_book import check_it_texts
from medrisk_xl.workbook.write.it_plan import DeviceFacts, ItDevice, ItPlan, ItRow, group_devices
from medrisk_xl.workbook.write.plan import WorkbookPlan

IT_MODE = MODES[1]  # it_contract.MODES: every item for every group


def check_it_campaign(inventory: Inventory | None, layout: str, pack: ContentPack, lang: str | None) -> None:
    """Refuse, before anything is written, what an IT campaign cannot be built from (exit 2): no
    inventory (no devices to group), the form layout (not drawn without the items yet), a pack
    without the IT workbook's texts."""
    why = None
    if inventory is None:
        why = "--vulnerability-by it needs an inventory: the IT workbook lists its devices by model"
    elif layout != "grid":
        why = "--vulnerability-by it is offered with --layout grid only (the form layout asks every item)"
    if why:
        raise MedriskError([Problem("bad-option", why)], exit_code=2)
    check_it_texts(pack.language(lang))


def it_plan(inventory: Inventory, first: WorkbookPlan, pack: ContentPack, group_by: str = "model") -> ItPlan:
    """The IT workbook of the campaign whose first department workbook is ``first`` (campaign,
    language, password, dates): one row per group of the inventory's devices and per item."""
    facts = [_facts(device) for device in inventory.devices]
    groups = group_devices(facts, group_by)
    items = pack.method.items
    return ItPlan(
        campaign=first.campaign,
        language=first.language,
        password=first.password,
        created=first.created,
        mode=IT_MODE,
        group_by=group_by,
        groups=groups,
        rows=[ItRow(group, item) for group in groups for item in items],
        contact=first.contact,
        deadline=first.deadline,
    )


def it_entry(name: str, plan: ItPlan, sha256: str) -> dict[str, Any]:
    """campaign.json's ``it_workbook`` entry."""
    return {
        "file": name,
        "mode": plan.mode,
        "group_by": plan.group_by,
        "groups": len(plan.groups),
        "rows": len(plan.rows),
        "device_ids": [d for group in plan.groups for d in group.device_ids],
        "sha256": sha256,
        "password": plan.password,
    }


def _facts(device: Device) -> DeviceFacts:
    return DeviceFacts(
        ItDevice(device.id, device.get("department")),
        device.get("site"),
        device.get("brand"),
        device.get("model"),
    )
