"""What a department workbook asks: the whole questionnaire of the seed, or the criteria only when
the IT team answers the vulnerability items in its own workbook (``--vulnerability-by it``).

The writer draws, and ``validate`` reads, a department workbook with :func:`asked_pack`: the
content pack whose method holds the questions the workbook asks. Every other sheet (lists, guide,
plans, items, register) keeps the whole method: it explains how the device's risk is computed.
"""

from __future__ import annotations

import dataclasses

from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook import contract

_CRITERIA_ONLY: dict[int, tuple[ContentPack, ContentPack]] = {}


def asked_pack(pack: ContentPack, vulnerability_by: str) -> ContentPack:
    """``pack`` as a department workbook asks it: unchanged, or without the vulnerability items
    when the IT team answers them (the scorer then scores the criticality only)."""
    if vulnerability_by == contract.VULNERABILITY_BYS[0]:
        return pack
    cached = _CRITERIA_ONLY.get(id(pack))
    if cached is None or cached[0] is not pack:
        method = dataclasses.replace(pack.method, items=())
        cached = (pack, dataclasses.replace(pack, method=method))
        _CRITERIA_ONLY[id(pack)] = cached
    return cached[1]


def asks_items(pack: ContentPack) -> bool:
    """Whether a workbook drawn with ``pack`` (see :func:`asked_pack`) asks the vulnerability items."""
    return bool(pack.method.items)


def result_codes(pack: ContentPack) -> tuple[str, ...]:
    """The computed cells of a device row of a workbook drawn with ``pack``."""
    return contract.result_codes(asks_items(pack))
