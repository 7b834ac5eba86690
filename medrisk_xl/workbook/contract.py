"""The workbook contract relied on by validate, consolidate, audit and outside tools.

Input sheet: row CODE_ROW holds a column code in every used column (``ID``, identity codes,
``C1``..``C9``, ``V1``..``V10``, ``CRIT_SCORE``, ``CRIT_LEVEL``, ``VULN_SCORE``, ``VULN_LEVEL``,
``RISK_LEVEL``, ``STATUS``); the human header is right below it; device rows follow.
The very hidden ``_meta`` sheet holds key/value pairs (column A/B) that locate all of this.
"""

from __future__ import annotations

from collections.abc import Mapping

from medrisk_xl.method.output_columns import DEVICE_STATUSES as DEVICE_STATUSES  # re-exported: the contract's
from medrisk_xl.method.output_columns import OUT_OF_FLEET as OUT_OF_FLEET
from medrisk_xl.method.output_columns import REGISTER_CODES

SCHEMA_VERSION = 2  # 2: points helpers, pre-fill helper, the rows as generated in _meta
META_SHEET = "_meta"
# _meta: key/value pairs in columns A:B; from column D, the device rows as generated: a header row
# (META_ROWS_PLACE, then the identity codes), then one row per device row: its place (grid: the
# input sheet's row number; form: the form sheet's name) and its identity values.
META_ROWS_COL = 3  # 0-based: column D
META_ROWS_PLACE = "PLACE"
# _meta rows table, year two (Meta.PREVIOUS): the answers of each row carried over from the previous
# campaign, as codes joined by CARRIED_JOIN (those pre-filled by another source are not).
META_ROWS_CARRIED = "CARRIED"
CARRIED_JOIN = ","

# 1-based rows of the input sheet (as a spreadsheet user counts them).
TITLE_ROW = 1
GROUP_ROW = 2
CODE_ROW = 3
HEADER_ROW = 4
FIRST_ROW = 5


class Meta:
    """Keys of the ``_meta`` key/value pairs (column A), written by the writer, read by readers."""

    SCHEMA_VERSION = "schema_version"
    GENERATOR = "generator"
    CAMPAIGN = "campaign"
    CREATED = "created"
    SPLIT_BY = "split_by"
    SCOPE = "scope"
    DEPARTMENT = "department"
    SITE = "site"
    PER = "per"
    LAYOUT = "layout"
    LANGUAGE = "language"
    CONTENT_ID = "content_id"
    CONTENT_VERSION = "content_version"
    CONTENT_HASH = "content_hash"
    LISTS_SHEET = "lists_sheet"
    DEVICE_ROWS = "device_rows"
    INPUT_SHEET = "input_sheet"
    CODE_ROW = "code_row"
    HEADER_ROW = "header_row"
    FIRST_ROW = "first_row"
    LAST_ROW = "last_row"
    FIRST_SPARE_ROW = "first_spare_row"
    COLUMNS = "columns"
    FORMS = "forms"
    FORM_CODE_COL = "form_code_col"
    FORM_VALUE_COL = "form_value_col"
    FORM_POINTS_COL = "form_points_col"
    FORM_PREFILL_COL = "form_prefill_col"
    REGISTER_SHEET = "register_sheet"  # empty when the workbook has no register sheet
    REGISTER_FIRST_ROW = "register_first_row"
    REGISTER_LAST_ROW = "register_last_row"
    REGISTER_COLUMNS = "register_columns"
    CHANGE_SHEET = "change_sheet"
    # Who answers the vulnerability items (VULNERABILITY_BYS); written only when not the default,
    # so that a campaign of the seed's single questionnaire keeps its bytes.
    VULNERABILITY_BY = "vulnerability_by"
    # "1": every pre-filled criterion answer is read-only (generate --lock-prefilled); absent otherwise.
    LOCK_PREFILLED = "lock_prefilled"
    # The recorded campaign whose answers were carried over (generate --previous); absent otherwise.
    # Its workbooks have the REVIEW_CODE column, and a row holding only carried-over (pre-filled)
    # answers reads "to review" until the department confirms it there or changes an answer.
    PREVIOUS = "previous_campaign"


