"""What inspecting a package's parts finds: its members, and the active or outward-pointing content.

Apart from :mod:`medrisk_xl.workbook.read.parts` (which finds them) so that an opened
:class:`~medrisk_xl.workbook.read.package.Package` can hold its inventory without importing the inspection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from medrisk_xl.core.problems import Joined, Message, msg
from medrisk_xl.workbook.read.part_kinds import ASK, CODES, HYPERLINK, kind_key
from medrisk_xl.workbook.read.safe_xml import Unreadable


@dataclass(frozen=True)
class Finding:
    """One active or outward-pointing thing found in a package, in plain words."""

    code: str
    part: str
    what: str
    target: str | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def message(self) -> str:
        to = f", to {self.target}" if self.target else ""
        if self.code == "unsafe-hyperlink":
            return (
                f"{HYPERLINK.what} ({self.part}{to}): do not click it, it can send your Windows "
                "credentials to that machine"
            )
        return f"the file holds {self.what} ({self.part}{to}), which a department return never needs. {ASK}"

    @property
    def said(self) -> Message:
        """:attr:`message` as a message of the catalogue (rendered in the chosen language)."""
        to = msg("open.to", target=self.target) if self.target else ""
        key = "open.unsafe-hyperlink" if self.code == "unsafe-hyperlink" else "open.active-part"
        return msg(key, what=self.named, part=self.part, to=to)

    @property
    def named(self) -> Message:
        """What was found, in words (template ``open.kind.<what as a slug>``)."""
        return msg(f"open.kind.{kind_key(self.what)}")


@dataclass(frozen=True)
class Member:
    """One member of the package, its content type, the relationships reaching it, and its kind."""

    name: str
    content_type: str
    reached_by: tuple[str, ...]
    kind: Literal["generator", "office", "active", "other"]


@dataclass(frozen=True)
class Inventory:
    """Every member of an accepted package, the warnings found in it, and its active content when
    the caller chose to read such a file for its values."""

    members: tuple[Member, ...]
    warnings: tuple[Finding, ...] = ()
    active: tuple[Finding, ...] = ()  # only when opened with refuse_active=False


class ActiveContent(Unreadable):
    """A package refused for active or outward-pointing content; ``findings`` names every part."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = tuple(findings)
        listed = Joined(tuple(msg("open.what-part", what=f.named, part=f.part) for f in self.findings))
        super().__init__(self.findings[0].code, msg("open.active-content", listed=listed))
