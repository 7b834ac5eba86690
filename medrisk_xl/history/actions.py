"""The action follow-up: the consolidated workbook's action plan read back into the history
(``actions import``), carried forward into the next campaign's plan, and the actions completed
between two campaigns (``compare``).

Reading a plan back. The consolidated workbook holds a very hidden ``_meta`` sheet
(:class:`~medrisk_xl.consolidated_workbook.PlanMeta`): which campaign, language and content the plan
belongs to, its action sheets, and the texts its status dropdown offered. The plan is checked the
way returns are, and nothing is imported unless every check passes:

- identity: every row's ``(device_id, ref)`` must be an action that the campaign *as recorded in the
  history* implies (a device of the map at moderate or strong risk; ``ref`` a theme of its level's
  plan or one of its non-compliant items), else ``invented-action``; its department, designation,
  risk level, source, topic and action text must be what the workbook wrote (recomputed from the
  recorded register and the content pack), else ``action-changed`` naming the cell;
- formulas: the plan holds values only (``formula-in-plan``);
- the team's columns: the due date is a date (or empty), the status one of the dropdown's texts;
- an action on two rows (``duplicate-action``); an action no longer in the file is a warning.

Columns are found by the code row above the headers, never by position, and rows may be sorted or
filtered: an action is known by ``(device_id, ref)``. Status texts are mapped back to stable codes
(``todo``, ``in_progress``, ``done``, ``not_applicable``) by their position in the list ``_meta``
recorded, so the history stores codes, never labels; a plan in English and one in French mean the
same. The rows the team filled in (an owner, a due date or a status) are stored; re-importing a
campaign's plan replaces its actions in one transaction.

Carrying forward (:func:`carry_forward`, ``consolidate --db``): the new plan is pre-filled from the
latest earlier campaign that has imported actions. An open action (to do, in progress, or only an
owner or due date) or one marked not applicable gets its owner, due date and status back ("carried
over"); an item action marked done whose item is still non-compliant is flagged for a second look
(its status left empty); a plan theme done earlier is noted. Consolidating a campaign again
pre-fills its own imported actions, so a late return does not lose what the team entered.

Completed actions (:func:`completed_actions`): the actions marked done in the plans imported for
the campaigns from A up to (not including) B, in the history's order, each with what B says of its
item: resolved (compliant), still non-compliant (second look), or the device is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils.cell import get_column_letter
from python_calamine import CalamineWorkbook

from medrisk_xl import __version__
from medrisk_xl.consolidated_workbook import (
    DATE_RANGE,
    META_SHEET,
    PLAN_KIND,
    PLAN_SCHEMA_VERSION,
    PlanMeta,
    plan_rows,
)
from medrisk_xl.consolidation_tables import (
    ACTION_IDENTITY_COLUMNS,
    ACTION_STATUS_CODES,
    ACTION_TEAM_COLUMNS,
    CARRIED_COLUMNS,
    ITEMS,
    Consolidation,
)
from medrisk_xl.history.store import (
    CampaignInfo,
    History,
    Target,
    _load_manifest,
    _missing,
    campaign_id,
    open_history,
)
from medrisk_xl.pack import ContentPack, Language, load_pack
from medrisk_xl.problems import MedriskError, Problem
from medrisk_xl.textsafe import clean_text
from medrisk_xl.workbook.read.opening import Unreadable, open_package
from medrisk_xl.workbook.read.part_kinds import CODES as OPENING_CODES
from medrisk_xl.workbook.read.parts import ActiveContent
from medrisk_xl.workbook.read.reader import Sheet, check_used_range, clean, read_sheet_xml, sheet_parts

# The problems actions import reports, with their severity (README's table).
PROBLEM_CODES = {
    "unreadable": "error",
    "active-content": OPENING_CODES["active-content"][0],
    "external-link": OPENING_CODES["external-link"][0],
    "not-a-plan": "error",
    "unknown-schema": "error",
    "other-content": "error",
    "unknown-campaign": "error",
    "sheet-missing": "error",
    "column-missing": "error",
    "formula-in-plan": "error",
    "invented-action": "error",
    "action-changed": "error",
    "duplicate-action": "error",
    "bad-due-date": "error",
    "bad-status": "error",
    "action-missing": "warning",
    "more-problems": "info",
}
STATUS_WORDS = {
    "todo": "to do",
    "in_progress": "in progress",
    "done": "done",
    "not_applicable": "not applicable",
    "none": "no status yet",
}
WHAT = {  # identity columns, as messages name them
    "department": "department",
    "designation": "designation",
    "risk_level": "risk level",
    "source": "source",
    "topic": "topic",
    "action": "action text",
}
OPEN = ("todo", "in_progress", None)  # None: an owner or a due date, no status yet
CARRIED = (*OPEN, "not_applicable")
MAX_PROBLEMS = 200  # listed; past that, one line says how many more
REGISTER_COLUMNS_USED = (
    "device_id",
    "department",
    "designation",
    "risk_level",
    "included",
    "non_compliant_items",
    *ITEMS,
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"))
_CODE_ROW_SEARCH = 10  # rows searched for the code row when it is not where _meta says


# --------------------------------------------------------------------------------------------
# Reading a plan file


@dataclass
class PlanFile:
    """A consolidated workbook as ``actions import`` reads it: ``_meta`` and the action sheets."""

    path: Path
    meta: dict[str, str]
    sheets: dict[str, Sheet]  # the action sheets found (values and formulas)
    all_sheets: tuple[str, ...]  # every sheet name of the file

    def meta_json(self, key: str) -> Any:
        try:
            return json.loads(self.meta.get(key) or "null")
        except ValueError:
            return None


def _pairs(values: list[list[Any]]) -> dict[str, str]:
    """The key/value pairs of columns A:B."""
    out: dict[str, str] = {}
    for row in values:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            out[row[0]] = "" if row[1] is None else str(clean(row[1]))
    return out


def _calamine_values(calamine: CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        return calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise Unreadable("truncated", f"sheet {name!r} cannot be read ({exc})") from None


def _action_sheet_names(meta: dict[str, str]) -> list[str]:
    try:
        names = json.loads(meta.get(PlanMeta.ACTION_SHEETS) or "[]")
    except ValueError:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def read_plan(path: str | os.PathLike[str]) -> PlanFile:
    """Read a consolidated workbook's ``_meta`` and action sheets (values and formulas), safely:
    the file is recognised by its bytes and checked against the same limits as a return (see
    :mod:`medrisk_xl.workbook.read.opening`); an .ods saved by LibreOffice is read too. Raises
    :class:`~medrisk_xl.workbook.read.opening.Unreadable`. The file is never modified."""
    path = Path(path)
    with open_package(path) as package:
        if package.kind == "ods":
            from medrisk_xl.workbook.read.reader_ods import read_ods

            book = read_ods(path, package)
            meta_sheet = book.sheets.get(META_SHEET)
            meta = _pairs(meta_sheet.values) if meta_sheet else {}
            names = _action_sheet_names(meta)
            sheets = {n: book.sheets[n] for n in names if n in book.sheets}
            return PlanFile(path, meta, sheets, tuple(book.sheets))
        parts = sheet_parts(package)
        parts.pop("", None)
        try:
            calamine = CalamineWorkbook.from_filelike(package.file())
        except Exception as exc:  # calamine raises its own error types
            raise Unreadable("truncated", f"the workbook's contents cannot be read ({exc})") from None
        meta: dict[str, str] = {}
        meta_part = parts.get(META_SHEET, ("", ""))[0]
        if meta_part in package.names:
            check_used_range(package.read(meta_part), package)  # before calamine loads it
            meta = _pairs(_calamine_values(calamine, META_SHEET))
        sheets = {}
        if meta.get(PlanMeta.KIND) == PLAN_KIND:
            for name in _action_sheet_names(meta):
                part, state = parts.get(name, ("", ""))
                if part in package.names:
                    xml = read_sheet_xml(package, part)  # formulas; a huge sheet is refused first
                    sheets[name] = Sheet(name, state, _calamine_values(calamine, name), xml)
    return PlanFile(path, meta, sheets, tuple(parts))


# --------------------------------------------------------------------------------------------
# Checking a plan against the recorded campaign


@dataclass(frozen=True)
class PlanAction:
    """One action row the team filled in, ready to store."""

    device_id: str
    ref: str
    department: str | None
    owner: str | None
    due: str | None  # yyyy-mm-dd
    status: str | None  # ACTION_STATUS_CODES


@dataclass
class PlanCheck:
    """What checking a plan found: the actions to store, the problems, and counts."""

    campaign: str
    language: str
    rows: int = 0  # action rows found in the file
    actions: list[PlanAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _text(value: Any) -> str:
    """A cell value as compared with what was written: text, line breaks normalised."""
    value = clean(value)
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _written(value: Any, code: str) -> str:
    """What the workbook wrote for an identity value (register text is cleaned as it is written)."""
    if _missing(value):
        return ""
    if code in ("department", "designation", "device_id"):
        return clean_text(value)[0]
    return _text(value)


def _short(text: str, n: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _due(value: Any) -> tuple[str | None, bool]:
    """A due date cell as yyyy-mm-dd: (date or None when empty, whether it is valid)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        return None, False
    elif isinstance(value, (int, float)):  # a date serial whose date format was lost by a paste
        if not float(value).is_integer():
            return None, False
        try:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        except OverflowError:
            return None, False
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None, True
        day = None
        for pattern, form in _DATE_TEXT:
            if re.fullmatch(pattern, text):
                try:
                    day = dt.datetime.strptime(text, form).date()
                except ValueError:
                    return None, False
        if day is None:
            return None, False
    elif value is None:
        return None, True
    else:  # a time, a duration...
        return None, False
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        return None, False
    return day.isoformat(), True


