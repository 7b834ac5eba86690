"""The IT team's answers applied to the devices (an IT workbook among the returns; see
:mod:`medrisk_xl.workbook.it_contract`).

Confirm mode: an IT answer replaces "don't know" for each device of its group that the department
answered so; a department's own answer is kept. Not applied, with a warning: a device no longer in
the returns, a device now of another model than its group's (of a type row, ``--per cneh|emdn``:
of none of the row's models), and an item the department has answered itself since the workbook
was built. Two IT workbooks answering one device and item differently is an error naming both,
and neither answer is applied. A file with errors applies nothing (``validate`` has said why).

Each applied answer is the device's answer from then on: its points, label and source (``it``),
then its scores, levels, risk and status, recomputed by the reference scorer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Any

from medrisk_xl.consolidate.inclusion import AWAITING
from medrisk_xl.core.problem_catalogue import CONSOLIDATE, codes_of
from medrisk_xl.core.problems import Joined, Message, msg
from medrisk_xl.method.checks.pack_files import normalize
from medrisk_xl.method.output_columns import ANSWER_SOURCES, ITEMS, source_column
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.scorer import Result, score_indexes
from medrisk_xl.validate import FileReport
from medrisk_xl.validate.validation_report import TO_CONFIRM, ItAnswer, to_confirm_message
from medrisk_xl.workbook.contract import TYPE_JOIN
from medrisk_xl.workbook.it_contract import group_key

SOURCE_DEPARTMENT, SOURCE_IT, SOURCE_MDS2, SOURCE_PREVIOUS = ANSWER_SOURCES
MATCHES = "_matches"  # a record's answer indexes (code -> int), dropped once the answers are applied
# A record of a department workbook that asks no vulnerability item (generate --vulnerability-by
# it): True once its criteria are all validly answered, False before; absent otherwise. Dropped
# with MATCHES.
CRITERIA_DONE = "_criteria_done"


Wanted = dict[tuple[str, str], list[tuple[FileReport, ItAnswer]]]  # (device, item) -> who answers


def apply_it_answers(
    records: list[dict[str, Any]], it_files: list[FileReport], pack: ContentPack, language: Language
) -> list[dict[str, Any]]:
    """Apply the answers of the valid IT workbooks ``it_files`` to ``records`` (in place); the
    problems found, as rows of the problem table."""
    by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_device[str(record["device_id"])].append(record)
    wanted: Wanted = defaultdict(list)
    for f in it_files:
        if f.status == "valid":
            for answer in f.it_answers:
                for device, _, _ in answer.devices:
                    wanted[(device, answer.item)].append((f, answer))
    problems: list[dict[str, Any]] = []
    changed: set[int] = set()
    for (device, item), given in wanted.items():
        if len({a.answer for _, a in given}) > 1:
            if any(_open(r, item, pack) for r in by_device.get(device, [])):  # where it would apply
                problems.append(_conflict(device, item, given))
            continue
        f, answer = given[0]
        for record in by_device.get(device, []) or [None]:
            why = _not_applied(record, device, item, answer, pack, language)
            if why:
                problems.append(_problem(f, answer, device, "it-not-applied", why))
            elif record is not None and _open(record, item, pack):
                _set(record, item, answer.answer, SOURCE_IT, pack, language)
                changed.add(id(record))
    for record in records:
        if id(record) in changed:
            _rescore(record, pack)
    return problems


def models_without_network(it_files: list[FileReport], pack: ContentPack) -> int:
    """How many groups (a model on a site, or a device on its own) the IT team says have no network
    connection: a row's comment holds the network phrase its start sheet asks for
    (``it_workbook.network_comment``, in any language of the pack, ignoring case and accents)."""
    phrases = {
        normalize(lang.ui["it_workbook"]["network_comment"])
        for lang in pack.languages.values()
        if "it_workbook" in lang.ui
    }
    groups: set[tuple[str, ...]] = set()
    for f in it_files:
        for a in f.it_answers if f.status == "valid" else ():
            if any(p in normalize(a.comment) for p in phrases):
                by_model = a.brand.strip() and a.model.strip()
                groups.add(
                    group_key(a.site, a.brand, a.model) if by_model else tuple(d for d, _, _ in a.devices)
                )
    return len(groups)


def finish_records(records: list[dict[str, Any]], pack: ContentPack) -> int | None:
    """Once the answers are final: whether each risk is provisional; the answer indexes dropped.
    Returns how many devices, their criteria answered, still wait for the IT team's answers (None
    when no return leaves the items to the IT team)."""
    waiting = None
    for record in records:
        record["risk_provisional"] = provisional(record, pack)
        if CRITERIA_DONE in record:
            done = record.pop(CRITERIA_DONE)
            record[AWAITING] = bool(done and record["status"] == "incomplete")
            waiting = (waiting or 0) + record[AWAITING]
        record.pop(MATCHES, None)
    return waiting


def department_sources(
    record: dict[str, Any], kept: Collection[str] = (), carried: Collection[str] = ()
) -> None:
    """Mark each item the department answered (validly) as answered by the department, or, among
    ``kept`` (the answers left as pre-filled), by the previous campaign when ``carried`` over from
    it, else by the manufacturer's form."""
    for item in ITEMS:
        if record.get(f"{item}_answer") is not None:
            source = SOURCE_DEPARTMENT
            if item in kept:
                source = SOURCE_PREVIOUS if item in carried else SOURCE_MDS2
            record[source_column(item)] = source


def _unknown(record: dict[str, Any], item: str, pack: ContentPack) -> bool:
    index = record.get(MATCHES, {}).get(item)
    return isinstance(index, int) and pack.method.vuln_answers[index].flag


