"""Small helpers for laying out text in cells."""

from __future__ import annotations

import math

LINE_HEIGHT = 13.0  # points per wrapped line at 10 pt
PIXEL = 0.75  # points per pixel at 96 dpi: row heights are stored in whole pixels


def row_height(text: str, width_chars: float, minimum: float = 15.0) -> float:
    """Estimated height of a wrapped cell of ``width_chars`` characters holding ``text``."""
    per_line = max(8.0, width_chars * 1.1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(minimum, lines * LINE_HEIGHT + 4)


def wrapped_lines(text: str, per_line: float) -> int:
    """Lines ``text`` takes when wrapped at spaces to ``per_line`` characters (a longer word is cut)."""
    per_line = max(1.0, per_line)
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            cuts = math.ceil(len(word) / per_line) - 1
            lines += cuts
            used = len(word) - cuts * per_line
        total += lines
    return total


def fit_height(
    cells: list[tuple[str, float]],
    chars_per_width: float,
    minimum: float = 15.0,
    line_height: float = LINE_HEIGHT,
) -> float:
    """Row height (points) that holds every (text, column width) of ``cells`` wrapped.

    ``chars_per_width`` is how many characters one unit of column width holds: keep it
    conservative (fonts differ between Excel, LibreOffice and the fonts installed).
    """
    needed = [wrapped_lines(text, width * chars_per_width) * line_height + 4 for text, width in cells]
    return math.ceil(max([minimum, *needed]) / PIXEL) * PIXEL  # files store whole pixels


def clipped(text: str, per_line: float, max_lines: int) -> str:
    """``text`` if it wraps to at most ``max_lines`` lines of ``per_line`` characters; else its
    longest word-boundary prefix that fits with "…" after it (a header whose whole text lives in
    its note)."""
    if wrapped_lines(text, per_line) <= max_lines:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(" ,;:–-") + "…"
        if wrapped_lines(shorter, per_line) <= max_lines:
            return shorter
    return words[0][: max(1, int(per_line * max_lines) - 1)] + "…"
