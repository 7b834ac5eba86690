"""The IT workbook's contract: the vulnerability items answered by the IT team, once per group of
devices (a model on a site, or one device), relied on by its writer, ``validate``, ``consolidate``
and outside tools.

Its answer sheet lays out rows like a department workbook's input sheet: a code row
(:data:`contract.CODE_ROW`) holding one of :data:`COLUMNS` in every used column, the human header
below it, then one row per group and item from :data:`contract.FIRST_ROW`. Only
:data:`INPUT_COLUMNS` are unlocked.

The very hidden ``_meta`` sheet holds key/value pairs (columns A:B, keys in :class:`ItMeta`), then
two tables written as generated, each with a header row: from column D the answer rows
(:data:`ROW_FIELDS`: where each row stands, its group and item), from column
:data:`DEVICE_TABLE_COL` the devices of each group (:data:`DEVICE_FIELDS`: group, device id,
department, and the items the department answered "don't know" when the workbook was built).
"""

from __future__ import annotations

from collections.abc import Sequence

from medrisk_xl.method.output_columns import IT_COLUMNS
from medrisk_xl.workbook import contract

KIND = "it-answers"  # _meta "kind": tells an IT workbook from a department workbook or a plan
SCHEMA_VERSION = 1

# Modes: "confirm" (built from the returns: rows for the items a department answered "don't
# know") and "it" (built by generate: every item for every group; the department workbooks ask none).
MODES = ("confirm", "it")
# How devices are grouped into rows, the first the default: one site, manufacturer and model, or
# each device on its own.
GROUP_BYS = ("model", "device")

# The answer sheet's columns, in order (named with the method: the content pack's checks read them).
COLUMNS = IT_COLUMNS
# What the IT team fills in: the only unlocked cells.
INPUT_COLUMNS = ("IT_ANSWER", "COMMENT", "CONFIRMED_BY", "CONFIRMED_ON")
ANSWER = "IT_ANSWER"
# Written by the generator and compared with _meta when read back (an edited cell is an error).
IDENTITY_COLUMNS = ("GROUP", "SITE", "BRAND", "MODEL", "DEVICE_COUNT", "DEVICE_IDS", "ITEM")

# _meta tables: the answer rows as generated (from column D) and the devices of each group.
ROW_FIELDS = ("PLACE", "GROUP", "ITEM", "SITE", "BRAND", "MODEL")
DEVICE_TABLE_COL = 10  # 0-based: column K
DEVICE_FIELDS = ("GROUP", "DEVICE", "DEPARTMENT", "UNKNOWN")

GROUP_ID_FORMAT = "G{:04d}"
IDS_SEPARATOR = ", "
ITEMS_SEPARATOR = " "  # the UNKNOWN field: "V1 V7"
CELL_TEXT_LIMIT = 32767  # characters a spreadsheet cell holds


class ItMeta:
    """Keys of the ``_meta`` key/value pairs of an IT workbook."""

    KIND = "kind"
    SCHEMA_VERSION = contract.Meta.SCHEMA_VERSION
    GENERATOR = contract.Meta.GENERATOR
    CAMPAIGN = contract.Meta.CAMPAIGN
    CREATED = contract.Meta.CREATED
    LANGUAGE = contract.Meta.LANGUAGE
    CONTENT_ID = contract.Meta.CONTENT_ID
    CONTENT_VERSION = contract.Meta.CONTENT_VERSION
    CONTENT_HASH = contract.Meta.CONTENT_HASH
    LISTS_SHEET = contract.Meta.LISTS_SHEET
    MODE = "mode"
    GROUP_BY = "group_by"
    # JSON list of [file name, sha256] of the returns the workbook was built from (confirm mode).
    RETURNS = "returns"
    ANSWER_SHEET = "answer_sheet"
    CODE_ROW = contract.Meta.CODE_ROW
    HEADER_ROW = contract.Meta.HEADER_ROW
    FIRST_ROW = contract.Meta.FIRST_ROW
    LAST_ROW = contract.Meta.LAST_ROW
    COLUMNS = contract.Meta.COLUMNS
    ROWS = "rows"  # how many answer rows
    DEVICES = "devices"  # how many devices the groups hold


def is_it_meta(meta: dict[str, str]) -> bool:
    """Whether ``_meta`` pairs are an IT workbook's (whatever its schema)."""
    return meta.get(ItMeta.KIND) == KIND and meta.get(ItMeta.GENERATOR, "").startswith("medrisk-xl")


def reads_it_schema(meta: dict[str, str]) -> bool:
    """Whether an IT workbook is of the schema this version reads."""
    return meta.get(ItMeta.SCHEMA_VERSION) == str(SCHEMA_VERSION)


def device_ids_text(ids: Sequence[str]) -> str:
    """The DEVICE_IDS cell: every id, separated, cut to what a cell holds (the full list is in
    ``_meta``), ending with how many were left out."""
    text = IDS_SEPARATOR.join(ids)
    if len(text) <= CELL_TEXT_LIMIT:
        return text
    kept: list[str] = []
    size = 0
    for device in ids:
        size += len(device) + len(IDS_SEPARATOR)
        if size > CELL_TEXT_LIMIT - 40:
            break
        kept.append(device)
    return f"{IDS_SEPARATOR.join(kept)}{IDS_SEPARATOR}… (+{len(ids) - len(kept)})"


def group_key(site: str, brand: str, model: str) -> tuple[str, str, str]:
    """The key devices are grouped by with ``--group-by model``: site, manufacturer and model as
    written, compared without case or surrounding spaces."""
    return (site.strip().casefold(), brand.strip().casefold(), model.strip().casefold())