def _open(record: dict[str, Any], item: str, pack: ContentPack) -> bool:
    """Whether the IT team's answer to ``item`` applies to ``record``: its department answered
    "don't know", or was not asked the item at all (and it is not answered yet)."""
    if CRITERIA_DONE in record:
        return not isinstance(record.get(MATCHES, {}).get(item), int)
    return _unknown(record, item, pack)


def _not_applied(
    record: dict[str, Any] | None,
    device: str,
    item: str,
    answer: ItAnswer,
    pack: ContentPack,
    language: Language,
) -> Message | None:
    """Why ``answer`` is not applied to ``device`` (its ``record``), or None."""
    if record is None:
        return msg("consolidate.it-gone", device=device, item=item)
    if answer.model or answer.brand:
        now = (
            str(record.get("site") or ""),
            str(record.get("manufacturer") or ""),
            str(record.get("model") or ""),
        )
        given = (answer.site, answer.brand, answer.model)
        if group_key(*now) != group_key(*given) and not (
            record.get("type_assessment") and _among(now, given)
        ):
            return msg(
                "consolidate.it-other-model",
                device=device,
                brand=now[1],
                model=now[2],
                site=now[0],
                given_brand=answer.brand,
                given_model=answer.model,
                given_site=answer.site,
                item=item,
            )
    was_unknown = any(d == device and item in unknown for d, _, unknown in answer.devices)
    if was_unknown and not _unknown(record, item, pack):
        now_answer = record.get(f"{item}_answer")
        if now_answer is None:
            return msg("consolidate.it-emptied", item=item, device=device)
        return msg("consolidate.it-answered", item=item, device=device, answer=now_answer)
    return None


def _among(now: tuple[str, str, str], given: tuple[str, str, str]) -> bool:
    """Whether the site, manufacturer and model ``given`` are among those of a type row (``--per
    cneh|emdn``), whose identity joins its devices' distinct values with " / " (an unknown value
    left out): the row's own devices may be of several models."""
    for held, wanted in zip(now, given):
        values = {v.strip().casefold() for v in held.split(TYPE_JOIN)}
        if not {v.strip().casefold() for v in wanted.split(TYPE_JOIN)} - {""} <= values:
            return False
    return True


def refresh_to_confirm(problems: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The to-confirm problems once the IT answers are applied: a device's items still "don't
    know" (its problem dropped when none is left; a type row, not a device, is kept as read)."""
    unknown = {str(r["device_id"]): r.get("unknown_items") for r in records}
    out = []
    for p in problems:
        if p["code"] == TO_CONFIRM and p["device_id"] in unknown:
            items = unknown[p["device_id"]]
            if not items:
                continue
            p = {**p, "message": to_confirm_message(items.split(", "))}
        out.append(p)
    return out


def _set(
    record: dict[str, Any], item: str, index: int, source: str, pack: ContentPack, language: Language
) -> None:
    record[MATCHES][item] = index
    record[item] = 0 if pack.method.vuln_answers[index].compliant else 1
    record[f"{item}_answer"] = language.answer_labels(item)[index]
    record[source_column(item)] = source


def provisional(record: dict[str, Any], pack: ContentPack) -> bool | None:
    """Whether a scored device's risk rests on "don't know": it would be lower were those items
    compliant. None for a device with no risk level."""
    if record.get("risk_level") is None:
        return None
    answers = pack.method.vuln_answers
    indexes = _indexes(record)
    if not any(code in pack.method.items and answers[i].flag for code, i in indexes.items()):
        return False
    compliant = next(i for i, a in enumerate(answers) if a.compliant)
    known = {
        code: compliant if code in pack.method.items and answers[i].flag else i for code, i in indexes.items()
    }
    return score_indexes(known, pack).risk_level != record["risk_level"]


def _indexes(record: dict[str, Any]) -> dict[str, int]:
    """A record's answer indexes, its empty and invalid answers left out."""
    return {code: i for code, i in record[MATCHES].items() if isinstance(i, int)}


def result_fields(result: Result) -> dict[str, Any]:
    """A scored result's figures, as register columns."""
    return {
        "criticality_score": result.criticality_score,
        "criticality_level": result.criticality_level,
        "vulnerability_score": result.vulnerability_score,
        "vulnerability_level": result.vulnerability_level,
        "risk_level": result.risk_level,
    }


def _rescore(record: dict[str, Any], pack: ContentPack) -> None:
    """Scores, levels, risk, status and the item lists of a record whose answers changed."""
    result = score_indexes(_indexes(record), pack)
    record.update(
        unknown_items=", ".join(result.unknown_items) or None,
        non_compliant_items=", ".join(result.non_compliant_items) or None,
    )
    if record["status"] not in ("to_confirm", "complete") and not record.get(CRITERIA_DONE):
        return  # still incomplete or invalid: unscored, only its answers and item lists changed
    record.update(result_fields(result), status=result.status)


def _problem(f: FileReport, answer: ItAnswer, device: str, code: str, message: Message) -> dict[str, Any]:
    """A row of the problem table; its message rendered in the consolidation's language at the end."""
    return {
        "file": f.path,
        "code": code,
        "severity": codes_of(CONSOLIDATE)[code][0],
        "sheet": f.meta.get("answer_sheet"),
        "cell": None,
        "row": answer.row,
        "device_id": device,
        "message": message,
    }


def _conflict(device: str, item: str, given: list[tuple[FileReport, ItAnswer]]) -> dict[str, Any]:
    where = Joined(
        tuple(
            msg("consolidate.it-conflict-answer", label=a.label, file=Path(f.path).name, row=a.row)
            for f, a in given
        )
    )
    f, answer = given[0]
    return _problem(
        f,
        answer,
        device,
        "it-conflict",
        msg("consolidate.it-conflict", item=item, device=device, where=where),
    )
