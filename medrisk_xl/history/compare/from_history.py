"""Two campaigns read from the history and compared, with the actions completed between them:
those marked done in the action plans imported for the campaigns from A up to B (``actions
import``), each with what B says of its item (:func:`medrisk_xl.history.actions.completed_actions`)."""

from __future__ import annotations

import os

from medrisk_xl.history.actions import completed_actions
from medrisk_xl.history.compare.comparison import COLUMNS, Comparison
from medrisk_xl.history.compare.registers import compare_registers
from medrisk_xl.history.store import History, open_history


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
