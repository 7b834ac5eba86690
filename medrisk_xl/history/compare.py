"""Compare two recorded campaigns: what changed in the fleet between them.

- devices whose risk level rose or fell (both campaigns scored them);
- devices new in B, and devices of A that B no longer has;
- answers that changed, one row per device and item: criteria by their points (1-4), the
  vulnerability items by their answer (OUI / NON / NE SAIT PAS, compared by meaning, so two
  campaigns recorded in different languages compare right; each side is kept in its own
  campaign's labels, :meth:`Comparison.in_language` shows both in one language); an answer that
  became empty or unreadable counts as a change to "—";
- the risk distribution of the fleet and of each department: the devices of the map (scored,
  from a workbook without errors) by risk level, plus the devices not in the map, in A and in B;
- the actions completed between A and B: the actions marked done in the action plans imported
  for the campaigns from A up to B (``actions import``), each with what B says of its item
  (:func:`medrisk_xl.history.actions.completed_actions`).

Devices are matched by id. A register can list one id twice (a device returned by two
departments, an error the problems list names): its first row, in priority order, stands for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from medrisk_xl.consolidate.tables import CRITERIA, ITEMS
from medrisk_xl.history.actions import CompletedAction, completed_actions
from medrisk_xl.history.store import CampaignInfo, History, open_history
from medrisk_xl.method.checks.pack_files import VULN_ANSWER_CODES, normalize
from medrisk_xl.method.output_columns import SOURCE_COLUMNS, source_column
from medrisk_xl.workbook.contract import STATUS_TO_REVIEW

if TYPE_CHECKING:
    from medrisk_xl.method.pack import ContentPack

LEVELS = ("1", "2", "3")
NOT_MAPPED = "not_mapped"
BUCKETS = (*LEVELS, NOT_MAPPED)
NO_DEPARTMENT = "—"
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


@dataclass(frozen=True)
class Distribution:
    """Devices by risk level ("1", "2", "3") and not in the map, in A and in B."""

    name: str  # "fleet" or a department
    a: dict[str, int]
    b: dict[str, int]

    @property
    def change(self) -> dict[str, int]:
        return {k: self.b[k] - self.a[k] for k in BUCKETS}

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "change": self.change}


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

    def to_text(self) -> str:
        a, b = self.a.campaign, self.b.campaign
        out = [f"{a} → {b}"]
        for info in (self.a, self.b):
            out.append(
                f"  {info.campaign}: created {(info.created or '—')[:10]}, recorded {info.recorded_at}, "
                f"{info.devices} device(s), {info.devices_in_map} in the map"
            )
        for title, changes in (("Risk level rose", self.risk_rose), ("Risk level fell", self.risk_fell)):
            out.append(f"{title}: {len(changes)} device(s)")
            out += _table(
                [
                    [c.device_id, _t(c.department), _t(c.designation), f"{c.risk_a} → {c.risk_b}"]
                    for c in changes
                ]
            )
        for title, entries in (
            (f"New devices in {b}", self.added),
            (f"Devices no longer in {b}", self.removed),
        ):
            out.append(f"{title}: {len(entries)}")
            out += _table(
                [
                    [e.device_id, _t(e.department), _t(e.designation), f"risk {_t(e.risk_level)}"]
                    for e in entries
                ]
            )
        per_device: dict[str, list[AnswerChange]] = {}
        for change in self.answers_changed:
            per_device.setdefault(change.device_id, []).append(change)
        out.append(f"Answers changed: {len(self.answers_changed)} answer(s) on {len(per_device)} device(s)")
        for device, changes in per_device.items():
            listed = ", ".join(f"{c.item} {_t(c.before)} → {_t(c.after)}" for c in changes)
            out.append(f"  {device} ({_t(changes[0].department)}): {listed}")
        confirmed = [c for c in self.answers_changed if c.confirmed]
        by_it = sum(1 for c in confirmed if c.source == "it")
        out.append(f"NE SAIT PAS confirmed in {b}: {len(confirmed)} answer(s), {by_it} by the IT team")
        if self.carried_checked or self.carried_unchecked:
            out.append(
                f"Answers carried over into {b}: {len(self.carried_checked)} device(s) checked by their "
                f"department, {len(self.carried_unchecked)} not checked (not counted: no risk in {b})"
            )
        out.append("Risk distribution: devices in the map by risk level, and not in the map (A → B)")
        header = ["", "level 1", "level 2", "level 3", "not mapped"]
        lines = [header]
        for dist in [d for d in (self.fleet,) if d] + self.departments:
            lines.append([dist.name] + [_delta(dist.a[k], dist.b[k]) for k in BUCKETS])
        out += _table(lines)
        out += self._actions_text()
        return "\n".join(out)

    def _actions_text(self) -> list[str]:
        a, b = self.a.campaign, self.b.campaign
        title = f"Actions completed between {a} and {b}"
        if not self.actions_imported:
            return [f"{title}: no action plan imported (medrisk-xl actions import)"]
        done = self.actions_completed
        plans = ", ".join(self.actions_imported)
        out = [f"{title}: {len(done)} (action plan imported for {plans})"]
        rows = [
            [
                x.device_id,
                _t(x.department),
                x.shown_ref,
                _t(x.owner),
                f"due {_t(x.due)}",
                IN_B.get(x.in_b, "").format(b=b),
            ]
            for x in done
        ]
        return out + _table(rows)


# What campaign B says of a completed action (CompletedAction.in_b).
IN_B = {
    "resolved": "compliant in {b}",
    "second_look": "still non-compliant in {b}: second look",
    "unanswered": "unanswered in {b}",
    "removed": "device no longer in {b}",
}


def _t(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def _delta(a: int, b: int) -> str:
    return f"{a} → {b} ({b - a:+d})" if a != b else f"{a} → {b}"


def _table(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    return ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]


# --------------------------------------------------------------------------------------------


def _none(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return int(value) if isinstance(value, (np.integer,)) else value


UNKNOWN_STATE = 2  # _item_states: NE SAIT PAS


def _item_states(reg: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each item's answer by meaning, whatever the campaign's language: -1 unanswered, 0 OUI,
    1 NON, 2 NE SAIT PAS (from its points, 0 compliant or 1 not, and the NE SAIT PAS list)."""
    unknown = reg["unknown_items"].astype(object)
    listed = (", " + unknown.where(unknown.notna(), "").astype(str) + ",").to_numpy(dtype=object)
    states = {}
    for item in ITEMS:
        points = reg[item].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        flagged = np.fromiter((f", {item}," in text for text in listed), dtype=bool, count=len(listed))
        states[item] = np.where(np.isnan(points), -1, np.where(points == 0, 0, np.where(flagged, 2, 1)))
    return states


