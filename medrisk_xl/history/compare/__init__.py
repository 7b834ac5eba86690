"""``compare``: what changed in the fleet between two recorded campaigns.

- :func:`compare` reads both from the history (``from_history``) and compares their registers
  (``registers``): risk that rose or fell, devices added and removed, answers changed;
- the distributions, raw and like for like, and where the change comes from (``distributions``);
- the result as data, JSON and text (``comparison``, ``compare_text``), and as a workbook
  (``compare_book``: :func:`write_comparison`).
"""

from __future__ import annotations

from medrisk_xl.history.compare.compare_book import sheet_names, write_comparison
from medrisk_xl.history.compare.comparison import COLUMNS, AnswerChange, Comparison, DeviceEntry, RiskChange
from medrisk_xl.history.compare.distributions import BUCKETS, LEVELS, NOT_MAPPED, Distribution, LikeForLike
from medrisk_xl.history.compare.from_history import compare
from medrisk_xl.history.compare.registers import compare_registers

__all__ = [
    "BUCKETS",
    "COLUMNS",
    "LEVELS",
    "NOT_MAPPED",
    "AnswerChange",
    "Comparison",
    "DeviceEntry",
    "Distribution",
    "LikeForLike",
    "RiskChange",
    "compare",
    "compare_registers",
    "sheet_names",
    "write_comparison",
]