# Form layout (one sheet per device): 0-based columns of a form sheet. Column A holds each coded
# row's code, G its value (identity, answer or result), H an answer's points, J (hidden) the
# points an answer was pre-filled with.
FORM_CODE_COL = 0
FORM_VALUE_COL = 6
FORM_POINTS_COL = 7
FORM_PREFILL_COL = 9

# Campaign options (generate): the first of each is the default.
LAYOUTS = ("grid", "form")
PERS = ("device", "cneh", "emdn")
SPLITS = ("department", "site", "none")
# Who answers the vulnerability items: the departments, in the seed's single questionnaire, or
# the IT team in its own workbook (the department workbooks then ask the criteria only).
VULNERABILITY_BYS = ("department", "it")

RESULT_CODES = ("CRIT_SCORE", "CRIT_LEVEL", "VULN_SCORE", "VULN_LEVEL", "RISK_LEVEL", "STATUS")
# The results of a workbook that asks no vulnerability item (``--vulnerability-by it``).
CRITICALITY_RESULT_CODES = ("CRIT_SCORE", "CRIT_LEVEL", "STATUS")
POINTS_SUFFIX = "_POINTS"  # hidden helper column (grid) / column H (form): the points of one answer
PREFILL_SUFFIX = "_PREFILL"  # hidden helper: the points an answer was pre-filled with (C1 from the CE class)
LEVEL_CODES = ("CRIT_LEVEL", "VULN_LEVEL", "RISK_LEVEL")
GROUP_FIELDS = ("DEVICE_COUNT", "DEVICE_IDS")  # --per cneh|emdn: rows stand for device types
TYPE_JOIN = " / "  # how a type row's identity cells join its devices' distinct values
NUMBER_FIELDS = frozenset({"DEVICE_COUNT"})  # identity columns written as numbers, not text

# Row statuses a workbook shows (STATUS cell): the scorer's four, plus an invalid answer; a free
# row holding no device shows no status at all (BLANK, never counted).
STATUS_INVALID = "invalid"
STATUS_KEYS = ("empty", "incomplete", "to_confirm", "complete", STATUS_INVALID)
# Year two (Meta.PREVIOUS): a row whose answers are all still as carried over or pre-filled, not yet
# confirmed in its REVIEW_CODE cell; it is not answered (not scored) until it is.
STATUS_TO_REVIEW = "to_review"
REVIEW_CODE = "REVIEWED"  # input column (year two): the department confirms the row's carried answers
# Device status (grid, one row per device): a dropdown per row where the department says the device
# is present (the default, also an empty cell), retired, moved to another department, lent, or
# missing; and a free comment beside it. Retired and missing devices are not assessed (the row
# shows STATUS_OUT, nothing is scored or counted); deleting a row stays an error.
DEVICE_STATUS_CODE = "DEVICE_STATUS"
DEVICE_NOTE_CODE = "DEVICE_NOTE"
STATUS_OUT = "out"  # the row status of a device out of the fleet
# Hidden helper (year two): how many answers were carried over to the row, a constant; a row holding
# none (a new device, only C1 from its CE class) is "not started", never "to review".
CARRIED_COUNT_CODE = "CARRIED_N"
BLANK = "blank"

# Workbook-level names of list-sheet cells, so that conditional formats never name another sheet.
NAME_UNKNOWN = "MEDRISK_UNKNOWN"  # the "don't know" label
STATUS_NAMES = {
    STATUS_INVALID: "MEDRISK_STATUS_INVALID",
    "to_confirm": "MEDRISK_STATUS_TO_CONFIRM",
    "complete": "MEDRISK_STATUS_COMPLETE",
}

# Functions that Excel 2010+, LibreOffice 7.x, Gnumeric and the Python engine `formulas` all
# compute the same way; no formula may use another.
ALLOWED_FUNCTIONS = frozenset(
    {"IF", "AND", "OR", "NOT", "ISNUMBER", "ISTEXT", "ISBLANK", "SUM", "SUMPRODUCT", "COUNT", "COUNTIF"}
    | {"COUNTIFS", "INDEX", "MATCH"}
)
# Functions that take a range by definition. Any other function gets single cells only: applying
# a scalar function element-wise over a range ("lifting") is computed differently by each engine.
RANGE_FUNCTIONS = frozenset({"SUMPRODUCT", "SUM", "COUNT", "COUNTIF", "COUNTIFS", "INDEX", "MATCH"})