def _departments(reg: pd.DataFrame) -> list[str]:
    return [NO_DEPARTMENT if _none(d) is None or d == "" else str(d) for d in reg["department"].tolist()]


def _distribution(reg: pd.DataFrame) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    mapped = (reg["included"].astype(bool) & reg["risk_level"].notna()).to_numpy()
    levels = reg["risk_level"].astype("Float64").fillna(0).astype(int).astype(str).to_numpy()
    bucket = np.where(mapped, levels, NOT_MAPPED)
    fleet = {k: int((bucket == k).sum()) for k in BUCKETS}
    per_department: dict[str, dict[str, int]] = {}
    for department, key in zip(_departments(reg), bucket.tolist()):
        per_department.setdefault(department, dict.fromkeys(BUCKETS, 0))[key] += 1
    return fleet, per_department


def _device_entries(reg: pd.DataFrame, ids: set[str], deps: dict[str, str]) -> list[DeviceEntry]:
    """The devices ``ids`` of a register, by department then id."""
    rows = reg.loc[sorted(ids, key=lambda i: (deps[i], i))]
    return [
        DeviceEntry(
            r["device_id"],
            _none(r["department"]),
            _none(r["designation"]),
            _none(r["risk_level"]),
            _none(r["status"]),
        )
        for r in rows[["device_id", "department", "designation", "risk_level", "status"]].to_dict("records")
    ]


