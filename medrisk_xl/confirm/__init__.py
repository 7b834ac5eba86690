"""``medrisk-xl confirm``: the IT workbook built from the returns, one row per group of devices and
vulnerability item that a department answered "don't know".

Returns are read exactly as ``consolidate`` reads them (the newest per department, type rows
expanded to their devices); the workbook is written by :mod:`medrisk_xl.workbook.write.it_book`.
"""

from medrisk_xl.confirm.from_returns import ConfirmOptions, confirm, confirm_plan, write_it_workbook
from medrisk_xl.mds2.it_evidence import Mds2Input, add_mds2_evidence, read_mds2

__all__ = [
    "ConfirmOptions",
    "Mds2Input",
    "add_mds2_evidence",
    "confirm",
    "confirm_plan",
    "read_mds2",
    "write_it_workbook",
]
