"""Every sheet is still protected, with the campaign's password when the manifest gives it."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import msg
from medrisk_xl.validate.manifest import workbook_entry
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.reader import Workbook
from medrisk_xl.workbook.write.build import legacy_password_hash


def check_protection(
    book: Workbook, manifest: dict[str, Any] | None, report: FileReport, password: str | None = None
) -> None:
    """protection-removed or password-changed for each sheet whose protection is not the generator's
    (the campaign's password: ``password``, else the manifest's entry for the workbook's scope)."""
    want = legacy_password_hash(password) if password else None
    if manifest and not password:
        entry = workbook_entry(manifest, book.meta.get(contract.Meta.SCOPE))
        password = entry.get("password") if entry is not None else None
        want = legacy_password_hash(password) if password else None
    for name, sheet in book.sheets.items():
        if not sheet.xml.protected:
            report.add(problem("protection-removed", msg("validate.protection-removed"), sheet=name))
        elif (
            want
            and sheet.xml.password_hash
            and ":" not in sheet.xml.password_hash
            and sheet.xml.password_hash != want
        ):
            report.add(problem("password-changed", msg("validate.password-changed"), sheet=name))