def _risk_changes(
    common: list[str], ca: pd.DataFrame, cb: pd.DataFrame
) -> tuple[list[RiskChange], list[RiskChange]]:
    """The devices in both campaigns whose risk level rose, and those whose level fell."""
    risk_a = ca["risk_level"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    risk_b = cb["risk_level"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    scored = ~np.isnan(risk_a) & ~np.isnan(risk_b)
    departments = cb["department"].tolist()
    designations = cb["designation"].tolist()
    rose: list[RiskChange] = []
    fell: list[RiskChange] = []
    for target, mask in ((rose, scored & (risk_b > risk_a)), (fell, scored & (risk_b < risk_a))):
        for k in np.nonzero(mask)[0]:
            target.append(
                RiskChange(
                    common[k], _none(departments[k]), _none(designations[k]), int(risk_a[k]), int(risk_b[k])
                )
            )
    return rose, fell


def _answer_changes(common: list[str], ca: pd.DataFrame, cb: pd.DataFrame) -> list[AnswerChange]:
    """The criteria and items answered otherwise in B, device by device (``common``'s order)."""
    departments = cb["department"].tolist()
    changes: dict[int, list[AnswerChange]] = {}
    for code in CRITERIA:
        pa = ca[code].astype("Float64").to_numpy(dtype=float, na_value=-1)
        pb = cb[code].astype("Float64").to_numpy(dtype=float, na_value=-1)
        for k in np.nonzero(pa != pb)[0]:
            before, after = (None if p < 0 else int(p) for p in (pa[k], pb[k]))
            changes.setdefault(k, []).append(
                AnswerChange(common[k], _none(departments[k]), code, before, after)
            )
    states_a, states_b = _item_states(ca), _item_states(cb)
    for item in ITEMS:
        sa_, sb_ = states_a[item], states_b[item]
        labels_a, labels_b = ca[f"{item}_answer"].tolist(), cb[f"{item}_answer"].tolist()
        sources = cb[source_column(item)].tolist()
        for k in np.nonzero(sa_ != sb_)[0]:
            before = _none(labels_a[k]) if sa_[k] >= 0 else None
            after = _none(labels_b[k]) if sb_[k] >= 0 else None
            confirmed = bool(sa_[k] == UNKNOWN_STATE and sb_[k] in (0, 1))
            changes.setdefault(k, []).append(
                AnswerChange(
                    common[k], _none(departments[k]), item, before, after, confirmed, _none(sources[k])
                )
            )
    return [change for k in sorted(changes) for change in changes[k]]


def compare_registers(
    a: pd.DataFrame, b: pd.DataFrame, info_a: CampaignInfo, info_b: CampaignInfo
) -> Comparison:
    """Compare two registers (``COLUMNS`` of them, in priority order)."""
    first_a = a.drop_duplicates("device_id", keep="first").set_index("device_id", drop=False)
    first_b = b.drop_duplicates("device_id", keep="first").set_index("device_id", drop=False)
    ids_a, ids_b = set(first_a.index), set(first_b.index)
    result = Comparison(info_a, info_b)

    dep_a = dict(zip(first_a.index, _departments(first_a)))
    dep_b = dict(zip(first_b.index, _departments(first_b)))
    result.added = _device_entries(first_b, ids_b - ids_a, dep_b)
    result.removed = _device_entries(first_a, ids_a - ids_b, dep_a)

    common = sorted(ids_a & ids_b, key=lambda i: (dep_b[i], i))
    ca, cb = first_a.loc[common], first_b.loc[common]
    result.risk_rose, result.risk_fell = _risk_changes(common, ca, cb)
    result.answers_changed = _answer_changes(common, ca, cb)
    carried = first_b[first_b["carried_over"].notna()] if "carried_over" in first_b else first_b.iloc[:0]
    unchecked = carried["status"] == STATUS_TO_REVIEW
    result.carried_unchecked = sorted(carried.index[unchecked])
    result.carried_checked = sorted(carried.index[~unchecked])

    fleet_a, deps_a = _distribution(a)
    fleet_b, deps_b = _distribution(b)
    empty = dict.fromkeys(BUCKETS, 0)
    result.fleet = Distribution("fleet", fleet_a, fleet_b)
    result.departments = [
        Distribution(d, deps_a.get(d, empty), deps_b.get(d, empty)) for d in sorted(set(deps_a) | set(deps_b))
    ]
    return result


def compare(target: str | os.PathLike[str] | History | None, campaign_a: str, campaign_b: str) -> Comparison:
    """Compare campaign A with campaign B in the history at ``target`` (``None``: ``MEDRISK_DB``,
    or an open :class:`History`)."""
    if isinstance(target, History):
        return _compare(target, campaign_a, campaign_b)
    with open_history(target, create=False) as history:
        return _compare(history, campaign_a, campaign_b)


def _compare(history: History, campaign_a: str, campaign_b: str) -> Comparison:
    info_a, info_b = history.campaign(campaign_a), history.campaign(campaign_b)
    register_b = history.register(campaign_b, COLUMNS)
    result = compare_registers(history.register(campaign_a, COLUMNS), register_b, info_a, info_b)
    result.actions_imported, result.actions_completed = completed_actions(
        history, campaign_a, campaign_b, register_b
    )
    return result
