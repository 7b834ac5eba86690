"""Compare two registers: what changed in the fleet between campaign A and campaign B.

- devices whose risk level rose or fell (both campaigns scored them);
- devices new in B, and devices of A that B no longer has;
- answers that changed, one row per device and item: criteria by their points (1-4), the
  vulnerability items by their answer (OUI / NON / NE SAIT PAS, compared by meaning, so two
  campaigns recorded in different languages compare right; each side is kept in its own
  campaign's labels, :meth:`Comparison.in_language` shows both in one language); an answer that
  became empty or unreadable counts as a change to "—";
- the risk distribution of the fleet and of each department, raw and like for like
  (:mod:`~medrisk_xl.history.compare.distributions`).

Devices are matched by id. A register can list one id twice (a device returned by two
departments, an error the problems list names): its first row, in priority order, stands for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from medrisk_xl.consolidate.tables import CRITERIA, ITEMS
from medrisk_xl.history.compare.answer_states import UNKNOWN_STATE, item_states
from medrisk_xl.history.compare.comparison import AnswerChange, Comparison, DeviceEntry, RiskChange
from medrisk_xl.history.compare.distributions import (
    departments_of,
    distributions,
    like_for_like,
    plain_value,
)
from medrisk_xl.history.store import CampaignInfo
from medrisk_xl.method.output_columns import source_column
from medrisk_xl.workbook.contract import STATUS_TO_REVIEW


def _device_entries(reg: pd.DataFrame, ids: set[str], deps: dict[str, str]) -> list[DeviceEntry]:
    """The devices ``ids`` of a register, by department then id."""
    rows = reg.loc[sorted(ids, key=lambda i: (deps[i], i))]
    return [
        DeviceEntry(
            r["device_id"],
            plain_value(r["department"]),
            plain_value(r["designation"]),
            plain_value(r["risk_level"]),
            plain_value(r["status"]),
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
                    common[k],
                    plain_value(departments[k]),
                    plain_value(designations[k]),
                    int(risk_a[k]),
                    int(risk_b[k]),
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
                AnswerChange(common[k], plain_value(departments[k]), code, before, after)
            )
    states_a, states_b = item_states(ca), item_states(cb)
    for item in ITEMS:
        sa_, sb_ = states_a[item], states_b[item]
        labels_a, labels_b = ca[f"{item}_answer"].tolist(), cb[f"{item}_answer"].tolist()
        sources = cb[source_column(item)].tolist()
        for k in np.nonzero(sa_ != sb_)[0]:
            before = plain_value(labels_a[k]) if sa_[k] >= 0 else None
            after = plain_value(labels_b[k]) if sb_[k] >= 0 else None
            confirmed = bool(sa_[k] == UNKNOWN_STATE and sb_[k] in (0, 1))
            changes.setdefault(k, []).append(
                AnswerChange(
                    common[k],
                    plain_value(departments[k]),
                    item,
                    before,
                    after,
                    confirmed,
                    plain_value(sources[k]),
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

    dep_a = dict(zip(first_a.index, departments_of(first_a)))
    dep_b = dict(zip(first_b.index, departments_of(first_b)))
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

    result.like_for_like = like_for_like(ca, cb)
    result.fleet, result.departments = distributions(a, b, result.like_for_like)
    return result
