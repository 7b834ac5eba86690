"""What one workbook holds, independent of how it is drawn."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SheetRow:
    """One row of the input sheet: a device (or a device type), or a free spare row."""

    identity: dict[str, str]  # column code -> text
    answers: dict[str, int] = field(default_factory=dict)  # pre-filled answer indexes (0-based)
    spare: bool = False
    devices: list[str] = field(default_factory=list)  # inventory ids the row stands for
    # What the answer cells hold instead of the pre-filled answers (code -> label text, any other
    # text or number, None for empty): a workbook as a department filled it (the audit's
    # reference). ``answers`` still says what was pre-filled.
    filled: dict[str, Any] | None = None
    # A note on a pre-filled answer cell saying where the answer came from (code -> text): the
    # manufacturer's MDS2 form; C1's CE-class pre-fill needs none.
    notes: dict[str, str] = field(default_factory=dict)
    # Year two: the answers carried over from the previous campaign (codes of ``answers``).
    carried: tuple[str, ...] = ()

    def locks(self, code: str, criteria: tuple[str, ...]) -> bool:
        """Whether ``--lock-prefilled`` makes this answer cell read-only: a criterion the
        biomedical service pre-filled (CE class, answers file, inventory column, site rule).
        Answers carried over from last year stay editable: the department checks them."""
        return code in criteria and code in self.answers and code not in self.carried


@dataclass
class WorkbookPlan:
    campaign: str
    department: str | None  # what the workbook is for (department, site, or None for all)
    site: str | None
    identity: list[tuple[str, str]]  # (column code, header text), in column order
    rows: list[SheetRow]
    language: str
    password: str
    created: dt.datetime
    contact: str | None = None
    deadline: dt.date | None = None
    per: str = "device"
    layout: str = "grid"
    split_by: str = "department"
    scope: str = ""  # human name of the workbook's scope (department, site or campaign)
    register: bool = False  # a risk register sheet (IEC/TR 80001-2-1) and a change form
    vulnerability_by: str = "department"  # contract.VULNERABILITY_BYS: "it" asks the criteria only
    lock_prefilled: bool = False  # pre-filled criterion answers are read-only for the department
    previous: str = ""  # year two: the recorded campaign whose answers were carried over
    # The device status column (grid, per device, with the pack's texts); False: a workbook as
    # generated before it existed (the audit rebuilds it so).
    device_status: bool = True
    # What the register's answer cells hold (one dict per row, code -> value), as for
    # ``SheetRow.filled``: the audit's probes and the tests; empty rows otherwise.
    register_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def device_ids(self) -> list[str]:
        """Inventory ids covered by the workbook (expanded for per-type rows)."""
        return [device for row in self.rows for device in row.devices]


FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")  # Excel refuses these in a sheet name


def form_sheet_names(plan: WorkbookPlan, prefix: str, taken: set[str]) -> list[str]:
    """One unique, valid sheet name per form (device id when known, else a number)."""
    names = []
    for i, row in enumerate(plan.rows, start=1):
        ident = FORBIDDEN_IN_SHEET_NAMES.sub("_", row.identity.get("ID", "")).strip() or str(i)
        base = f"{prefix} {ident}"[:31]
        name, n = base, 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(name.casefold())
        names.append(name)
    return names
