"""The campaign's register of hazardous situations (IEC/TR 80001-2-1), built from the returns.

Two origins (:data:`HAZARD_ORIGINS`):

- ``register``: every filled row of a department's register sheet, its list answers shown in the
  consolidation's language, its levels recomputed from the pack's grid (never trusted from the
  file);
- ``proposed``: for each department and vulnerability item answered NON or NE SAIT PAS by devices
  of the map, one row: the item's hazard and cause (the pack's ``seeding``), its specific actions
  as the proposed control, and the devices concerned. Not assessed: the team assesses it.

Sorted by residual risk, then initial risk (highest first; a row whose residual risk is not
assessed yet stands at its initial risk, it must be reduced before use; not assessed last). A
residual risk still high needs a documented risk/benefit decision (7.4.6): the ``decision``
column says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from medrisk_xl.consolidate.tables import HAZARD_COLUMNS, HAZARD_COUNT_COLUMNS
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import item_actions_text, list_codes, register_options
from medrisk_xl.workbook.read.register_reader import RegisterEntry

LISTED = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}
TEXT_COLUMNS = {  # register code -> table column
    "DEVICE": "device_id",
    "HAZARD": "hazard",
    "CAUSE": "cause",
    "SITUATION": "situation",
    "CONSEQUENCE": "consequence",
    "PROPERTY": "property",
    "SEVERITY": "severity",
    "PROBABILITY": "probability",
    "CONTROL": "control",
    "CONTROL_TYPE": "control_type",
    "RES_SEVERITY": "res_severity",
    "RES_PROBABILITY": "res_probability",
    "IMPLEMENTATION": "implementation",
    "VERIFICATION": "verification",
    "EFFECTIVENESS": "effectiveness",
    "NEW_RISKS": "new_risks",
    "OWNER": "owner",
    "STATUS": "status",
}
MAX_IDS = 20  # device ids listed on a proposed row (the count is in "devices")


def _label(pack: ContentPack, options: dict[str, list[str]], code: str, entry: RegisterEntry) -> str:
    """An answer in the consolidation's language when it matched a list, as written otherwise."""
    if code in entry.codes:
        name = LISTED[code]
        return options[name][list_codes(pack, name).index(entry.codes[code])]
    return str(entry.row.values.get(code, ""))


def register_records(
    f: FileReport, department: str, pack: ContentPack, language: Language
) -> list[dict[str, Any]]:
    """The filled register rows of one return."""
    options = register_options(pack, language)
    out = []
    for entry in f.register:
        record: dict[str, Any] = dict.fromkeys(HAZARD_COLUMNS)
        record.update(department=department, reg_id=entry.row.id, origin="register", source_file=f.path)
        for code, column in TEXT_COLUMNS.items():
            record[column] = _label(pack, options, code, entry) or None
        record["devices"] = 1 if record["device_id"] else None
        record["risk_initial"], record["risk_residual"] = entry.initial, entry.residual
        record["decision"] = entry.needs_decision
        out.append(record)
    return out


def proposed_records(map_rows: pd.DataFrame, pack: ContentPack, language: Language) -> list[dict[str, Any]]:
    """One proposed row per department and non-compliant item, from the devices of the map."""
    texts = language.register
    devices: dict[tuple[str, str], list[str]] = defaultdict(list)
    for department, device, items in map_rows[["department", "device_id", "non_compliant_items"]].itertuples(
        index=False
    ):
        for item in (items if isinstance(items, str) else "").split(", "):
            if item:
                devices[(department or "", item)].append(device)
    order = {item: i for i, item in enumerate(pack.method.items)}
    out = []
    for (department, item), ids in sorted(devices.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        seed = pack.register.seeding[item]
        listed = ", ".join(ids[:MAX_IDS]) + (f" … (+{len(ids) - MAX_IDS})" if len(ids) > MAX_IDS else "")
        record: dict[str, Any] = dict.fromkeys(HAZARD_COLUMNS)
        record.update(
            department=department or None,
            reg_id=item,
            origin="proposed",
            device_id=listed,
            devices=len(ids),
            hazard=texts["hazards"][seed.hazard]["label"],
            cause=texts["causes"][seed.cause]["label"],
            situation=f"{item} – {language.title(item)}",
            control=item_actions_text(language, item),
            decision=False,
        )
        out.append(record)
    return out


def hazard_table(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The hazards table, sorted by residual risk then initial risk (highest first)."""
    table = pd.DataFrame(list(records), columns=HAZARD_COLUMNS)
    for column in ("risk_initial", "risk_residual", "devices"):
        table[column] = pd.array(table[column], dtype="Int64")
    table["decision"] = table["decision"].fillna(False).astype(bool)
    table["_origin"] = table["origin"].map({"register": 0, "proposed": 1})
    table["_id"] = [str(i).zfill(8) for i in table["reg_id"].str.lstrip("RV")]  # R002 < R010, V2 < V10
    table["_current"] = current(table)
    table = table.sort_values(
        ["_current", "risk_residual", "risk_initial", "_origin", "department", "_id"],
        ascending=[False, False, False, True, True, True],
        na_position="last",
        kind="stable",
    )
    return table.drop(columns=["_origin", "_id", "_current"]).reset_index(drop=True)


def hazard_counts(hazards: pd.DataFrame) -> pd.DataFrame:
    """Per department: situations recorded and proposed, assessed, high initial risks and
    unacceptable risks: high residual risk, or high initial risk whose residual risk is not
    assessed yet (it must be reduced before use, IEC/TR 80001-2-1 D.3)."""
    recorded = _is(hazards["origin"], "register")
    flags = pd.DataFrame(
        {
            "situations": recorded,
            "proposed": _is(hazards["origin"], "proposed"),
            "assessed": recorded & hazards["risk_initial"].notna(),
            "high_initial": recorded & _is(hazards["risk_initial"], contract.REGISTER_HIGH),
            "unacceptable": recorded & _is(current(hazards), contract.REGISTER_HIGH),
        }
    )
    # One pass per count, grouped once (a filter per department was 2,000 groups of pandas calls).
    sums = flags.groupby(hazards["department"].fillna(""), sort=True).sum()
    rows = [
        {"department": department or None, **{column: int(sums.at[department, column]) for column in flags}}
        for department in sums.index
    ]
    return pd.DataFrame(rows, columns=HAZARD_COUNT_COLUMNS)


def _is(values: pd.Series, value: Any) -> pd.Series:
    """Where ``values`` equals ``value`` (never where it is missing)."""
    return (values == value).fillna(False).astype(bool)


def current(hazards: pd.DataFrame) -> pd.Series:
    """The risk a row stands at: its residual risk once assessed, else its initial risk."""
    return hazards["risk_residual"].fillna(hazards["risk_initial"])
