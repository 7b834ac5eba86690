"""The workbook contract relied on by validate, consolidate, audit and outside tools.

Input sheet: row CODE_ROW holds a column code in every used column (``ID``, identity codes,
``C1``..``C9``, ``V1``..``V10``, ``CRIT_SCORE``, ``CRIT_LEVEL``, ``VULN_SCORE``, ``VULN_LEVEL``,
``RISK_LEVEL``, ``STATUS``); the human header is right below it; device rows follow.
The very hidden ``_meta`` sheet holds key/value pairs (column A/B) that locate all of this.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
META_SHEET = "_meta"

# 1-based rows of the input sheet (as a spreadsheet user counts them).
TITLE_ROW = 1
GROUP_ROW = 2
CODE_ROW = 3
HEADER_ROW = 4
FIRST_ROW = 5

# Campaign options (generate): the first of each is the default.
LAYOUTS = ("grid", "form")
PERS = ("device", "cneh", "emdn")
SPLITS = ("department", "site", "none")

RESULT_CODES = ("CRIT_SCORE", "CRIT_LEVEL", "VULN_SCORE", "VULN_LEVEL", "RISK_LEVEL", "STATUS")
LEVEL_CODES = ("CRIT_LEVEL", "VULN_LEVEL", "RISK_LEVEL")
GROUP_FIELDS = ("DEVICE_COUNT", "DEVICE_IDS")  # --per cneh|emdn: rows stand for device types

# Functions that Excel 2010+ and LibreOffice 7.x both compute; no formula may use another.
ALLOWED_FUNCTIONS = frozenset(
    {
        "IF",
        "AND",
        "OR",
        "NOT",
        "COUNT",
        "COUNTA",
        "COUNTIF",
        "COUNTIFS",
        "SUMPRODUCT",
        "EXACT",
        "ISNUMBER",
        "INDEX",
        "MATCH",
        "SUM",
    }
)