def result_codes(asks_items: bool) -> tuple[str, ...]:
    """The computed cells of a device row: all six, or criticality and status only when the
    workbook asks no vulnerability item."""
    return RESULT_CODES if asks_items else CRITICALITY_RESULT_CODES


def row_status_keys(asks_items: bool, reviews: bool = False) -> tuple[str, ...]:
    """The statuses a device row may show: all of them, or none "to confirm" when the workbook
    asks no vulnerability item (nothing can be answered "don't know"); "to review" only in a
    workbook of carried-over answers (``reviews``)."""
    keys = STATUS_KEYS if asks_items else tuple(k for k in STATUS_KEYS if k != "to_confirm")
    return (*keys, STATUS_TO_REVIEW) if reviews else keys


def carried_codes(meta_row: Mapping[str, str]) -> tuple[str, ...]:
    """The answers carried over to a device row, as its ``_meta`` row lists them (year two)."""
    return tuple(c for c in meta_row.get(META_ROWS_CARRIED, "").split(CARRIED_JOIN) if c)


def previous_campaign(meta: dict[str, str]) -> str:
    """The campaign whose answers a workbook carries over, from its ``_meta`` pairs ("" if none)."""
    return meta.get(Meta.PREVIOUS, "")


def vulnerability_by(meta: dict[str, str]) -> str:
    """Who answers a workbook's vulnerability items, from its ``_meta`` pairs (absent: the
    departments, as in every workbook written before the choice existed)."""
    return meta.get(Meta.VULNERABILITY_BY) or VULNERABILITY_BYS[0]


def points_code(code: str) -> str:
    """Code of the helper that holds the points of answer ``code``."""
    return code + POINTS_SUFFIX


def prefill_code(code: str) -> str:
    """Code of the helper that holds the points answer ``code`` was pre-filled with."""
    return code + PREFILL_SUFFIX


# Risk register sheet (IEC/TR 80001-2-1; ``generate --register``, on by default with the form
# layout): rows as on the input sheet (code row CODE_ROW, header HEADER_ROW, first row FIRST_ROW),
# one row per hazardous situation, REGISTER_MIN_ROWS rows at least, each with a locked id.
# Scale answers (dropdown in scale order) -> the scale; each has a hidden rank helper
# (points_code(code): the answer's rank on its scale, "" or the invalid marker).
REGISTER_SCALES = {
    "SEVERITY": "severity",
    "PROBABILITY": "probability",
    "RES_SEVERITY": "severity",
    "RES_PROBABILITY": "probability",
}
# Computed risk levels (1 low, 2 medium, 3 high, from the grid) -> (severity, probability) answers.
REGISTER_LEVELS = {
    "RISK_INITIAL": ("SEVERITY", "PROBABILITY"),
    "RISK_RESIDUAL": ("RES_SEVERITY", "RES_PROBABILITY"),
}
# Answers restricted to a list of the pack (dropdown, nothing else accepted) -> the list.
REGISTER_CHOICES = {"PROPERTY": "key_properties", "CONTROL_TYPE": "control_types", "STATUS": "statuses"}
# Answers offered a library of Annex A, any other text accepted -> the library.
REGISTER_SUGGESTIONS = {"HAZARD": "hazards", "CAUSE": "causes", "SITUATION": "situations"}
SEED_SUFFIX = "_REGISTER"  # form layout: row of the register row an item's non-compliant answer proposes
REGISTER_MIN_ROWS = 50
REGISTER_ID_FORMAT = "R{:03d}"
REGISTER_HIGH = 3  # a residual risk at this level needs a documented risk/benefit decision (7.4.6)


def register_codes() -> tuple[str, ...]:
    """Every column code of the register sheet: the visible ones, then the hidden rank helpers."""
    return REGISTER_CODES + tuple(points_code(c) for c in REGISTER_SCALES)


# Change form sheet (change-permit route): column A holds each field's code, C its value.
CHANGE_CODE_COL = 0
CHANGE_LABEL_COL = 1
CHANGE_VALUE_COL = 2
