"""The IT workbook's very hidden ``_meta`` sheet: the key/value pairs of
:class:`it_contract.ItMeta`, then the answer rows and the devices of each group as generated, so
that reading it back needs nothing but the file (see :mod:`medrisk_xl.workbook.it_contract`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from medrisk_xl.core.version import __version__
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook import contract, it_contract
from medrisk_xl.workbook.it_contract import ItMeta
from medrisk_xl.workbook.write.it_plan import ItPlan
from medrisk_xl.workbook.write.meta_sheet import write_pairs


def it_meta_pairs(
    plan: ItPlan, pack: ContentPack, lists_sheet: str, answer_sheet: str
) -> list[tuple[str, str]]:
    """The key/value pairs, every value as text."""
    return [
        (ItMeta.KIND, it_contract.KIND),
        (ItMeta.SCHEMA_VERSION, str(it_contract.SCHEMA_VERSION)),
        (ItMeta.GENERATOR, f"medrisk-xl {__version__}"),
        (ItMeta.CAMPAIGN, plan.campaign),
        (ItMeta.CREATED, plan.created.isoformat(timespec="seconds")),
        (ItMeta.LANGUAGE, plan.language),
        (ItMeta.CONTENT_ID, pack.method.id),
        (ItMeta.CONTENT_VERSION, pack.method.version),
        (ItMeta.CONTENT_HASH, pack.hash),
        (ItMeta.LISTS_SHEET, lists_sheet),
        (ItMeta.MODE, plan.mode),
        (ItMeta.GROUP_BY, plan.group_by),
        (ItMeta.RETURNS, json.dumps([[name, sha] for name, sha in plan.returns], ensure_ascii=False)),
        (ItMeta.ANSWER_SHEET, answer_sheet),
        (ItMeta.CODE_ROW, str(contract.CODE_ROW)),
        (ItMeta.HEADER_ROW, str(contract.HEADER_ROW)),
        (ItMeta.FIRST_ROW, str(contract.FIRST_ROW)),
        (ItMeta.LAST_ROW, str(contract.FIRST_ROW + len(plan.rows) - 1)),
        (ItMeta.COLUMNS, ",".join(it_contract.COLUMNS)),
        (ItMeta.ROWS, str(len(plan.rows))),
        (ItMeta.DEVICES, str(sum(len(g.devices) for g in plan.groups))),
    ]


def row_table(plan: ItPlan) -> list[tuple[str, ...]]:
    """The answer rows as generated (:data:`it_contract.ROW_FIELDS`): sheet row, group, item and
    the group's site, manufacturer and model."""
    return [
        (
            str(contract.FIRST_ROW + i),
            row.group.group,
            row.item,
            row.group.site,
            row.group.brand,
            row.group.model,
        )
        for i, row in enumerate(plan.rows)
    ]


def device_table(plan: ItPlan) -> list[tuple[str, ...]]:
    """Every device of every group (:data:`it_contract.DEVICE_FIELDS`), with the items its
    department answered "don't know"."""
    return [
        (group.group, device.device_id, device.department, it_contract.ITEMS_SEPARATOR.join(device.unknown))
        for group in plan.groups
        for device in group.devices
    ]


def write_table(ws, c0: int, header: Sequence[str], rows: list[tuple[str, ...]]) -> None:
    """``header`` in row 1 from column ``c0``, then ``rows``, every cell as text."""
    for c, head in enumerate(header):
        ws.write_string(0, c0 + c, head)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            ws.write_string(r, c0 + c, value)


def write_it_meta(ws, plan: ItPlan, pairs: list[tuple[str, str]]) -> None:
    """The pairs, the two tables; protected and very hidden."""
    write_pairs(ws, pairs)
    write_table(ws, contract.META_ROWS_COL, it_contract.ROW_FIELDS, row_table(plan))
    write_table(ws, it_contract.DEVICE_TABLE_COL, it_contract.DEVICE_FIELDS, device_table(plan))
    ws.protect(plan.password)
    ws.very_hidden()
