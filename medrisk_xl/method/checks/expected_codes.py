"""Helpers shared by the content pack's checks: expected codes, and the normal form of a label."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problems import Message, Problem, msg


def what_is(what: str, **fields: Any) -> Message:
    """What a code names (a criterion, an item, a hazard…), in words: template ``content.what.<what>``
    (spaces as dashes)."""
    return msg(f"content.what.{what.replace(' ', '-')}", **fields)


def check_codes(found: Any, expected: list, file: str, path: str, what: str, **fields: Any) -> list[Problem]:
    """Keys of mapping ``found`` must be exactly ``expected`` (codes shared by all packs); ``what``
    they are, with its template's ``fields``."""
    if not isinstance(found, dict):
        return []
    out = []
    named = what_is(what, **fields)
    for code in expected:
        if code not in found:
            out.append(
                Problem(
                    "missing-code", msg("content.code-missing", what=named, code=code), file, f"{path}.{code}"
                )
            )
    for code in found:
        if code not in expected:
            key = "content.code-unknown-bool" if isinstance(code, bool) else "content.code-unknown"
            out.append(Problem("unknown-code", msg(key, what=named, code=code), file, f"{path}.{code}"))
    return out


def normalize(text: str) -> str:
    """Case-, accent-, space- and apostrophe-insensitive form of a label."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").casefold()
    return " ".join(text.split())
