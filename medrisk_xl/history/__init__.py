"""Campaign history: consolidations recorded in a SQLite file or a PostgreSQL database, listed
and compared campaign with campaign.

- :func:`record` a :class:`~medrisk_xl.consolidation_tables.Consolidation` (``store.py``);
- :func:`list_campaigns`, :func:`open_history` to read one back (``store.py``);
- :func:`compare` two campaigns (``compare.py``), :func:`write_comparison` as a workbook
  (``compare_workbook.py``);
- the tables, their version and migrations (``schema.py``).
"""

from __future__ import annotations

from medrisk_xl.history.compare import Comparison, compare
from medrisk_xl.history.compare_workbook import write_comparison
from medrisk_xl.history.schema import SCHEMA_VERSION
from medrisk_xl.history.store import (
    CampaignInfo,
    History,
    Recorded,
    Target,
    campaigns_text,
    list_campaigns,
    open_history,
    record,
    resolve_target,
)

__all__ = [
    "SCHEMA_VERSION",
    "CampaignInfo",
    "Comparison",
    "History",
    "Recorded",
    "Target",
    "campaigns_text",
    "compare",
    "list_campaigns",
    "open_history",
    "record",
    "resolve_target",
    "write_comparison",
]