def _code_row(sheet: Sheet, start: int, wanted: Sequence[str]) -> tuple[int | None, dict[str, int]]:
    """The row holding the column codes (``start`` first, then the first rows) and code -> column."""
    for r in [start, *(r for r in range(1, _CODE_ROW_SEARCH + 1) if r != start)]:
        codes = {v: c for c, v in enumerate(sheet.row(r), start=1) if isinstance(v, str) and v}
        if all(code in codes for code in wanted):
            return r, codes
    return None, {}


def _reason(device: str, ref: str, devices: dict[str, dict[str, Any]], campaign: str) -> tuple[str, bool]:
    """Why (device, ref) is not an action of the campaign, and whether the ref is what is wrong."""
    d = devices.get(device)
    if d is None:
        return f"device {device} is not in campaign {campaign}'s register", False
    level = None if _missing(d["risk_level"]) else int(d["risk_level"])
    if not d["included"] or level not in (2, 3):
        why = f"device {device} has no action plan in campaign {campaign} (not in the map at moderate or strong risk)"
        return why, False
    return f"{ref} is neither a theme of device {device}'s plan nor one of its non-compliant items", True


class _Problems:
    """Problems of one plan file, each naming its sheet and cell."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.items: list[Problem] = []

    def add(
        self,
        code: str,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        col: int | None = None,
        device: str | None = None,
        severity: str = "error",
    ) -> None:
        cell = f"{get_column_letter(col)}{row}" if row and col else None
        self.items.append(
            Problem(
                code,
                message,
                file=self.file,
                sheet=sheet,
                cell=cell,
                row=row if cell is None else None,
                severity=severity,
                device_id=device or None,
            )
        )


def _meta_problems(plan: PlanFile, pack: ContentPack, out: _Problems) -> tuple[str, Language | None]:
    """The plan's identity: a medrisk-xl plan, of a schema this version reads, of this content."""
    meta = plan.meta
    if meta.get(PlanMeta.KIND) != PLAN_KIND:
        what = (
            "a department workbook, not the consolidated workbook: import the action plan of "
            "medrisk-xl consolidate's output"
            if meta.get("input_sheet")
            else "not a medrisk-xl consolidated workbook (no action plan to read back)"
        )
        out.add("not-a-plan", f"this spreadsheet is {what}")
        return "", None
    try:
        version = int(meta.get(PlanMeta.SCHEMA_VERSION, ""))
    except ValueError:
        version = -1
    if version < 1 or version > PLAN_SCHEMA_VERSION:
        out.add(
            "unknown-schema",
            f"written by medrisk-xl {meta.get(PlanMeta.GENERATOR) or '?'} with an action plan of schema "
            f"{meta.get(PlanMeta.SCHEMA_VERSION) or '?'}; this medrisk-xl ({__version__}) reads schema "
            f"{PLAN_SCHEMA_VERSION} at most: upgrade medrisk-xl",
        )
        return "", None
    campaign = meta.get(PlanMeta.CAMPAIGN, "")
    status = plan.meta_json(PlanMeta.ACTION_STATUS)
    sources = plan.meta_json(PlanMeta.ACTION_SOURCE)
    damaged = (
        not campaign
        or not _action_sheet_names(meta)
        or not (isinstance(status, list) and len(status) >= len(ACTION_STATUS_CODES))
        or not all(isinstance(s, str) for s in status or [])
        or not (isinstance(sources, dict) and all(isinstance(sources.get(k), str) for k in ("plan", "item")))
    )
    if not damaged:
        try:
            sources["plan"].format(level=2), sources["item"].format(code="V1")
        except (KeyError, IndexError, ValueError):
            damaged = True
    if damaged:
        out.add("not-a-plan", f"its {META_SHEET} sheet is damaged: write the workbook again (consolidate)")
        return "", None
    language = meta.get(PlanMeta.LANGUAGE, "")
    if meta.get(PlanMeta.CONTENT_HASH) != pack.hash or language not in pack.languages:
        out.add(
            "other-content",
            f"written with content {meta.get(PlanMeta.CONTENT_ID) or '?'} "
            f"{meta.get(PlanMeta.CONTENT_VERSION) or '?'} ({(meta.get(PlanMeta.CONTENT_HASH) or '?')[:12]}), "
            f"not the content pack importing it ({pack.method.id} {pack.method.version}, {pack.hash[:12]}): "
            "pass the campaign's pack with --content",
        )
        return campaign, None
    return campaign, pack.language(language)


