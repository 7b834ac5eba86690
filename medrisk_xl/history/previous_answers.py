"""What earlier campaigns answered for a model, as a hint for the IT team (``confirm --db``).

For each manufacturer, model and vulnerability item: the answers the devices of that model got in
the most recent recorded campaign holding the model (other than the one being confirmed), with how
many gave each. A hint only: the IT workbook shows it beside the answer cell and never copies it.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from medrisk_xl.history.store import history_order, open_history
from medrisk_xl.history.stored_values import text_or_empty
from medrisk_xl.method.output_columns import ITEMS
from medrisk_xl.workbook.it_contract import group_key

ModelItem = tuple[str, str, str]  # (manufacturer key, model key, item), as it_contract.group_key folds them


def model_item(brand: str, model: str, item: str) -> ModelItem:
    """The key of a model's item: manufacturer and model compared as ``--group-by model`` does."""
    _, brand_key, model_key = group_key("", brand, model)
    return (brand_key, model_key, item)


def previous_answers(
    target: str | os.PathLike[str] | None, campaign: str | None, template: str
) -> dict[ModelItem, str]:
    """(manufacturer, model, item) -> the hint, e.g. ``OUI ×3, NON ×1 (demo-2025)``: ``template``
    holds ``{answers}`` and ``{campaign}``. The history is only read (never created)."""
    hints: dict[ModelItem, str] = {}
    with open_history(target, create=False) as history:
        infos = sorted(history.campaigns(), key=history_order, reverse=True)
        for info in infos:
            if info.campaign == campaign:
                continue
            columns = ("manufacturer", "model", *(f"{v}_answer" for v in ITEMS))
            register = history.register(info.campaign, columns)
            counts: dict[ModelItem, Counter[str]] = defaultdict(Counter)
            for row in register.itertuples(index=False):
                brand, model = text_or_empty(row[0]), text_or_empty(row[1])
                for item, answer in zip(ITEMS, row[2:]):
                    if text_or_empty(answer):
                        counts[model_item(brand, model, item)][text_or_empty(answer)] += 1
            for key, found in counts.items():
                if key not in hints:  # a more recent campaign already gave it
                    answers = ", ".join(
                        label if len(found) == 1 else f"{label} ×{n}" for label, n in found.most_common()
                    )
                    hints[key] = template.format(answers=answers, campaign=info.campaign)
    return hints
