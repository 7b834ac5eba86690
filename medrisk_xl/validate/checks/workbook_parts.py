"""Every check of a returned workbook, part by part and in the order the report lists them:
provenance, the list sheet, the devices (grid or forms), the risk register and change form,
protection, and the manifest's devices."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.validate.checks.forms import check_forms
from medrisk_xl.validate.checks.input_grid import check_input_grid
from medrisk_xl.validate.checks.it_workbook import check_it_workbook
from medrisk_xl.validate.checks.list_labels import check_list_labels
from medrisk_xl.validate.checks.protection import check_protection
from medrisk_xl.validate.checks.provenance import check_provenance
from medrisk_xl.validate.checks.risk_register import check_register
from medrisk_xl.validate.manifest import check_manifest_devices, workbook_entry
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.it_contract import is_it_meta
from medrisk_xl.workbook.read.reader import Workbook


def check_workbook(
    book: Workbook, pack: ContentPack, manifest: dict[str, Any] | None, report: FileReport
) -> None:
    """Add every problem of ``book`` to ``report``, with its device rows and register entries (an IT
    workbook: its answered rows)."""
    if is_it_meta(book.meta):
        check_it_workbook(book, pack, manifest, report)
        return
    if not check_provenance(book, pack, manifest, report):
        return
    meta = book.meta
    entry = workbook_entry(manifest, meta.get(contract.Meta.SCOPE)) if manifest is not None else None
    language = pack.language(meta.get(contract.Meta.LANGUAGE))
    lists_sheet = book.sheet(meta.get(contract.Meta.LISTS_SHEET, ""))
    if lists_sheet is None:
        report.add(
            problem(
                "sheet-missing", msg("validate.list-sheet-missing"), sheet=meta.get(contract.Meta.LISTS_SHEET)
            )
        )
        return
    check_list_labels(lists_sheet, pack, language, report)
    if meta.get(contract.Meta.LAYOUT) == "form":
        devices = check_forms(book, pack, language, report)
    else:
        devices = check_input_grid(book, pack, language, report)
    if devices is None:
        return
    report.rows = devices
    report.register = check_register(book, pack, language, report)
    check_protection(book, manifest, report)
    if entry is not None:
        check_manifest_devices(devices, entry, report)
