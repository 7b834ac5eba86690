"""The columns of every table the outputs write, named once.

The consolidation (:mod:`medrisk_xl.consolidate.tables`), its workbook and CSV writers, the
history and the tests fill them; each language's ui.yaml gives them their headers, which is why
they live with the method: the content pack's checks read them without importing any writer.

Register: one row per device, sorted by priority (risk level, then criticality score, then
vulnerability score, all descending; unscored devices last). The first columns are the stable
CSV columns (README); the ones after them are for the workbook.
"""

from __future__ import annotations

# The department workbook's risk-register sheet (IEC/TR 80001-2-1): its visible column codes, in
# order (the workbook contract, :mod:`medrisk_xl.workbook.contract`, lays them out).
REGISTER_CODES = (
    "REG_ID",
    "DEVICE",
    "HAZARD",
    "CAUSE",
    "SITUATION",
    "CONSEQUENCE",
    "PROPERTY",
    "SEVERITY",
    "PROBABILITY",
    "RISK_INITIAL",
    "CONTROL",
    "CONTROL_TYPE",
    "RES_SEVERITY",
    "RES_PROBABILITY",
    "RISK_RESIDUAL",
    "IMPLEMENTATION",
    "VERIFICATION",
    "EFFECTIVENESS",
    "NEW_RISKS",
    "OWNER",
    "STATUS",
)

# The IT workbook's answer sheet (issue 25): its column codes, in order (its contract,
# :mod:`medrisk_xl.workbook.it_contract`, lays them out; ui.yaml ``it_workbook.columns`` heads them).
IT_COLUMNS = (
    "GROUP",
    "SITE",
    "BRAND",
    "MODEL",
    "DEVICE_COUNT",
    "DEVICE_IDS",
    "ITEM",
    "STATEMENT",
    "HELP",
    "DEPARTMENT_ANSWERS",
    "EVIDENCE",
    "IT_ANSWER",
    "COMMENT",
    "CONFIRMED_BY",
    "CONFIRMED_ON",
    "PREVIOUS",
)

CRITERIA = tuple(f"C{i}" for i in range(1, 10))
ITEMS = tuple(f"V{i}" for i in range(1, 11))

IDENTITY_COLUMNS = ("device_id", "department", "site", "designation", "manufacturer", "model")
# Inventory field code of the department workbook -> register column.
IDENTITY_FIELDS = {
    "ID": "device_id",
    "DEPARTMENT": "department",
    "SITE": "site",
    "DESIGNATION": "designation",
    "BRAND": "manufacturer",
    "MODEL": "model",
}


# Device status (the department workbook's DEVICE_STATUS column, ui.yaml ``device_status.options``):
# present (the default), retired, moved to another department, lent, missing. The register and the
# history store these codes; retired and missing devices are not assessed.
DEVICE_STATUSES = ("present", "retired", "moved", "lent", "missing")
OUT_OF_FLEET = ("retired", "missing")

# Who answered an item (the values of V1_source..V10_source): the department, the IT team (its
# workbook), or the manufacturer's MDS2 form (a by-design pre-fill the department left as it was).
# Year two: "previous", an answer carried over from the previous campaign and kept (its row checked).
ANSWER_SOURCES = ("department", "it", "mds2", "previous")


def source_column(item: str) -> str:
    """The column saying who answered ``item`` (one of :data:`ANSWER_SOURCES`)."""
    return f"{item}_source"


SOURCE_COLUMNS = tuple(source_column(v) for v in ITEMS)
RESULT_COLUMNS = (
    "criticality_score",
    "criticality_level",
    "vulnerability_score",
    "vulnerability_level",
    "risk_level",
)
# The stable CSV columns, in order: identity, C1..C9 points, V1..V10 as 0/1, V1_answer..V10_answer
# labels, the results (integers, empty when incomplete), status and source file; then who answered
# each item (V1_source..V10_source: department or it) and whether the risk is provisional (True: it
# would be lower were the items still answered "don't know" compliant).
CSV_COLUMNS = (
    *IDENTITY_COLUMNS,
    *CRITERIA,
    *ITEMS,
    *(f"{v}_answer" for v in ITEMS),
    *RESULT_COLUMNS,
    "status",
    "source_file",
    *SOURCE_COLUMNS,
    "risk_provisional",
)
# Workbook-only columns, after the CSV ones.
EXTRA_COLUMNS = (
    "priority",  # 1 = act first; empty for unscored devices
    "ce_class",
    "unknown_items",  # "V2, V7": answered NE SAIT PAS, to confirm
    "non_compliant_items",  # "V2, V5, V7": answered NON or NE SAIT PAS
    "type_assessment",  # --per cneh|emdn: the type row ("CNEH:31.01.01") the device inherits
    "added",  # a device added by the department in a free row
    "included",  # scored into the map (False: its workbook had errors, see the problems sheet)
    "device_status",  # DEVICE_STATUSES: what the department said of the device (empty: no such column)
    "device_note",  # the department's comment on that status
    "carried_over",  # year two: "C2, V3": answers still as carried over from the previous campaign
    "reviewed",  # year two: its row confirmed in the REVIEWED cell (empty: no such cell)
    "sheet",
    "row",
)
REGISTER_COLUMNS = (*CSV_COLUMNS, *EXTRA_COLUMNS)
# Whether each device is in the map, and if not why (a stable code of
# medrisk_xl.core.inclusion_rules.NOT_MAPPED_REASONS; empty when mapped): after the CSV columns in
# the exports, after the register's own in the workbook. Derived by consolidate, not recorded in
# the history (it records ``included`` and the risk, from which ``mapped`` follows).
MAP_COLUMNS = ("mapped", "not_mapped_reason")
EXPORT_COLUMNS = (*CSV_COLUMNS, *MAP_COLUMNS)
# Answer columns take their headers from templates; every other column has a header of its own.
ANSWER_COLUMNS = (*CRITERIA, *ITEMS, *(f"{v}_answer" for v in ITEMS), *SOURCE_COLUMNS)
HEADED_COLUMNS = tuple(c for c in REGISTER_COLUMNS if c not in ANSWER_COLUMNS)

