"""Reading a consolidated workbook's action plan back: its ``_meta`` pairs and action sheets,
read through the workbook reader (.xlsx and .ods, within a return's limits), and the plan's
identity: a medrisk-xl plan, of a schema this version reads, written with this content."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medrisk_xl.consolidate.tables import ACTION_STATUS_CODES
from medrisk_xl.consolidate.workbook import (
    GROUP_IDS_SHEET,
    META_SHEET,
    PLAN_KIND,
    PLAN_SCHEMA_VERSION,
    PlanMeta,
)
from medrisk_xl.core.problems import Message, msg
from medrisk_xl.core.version import __version__
from medrisk_xl.history.actions.plan_problems import PlanProblems
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.read.provenance_verdict import (
    NOT_OURS,
    OTHER_CONTENT,
    UNKNOWN_SCHEMA,
    FileKind,
    provenance_verdict,
)
from medrisk_xl.workbook.read.reader import Sheet, read_workbook


@dataclass
class PlanFile:
    """A consolidated workbook as ``actions import`` reads it: ``_meta`` and the action sheets."""

    path: Path
    meta: dict[str, str]
    sheets: dict[str, Sheet]  # the action sheets found (values and formulas)
    all_sheets: tuple[str, ...]  # every sheet name of the file

    def meta_json(self, key: str) -> Any:
        try:
            return json.loads(self.meta.get(key) or "null")
        except ValueError:
            return None


def action_sheet_names(meta: dict[str, str]) -> list[str]:
    """The action sheets ``_meta`` lists (none when the list is damaged)."""
    try:
        names = json.loads(meta.get(PlanMeta.ACTION_SHEETS) or "[]")
    except ValueError:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _plan_sheet_names(meta: dict[str, str]) -> list[str]:
    """The sheets to read with values and formulas: a plan's action sheets (and a grouped plan's
    full id lists), none otherwise."""
    if meta.get(PlanMeta.KIND) != PLAN_KIND:
        return []
    return [*action_sheet_names(meta), *([GROUP_IDS_SHEET] if meta.get(PlanMeta.PLAN_BY) else [])]


def read_plan(path: str | os.PathLike[str]) -> PlanFile:
    """Read a consolidated workbook's ``_meta`` and action sheets (values and formulas), safely:
    the file is recognised by its bytes and checked against the same limits as a return (see
    :mod:`medrisk_xl.workbook.read.opening`); an .ods saved by LibreOffice is read too. Raises
    :class:`~medrisk_xl.workbook.read.opening.Unreadable`. The file is never modified."""
    path = Path(path)
    book = read_workbook(path, also_read=_plan_sheet_names)
    sheets = {name: book.sheets[name] for name in _plan_sheet_names(book.meta) if name in book.sheets}
    return PlanFile(path, book.meta, sheets, tuple(book.sheets))


def _not_a_plan(meta: dict[str, str]) -> Message:
    """What a spreadsheet that is no consolidated workbook is, for the ``not-a-plan`` message."""
    return msg("actions.department-workbook") if meta.get("input_sheet") else msg("actions.not-a-plan")


def _schema_version(meta: Mapping[str, str]) -> int:
    try:
        return int(meta.get(PlanMeta.SCHEMA_VERSION, ""))
    except ValueError:
        return -1


def _is_plan(meta: Mapping[str, str]) -> bool:
    """Whether ``_meta`` says consolidate wrote the file (a department workbook does not)."""
    return meta.get(PlanMeta.KIND) == PLAN_KIND


def _reads_plan_schema(meta: Mapping[str, str]) -> bool:
    """Whether this version reads the plan's schema: any up to its own, none newer."""
    return 1 <= _schema_version(meta) <= PLAN_SCHEMA_VERSION


# A consolidated workbook, as the one provenance check of the workbook reader knows it.
CONSOLIDATED_WORKBOOK = FileKind(_is_plan, _reads_plan_schema, PlanMeta.CONTENT_HASH)


def _meta_damaged(plan: PlanFile, campaign: str) -> bool:
    """Whether ``_meta`` lacks what reading the plan back needs (campaign, sheets, status, sources)."""
    status = plan.meta_json(PlanMeta.ACTION_STATUS)
    sources = plan.meta_json(PlanMeta.ACTION_SOURCE)
    damaged = (
        not campaign
        or not action_sheet_names(plan.meta)
        or not (isinstance(status, list) and len(status) >= len(ACTION_STATUS_CODES))
        or not all(isinstance(s, str) for s in status or [])
        or not (isinstance(sources, dict) and all(isinstance(sources.get(k), str) for k in ("plan", "item")))
    )
    if not damaged:
        try:
            sources["plan"].format(level=2), sources["item"].format(code="V1")
        except (KeyError, IndexError, ValueError):
            damaged = True
    return damaged


def plan_identity(plan: PlanFile, pack: ContentPack, out: PlanProblems) -> tuple[str, Language | None]:
    """The plan's campaign and language when it is a medrisk-xl plan, of a schema this version
    reads, of this content; else the language is None and ``out`` says why."""
    meta = plan.meta
    verdict = provenance_verdict(meta, pack.hashes, CONSOLIDATED_WORKBOOK)
    if verdict == NOT_OURS:
        out.add("not-a-plan", _not_a_plan(meta))
        return "", None
    if verdict == UNKNOWN_SCHEMA:
        out.add(
            "unknown-schema",
            msg(
                "actions.unknown-schema",
                generator=meta.get(PlanMeta.GENERATOR) or "?",
                schema=meta.get(PlanMeta.SCHEMA_VERSION) or "?",
                version=__version__,
                expected=PLAN_SCHEMA_VERSION,
            ),
        )
        return "", None
    campaign = meta.get(PlanMeta.CAMPAIGN, "")
    if _meta_damaged(plan, campaign):
        out.add("not-a-plan", msg("actions.meta-damaged", sheet=META_SHEET))
        return "", None
    language = meta.get(PlanMeta.LANGUAGE, "")
    if verdict == OTHER_CONTENT or language not in pack.languages:
        out.add(
            "other-content",
            msg(
                "actions.other-content",
                content=f"{meta.get(PlanMeta.CONTENT_ID) or '?'} {meta.get(PlanMeta.CONTENT_VERSION) or '?'}",
                hash=(meta.get(PlanMeta.CONTENT_HASH) or "?")[:12],
                pack=f"{pack.method.id} {pack.method.version}",
                pack_hash=pack.hash[:12],
            ),
        )
        return campaign, None
    return campaign, pack.language(language)