def check_plan(plan: PlanFile, pack: ContentPack, register: pd.DataFrame, campaign: str) -> PlanCheck:
    """Check the action sheets of ``plan`` against the actions that ``register`` (the campaign as
    recorded: ``REGISTER_COLUMNS_USED``) implies; return the actions to store and every problem."""
    out = _Problems(plan.path)
    language = pack.language(plan.meta[PlanMeta.LANGUAGE])
    result = PlanCheck(campaign, language.code)
    sources = plan.meta_json(PlanMeta.ACTION_SOURCE)
    expected: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in plan_rows(language, register, sources):
        expected[(_written(row[0], "device_id"), row[4])].append(row)
    devices = {
        _written(d["device_id"], "device_id"): d
        for d in reversed(register[["device_id", "risk_level", "included"]].to_dict("records"))
    }
    labels = plan.meta_json(PlanMeta.ACTION_STATUS)
    status_codes = {str(label).strip().casefold(): code for label, code in zip(labels, ACTION_STATUS_CODES)}
    try:
        start = int(plan.meta.get(PlanMeta.CODE_ROW, "1"))
    except ValueError:
        start = 1
    wanted = (*ACTION_IDENTITY_COLUMNS, *ACTION_TEAM_COLUMNS)
    seen: dict[tuple[str, str], list[tuple[str, int, int, tuple[Any, ...]]]] = defaultdict(list)
    for name in _action_sheet_names(plan.meta):
        sheet = plan.sheets.get(name)
        if sheet is None:
            out.add("sheet-missing", f"the action plan's sheet {name!r} is missing", sheet=name)
            continue
        code_row, cols = _code_row(sheet, start, wanted)
        for (r, c), formula in sorted(sheet.xml.formulas.items()):
            device = _text(sheet.value(r, cols["device_id"])) if code_row and r > code_row + 1 else None
            out.add(
                "formula-in-plan",
                f"holds the formula ={_short(formula, 40)}: the plan holds values only (paste as values)",
                name,
                r,
                c,
                device,
            )
        if code_row is None:
            _, found = _code_row(sheet, start, ("device_id", "ref"))
            missing = [c for c in wanted if c not in found] if found else list(wanted)
            out.add(
                "column-missing",
                f"the code row above the headers (row {start}) lacks {', '.join(missing)}: the columns "
                "cannot be found",
                name,
                start,
            )
            continue
        for r in range(code_row + 2, sheet.n_rows + 1):
            values = {code: sheet.value(r, cols[code]) for code in wanted}
            texts = {code: _text(values[code]) for code in ACTION_IDENTITY_COLUMNS}
            team = {code: values[code] for code in ACTION_TEAM_COLUMNS}
            if not any(texts.values()) and not any(_text(v) for v in team.values()):
                continue  # an empty row
            device, ref = texts["device_id"], texts["ref"]
            rows_here = expected.get((device, ref))
            if not rows_here:
                if not device or not ref:
                    why, where = "the row names no action (no inventory number or ref)", cols["device_id"]
                else:
                    why, wrong_ref = _reason(device, ref, devices, campaign)
                    where = cols["ref"] if wrong_ref else cols["device_id"]
                out.add("invented-action", f"not an action of the plan: {why}", name, r, where, device)
                continue
            result.rows += 1
            want = rows_here[0]
            for k, code in enumerate(ACTION_IDENTITY_COLUMNS):
                if code in ("device_id", "ref"):
                    continue
                written = _written(want[k], code)
                if texts[code] != written:
                    out.add(
                        "action-changed",
                        f"the {WHAT[code]} reads {_short(texts[code])!r} instead of {_short(written)!r} "
                        "as written",
                        name,
                        r,
                        cols[code],
                        device,
                    )
            owner = clean_text(_text(team["owner"]))[0] or None
            due, ok = _due(team["due"])
            if not ok:
                out.add(
                    "bad-due-date",
                    f"the due date {_short(_text(team['due']), 30)!r} is not a date between "
                    f"{DATE_RANGE[0]:%Y} and {DATE_RANGE[1]:%Y}",
                    name,
                    r,
                    cols["due"],
                    device,
                )
            status_text = _text(team["status"])
            status = status_codes.get(status_text.casefold()) if status_text else None
            if status_text and status is None:
                out.add(
                    "bad-status",
                    f"the status {_short(status_text, 30)!r} is not one of {', '.join(map(str, labels[:4]))}",
                    name,
                    r,
                    cols["status"],
                    device,
                )
            seen[(device, ref)].append((name, r, cols["device_id"], (owner, due, status, want)))
    for key, found in seen.items():
        allowed = len(expected[key])  # more than one: a device the register lists twice
        first = found[0]
        for name, r, col, values in found[1:]:
            if len(found) > allowed or values[:3] != first[3][:3]:
                out.add(
                    "duplicate-action",
                    f"action {key[1]} of device {key[0]} is also on row {first[1]} of sheet {first[0]!r}"
                    + ("" if len(found) > allowed else " with another owner, due date or status"),
                    name,
                    r,
                    col,
                    key[0],
                )
        owner, due, status, want = first[3]
        if owner or due or status:
            result.actions.append(PlanAction(str(want[0]), key[1], _none(want[1]), owner, due, status))
    for key in expected:
        if key not in seen:
            out.add(
                "action-missing",
                f"action {key[1]} of device {key[0]} is no longer in the plan (row deleted?): not imported",
                device=key[0],
                severity="warning",
            )
    result.problems = out.items
    return result


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem("more-problems", f"{more} more problem(s) not listed", severity="info"),
    ]


