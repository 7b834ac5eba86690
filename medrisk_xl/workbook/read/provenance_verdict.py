"""Is this file one of ours: made by medrisk-xl, of a schema this version reads, and generated
with the content pack the command was given.

One check for every command that reads a file back (``validate``, ``audit``, ``actions import``):
each failure stops that command's reading, because the rest of the file cannot be read by this
contract or judged by this method. The check returns a verdict, not a problem, so that each
command keeps its own code and message for it (``actions import`` calls a file that is not
ours ``not-a-plan``, ``validate`` and ``audit`` call it ``not-medrisk``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from medrisk_xl.workbook import contract, it_contract

# The verdicts: not a file of this kind, a schema this version cannot read, another content pack.
NOT_OURS, UNKNOWN_SCHEMA, OTHER_CONTENT = "not-ours", "unknown-schema", "other-content"


@dataclass(frozen=True)
class FileKind:
    """How one kind of medrisk-xl file names itself in its ``_meta`` pairs, which of its schemas
    this version reads, and which pair holds the hash of the content pack it was made with."""

    is_ours: Callable[[Mapping[str, str]], bool]
    reads_schema: Callable[[Mapping[str, str]], bool]
    content_hash_key: str = contract.Meta.CONTENT_HASH


def is_medrisk_meta(meta: Mapping[str, str]) -> bool:
    """Whether the contract pairs (sheet ``_meta``) are those of a medrisk-xl workbook."""
    return (
        meta.get(contract.Meta.GENERATOR, "").startswith("medrisk-xl")
        and contract.Meta.SCHEMA_VERSION in meta
    )


def reads_workbook_schema(meta: Mapping[str, str]) -> bool:
    """Whether a department workbook is of this workbook contract (its schema version)."""
    return meta.get(contract.Meta.SCHEMA_VERSION) == str(contract.SCHEMA_VERSION)


# A department workbook made by ``generate``.
DEPARTMENT_WORKBOOK = FileKind(is_medrisk_meta, reads_workbook_schema)
# An IT workbook made by ``confirm`` or ``generate --vulnerability-by it``.
IT_WORKBOOK = FileKind(it_contract.is_it_meta, it_contract.reads_it_schema)


def provenance_verdict(
    meta: Mapping[str, str], content_hashes: Collection[str], kind: FileKind = DEPARTMENT_WORKBOOK
) -> str | None:
    """None when ``meta`` is that of a file of ``kind``, of a schema this version reads, made with
    a content pack of ``content_hashes`` (the pack's own and its earlier editions',
    ``ContentPack.hashes``); else the first verdict that fails, in that order."""
    if not kind.is_ours(meta):
        return NOT_OURS
    if not kind.reads_schema(meta):
        return UNKNOWN_SCHEMA
    hashes = (content_hashes,) if isinstance(content_hashes, str) else tuple(content_hashes)
    if meta.get(kind.content_hash_key) not in hashes:
        return OTHER_CONTENT
    return None
