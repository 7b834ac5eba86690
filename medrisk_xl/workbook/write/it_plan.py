"""What one IT workbook holds, independent of how it is drawn: the groups of devices and one row
per group and vulnerability item (see :mod:`medrisk_xl.workbook.it_contract`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.workbook.it_contract import GROUP_ID_FORMAT, group_key


@dataclass(frozen=True)
class ItDevice:
    """One device of a group: its id, its department, and the items its department answered
    "don't know" (confirm mode) when the workbook was built."""

    device_id: str
    department: str
    unknown: tuple[str, ...] = ()


@dataclass
class ItGroup:
    """Devices the IT team answers for at once: one site, manufacturer and model, or one device."""

    group: str  # its id (it_contract.GROUP_ID_FORMAT)
    site: str
    brand: str
    model: str
    devices: list[ItDevice]

    @property
    def device_ids(self) -> list[str]:
        return [d.device_id for d in self.devices]


@dataclass
class ItRow:
    """One answer row: a group and a vulnerability item."""

    group: ItGroup
    item: str
    department_answers: str = ""  # confirm mode: "4 NE SAIT PAS, 1 NON"
    evidence: str = ""  # the manufacturer's statement (MDS2), when known
    previous: str = ""  # the last answer recorded for this model and item (--db), a hint only
    # What the IT cells hold instead of nothing (code -> value): the tests' filled workbooks.
    filled: dict[str, Any] | None = None


@dataclass
class ItPlan:
    campaign: str
    language: str
    password: str
    created: dt.datetime
    mode: str  # it_contract.MODES
    group_by: str  # it_contract.GROUP_BYS
    groups: list[ItGroup]
    rows: list[ItRow]
    returns: list[tuple[str, str]] = field(default_factory=list)  # (file name, sha256)
    contact: str | None = None
    deadline: dt.date | None = None


@dataclass(frozen=True)
class DeviceFacts:
    """What grouping needs of one device: itself (id, department, unknown items) and its model."""

    device: ItDevice
    site: str
    brand: str
    model: str


def group_devices(devices: list[DeviceFacts], group_by: str) -> list[ItGroup]:
    """The groups the IT team answers for (``it_contract.GROUP_BYS``): one per site, manufacturer
    and model (compared without case or surrounding spaces), or one per device (a device whose
    manufacturer or model is unknown is always a group of its own); ordered by site,
    manufacturer, model and device id, and numbered in that order. A group shows the spelling of
    its first device."""
    ordered = sorted(devices, key=lambda d: (group_key(d.site, d.brand, d.model), d.device.device_id))
    found: dict[object, list[DeviceFacts]] = {}
    for facts in ordered:
        key = group_key(facts.site, facts.brand, facts.model)
        by_model = group_by == "model" and all(key[1:])  # a device of unknown model stands alone
        found.setdefault(key if by_model else ("", "", facts.device.device_id), []).append(facts)
    return [
        ItGroup(
            GROUP_ID_FORMAT.format(i),
            members[0].site,
            members[0].brand,
            members[0].model,
            [m.device for m in members],
        )
        for i, members in enumerate(found.values(), start=1)
    ]