# --------------------------------------------------------------------------------------------
# Importing


@dataclass(frozen=True)
class ActionImport:
    """What :func:`import_actions` did."""

    campaign: str
    file: str
    target: str  # the history, password hidden
    rows: int  # action rows found in the plan
    stored: int  # rows the team filled in, stored
    by_status: dict[str, int]  # ACTION_STATUS_CODES and "none" (owner or due date, no status)
    replaced: bool  # a previous import of the campaign's plan was replaced
    warnings: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = [p.to_dict() for p in self.warnings]
        return data

    def to_text(self) -> str:
        counts = ", ".join(f"{n} {STATUS_WORDS[code]}" for code, n in self.by_status.items() if n)
        again = " (replacing its previous import)" if self.replaced else ""
        return (
            f"{self.file}: {self.stored} action(s) of campaign {self.campaign} imported into "
            f"{self.target}{again}" + (f": {counts}" if counts else "") + f"; {self.rows} action row(s) read"
        )


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def import_actions(
    path: str | os.PathLike[str],
    target: str | os.PathLike[str] | Target | None = None,
    *,
    pack: ContentPack | None = None,
) -> ActionImport:
    """Read the action plan of the consolidated workbook ``path`` into the history at ``target``
    (``None``: ``MEDRISK_DB``). Every check must pass (see the module's docstring): otherwise a
    :class:`MedriskError` lists every problem (sheet and cell named) and nothing is imported.
    Re-importing a campaign's plan replaces its actions, in one transaction."""
    path = Path(path)
    pack = pack or load_pack()
    out = _Problems(path)
    try:
        plan = read_plan(path)
    except ActiveContent as exc:  # refused before any parser ran: one problem per part
        raise MedriskError([Problem(f.code, f.message, file=str(path)) for f in exc.findings]) from None
    except Unreadable as exc:
        raise MedriskError([Problem("unreadable", exc.message, file=str(path))]) from None
    except OSError as exc:
        raise MedriskError(
            [Problem("unreadable", f"cannot read the file: {exc.strerror}", file=str(path))]
        ) from None
    campaign, language = _meta_problems(plan, pack, out)
    if language is None:
        raise MedriskError(out.items)
    with open_history(target, create=False) as history:
        known = {i.campaign: i for i in history.campaigns()}
        info = known.get(campaign)
        if info is None:
            recorded = ", ".join(known) or "none yet"
            raise MedriskError(
                [
                    Problem(
                        "unknown-campaign",
                        f"the plan belongs to campaign {campaign!r}, which is not in {history.target.display} "
                        f"(recorded: {recorded}): record it first with consolidate --db",
                        file=str(path),
                    )
                ]
            )
        register = history.register(campaign, REGISTER_COLUMNS_USED)
        checked = check_plan(plan, pack, register, campaign)
        if checked.errors:
            raise MedriskError(_capped(checked.problems))
        sha, size = _sha256(path)
        imported_at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = [
            {
                "device_id": a.device_id,
                "ref": a.ref,
                "department": a.department,
                "owner": a.owner,
                "due": a.due,
                "status": a.status,
            }
            for a in checked.actions
        ]
        imported = {
            "imported_at": imported_at,
            "imported_by": __version__,
            "file": str(path),
            "sha256": sha,
            "size": size,
            "rows": checked.rows,
            "actions": len(rows),
        }
        replaced = history.store_actions(campaign, info.recorded_at, rows, imported)
        target_name = history.target.display
    by_status = Counter(a.status or "none" for a in checked.actions)
    return ActionImport(
        campaign=campaign,
        file=str(path),
        target=target_name,
        rows=checked.rows,
        stored=len(rows),
        by_status={code: by_status.get(code, 0) for code in (*ACTION_STATUS_CODES, "none")},
        replaced=replaced,
        warnings=tuple(_capped(checked.problems)),
    )


