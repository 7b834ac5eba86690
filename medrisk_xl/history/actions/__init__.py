"""The action follow-up: the consolidated workbook's action plan read back into the history
(``actions import``), carried forward into the next campaign's plan, and the actions completed
between two campaigns (``compare``).

Reading a plan back. The consolidated workbook holds a very hidden ``_meta`` sheet
(:class:`~medrisk_xl.consolidate.workbook.PlanMeta`): which campaign, language and content the plan
belongs to, its action sheets, and the texts its status dropdown offered. The plan is checked the
way returns are, and nothing is imported unless every check passes:

- identity: every row's ``(device_id, ref)`` must be an action that the campaign *as recorded in the
  history* implies (a device of the map at moderate or strong risk; ``ref`` a theme of its level's
  plan or one of its non-compliant items), else ``invented-action`` (a row without a ref is the
  team's own: below); its department, designation, risk level, source, topic and action text must
  be what the workbook wrote (recomputed from the recorded register and the content pack), else
  ``action-changed`` naming the cell;
- formulas: the plan holds values only (``formula-in-plan``);
- the team's columns: the due date is a date (or empty), the status one of the dropdown's texts;
- an action on two rows (``duplicate-action``); an action no longer in the file is a warning.

A grouped plan (``consolidate --plan-by model|department``, ``_meta``'s ``plan_by``) is checked by
:mod:`.plan_group_check`: a row is known by its group, source and ref; its devices, their count,
highest risk and criticality must be what the recorded register implies; a device moved from one
row to another is ``device-moved``; the row's owner, due date and status are stored for each of
its devices, so everything below reads the history per device as before. A cell of a group row
left empty keeps each device's own value (:func:`.carrying.kept_values`): a row whose devices'
statuses disagreed is written with an empty status, and importing it untouched loses nothing.

Columns are found by the code row above the headers, never by position, and rows may be sorted or
filtered: an action is known by ``(device_id, ref)``. Status texts are mapped back to stable codes
(``todo``, ``in_progress``, ``done``, ``not_applicable``) by their position in the list ``_meta``
recorded, so the history stores codes, never labels; a plan in English and one in French mean the
same. The rows the team filled in (an owner, a due date or a status) are stored; re-importing a
campaign's plan replaces its actions in one transaction.

The team's own actions (:mod:`.team_rows`): a row whose ref is empty, or ``TEAM-`` and 8 hex digits
(written back by a previous ``consolidate --db``), is an action the team added ("Demander le MDS2 au
fabricant"). It needs an action text (else ``team-action-incomplete``) and devices of the recorded
campaign (else ``unknown-device``, or ``team-action-incomplete`` when it names none): per device its
inventory number; in a grouped plan a list of inventory numbers, or, that cell left empty, the
site, department (manufacturer, model) it shows, standing for every device of the campaign that
has them. Its ref is made from its text
(:func:`~medrisk_xl.consolidate.team_actions.team_ref`, SHA-256 of the text normalised), so the
same text is one action on every device, and a carried row whose text was edited is simply a new
action. It is stored per device like any other, with ``team`` set and its text, even without an
owner, due date or status. A row with any other ref stays ``invented-action``, and so does a row
without a ref whose text is a generated action's: identity checks are as strict as before.

Carrying forward (:func:`carry_forward`, ``consolidate --db``): the new plan is pre-filled from the
latest earlier campaign that has imported actions. An open action (to do, in progress, or only an
owner or due date) or one marked not applicable gets its owner, due date and status back ("carried
over"); an item action marked done whose item is still non-compliant is flagged for a second look
(its status left empty); a plan theme done earlier is noted. Consolidating a campaign again
pre-fills its own imported actions, so a late return does not lose what the team entered. The
team's own actions are written after the generated rows, with their text: the earlier campaign's
while open (:data:`OPEN`: not done, not "not applicable") for the devices the new campaign still
has, and all of the campaign's own (one row per device, or per action and its devices).

Completed actions (:func:`completed_actions`): the actions marked done in the plans imported for
the campaigns from A up to (not including) B, in the history's order, each with what B says of its
item: resolved (compliant), still non-compliant (second look), or the device is gone. The team's
own actions done are among them, ``team`` set, with their text.


Modules: :mod:`.plan_file` (reading the plan and its identity), :mod:`.plan_cells` (cell values,
dates, the code row), :mod:`.plan_check` (rows against the recorded campaign), :mod:`.codes` (the
problems), :mod:`.team_rows` (the team's own rows), :mod:`.importing` (:func:`import_actions`),
:mod:`.carrying` (:func:`carry_forward`) and :mod:`.completed` (:func:`completed_actions`).
"""

from __future__ import annotations

from medrisk_xl.history.actions.carrying import CARRIED, OPEN, CarriedForward, carry_forward
from medrisk_xl.history.actions.completed import CompletedAction, completed_actions
from medrisk_xl.history.actions.importing import ActionImport, import_actions
from medrisk_xl.history.actions.plan_check import (
    REGISTER_COLUMNS_USED,
    PlanAction,
    PlanCheck,
    check_plan,
)
from medrisk_xl.history.actions.plan_file import PlanFile, read_plan
from medrisk_xl.history.actions.plan_problems import MAX_PROBLEMS, PROBLEM_CODES

__all__ = [
    "CARRIED",
    "MAX_PROBLEMS",
    "OPEN",
    "PROBLEM_CODES",
    "REGISTER_COLUMNS_USED",
    "ActionImport",
    "CarriedForward",
    "CompletedAction",
    "PlanAction",
    "PlanCheck",
    "PlanFile",
    "carry_forward",
    "check_plan",
    "completed_actions",
    "import_actions",
    "read_plan",
]
