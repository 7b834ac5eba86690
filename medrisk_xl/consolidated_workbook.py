"""The consolidated workbook's former import path: everything is in :mod:`medrisk_xl.consolidated`.

Kept so that ``from medrisk_xl.consolidated_workbook import write_consolidated`` (and the other
names, including the table columns it used to import) keeps working.
"""

from __future__ import annotations

from medrisk_xl.consolidated import *  # noqa: F403
from medrisk_xl.consolidated import __all__ as _package_names
from medrisk_xl.consolidation_tables import (
    ACTION_COLUMNS,
    ACTION_STATUS_CODES,
    CARRIED_COLUMNS,
    CRITERIA,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    IDENTITY_COLUMNS,
    ITEMS,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)

__all__ = [
    *_package_names,
    "ACTION_COLUMNS",
    "ACTION_STATUS_CODES",
    "CARRIED_COLUMNS",
    "CRITERIA",
    "FILE_COLUMNS",
    "FOLLOW_UP_COLUMNS",
    "FOLLOW_UP_DEVICE_COLUMNS",
    "IDENTITY_COLUMNS",
    "ITEMS",
    "PROBLEM_COLUMNS",
    "REGISTER_COLUMNS",
    "Consolidation",
]