# --------------------------------------------------------------------------------------------
# Carrying forward


@dataclass(frozen=True)
class CarriedForward:
    """What :func:`carry_forward` pre-filled in a campaign's action plan."""

    campaign: str
    previous: str | None  # the earlier campaign whose actions were carried forward
    carried: int  # open (or not applicable) actions: owner, due date and status carried over
    second_look: int  # item actions done earlier whose item is still non-compliant
    done_before: int  # plan themes done earlier (noted)
    own: int  # actions pre-filled from the campaign's own imported plan (consolidated again)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        parts = []
        if self.previous:
            parts.append(
                f"action follow-up from {self.previous}: {self.carried} action(s) carried over (open or "
                f"not applicable), {self.second_look} done but still non-compliant (second look), "
                f"{self.done_before} plan theme(s) done before"
            )
        if self.own:
            parts.append(f"{self.own} action(s) pre-filled from {self.campaign}'s own imported plan")
        return "; ".join(parts) or "no earlier action follow-up in the history: nothing carried forward"


def _order_key(info: CampaignInfo) -> tuple[str, str, str]:
    """The history's order of campaigns (as ``history list``)."""
    return (info.created or info.recorded_at, info.recorded_at, info.campaign)


def _by_key(actions: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["device_id"], r["ref"]): r for r in actions.to_dict("records")}


