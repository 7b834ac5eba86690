"""Each vulnerability item's answer by meaning, read from a recorded register whatever the language
it was recorded in: compare tells a changed answer from a relabelled one, trend counts NE SAIT PAS."""

from __future__ import annotations

import numpy as np
import pandas as pd

from medrisk_xl.consolidate.tables import ITEMS

UNKNOWN_STATE = 2  # item_states: NE SAIT PAS


def item_states(reg: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each item's answer by meaning, whatever the campaign's language: -1 unanswered, 0 OUI,
    1 NON, 2 NE SAIT PAS (from its points, 0 compliant or 1 not, and the NE SAIT PAS list)."""
    unknown = reg["unknown_items"].astype(object)
    listed = (", " + unknown.where(unknown.notna(), "").astype(str) + ",").to_numpy(dtype=object)
    states = {}
    for item in ITEMS:
        points = reg[item].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        flagged = np.fromiter((f", {item}," in text for text in listed), dtype=bool, count=len(listed))
        states[item] = np.where(np.isnan(points), -1, np.where(points == 0, 0, np.where(flagged, 2, 1)))
    return states
