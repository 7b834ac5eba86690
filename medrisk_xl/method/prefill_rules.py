"""Pre-fill rules as data (``prefill.yaml``, see :mod:`medrisk_xl.method.specs_prefill`): a
measure of the inventory (an age, a count) turned into a criterion's answer by bands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PrefillRule:
    """``criterion`` is answered with the points of the first band whose ``below`` exceeds the
    measure (the last band, without ``below``, takes the rest)."""

    criterion: str
    measure: str  # specs_prefill.MEASURES
    field: str | None  # age_years: the inventory's date field
    columns: tuple[str, ...]  # count: the headers the inventory column may have
    bands: tuple[tuple[int | None, int], ...]  # (below, points), in order

    def points_for(self, value: int) -> int:
        """The points of the band ``value`` falls in."""
        for below, points in self.bands:
            if below is None or value < below:
                return points
        raise ValueError(f"{value} is in no band")  # the checks require a last open band


@dataclass(frozen=True)
class PrefillRules:
    rules: tuple[PrefillRule, ...]


def rules_from_yaml(data: dict[str, Any]) -> PrefillRules:
    """The checked ``prefill.yaml`` as data."""
    return PrefillRules(
        tuple(
            PrefillRule(
                rule["criterion"],
                rule["measure"],
                rule.get("field"),
                tuple(rule.get("columns", ())),
                tuple((band.get("below"), band["points"]) for band in rule["bands"]),
            )
            for rule in data["rules"]
        )
    )