def _none(value: Any) -> Any:
    return None if _missing(value) else value


def _as_date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if not _missing(text) and text else None
    except ValueError:
        return None


def carry_forward(
    result: Consolidation,
    target: str | os.PathLike[str] | Target | History | None = None,
    *,
    pack: ContentPack | None = None,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    campaign: str | None = None,
) -> CarriedForward:
    """Pre-fill ``result``'s action plan from the history (sets ``result.carried``; the
    consolidated workbook writes it): owner, due date and status of the latest earlier campaign's
    open actions, a second look for its done items still non-compliant, a note for its done plan
    themes; and, when the campaign is consolidated again, its own imported actions."""
    pack = pack or load_pack()
    man = _load_manifest(manifest)
    name = campaign_id(result, man, campaign)
    language = pack.language(result.language)
    sources = language.ui["consolidated"]["action_source"]
    keys = list(dict.fromkeys((row[0], row[4]) for row in plan_rows(language, result.register, sources)))
    if isinstance(target, History):
        own, previous, prior = _earlier_actions(target, name, man)
    else:
        with open_history(target) as history:
            own, previous, prior = _earlier_actions(history, name, man)
    counts: Counter[str] = Counter()
    rows = []
    for device, ref in keys:
        before = prior.get((device, ref))
        mine = own.get((device, ref))
        follow_up, values = None, (None, None, None)
        if before is not None:
            status = _none(before["status"])
            if status in CARRIED:
                follow_up = "carried"
                values = (_none(before["owner"]), _as_date(before["due"]), status)
            elif status == "done":
                follow_up = "second_look" if ref in ITEMS else "done_before"
        if mine is not None:
            values = (_none(mine["owner"]), _as_date(mine["due"]), _none(mine["status"]))
            counts["own"] += 1
        if follow_up:
            counts[follow_up] += 1
        if follow_up or any(v is not None for v in values):
            rows.append((device, ref, *values, follow_up, previous if follow_up else None))
    result.carried = pd.DataFrame(rows, columns=list(CARRIED_COLUMNS))
    return CarriedForward(
        campaign=name,
        previous=previous if prior else None,
        carried=counts["carried"],
        second_look=counts["second_look"],
        done_before=counts["done_before"],
        own=counts["own"],
    )


