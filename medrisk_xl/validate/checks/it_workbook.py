"""The checks of an IT workbook (:mod:`medrisk_xl.workbook.it_contract`), read back with the same
safe opening as a return: ours, of this schema, content and campaign; its list sheet; every row
where it was generated, holding the group and item it was generated with; nothing added below;
each answer one of the item's options; every sheet protected.

Its answered rows go to the report (:class:`ItAnswer`) for ``consolidate``, which applies none of a
file that has errors.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from medrisk_xl.core.matching import INVALID, match_answer
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.checks.list_labels import check_list_labels
from medrisk_xl.validate.checks.protection import check_protection
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport, ItAnswer
from medrisk_xl.workbook import it_contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.it_contract import ItMeta
from medrisk_xl.workbook.read.it_reader import ItRead, ItSheetRow, read_it
from medrisk_xl.workbook.read.provenance_verdict import IT_WORKBOOK, UNKNOWN_SCHEMA, provenance_verdict
from medrisk_xl.workbook.read.reader import Workbook

Devices = dict[str, list[tuple[str, str, tuple[str, ...]]]]  # group -> (device, department, unknown)


def check_it_workbook(
    book: Workbook, pack: ContentPack, manifest: dict[str, Any] | None, report: FileReport
) -> None:
    """Add every problem of the IT workbook ``book`` to ``report``, with its answered rows."""
    meta = book.meta
    report.kind = "it"
    report.campaign = meta.get(ItMeta.CAMPAIGN) or None
    report.meta, report.saved = dict(meta), book.saved
    if not _provenance(meta, pack, manifest, report):
        return
    language = pack.language(meta.get(ItMeta.LANGUAGE))
    lists_sheet = book.sheet(meta.get(ItMeta.LISTS_SHEET, ""))
    read = read_it(book)
    for name, sheet in (
        (meta.get(ItMeta.LISTS_SHEET), lists_sheet),
        (meta.get(ItMeta.ANSWER_SHEET), read.sheet),
    ):
        if sheet is None:
            report.add(problem("sheet-missing", msg("validate.it-sheet-missing"), sheet=name))
            return
    check_list_labels(lists_sheet, pack, language, report)
    missing = [code for code in it_contract.COLUMNS if code not in read.columns]
    for code in missing:
        report.add(
            problem("column-missing", msg("validate.column-missing", code=code), sheet=read.sheet.name)
        )
    if missing:
        return
    report.it_rows = len(read.generated)
    report.it_answers = _rows(read, pack, language, report)
    check_protection(book, None, report, password=(manifest or {}).get("password"))


def _provenance(
    meta: dict[str, str], pack: ContentPack, manifest: dict[str, Any] | None, report: FileReport
) -> bool:
    """Whether the IT workbook is of this schema, content pack and campaign (else one error)."""
    verdict = provenance_verdict(meta, pack.hashes, IT_WORKBOOK)
    if verdict == UNKNOWN_SCHEMA:
        report.add(
            problem(
                "unknown-schema",
                msg(
                    "validate.it-unknown-schema",
                    found=meta.get(ItMeta.SCHEMA_VERSION),
                    expected=it_contract.SCHEMA_VERSION,
                    generator=meta.get(ItMeta.GENERATOR),
                ),
            )
        )
    elif verdict is not None:
        report.add(
            problem(
                "other-content",
                msg(
                    "validate.it-other-content",
                    content=f"{meta.get(ItMeta.CONTENT_ID)} {meta.get(ItMeta.CONTENT_VERSION)}",
                    hash=meta.get(ItMeta.CONTENT_HASH, "")[:12],
                    pack=f"{pack.method.id} {pack.method.version}",
                    pack_hash=pack.hash[:12],
                ),
            )
        )
    elif manifest is not None and manifest.get("campaign") != meta.get(ItMeta.CAMPAIGN):
        report.add(
            problem(
                "other-campaign",
                msg(
                    "validate.other-campaign",
                    campaign=meta.get(ItMeta.CAMPAIGN),
                    expected=manifest.get("campaign"),
                ),
            )
        )
    else:
        return True
    return False


def _devices(read: ItRead) -> Devices:
    groups: Devices = defaultdict(list)
    for d in read.devices:
        unknown = tuple(code for code in d.get("UNKNOWN", "").split(it_contract.ITEMS_SEPARATOR) if code)
        groups[d.get("GROUP", "")].append((d.get("DEVICE", ""), d.get("DEPARTMENT", ""), unknown))
    return groups


def _expected(generated: dict[str, str], devices: Devices) -> dict[str, Any]:
    """What the generator wrote in a row's locked cells, from ``_meta``."""
    ids = [device for device, _, _ in devices.get(generated["GROUP"], [])]
    return {
        "GROUP": generated["GROUP"],
        "SITE": generated.get("SITE", ""),
        "BRAND": generated.get("BRAND", ""),
        "MODEL": generated.get("MODEL", ""),
        "DEVICE_COUNT": len(ids),
        "DEVICE_IDS": it_contract.device_ids_text(ids),
        "ITEM": generated["ITEM"],
    }


