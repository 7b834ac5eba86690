"""The tables of a consolidated campaign (:class:`Consolidation`); their columns are defined once
in :mod:`medrisk_xl.method.output_columns` and re-exported here for the code that fills them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medrisk_xl.method.output_columns import (  # re-exported: the tables' columns
    ACTION_COLUMNS,
    ACTION_FOLLOW_UP_CODES,
    ACTION_GROUP_COLUMNS,
    ACTION_GROUP_IDENTITY_COLUMNS,
    ACTION_IDENTITY_COLUMNS,
    ACTION_STATUS_CODES,
    ACTION_SUMMARY_COLUMNS,
    ACTION_TEAM_COLUMNS,
    ANSWER_COLUMNS,
    CARRIED_COLUMNS,
    CRITERIA,
    CSV_COLUMNS,
    DEVICE_CHANGES,
    EXPORT_COLUMNS,
    EXTRA_COLUMNS,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    GROUP_KEY_COLUMNS,
    HAZARD_COLUMNS,
    HAZARD_COUNT_COLUMNS,
    HAZARD_ORIGINS,
    HEADED_COLUMNS,
    IDENTITY_COLUMNS,
    IDENTITY_FIELDS,
    ITEMS,
    MAP_COLUMNS,
    PLAN_BY,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    RESULT_COLUMNS,
)

if TYPE_CHECKING:  # the column definitions are read without pandas (content check)
    import pandas as pd


@dataclass
class Consolidation:
    """What ``consolidate`` returns: the tables and the figures of the summary."""

    register: pd.DataFrame  # REGISTER_COLUMNS
    problems: pd.DataFrame  # PROBLEM_COLUMNS
    files: pd.DataFrame  # FILE_COLUMNS
    follow_up: pd.DataFrame | None = None  # FOLLOW_UP_COLUMNS, with a manifest
    follow_up_devices: pd.DataFrame | None = None  # FOLLOW_UP_DEVICE_COLUMNS, with a manifest
    campaign: str | None = None
    language: str = "fr"
    accounting: dict[str, Any] = field(default_factory=dict)  # rows in, and where each went
    # CARRIED_COLUMNS: owner, due date (a date), status code and follow-up code to pre-fill in the
    # action plan, by (device_id, ref), and the team's own actions with their text (written after
    # the generated rows); set by medrisk_xl.history.carry_forward (consolidate --db).
    carried: pd.DataFrame | None = None
    # HAZARD_COLUMNS, sorted by residual then initial risk (medrisk_xl.consolidate.hazards).
    hazards: pd.DataFrame | None = None
    # How the action plan groups its rows (PLAN_BY): by model (the default), department or device.
    plan_by: str = "model"
    # COVERAGE_COLUMNS, with a manifest: the fleet, each site, each department (consolidate/coverage).
    coverage: pd.DataFrame | None = None
    # consolidate(strict=True): any error kept its whole file out of the map (the earlier rule).
    strict: bool = False
    # The action KPIs of the previous campaign's imported plan (history.actions.action_kpis, as
    # data: campaign, on (the day, ISO), actions, open, each status, overdue, by owner, department
    # and theme); set by medrisk_xl.history.carry_forward (consolidate --db), shown in the summary.
    plan_follow_up: dict[str, Any] | None = None
    # The files and folders given to consolidate: the outputs name each return relative to them
    # (consolidate/source_names); the tables keep the paths where the files were read.
    given: tuple[str, ...] = ()

    @property
    def scored(self) -> pd.DataFrame:
        """The devices of the map: included and with a risk level."""
        reg = self.register
        return reg[reg["included"] & reg["risk_level"].notna()]


__all__ = [
    "ACTION_COLUMNS",
    "ACTION_FOLLOW_UP_CODES",
    "ACTION_GROUP_COLUMNS",
    "ACTION_GROUP_IDENTITY_COLUMNS",
    "ACTION_IDENTITY_COLUMNS",
    "ACTION_STATUS_CODES",
    "ACTION_SUMMARY_COLUMNS",
    "ACTION_TEAM_COLUMNS",
    "ANSWER_COLUMNS",
    "CARRIED_COLUMNS",
    "CRITERIA",
    "CSV_COLUMNS",
    "DEVICE_CHANGES",
    "EXPORT_COLUMNS",
    "EXTRA_COLUMNS",
    "FILE_COLUMNS",
    "FOLLOW_UP_COLUMNS",
    "FOLLOW_UP_DEVICE_COLUMNS",
    "GROUP_KEY_COLUMNS",
    "HAZARD_COLUMNS",
    "HAZARD_COUNT_COLUMNS",
    "HAZARD_ORIGINS",
    "HEADED_COLUMNS",
    "IDENTITY_COLUMNS",
    "IDENTITY_FIELDS",
    "ITEMS",
    "MAP_COLUMNS",
    "PLAN_BY",
    "PROBLEM_COLUMNS",
    "REGISTER_COLUMNS",
    "RESULT_COLUMNS",
    "Consolidation",
]