def _earlier_actions(history: History, name: str, manifest: dict[str, Any]) -> tuple[dict, str | None, dict]:
    """The campaign's own imported actions, and the latest earlier campaign with imported actions
    and its actions (by (device_id, ref))."""
    imports = history.action_imports()
    infos = history.campaigns()
    own = _by_key(history.actions(name)) if name in imports else {}
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    current = next((i for i in infos if i.campaign == name), None)
    key = _order_key(current) if current else (manifest.get("created") or now, now, name)
    earlier = [i for i in infos if i.campaign != name and i.campaign in imports and _order_key(i) < key]
    if not earlier:
        return own, None, {}
    previous = max(earlier, key=_order_key).campaign
    return own, previous, _by_key(history.actions(previous))


# --------------------------------------------------------------------------------------------
# Actions completed between two campaigns


@dataclass(frozen=True)
class CompletedAction:
    """An action marked done in a plan imported for a campaign from A up to B."""

    campaign: str  # the campaign whose plan it was in
    device_id: str
    department: str | None
    designation: str | None
    ref: str  # plan theme or item code
    owner: str | None
    due: str | None  # yyyy-mm-dd
    done_since: str  # the first import that found it done (UTC)
    in_b: str | None  # items: "resolved" (compliant in B), "second_look" (still non-compliant),
    # "unanswered"; any action: "removed" (the device is not in B); a plan theme: None


