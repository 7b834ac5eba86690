"""The refusals every reader of a returned file shares: :class:`Unreadable` (a stable code and a
message saying what to do) and an XML parser that never expands a DTD.

Kept apart from :mod:`medrisk_xl.workbook.read.opening` so that the part inventory
(:mod:`medrisk_xl.workbook.read.parts`), which the opening calls, can use them without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from medrisk_xl.core.message_templates import Message, msg


class Unreadable(Exception):
    """A file that cannot be read as a workbook: ``code`` is stable, ``message`` says what to do
    (in English; ``said``: its template too, when it has one, for the chosen language)."""

    def __init__(self, code: str, message: str | Message) -> None:
        text = message.text() if isinstance(message, Message) else message
        super().__init__(f"{code}: {text}")
        self.code = code
        self.message = text
        self.said: str | Message = message


def iterparse(fileobj: BinaryIO, events: Sequence[str] = ("end",)) -> Iterator[tuple[str, Element]]:
    """Stream ``(event, element)`` pairs like :func:`xml.etree.ElementTree.iterparse`.

    Refuses any DTD (so entity expansion and external entities never happen) with ``hostile-xml``;
    XML that is not well-formed raises ``malformed-xml``. Clear elements once used to keep memory flat.
    """
    part = getattr(fileobj, "name", None)
    where = msg("open.the-part", part=part) if isinstance(part, str) else msg("open.an-xml-part")
    try:
        yield from DefusedET.iterparse(fileobj, events=events, forbid_dtd=True)
    except DefusedXmlException:
        raise hostile_xml(part if isinstance(part, str) else None) from None
    except (ParseError, ValueError, LookupError) as exc:  # e.g. an unknown or multi-byte encoding
        raise Unreadable(
            "malformed-xml",
            msg("open.malformed-xml", where=where, error=str(exc)),
        ) from None


def hostile_xml(part: str | None) -> Unreadable:
    """The refusal of a DTD or entity declaration in ``part`` (any XML member of the package)."""
    where = msg("open.the-part", part=part) if part else msg("open.an-xml-part")
    return Unreadable("hostile-xml", msg("open.hostile-xml", where=where))
