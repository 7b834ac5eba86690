"""Small helpers for laying out text in cells."""

from __future__ import annotations

import math

LINE_HEIGHT = 13.0  # points per wrapped line at 10 pt


def row_height(text: str, width_chars: float, minimum: float = 15.0) -> float:
    """Estimated height of a wrapped cell of ``width_chars`` characters holding ``text``."""
    per_line = max(8.0, width_chars * 1.1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(minimum, lines * LINE_HEIGHT + 4)
