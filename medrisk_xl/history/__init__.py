"""Campaign history: consolidations recorded in a SQLite file or a PostgreSQL database, listed
and compared campaign with campaign.

- :func:`record` a :class:`~medrisk_xl.consolidate.tables.Consolidation` (``store.py``, its rows
  prepared by ``campaign_rows.py``);
- :func:`list_campaigns`, :func:`open_history` to read one back (``store.py``); where a history is
  (``target.py``) and the connection to it: transactions, locks, schema checks (``connection.py``);
- :func:`compare` two campaigns, :func:`write_comparison` as a workbook
  (the ``compare`` package);
- the action follow-up (the ``actions`` package): :func:`import_actions` reads a consolidated
  workbook's action plan back, :func:`carry_forward` pre-fills the next campaign's plan from it;
- the tables, their version and migrations (``schema.py``).
"""

from __future__ import annotations

from medrisk_xl.history.actions import ActionImport, CarriedForward, carry_forward, import_actions
from medrisk_xl.history.compare import Comparison, compare, write_comparison
from medrisk_xl.history.db_schema import SCHEMA_VERSION
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
    "ActionImport",
    "CampaignInfo",
    "CarriedForward",
    "Comparison",
    "History",
    "Recorded",
    "Target",
    "campaigns_text",
    "carry_forward",
    "compare",
    "import_actions",
    "list_campaigns",
    "open_history",
    "record",
    "resolve_target",
    "write_comparison",
]
