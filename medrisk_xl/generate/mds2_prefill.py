"""The manufacturers' MDS2 forms in a new campaign (``generate --mds2 DIR``).

Each form is matched to the inventory's devices by manufacturer and model (``--mds2-map`` for the
names that differ). Where the pack's mapping settles an item by the device's design, whatever the
site does, the department workbook's answer is pre-filled with it, exactly as the CE class
pre-fills C1: editable, not counting as started, and its cell's note quotes the form. With
``--vulnerability-by it``, the forms fill the IT workbook's evidence instead
(:func:`medrisk_xl.mds2.it_evidence.add_mds2_evidence`).
"""

from __future__ import annotations

from dataclasses import dataclass

from medrisk_xl.generate.inventory import Inventory
from medrisk_xl.mds2 import DeviceRef, MatchReport, Mds2Form, match_forms
from medrisk_xl.mds2.it_evidence import Mds2Input
from medrisk_xl.mds2.item_evidence import evidence_line
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.specs import VULN_ANSWER_CODES
from medrisk_xl.method.specs_mds2 import BY_DESIGN
from medrisk_xl.workbook.write.plan import SheetRow, WorkbookPlan


@dataclass(frozen=True)
class Mds2Use:
    """What the forms gave a campaign: which matched which devices, and how many answers were
    pre-filled (department workbooks) or rows given evidence (the IT workbook)."""

    report: MatchReport
    forms: list[Mds2Form]
    prefilled: int
    where: str  # "department" | "it": which workbooks received them


def match_inventory(inventory: Inventory, mds2: Mds2Input) -> MatchReport:
    """The forms matched to the inventory's devices by manufacturer and model."""
    refs = [DeviceRef(d.id, d.get("brand"), d.get("model")) for d in inventory.devices]
    return match_forms(mds2.forms, refs, mds2.map_rows)


def prefill_departments(
    plans: list[tuple[str, WorkbookPlan]], report: MatchReport, mds2: Mds2Input, pack: ContentPack
) -> int:
    """Pre-fill, in every department workbook, the items a device's form settles by design (a row
    standing for several devices only when they all have the same form); how many answers."""
    by_path = {form.path: form for form in mds2.forms}
    n = 0
    for _, plan in plans:
        language = pack.language(plan.language)
        for row in plan.rows:
            paths = {report.by_device.get(device) for device in row.devices}
            if row.spare or len(paths) != 1 or None in paths:
                continue
            n += _prefill_row(row, by_path[paths.pop()], pack, language)
    return n


def _prefill_row(row: SheetRow, form: Mds2Form, pack: ContentPack, language: Language) -> int:
    texts = language.ui["confirm"]
    n = 0
    for item in pack.method.items:
        found = form.items.get(item)
        if found is None or found.basis != BY_DESIGN or not found.suggestion:
            continue
        index = VULN_ANSWER_CODES.index(found.suggestion)
        row.answers[item] = index
        lines = [texts["mds2_source"].format(file=form.path.name, model=f"{form.manufacturer} {form.model}")]
        lines += [evidence_line(e) for e in found.evidence]
        lines.append(texts["mds2_note"].format(answer=language.answer_labels(item)[index]))
        row.notes[item] = "\n".join(lines)
        n += 1
    return n
