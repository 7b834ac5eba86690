"""The IT workbook's plan from a consolidation of the returns (see the package)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.core.atomic import atomic_write
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.generate.reproducible import created_at, default_password
from medrisk_xl.history.previous_answers import model_item, previous_answers
from medrisk_xl.method.output_columns import ITEMS
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.validate import read_manifest
from medrisk_xl.workbook.it_contract import GROUP_BYS, GROUP_ID_FORMAT
from medrisk_xl.workbook.write.it_book import build_it_workbook, check_it_texts
from medrisk_xl.workbook.write.it_plan import DeviceFacts, ItDevice, ItPlan, ItRow, group_devices


@dataclass(frozen=True)
class ConfirmOptions:
    """What the command line adds to the returns: grouping, language, and the campaign's facts
    (from the manifest when not given)."""

    group_by: str = GROUP_BYS[0]
    lang: str | None = None
    password: str | None = None
    contact: str | None = None
    deadline: Any = None  # a datetime.date
    db: str | None = None  # a history: what earlier campaigns answered, as a hint


def confirm(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    pack: ContentPack | None = None,
    options: ConfirmOptions | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ItPlan, Consolidation]:
    """The IT workbook's plan for the returns found in ``paths``, and the consolidation it was
    built from (its problems and files say what was read)."""
    pack = pack or load_pack()
    options = options or ConfirmOptions()
    man = read_manifest(Path(manifest)) if manifest else {}
    consolidation = consolidate(
        paths, manifest=manifest, pack=pack, lang=options.lang, jobs=jobs, progress=progress
    )
    options = ConfirmOptions(
        options.group_by,
        options.lang or man.get("language"),
        options.password or man.get("password"),
        options.contact or man.get("contact"),
        options.deadline or _date(man.get("deadline")),
        options.db,
    )
    return confirm_plan(consolidation, pack, options), consolidation


def _date(text: Any):
    try:
        return pd.Timestamp(text).date() if text else None
    except ValueError:
        return None


def confirm_plan(consolidation: Consolidation, pack: ContentPack, options: ConfirmOptions) -> ItPlan:
    """One row per group and item that at least one of the group's devices answered "don't know",
    over every device of the returns used (a group's devices all listed: the IT answer replaces
    only their "don't know")."""
    language = pack.language(options.lang or consolidation.language)
    check_it_texts(language)
    unknown_index = next(i for i, a in enumerate(pack.method.vuln_answers) if a.flag)
    register = consolidation.register
    used = register[register["device_id"].notna()]
    records = used.to_dict("records")
    facts = [_facts(record, language, unknown_index) for record in records]
    groups = [g for g in group_devices(facts, options.group_by) if any(d.unknown for d in g.devices)]
    for number, group in enumerate(groups, start=1):  # numbered among the groups asked about
        group.group = GROUP_ID_FORMAT.format(number)
    answers = {r["device_id"]: r for r in records}
    rows = [
        ItRow(group, item, _department_answers([answers[d] for d in group.device_ids], item, language))
        for group in groups
        for item in ITEMS
        if any(item in device.unknown for device in group.devices)
    ]
    campaign = consolidation.campaign or ""
    if options.db:
        hints = previous_answers(options.db, campaign, language.ui["confirm"]["previous"])
        for row in rows:
            row.previous = hints.get(model_item(row.group.brand, row.group.model, row.item), "")
    return ItPlan(
        campaign=campaign,
        language=language.code,
        password=options.password or default_password(campaign),
        created=created_at(),
        mode="confirm",
        group_by=options.group_by,
        groups=groups,
        rows=rows,
        returns=_returns(consolidation),
        contact=options.contact,
        deadline=options.deadline,
    )


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _facts(record: dict[str, Any], language: Language, unknown_index: int) -> DeviceFacts:
    unknown = tuple(
        item for item in ITEMS if record.get(f"{item}_answer") == language.answer_labels(item)[unknown_index]
    )
    device = ItDevice(str(record["device_id"]), _text(record.get("department")), unknown)
    return DeviceFacts(
        device, _text(record.get("site")), _text(record.get("manufacturer")), _text(record.get("model"))
    )


def _department_answers(records: list[dict[str, Any]], item: str, language: Language) -> str:
    """ "4 NE SAIT PAS, 1 NON": how many of the group's devices gave each answer, most first (then
    in scale order), the devices with no answer last."""
    texts = language.ui["confirm"]
    labels = language.answer_labels(item)
    counts = Counter(_text(r.get(f"{item}_answer")) for r in records)
    order = sorted(
        (label for label in labels if counts[label]), key=lambda lb: (-counts[lb], labels.index(lb))
    )
    parts = [texts["answer_count"].format(n=counts[label], answer=label) for label in order]
    none = sum(n for answer, n in counts.items() if answer not in labels)
    if none:
        parts.append(texts["answer_count"].format(n=none, answer=texts["no_answer"]))
    return ", ".join(parts)


def _returns(consolidation: Consolidation) -> list[tuple[str, str]]:
    """(file name, sha256) of each return used."""
    out = []
    for path in consolidation.files.loc[consolidation.files["used"], "file"]:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        out.append((Path(path).name, digest))
    return out


def write_it_workbook(plan: ItPlan, out: str | Path, pack: ContentPack) -> None:
    """Write the IT workbook of ``plan`` to ``out``, atomically (never over one of the returns it
    was built from: a file at ``out`` with the bytes of one of them is refused)."""
    out = Path(out)
    if out.is_file() and hashlib.sha256(out.read_bytes()).hexdigest() in {sha for _, sha in plan.returns}:
        raise MedriskError(
            [
                Problem(
                    "bad-argument",
                    msg("confirm.output-is-return", path=str(out)),
                )
            ],
            exit_code=2,
        )
    data = build_it_workbook(plan, pack)
    atomic_write(out, lambda tmp: tmp.write_bytes(data))