def _rows(read: ItRead, pack: ContentPack, language: Language, report: FileReport) -> list[ItAnswer]:
    """Each generated row checked where it was written, rows added below refused, and the answered
    rows interpreted."""
    devices = _devices(read)
    found = {row.row: row for row in read.rows}
    places: set[int] = set()
    answers = []
    for generated in read.generated:
        place = int(generated["PLACE"]) if generated.get("PLACE", "").isdigit() else 0
        places.add(place)
        row = found.get(place)
        if row is None:
            report.add(
                problem(
                    "it-row-missing",
                    msg("validate.it-row-missing", group=generated["GROUP"], item=generated["ITEM"]),
                    sheet=read.sheet.name,
                    row=place,
                )
            )
            continue
        if _changed(row, _expected(generated, devices), read, report):
            continue
        answer = _answer(row, generated["ITEM"], language, read, report)
        if answer is not None:
            group = devices.get(generated["GROUP"], [])
            answers.append(
                ItAnswer(
                    row.row,
                    generated["GROUP"],
                    generated["ITEM"],
                    answer,
                    language.answer_labels(generated["ITEM"])[answer],
                    tuple(group),
                    generated.get("SITE", ""),
                    generated.get("BRAND", ""),
                    generated.get("MODEL", ""),
                    str(row.cells.get("COMMENT") or ""),
                )
            )
    for row in read.rows:
        if row.row not in places:
            report.add(
                problem(
                    "it-row-added",
                    msg("validate.it-row-added"),
                    sheet=read.sheet.name,
                    row=row.row,
                )
            )
    return answers


def _changed(row: ItSheetRow, expected: dict[str, Any], read: ItRead, report: FileReport) -> bool:
    """it-row-changed for each locked cell of ``row`` that no longer holds what was generated."""
    changed = False
    for code, want in expected.items():
        col = read.columns[code]
        if row.cells.get(code) != want or read.sheet.formula(row.row, col):
            changed = True
            message = msg("validate.it-row-changed", code=code, value=row.cells.get(code), expected=want)
            report.add(_cell_problem("it-row-changed", message, read, row, code))
    return changed


def _cell_problem(code: str, message: Message, read: ItRead, row: ItSheetRow, column: str) -> Problem:
    """A problem located at the answer sheet's cell of ``row`` and ``column`` (a column code)."""
    cell = f"{column_letter(read.columns[column])}{row.row}"
    return problem(code, message, sheet=read.sheet.name, cell=cell, row=row.row)


def _answer(row: ItSheetRow, item: str, language: Language, read: ItRead, report: FileReport) -> int | None:
    """The option index the IT answer cell holds, None when empty; invalid-answer otherwise."""
    value = row.cells.get(it_contract.ANSWER, "")
    match = match_answer(value, language.answer_labels(item))
    if isinstance(match, int):
        return match
    if match == INVALID:
        message = msg(
            "validate.it-invalid-answer", item=item, value=value, options=language.answer_labels(item)
        )
        report.add(_cell_problem("invalid-answer", message, read, row, it_contract.ANSWER))
    return None
