"""The consolidated workbook (OUT.xlsx): the prioritised map of a campaign's device fleet.

Sheets, in the consolidation's language (texts from ui.yaml ``consolidated``): the management
summary, first, on one printed page (:mod:`.direction_sheet`, its figures from
:mod:`.direction_figures`; issue 27), summary (devices
by risk level, department and site, campaign completion, the 3×3 matrix, two native charts and
the top 10), register, action plan, network risks (when the campaign has hazardous situations),
campaign follow-up (with a manifest) and problems; then a very hidden ``_meta`` sheet
(:class:`PlanMeta`) that lets ``actions import`` read the action plan back.

Figures of record are values, never formulas. Text from the returns is always written as text,
cleaned by :func:`~medrisk_xl.core.textsafe.clean_text`, so a designation ``=HYPERLINK(...)`` stays
inert (and escaped, even one that looks like rich-text XML). The workbook is written in
XlsxWriter's constant-memory mode, so every sheet is written top to bottom; the rows of its tables
are rendered as XML by :mod:`.xml_rows`, their texts in the shared strings. A table longer than a
sheet continues on "<sheet> (2)", "<sheet> (3)"... The file is written beside its destination and
moved into place, so an existing OUT is replaced whole or not at all.

Modules: :mod:`.book` (formats, columns, cell makers), :mod:`.tables` (headers, rows,
continuation sheets), :mod:`.xml_rows` (table rows as XML), one module per sheet
(:mod:`.summary` with :mod:`.charts`, :mod:`.register_sheet`, :mod:`.action_plan` (per device)
and :mod:`.grouped_plan` (``--plan-by model|department``, its rows from :mod:`.plan_groups`; the
team's own actions carried by ``--db`` shown by both through :mod:`.team_plan`),
:mod:`.hazards`, :mod:`.follow_up`, :mod:`.problems`, :mod:`.meta`) and :mod:`.writer`
(:func:`write_consolidated`).
"""

from __future__ import annotations

from medrisk_xl.consolidate.workbook.action_plan import (
    ACTION_LEVELS,
    DATE_RANGE,
    Action,
    action_columns,
    action_heights,
    action_rows,
    item_actions,
    level_plan_actions,
    plan_actions,
    plan_rows,
    vulnerability_item_actions,
    write_actions,
)
from medrisk_xl.consolidate.workbook.charts import department_chart, risk_chart
from medrisk_xl.consolidate.workbook.device_register_sheet import (
    register_column,
    register_columns,
    write_register,
)
from medrisk_xl.consolidate.workbook.direction_sheet import write_direction
from medrisk_xl.consolidate.workbook.follow_up import (
    device_follow_up_columns,
    file_columns,
    follow_up_columns,
    write_follow_up,
)
from medrisk_xl.consolidate.workbook.grouped_plan import GROUP_IDS_SHEET, write_grouped_actions
from medrisk_xl.consolidate.workbook.map_book import LEVELS, WIDTHS, Book, Column
from medrisk_xl.consolidate.workbook.map_writer import write_consolidated
from medrisk_xl.consolidate.workbook.meta import (
    META_SHEET,
    PLAN_CODE_ROW,
    PLAN_KIND,
    PLAN_SCHEMA_VERSION,
    PlanMeta,
    write_meta,
)
from medrisk_xl.consolidate.workbook.plan_groups import PlanGroup, plan_groups
from medrisk_xl.consolidate.workbook.problems_sheet import problem_columns, write_problems
from medrisk_xl.consolidate.workbook.sheet_tables import (
    MAX_ROWS,
    NOTE,
    head,
    print_fitted,
    print_wide,
    table_rows,
    write_rows,
    write_table,
)
from medrisk_xl.consolidate.workbook.summary import (
    CHART_COL,
    COMPLETION_KEYS,
    SUMMARY_ONE_PAGE,
    TOP,
    TOP_COLUMNS,
    completion_counts,
    group_counts,
    matrix_counts,
    write_summary,
)
from medrisk_xl.consolidate.workbook.xml_rows import Cell, RowWriter, TableSheet, ToCell

__all__ = [
    "ACTION_LEVELS",
    "CHART_COL",
    "COMPLETION_KEYS",
    "DATE_RANGE",
    "GROUP_IDS_SHEET",
    "LEVELS",
    "MAX_ROWS",
    "META_SHEET",
    "NOTE",
    "PLAN_CODE_ROW",
    "PLAN_KIND",
    "PLAN_SCHEMA_VERSION",
    "SUMMARY_ONE_PAGE",
    "TOP",
    "TOP_COLUMNS",
    "WIDTHS",
    "Action",
    "Book",
    "Cell",
    "Column",
    "PlanGroup",
    "PlanMeta",
    "RowWriter",
    "TableSheet",
    "ToCell",
    "action_columns",
    "action_heights",
    "action_rows",
    "completion_counts",
    "department_chart",
    "device_follow_up_columns",
    "file_columns",
    "follow_up_columns",
    "group_counts",
    "head",
    "item_actions",
    "level_plan_actions",
    "matrix_counts",
    "plan_actions",
    "plan_groups",
    "plan_rows",
    "print_fitted",
    "print_wide",
    "problem_columns",
    "register_column",
    "register_columns",
    "risk_chart",
    "table_rows",
    "vulnerability_item_actions",
    "write_actions",
    "write_consolidated",
    "write_direction",
    "write_follow_up",
    "write_grouped_actions",
    "write_meta",
    "write_problems",
    "write_register",
    "write_rows",
    "write_summary",
    "write_table",
]
