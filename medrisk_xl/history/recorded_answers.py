"""Last year's answers, carried into this year's workbooks (``generate --db --previous``, issue 26).

For each device id of a recorded campaign: the option it chose for each question, read from the
devices the map included (a workbook with errors is not a source of answers). A criterion is
recorded as its points, an item as its label; "don't know" is never carried (it must be asked
again), nor is the answer of a device recorded twice (which one would be right is unknown).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from medrisk_xl.generate.carried_answers import Carried
from medrisk_xl.history.store import open_history
from medrisk_xl.history.stored_values import is_missing, text_or_empty
from medrisk_xl.method.output_columns import CRITERIA, ITEMS
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.method.scorer import AnswerError, parse_answer

ANSWER_COLUMNS = (*CRITERIA, *(f"{v}_answer" for v in ITEMS))  # criteria as points, items as labels


def recorded_option(pack: ContentPack, code: str, value: Any) -> int | None:
    """The option a recorded answer names, read as every answer given to medrisk-xl is
    (:func:`~medrisk_xl.method.scorer.parse_answer`: a criterion's points, an item's label in any
    language of the pack); None when empty or not one of them."""
    if is_missing(value):
        return None
    try:
        return parse_answer(pack, code, int(value) if code in CRITERIA else str(value))
    except AnswerError:
        return None


def carried_answers(target: str | os.PathLike[str] | None, campaign: str, pack: ContentPack) -> Carried:
    """Device id -> the answers ``campaign`` recorded for it (the history is only read; an
    unknown campaign is refused with the recorded ones listed)."""
    unknown = pack.method.unknown_answer
    with open_history(target, create=False) as history:
        history.campaign(campaign)  # refuses an unknown campaign, naming the recorded ones
        register = history.register(campaign, ("device_id", "included", *ANSWER_COLUMNS))
    register = register[register["included"]]
    seen = Counter(text_or_empty(d) for d in register["device_id"])
    out: dict[str, dict[str, int]] = {}
    for row in register.itertuples(index=False):
        device = text_or_empty(row[0])
        if not device or seen[device] > 1:
            continue
        answers = {}
        for code, value in zip((*CRITERIA, *ITEMS), row[2:]):
            index = recorded_option(pack, code, value)
            if index is not None and not (code in ITEMS and index == unknown):
                answers[code] = index
        if answers:
            out[device] = answers
    return out
