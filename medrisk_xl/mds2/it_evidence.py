"""The manufacturers' MDS2 forms as evidence in the IT workbook (``confirm --mds2 DIR`` and
``generate --vulnerability-by it --mds2 DIR``).

Each row whose group's model has a form gets, in ``EVIDENCE``, the form it comes from and the
answers bearing on the item (:mod:`medrisk_xl.mds2`, mapped by the pack's ``mds2.yaml``). Where a
rule decides the item by the device's design, whatever the site does, the IT answer is pre-filled
with the suggestion, said so in the evidence, and stays editable; any other evidence is for the IT
team to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medrisk_xl.mds2 import (
    DeviceRef,
    ItemEvidence,
    MatchReport,
    Mds2Form,
    match_forms,
    read_forms,
    read_map,
)
from medrisk_xl.mds2.device_match import MapRow
from medrisk_xl.mds2.item_evidence import evidence_line
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.specs import VULN_ANSWER_CODES
from medrisk_xl.method.specs_mds2 import BY_DESIGN
from medrisk_xl.workbook import it_contract
from medrisk_xl.workbook.write.it_plan import ItPlan, ItRow


@dataclass(frozen=True)
class Mds2Input:
    """What ``--mds2 DIR`` and ``--mds2-map FILE`` give: the forms read, and the map's rows."""

    forms: list[Mds2Form]
    map_rows: list[MapRow]


def read_mds2(folder: str | Path, pack: ContentPack, map_file: str | Path | None = None) -> Mds2Input:
    """The forms found in ``folder`` (MedriskError ``no-form`` when there is none) and the rows of
    the ``--mds2-map`` CSV (``bad-mds2-map``): read before the returns, so that a bad one fails fast."""
    return Mds2Input(list(read_forms([folder], pack).forms), read_map(map_file) if map_file else [])


def add_mds2_evidence(plan: ItPlan, mds2: Mds2Input, pack: ContentPack) -> MatchReport:
    """Fill the ``EVIDENCE`` of ``plan``'s rows from the forms read (and pre-fill the IT answers a
    form settles by design); which forms matched which devices."""
    language = pack.language(plan.language)
    forms, rows = mds2.forms, mds2.map_rows
    devices = [DeviceRef(d.device_id, g.brand, g.model) for g in plan.groups for d in g.devices]
    report = match_forms(forms, devices, rows)
    by_path = {form.path: form for form in forms}
    for row in plan.rows:
        paths = {report.by_device[d] for d in row.group.device_ids if d in report.by_device}
        if len(paths) == 1:
            form = by_path[paths.pop()]
            _fill(row, form, form.items.get(row.item), language)
    return report


def _fill(row: ItRow, form: Mds2Form, found: ItemEvidence | None, language: Language) -> None:
    """The row's evidence from ``form``; its IT answer pre-filled when the form settles the item."""
    if found is None or not (found.evidence or found.suggestion):
        return
    texts = language.ui["confirm"]
    lines = [texts["mds2_source"].format(file=form.path.name, model=f"{form.manufacturer} {form.model}")]
    lines += [evidence_line(e) for e in found.evidence]
    if found.basis == BY_DESIGN and found.suggestion:
        label = language.answer_labels(row.item)[VULN_ANSWER_CODES.index(found.suggestion)]
        lines.append(texts["mds2_by_design"].format(answer=label))
        row.filled = {**(row.filled or {}), it_contract.ANSWER: label}
    else:
        lines.append(texts["mds2_to_check"])
    row.evidence = "\n".join(lines)