PROBLEM_COLUMNS = ("file", "code", "severity", "sheet", "cell", "row", "device_id", "message")
FILE_COLUMNS = (
    "file",
    "campaign",
    "department",
    "status",  # valid | invalid | unreadable
    "used",  # its devices are in the register (False: unreadable, or superseded by a newer return)
    "superseded_by",  # the newer return of the same department, when there is one
    "saved",  # the workbook's own save time (ISO), or the file's time
    "total",
    "complete",
    "to_confirm",
    "incomplete",
    "invalid",
    "not_started",
    "added",
)
# Action plan sheet, for each device at moderate or strong risk: one row per theme of its level's
# plan, then one row per non-compliant or unknown item; ``ref`` is the theme code (``BACKUP``) or
# the item code (``V3``), the same in every language. Owner, due date and status are for the team;
# ``follow_up`` says what the history carried into the row (``consolidate --db``).
ACTION_IDENTITY_COLUMNS = ("device_id", "department", "designation", "risk_level", "ref", "source", "topic")
ACTION_IDENTITY_COLUMNS += ("action",)
ACTION_TEAM_COLUMNS = ("owner", "due", "status")
ACTION_COLUMNS = (*ACTION_IDENTITY_COLUMNS, *ACTION_TEAM_COLUMNS, "follow_up")
# The grouped action plan (``consolidate --plan-by model|department``): one row per action and per
# group of devices sharing it (site, department, and with ``model`` manufacturer and model). The
# group and the action identify the row; the devices it stands for are counted and listed; the
# highest risk and criticality among them order the plan. ``department`` leaves out manufacturer
# and model. Owner, due date and status apply to every device of the row.
PLAN_BY = ("model", "department", "device")
GROUP_KEY_COLUMNS = ("site", "department", "manufacturer", "model")
ACTION_GROUP_IDENTITY_COLUMNS = (*GROUP_KEY_COLUMNS, "ref", "source", "topic", "action", "device_count")
ACTION_GROUP_IDENTITY_COLUMNS += ("device_ids", "risk_level", "criticality_level")
ACTION_GROUP_COLUMNS = (*ACTION_GROUP_IDENTITY_COLUMNS, *ACTION_TEAM_COLUMNS, "follow_up")
# The grouped plan's summary: per theme or item, how many devices and groups it concerns.
ACTION_SUMMARY_COLUMNS = ("ref", "source", "topic", "devices", "groups")
# Stable codes of the status dropdown's texts (ui.yaml ``consolidated.action_status``, by position):
# the history stores these, never a label.
ACTION_STATUS_CODES = ("todo", "in_progress", "done", "not_applicable")
# What the history says of an action row (ui.yaml ``consolidated.action_follow_up``): owner, due date
# and status carried over from an earlier campaign's open (or not applicable) action; done earlier
# but the item is still non-compliant (a second look); a plan theme done earlier (for information).
ACTION_FOLLOW_UP_CODES = ("carried", "second_look", "done_before")
# Consolidation.carried: what the history pre-fills in the action plan, one row per action; ``text``
# is a team's own action's text (its ref ``TEAM-...``, consolidate/team_actions.py), empty otherwise.
CARRIED_COLUMNS = ("device_id", "ref", "owner", "due", "status", "follow_up", "from_campaign", "text")
FOLLOW_UP_COLUMNS = (
    "department",
    "expected",
    "returned",
    "valid",
    "devices_expected",
    "devices_returned",
    "completion",
)

# Devices whose fate differs from the manifest (with a manifest): expected but missing (workbook
# not returned, or row not found in the return), or added by the department in a free row.
# not_mapped: a device of a return that is not in the map, its reason (the register's
# not_mapped_reason, a code of core.inclusion_rules.NOT_MAPPED_REASONS) in ``reason``.
# The campaign's coverage (with a manifest): per level (the fleet, each site, each department of
# the manifest), devices expected, returned (rows of the returns), mapped, and confirmed (mapped on
# no "don't know" answer; empty without an IT workbook).
COVERAGE_LEVELS = ("fleet", "site", "department")
COVERAGE_COLUMNS = ("level", "name", "expected", "returned", "mapped", "confirmed")
DEVICE_CHANGES = ("not_returned", "not_in_return", "added", "not_mapped")
FOLLOW_UP_DEVICE_COLUMNS = ("device_id", "department", "designation", "change", "reason", "source_file")


# The campaign's register of hazardous situations (IEC/TR 80001-2-1): the rows the departments
# filled in their register sheet, and one row proposed per department and vulnerability item
# answered non-compliant (its hazard and cause, its specific actions as the proposed control).
HAZARD_ORIGINS = ("register", "proposed")
HAZARD_COLUMNS = (
    "department",
    "reg_id",
    "origin",
    "device_id",
    "devices",
    "hazard",
    "cause",
    "situation",
    "consequence",
    "property",
    "severity",
    "probability",
    "risk_initial",
    "control",
    "control_type",
    "res_severity",
    "res_probability",
    "risk_residual",
    "decision",
    "implementation",
    "verification",
    "effectiveness",
    "new_risks",
    "owner",
    "status",
    "source_file",
)
# Per department: situations recorded, proposed, assessed, high initial, high residual (unacceptable).
HAZARD_COUNT_COLUMNS = ("department", "situations", "proposed", "assessed", "high_initial", "unacceptable")
