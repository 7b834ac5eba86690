"""The very hidden ``_meta`` sheet: what ``actions import`` needs to read the action plan back."""

from __future__ import annotations

import json
from collections.abc import Sequence

from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.consolidate.workbook.map_book import Book
from medrisk_xl.consolidate.workbook.xml_rows import TableSheet
from medrisk_xl.core.version import __version__
from medrisk_xl.workbook.kinds import CONSOLIDATED_KIND, KIND_KEY

META_SHEET = "_meta"
PLAN_KIND = CONSOLIDATED_KIND  # the _meta "kind" of a consolidated workbook
PLAN_SCHEMA_VERSION = 2  # of what _meta and the action plan promise to actions import
# The schema a plan is written with: a per-device plan keeps 1 (an older medrisk-xl still reads
# it); a grouped plan (plan_by model or department) is 2, which an older one refuses as too new.
DEVICE_PLAN_SCHEMA_VERSION = 1
PLAN_CODE_ROW = 1  # 1-based: the action sheets' code row; the headers below it, the rows after


class PlanMeta:
    """Keys of the ``_meta`` key/value pairs (column A; values in column B, all text)."""

    KIND = KIND_KEY  # PLAN_KIND
    SCHEMA_VERSION = "plan_schema_version"
    GENERATOR = "generator"  # the medrisk-xl version that wrote the workbook
    CAMPAIGN = "campaign"
    LANGUAGE = "language"
    CONTENT_ID = "content_id"
    CONTENT_VERSION = "content_version"
    CONTENT_HASH = "content_hash"
    ACTION_SHEETS = "action_sheets"  # JSON list: the action plan and its continuations
    CODE_ROW = "code_row"
    ACTION_STATUS = "action_status"  # JSON list: the status dropdown's texts, in ACTION_STATUS_CODES order
    ACTION_SOURCE = "action_source"  # JSON mapping: the "source" column's templates (plan, item)
    PLAN_BY = "plan_by"  # how the plan's rows are grouped (PLAN_BY); absent: device (schema 1)


def write_meta(
    book: Book, result: Consolidation, action_sheets: Sequence[str], plan_by: str = "device"
) -> None:
    """Key/value pairs (columns A:B) that let ``actions import`` read the action plan back: which
    campaign, language and content it belongs to, where its rows are, and the status texts its
    dropdown offered (mapped back to ``ACTION_STATUS_CODES`` by position). Very hidden."""
    pack, ui = book.pack, book.ui
    pairs = {
        PlanMeta.KIND: PLAN_KIND,
        PlanMeta.SCHEMA_VERSION: str(
            DEVICE_PLAN_SCHEMA_VERSION if plan_by == "device" else PLAN_SCHEMA_VERSION
        ),
        PlanMeta.GENERATOR: __version__,
        PlanMeta.CAMPAIGN: result.campaign or "",
        PlanMeta.LANGUAGE: book.language.code,
        PlanMeta.CONTENT_ID: pack.method.id,
        PlanMeta.CONTENT_VERSION: pack.method.version,
        PlanMeta.CONTENT_HASH: pack.hash,
        PlanMeta.ACTION_SHEETS: json.dumps(list(action_sheets), ensure_ascii=False),
        PlanMeta.CODE_ROW: str(PLAN_CODE_ROW),
        PlanMeta.ACTION_STATUS: json.dumps(list(ui["action_status"]), ensure_ascii=False),
        PlanMeta.ACTION_SOURCE: json.dumps(dict(ui["action_source"]), ensure_ascii=False),
    }
    if plan_by != "device":
        pairs[PlanMeta.PLAN_BY] = plan_by
    ws = book.wb.add_worksheet(META_SHEET, worksheet_class=TableSheet)  # texts escaped
    for r, (key, value) in enumerate(pairs.items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.very_hidden()
