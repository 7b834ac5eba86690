"""The MDS2 mapping as data: per vulnerability item, the form's questions bearing on it, the rules
that turn their answers into a suggestion, and why (a rationale citing the item's help)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """All of ``when`` (question -> "yes" | "no") hold: suggest ``suggest`` (a YES/NO answer code)."""

    kind: str  # by-design
    when: tuple[tuple[str, str], ...]
    suggest: str


@dataclass(frozen=True)
class Rationale:
    cite: str  # an extract of the item's help, in that language
    text: str  # why the questions and rules bear on the item


@dataclass(frozen=True)
class ItemMapping:
    item: str
    questions: tuple[str, ...]
    rules: tuple[Rule, ...]
    rationale: dict[str, Rationale]  # language -> rationale


@dataclass(frozen=True)
class Mds2Mapping:
    """The whole mapping; ``items`` follows the file's order."""

    source: dict[str, str]
    items: dict[str, ItemMapping]

    def of(self, item: str) -> ItemMapping | None:
        return self.items.get(item)


def mapping_from_yaml(data: dict[str, Any]) -> Mds2Mapping:
    """The model of a checked ``mds2.yaml``."""
    items = {}
    for code, entry in data["items"].items():
        items[code] = ItemMapping(
            item=code,
            questions=tuple(entry["questions"]),
            rules=tuple(
                Rule(rule["kind"], tuple(rule["when"].items()), rule["suggest"]) for rule in entry["rules"]
            ),
            rationale={lang: Rationale(r["cite"], r["text"]) for lang, r in entry["rationale"].items()},
        )
    return Mds2Mapping(source=dict(data["source"]), items=items)
