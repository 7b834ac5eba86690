"""The codes validate reports, each with its severity and meaning.

A view of :mod:`medrisk_xl.core.problem_catalogue` (the one catalogue; the README's table is
checked against it), and :func:`problem` takes each problem's severity from it.
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.core.problem_catalogue import ERROR, INFO, VALIDATE, WARNING, codes_of
from medrisk_xl.core.problems import Message, Problem

__all__ = ["CATALOGUE", "ERROR", "INFO", "WARNING", "problem"]

# code -> (severity, what it means): validate's view of the one catalogue.
CATALOGUE: dict[str, tuple[str, str]] = codes_of(VALIDATE)


def problem(code: str, message: str | Message, **where: Any) -> Problem:
    """A problem of ``code`` with the severity the catalogue gives it (``where``: sheet, cell, row…);
    a :class:`Message` (``msg``) is rendered in the language chosen when the problem is shown."""
    return Problem(code, message, severity=CATALOGUE[code][0], **where)
