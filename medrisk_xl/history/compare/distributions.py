"""The risk distribution of two campaigns, raw and like for like, and where its change comes from.

Raw: every device of each campaign's register, in the map by risk level ("1", "2", "3") or not in
the map. Like for like: only the devices in the map in both campaigns (matched by id, each under its
department in B), so that a change there is a change of risk, not of coverage. The raw change of
each level is the sum of two parts: ``risk`` (the like-for-like change) and ``coverage`` (devices
entering or leaving the map, or moving to another department).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from medrisk_xl.history.stored_values import none_if_missing

LEVELS = ("1", "2", "3")
NOT_MAPPED = "not_mapped"
BUCKETS = (*LEVELS, NOT_MAPPED)
NO_DEPARTMENT = "—"
FLEET = "fleet"  # the name of the whole fleet's distribution


def plain_value(value: Any) -> Any:
    """A register value as JSON takes it: None for a missing one (the history's
    :func:`none_if_missing`), int for a numpy integer."""
    value = none_if_missing(value)
    return int(value) if isinstance(value, np.integer) else value


def empty() -> dict[str, int]:
    return dict.fromkeys(BUCKETS, 0)


@dataclass(frozen=True)
class Distribution:
    """Devices by risk level and not in the map, in A and in B; ``risk``: the part of the change
    that devices in the map in both campaigns make (None for a like-for-like distribution)."""

    name: str  # FLEET or a department
    a: dict[str, int]
    b: dict[str, int]
    risk: dict[str, int] | None = None

    @property
    def change(self) -> dict[str, int]:
        return {k: self.b[k] - self.a[k] for k in BUCKETS}

    @property
    def coverage(self) -> dict[str, int] | None:
        """The part of the change made by devices entering or leaving the map (or the department)."""
        if self.risk is None:
            return None
        return {k: self.change[k] - self.risk[k] for k in BUCKETS}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"a": self.a, "b": self.b, "change": self.change}
        if self.risk is not None:
            out |= {"from_risk": self.risk, "from_coverage": self.coverage}
        return out


@dataclass(frozen=True)
class LikeForLike:
    """The devices in the map in both campaigns, by risk level in A and in B."""

    devices: int
    fleet: Distribution
    departments: list[Distribution]

    def to_dict(self) -> dict[str, Any]:
        return {
            "devices": self.devices,
            "fleet": self.fleet.to_dict(),
            "departments": {d.name: d.to_dict() for d in self.departments},
        }


def departments_of(reg: pd.DataFrame) -> list[str]:
    """Each row's department (NO_DEPARTMENT when empty)."""
    return [
        NO_DEPARTMENT if plain_value(d) is None or d == "" else str(d) for d in reg["department"].tolist()
    ]


def buckets_of(reg: pd.DataFrame) -> np.ndarray:
    """Each row's bucket: its risk level when the device is in the map, else NOT_MAPPED."""
    mapped = (reg["included"].astype(bool) & reg["risk_level"].notna()).to_numpy()
    levels = reg["risk_level"].astype("Float64").fillna(0).astype(int).astype(str).to_numpy()
    return np.where(mapped, levels, NOT_MAPPED)


def count(buckets: list[str], names: list[str]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The fleet's counts per bucket, and each name's (department's)."""
    fleet = empty()
    per_name: dict[str, dict[str, int]] = {}
    for name, key in zip(names, buckets):
        fleet[key] += 1
        per_name.setdefault(name, empty())[key] += 1
    return fleet, per_name


def distributions(
    a: pd.DataFrame, b: pd.DataFrame, like: LikeForLike
) -> tuple[Distribution, list[Distribution]]:
    """The raw distributions of registers ``a`` and ``b`` (every row), each with its risk part."""
    fleet_a, deps_a = count(buckets_of(a).tolist(), departments_of(a))
    fleet_b, deps_b = count(buckets_of(b).tolist(), departments_of(b))
    risk = {d.name: d.change for d in like.departments}
    fleet = Distribution(FLEET, fleet_a, fleet_b, like.fleet.change)
    departments = [
        Distribution(d, deps_a.get(d, empty()), deps_b.get(d, empty()), risk.get(d, empty()))
        for d in sorted(set(deps_a) | set(deps_b))
    ]
    return fleet, departments


def like_for_like(ca: pd.DataFrame, cb: pd.DataFrame) -> LikeForLike:
    """The devices ``ca`` and ``cb`` (one row per device, in the same order) in the map in both."""
    bucket_a, bucket_b = buckets_of(ca), buckets_of(cb)
    both = (bucket_a != NOT_MAPPED) & (bucket_b != NOT_MAPPED)
    names = [n for n, keep in zip(departments_of(cb), both) if keep]
    fleet_a, deps_a = count(bucket_a[both].tolist(), names)
    fleet_b, deps_b = count(bucket_b[both].tolist(), names)
    departments = [Distribution(d, deps_a[d], deps_b[d]) for d in sorted(deps_a)]
    return LikeForLike(int(both.sum()), Distribution(FLEET, fleet_a, fleet_b), departments)
