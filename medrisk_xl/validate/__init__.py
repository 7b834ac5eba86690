"""Validate returned workbooks: read what was answered, recompute everything, say what is wrong.

:func:`validate` returns a :class:`Report` (one :class:`FileReport` per file, each with its
problems: stable code, severity, sheet, cell, row, device and message); the CLI only renders it.
The codes are listed in :data:`CATALOGUE` (and in the README).

Layout: :mod:`.catalogue` (the codes), :mod:`.report` (the report model), :mod:`.files`
(collecting files, the process pool), :mod:`.one_file` (reading one file), :mod:`.manifest`
(campaign.json) and :mod:`.checks` (one checker per part of a workbook).
"""

from medrisk_xl.validate.files import SUFFIXES, collect, validate
from medrisk_xl.validate.manifest import read_manifest
from medrisk_xl.validate.one_file import validate_file
from medrisk_xl.validate.problem_codes import CATALOGUE, ERROR, INFO, WARNING, problem
from medrisk_xl.validate.validation_report import DeviceRow, FileReport, Report, problem_dict

__all__ = [
    "CATALOGUE",
    "ERROR",
    "INFO",
    "SUFFIXES",
    "WARNING",
    "DeviceRow",
    "FileReport",
    "Report",
    "collect",
    "problem",
    "problem_dict",
    "read_manifest",
    "validate",
    "validate_file",
]
