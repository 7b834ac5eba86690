"""Last year's answers, carried into this year's workbooks (``generate --db --previous``, issue 26).

For each device id of a recorded campaign: the option it chose for each question, read from the
devices the map included (a workbook with errors is not a source of answers). A criterion is
recorded as its points, an item as its label; "don't know" is never carried (it must be asked
again), nor is the answer of a device recorded twice (which one would be right is unknown).
"""

from __future__ import annotations

import os
from collections import Counter

import pandas as pd

from medrisk_xl.core.matching import match_answer
from medrisk_xl.generate.carried_answers import Carried
from medrisk_xl.history.store import open_history
from medrisk_xl.method.output_columns import CRITERIA, ITEMS
from medrisk_xl.method.pack import ContentPack


def _text(value: object) -> str:
    """A recorded value as text, "" for an empty cell (None, NaN or NA)."""
    return "" if value is None or pd.isna(value) else str(value)


def item_index(label: str, item: str, pack: ContentPack) -> int | None:
    """The option a recorded item label names, in any of the pack's languages (None: none)."""
    for language in pack.languages.values():
        found = match_answer(label, language.option_labels[item])
        if isinstance(found, int):
            return found
    return None


def carried_answers(target: str | os.PathLike[str] | None, campaign: str, pack: ContentPack) -> Carried:
    """Device id -> the answers ``campaign`` recorded for it (the history is only read; an
    unknown campaign is refused with the recorded ones listed)."""
    m = pack.method
    columns = ("device_id", "included", *CRITERIA, *(f"{v}_answer" for v in ITEMS))
    with open_history(target, create=False) as history:
        history.campaign(campaign)  # refuses an unknown campaign, naming the recorded ones
        register = history.register(campaign, columns)
    register = register[register["included"]]
    seen = Counter(_text(d) for d in register["device_id"])
    out: dict[str, dict[str, int]] = {}
    for row in register.itertuples(index=False):
        device = _text(row[0])
        if not device or seen[device] > 1:
            continue
        answers: dict[str, int] = {}
        for code, points in zip(CRITERIA, row[2 : 2 + len(CRITERIA)]):
            scale = m.answer_points(code)
            if _text(points) and scale.count(int(points)) == 1:
                answers[code] = scale.index(int(points))
        for item, label in zip(ITEMS, row[2 + len(CRITERIA) :]):
            index = item_index(_text(label), item, pack) if _text(label) else None
            if index is not None and index != m.unknown_answer:
                answers[item] = index
        if answers:
            out[device] = answers
    return out
