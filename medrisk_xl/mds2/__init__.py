"""Manufacturers' MDS2 forms (ANSI/NEMA HN 1-2019): read safely, turned into evidence for the
vulnerability items through the content pack's mapping (``mds2.yaml``), and matched to the
inventory's devices. Used by ``medrisk-xl mds2 read``; generate, validate, consolidate and
confirm may build on it."""

from medrisk_xl.mds2.device_match import DeviceRef, MatchReport, match_forms, match_key, read_map
from medrisk_xl.mds2.form_reader import read_form
from medrisk_xl.mds2.form_report import Mds2Report, collect_forms, read_forms
from medrisk_xl.mds2.item_evidence import item_evidence, with_items
from medrisk_xl.mds2.mds2_form import Evidence, ItemEvidence, Mds2Form

__all__ = [
    "DeviceRef",
    "Evidence",
    "ItemEvidence",
    "MatchReport",
    "Mds2Form",
    "Mds2Report",
    "collect_forms",
    "item_evidence",
    "match_forms",
    "match_key",
    "read_form",
    "read_forms",
    "read_map",
    "with_items",
]
