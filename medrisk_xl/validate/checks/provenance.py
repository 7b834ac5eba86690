"""Is this one of ours: a medrisk-xl workbook, of this workbook contract (schema), generated
with the content pack validating it (the one check of :mod:`medrisk_xl.workbook.read.provenance_verdict`),
and of the manifest's campaign.

Each failure stops the checks: the rest of the workbook cannot be read by this contract or
judged by this method."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.output_kind import named_output
from medrisk_xl.workbook.read.provenance_verdict import NOT_OURS, UNKNOWN_SCHEMA, provenance_verdict
from medrisk_xl.workbook.read.reader import Workbook


def schema_or_content_problem(verdict: str, meta: dict[str, str], pack: ContentPack) -> Problem:
    """The unknown-schema or other-content problem of a medrisk-xl workbook that is not of this
    contract or content pack (``verdict``: :func:`provenance_verdict`'s)."""
    if verdict == UNKNOWN_SCHEMA:
        return problem(
            "unknown-schema",
            msg(
                "validate.unknown-schema",
                found=meta["schema_version"],
                expected=contract.SCHEMA_VERSION,
                generator=meta.get("generator"),
            ),
        )
    return problem(
        "other-content",
        msg(
            "validate.other-content",
            content=f"{meta.get('content_id')} {meta.get('content_version')}",
            hash=meta.get("content_hash", "")[:12],
            pack=f"{pack.method.id} {pack.method.version}",
            pack_hash=pack.hash[:12],
        ),
    )


def check_provenance(
    book: Workbook, pack: ContentPack, manifest: dict[str, Any] | None, report: FileReport
) -> bool:
    """Whether the workbook is ours (see the module); records its campaign, department, contract
    pairs and save time in ``report`` once it is a medrisk-xl workbook."""
    meta = book.meta
    verdict = provenance_verdict(meta, pack.hashes)
    if verdict == NOT_OURS:
        report.add(problem("not-medrisk", named_output(meta) or msg("validate.not-medrisk")))
        return False
    report.campaign = meta.get(contract.Meta.CAMPAIGN) or None
    report.meta, report.saved = dict(meta), book.saved
    report.department = meta.get(contract.Meta.SCOPE) or meta.get(contract.Meta.DEPARTMENT) or None
    if verdict is not None:
        report.add(schema_or_content_problem(verdict, meta, pack))
        return False
    if manifest is not None and manifest.get("campaign") != meta.get(contract.Meta.CAMPAIGN):
        report.add(
            problem(
                "other-campaign",
                msg(
                    "validate.other-campaign",
                    campaign=meta.get("campaign"),
                    expected=manifest.get("campaign"),
                ),
            )
        )
        return False
    return True
