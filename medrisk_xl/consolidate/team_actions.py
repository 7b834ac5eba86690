"""The team's own actions: rows the team adds to the action plan ("Demander le MDS2 au fabricant"),
with its devices and a text of its own, and no generated ref.

Such an action has no theme or item code, so it is known by a ref made from its text: ``TEAM-``
and the first 8 hexadecimal digits of the SHA-256 of the text normalised (surrounding white space
stripped, runs of white space made one space, case folded). The same text on several devices, typed
again on another row, or written back by the next ``consolidate --db`` is then one action, kept per
device as the history keys every action: (campaign, device_id, ref). ``actions import`` computes
the ref from the text it reads; the plan writers show it; the history stores it."""

from __future__ import annotations

import hashlib
import re

from medrisk_xl.core.textsafe import clean_text

TEAM_REF_PREFIX = "TEAM-"
TEAM_REF_DIGITS = 8
_TEAM_REF = re.compile(rf"{TEAM_REF_PREFIX}[0-9a-f]{{{TEAM_REF_DIGITS}}}", re.IGNORECASE)


def normalised_action_text(text: str) -> str:
    """What a team action's ref is made from: case and white space do not make another action."""
    return " ".join(text.split()).casefold()


def team_ref(text: str) -> str:
    """The stable ref of the team's action ``text``: ``TEAM-`` and 8 hex digits of its SHA-256."""
    digest = hashlib.sha256(normalised_action_text(text).encode("utf-8")).hexdigest()
    return TEAM_REF_PREFIX + digest[:TEAM_REF_DIGITS]


def is_team_ref(ref: str) -> bool:
    """Whether ``ref`` has the form of a team action's ref (``TEAM-`` and 8 hex digits)."""
    return bool(_TEAM_REF.fullmatch(ref.strip()))


def team_action_text(value: object) -> str:
    """A team action's text as stored and written back: its line breaks kept, each line cleaned
    like any text from a return (no control character; never a formula once written)."""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(text for text in (clean_text(line)[0] for line in lines) if text)
