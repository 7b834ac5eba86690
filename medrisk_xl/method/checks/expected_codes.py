"""Helpers shared by the content pack's checks: expected codes, and the normal form of a label."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Problem


def check_codes(found: Any, expected: list, file: str, path: str, what: str) -> list[Problem]:
    """Keys of mapping ``found`` must be exactly ``expected`` (codes shared by all packs)."""
    if not isinstance(found, dict):
        return []
    out = []
    for code in expected:
        if code not in found:
            out.append(Problem("missing-code", f"{what} {code!r} is missing", file, f"{path}.{code}"))
    for code in found:
        if code not in expected:
            hint = " (quote YES/NO keys in YAML)" if isinstance(code, bool) else ""
            out.append(Problem("unknown-code", f"unknown {what} {code!r}{hint}", file, f"{path}.{code}"))
    return out


def normalize(text: str) -> str:
    """Case-, accent-, space- and apostrophe-insensitive form of a label."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").casefold()
    return " ".join(text.split())
