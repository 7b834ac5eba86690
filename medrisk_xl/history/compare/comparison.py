"""What :func:`~medrisk_xl.history.compare.compare` finds between campaign A and campaign B, as data:
the lists of devices and answers that changed, the distributions (raw and like for like), the
actions completed; as JSON (:meth:`Comparison.to_dict`) or text (:meth:`Comparison.to_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from medrisk_xl.consolidate.tables import CRITERIA, ITEMS
from medrisk_xl.history.actions import CompletedAction
from medrisk_xl.history.compare.compare_text import comparison_text
from medrisk_xl.history.compare.distributions import Distribution, LikeForLike
from medrisk_xl.history.store import CampaignInfo
from medrisk_xl.method.checks.pack_files import VULN_ANSWER_CODES, normalize
from medrisk_xl.method.output_columns import SOURCE_COLUMNS

if TYPE_CHECKING:
    from medrisk_xl.method.pack import ContentPack

COLUMNS = (
    "device_id",
    "department",
    "designation",
    "status",
    "risk_level",
    "included",
    "unknown_items",
    *CRITERIA,
    *ITEMS,
    *(f"{v}_answer" for v in ITEMS),
    *SOURCE_COLUMNS,
    "carried_over",
)


@dataclass(frozen=True)
class RiskChange:
    device_id: str
    department: str | None
    designation: str | None
    risk_a: int
    risk_b: int


@dataclass(frozen=True)
class DeviceEntry:
    """A device new in B (its state in B) or removed from A (its state in A)."""

    device_id: str
    department: str | None
    designation: str | None
    risk_level: int | None
    status: str | None


@dataclass(frozen=True)
class AnswerChange:
    device_id: str
    department: str | None
    item: str  # C1..C9, V1..V10
    before: int | str | None  # points (criteria) or answer label (items); None: no answer
    after: int | str | None
    confirmed: bool = False  # an item answered NE SAIT PAS in A, OUI or NON in B
    source: str | None = None  # who answered the item in B: department or it (IT workbook)


@dataclass
class Comparison:
    """What :func:`compare` finds between campaign A and campaign B."""

    a: CampaignInfo
    b: CampaignInfo
    risk_rose: list[RiskChange] = field(default_factory=list)
    risk_fell: list[RiskChange] = field(default_factory=list)
    added: list[DeviceEntry] = field(default_factory=list)
    removed: list[DeviceEntry] = field(default_factory=list)
    answers_changed: list[AnswerChange] = field(default_factory=list)
    fleet: Distribution | None = None
    departments: list[Distribution] = field(default_factory=list)
    like_for_like: LikeForLike | None = None
    actions_imported: list[str] = field(default_factory=list)  # campaigns A..B whose plan was imported
    actions_completed: list[CompletedAction] = field(default_factory=list)
    # Year two (B generated with --previous): devices of B holding answers carried over from the
    # previous campaign, checked by their department (a real "no change"), or not checked yet
    # (last year's answers, not counted: no risk in B).
    carried_checked: list[str] = field(default_factory=list)
    carried_unchecked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def rows(items: list) -> list[dict[str, Any]]:
            return [vars(x).copy() for x in items]

        return {
            "campaign_a": self.a.to_dict(),
            "campaign_b": self.b.to_dict(),
            "risk_rose": rows(self.risk_rose),
            "risk_fell": rows(self.risk_fell),
            "added": rows(self.added),
            "removed": rows(self.removed),
            "answers_changed": rows(self.answers_changed),
            "distribution": {
                "fleet": self.fleet.to_dict() if self.fleet else None,
                "departments": {d.name: d.to_dict() for d in self.departments},
            },
            "like_for_like": self.like_for_like.to_dict() if self.like_for_like else None,
            "actions_imported": list(self.actions_imported),
            "actions_completed": rows(self.actions_completed),
            "carried_checked": list(self.carried_checked),
            "carried_unchecked": list(self.carried_unchecked),
        }

    def in_language(self, pack: ContentPack, lang: str | None = None) -> Comparison:
        """A copy whose vulnerability answers read in ``lang``'s labels (the pack's default
        language by default): OUI / NON / NE SAIT PAS or YES / NO / DON'T KNOW. A label the pack
        does not know stays as recorded; criteria keep their points."""
        answers = pack.language(lang).labels["vulnerability"]["answers"]
        labels = [answers[code] for code in VULN_ANSWER_CODES]

        def label(item: str, value: int | str | None) -> int | str | None:
            if not isinstance(value, str) or item not in pack.method.items:
                return value
            index = pack.answer_index[item].get(normalize(value))
            return value if index is None else labels[index]

        changed = [
            replace(c, before=label(c.item, c.before), after=label(c.item, c.after))
            for c in self.answers_changed
        ]
        return replace(self, answers_changed=changed)

    def to_text(self, lang: str | None = None) -> str:
        """The comparison as the terminal shows it, its sentences in ``lang`` (English by default)."""
        return comparison_text(self, lang)
