"""The audit's findings: one stable code each, its severity and what it means (README table),
as :mod:`medrisk_xl.core.problem_catalogue` gives them."""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problem_catalogue import AUDIT, codes_of
from medrisk_xl.core.problems import Message, Problem

# code -> (severity, what it means): the audit's view of the one catalogue.
CATALOGUE: dict[str, tuple[str, str]] = codes_of(AUDIT)


def finding(code: str, message: str | Message, **where: Any) -> Problem:
    """A problem with its catalogued severity."""
    return Problem(code, message, severity=CATALOGUE[code][0], **where)
