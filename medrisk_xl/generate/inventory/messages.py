"""Every problem the inventory reader gives, by message id: its template is ``inventory.<id>`` in
the message catalogue (content/<language>/messages.yaml). The problem code is the id up to its
first "."."""

from __future__ import annotations

from medrisk_xl.core.message_templates import FALLBACK, fields, template
from medrisk_xl.core.problems import Message, Problem, msg

EXPORT_HINT = msg("inventory-text.hint")  # what to do with a file that cannot be read as an inventory


def problem(
    key: str,
    *,
    file: str | None,
    sheet: str | None = None,
    row: int | None = None,
    severity: str = "error",
    **params: object,
) -> Problem:
    """The :class:`Problem` of message ``key`` filled with ``params``."""
    if "hint" in fields(template(f"inventory.{key}", FALLBACK)):
        params.setdefault("hint", EXPORT_HINT)
    return Problem(
        key.split(".", 1)[0],
        msg(f"inventory.{key}", **params),
        file=file,
        sheet=sheet,
        row=row,
        severity=severity,
    )


def warning(key: str, **kwargs: object) -> Problem:
    """A warning: the inventory is read, and the user is told what to check."""
    return problem(key, severity="warning", **kwargs)  # type: ignore[arg-type]


def row_list(rows: list[int], shown: int = 8) -> Message:
    """``rows 5, 9, 12 …`` for a warning: the first ``shown`` rows, then how many more."""
    head = ", ".join(str(r) for r in rows[:shown])
    more = len(rows) - shown
    if len(rows) == 1:
        return msg("inventory-text.row", rows=head)
    return (
        msg("inventory-text.rows_more", rows=head, more=more)
        if more > 0
        else msg("inventory-text.rows", rows=head)
    )


def row_span(first: int, last: int, count: int) -> Message:
    """``row 33`` or ``rows 33–40 (5 rows)`` (the count says when some rows between are empty)."""
    return (
        msg("inventory-text.span_one", first=first)
        if count == 1
        else msg("inventory-text.span", first=first, last=last, count=count)
    )