def completed_actions(
    history: History, campaign_a: str, campaign_b: str, register_b: pd.DataFrame | None = None
) -> tuple[list[str], list[CompletedAction]]:
    """The campaigns from A up to (not including) B whose plan was imported, and the actions marked
    done in them, by campaign, device (in register order) and ref."""
    infos = sorted(history.campaigns(), key=_order_key)
    order = [i.campaign for i in infos]
    if campaign_a not in order or campaign_b not in order:
        return [], []
    imports = history.action_imports()
    span = order[order.index(campaign_a) : order.index(campaign_b)]
    imported = [c for c in span if c in imports]
    if register_b is None:
        register_b = history.register(campaign_b, ("device_id", *ITEMS))
    in_b = {r["device_id"]: r for r in reversed(register_b[["device_id", *ITEMS]].to_dict("records"))}
    out: list[CompletedAction] = []
    for campaign in imported:
        actions = history.actions(campaign)
        done = actions[actions["status"] == "done"]
        if not len(done):
            continue
        reg = history.register(campaign, ("device_id", "department", "designation"))
        position = {d: k for k, d in reversed(list(enumerate(reg["device_id"].tolist())))}
        identity = {r["device_id"]: r for r in reversed(reg.to_dict("records"))}
        rows = sorted(
            done.to_dict("records"), key=lambda r: (position.get(r["device_id"], len(position)), r["ref"])
        )
        for r in rows:
            device, ref = r["device_id"], r["ref"]
            who = identity.get(device, {})
            b = in_b.get(device)
            if b is None:
                state = "removed"
            elif ref in ITEMS:
                points = b[ref]
                state = (
                    "unanswered" if _missing(points) else ("resolved" if int(points) == 0 else "second_look")
                )
            else:
                state = None
            out.append(
                CompletedAction(
                    campaign=campaign,
                    device_id=device,
                    department=_none(who.get("department", r["department"])),
                    designation=_none(who.get("designation")),
                    ref=ref,
                    owner=_none(r["owner"]),
                    due=_none(r["due"]),
                    done_since=r["status_since"],
                    in_b=state,
                )
            )
    return imported, out
