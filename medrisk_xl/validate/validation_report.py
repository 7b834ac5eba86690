"""What validate found: one :class:`FileReport` per file inside a :class:`Report`, rendered as
text or JSON by the report itself so that the CLI only prints it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.validate.problem_codes import ERROR, INFO, WARNING
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.register_reader import RegisterEntry
from medrisk_xl.workbook.shown import RowView


@dataclass
class DeviceRow:
    """One device read from a return (a grid row or a form sheet), kept for consolidate."""

    device_id: str
    row: int
    view: RowView
    added: bool = False  # in a free row: a device missing from the inventory
    covers: tuple[str, ...] = ()  # inventory ids the row stands for (--per cneh|emdn: several)
    identity: dict[str, Any] = field(default_factory=dict)  # identity code -> value
    sheet: str = ""
    carried: tuple[str, ...] = ()  # year two: the answers carried over to the row (its _meta row says)
    status: str | None = None  # its device status (contract.DEVICE_STATUSES); None: no such column
    note: str | None = None  # the department's comment on its status


@dataclass(frozen=True)
class ItAnswer:
    """One answered row of an IT workbook, interpreted: the IT team's answer (an option index of
    the item, in scale order) for the devices of a group, as ``_meta`` holds them."""

    row: int
    group: str
    item: str
    answer: int
    label: str
    devices: tuple[tuple[str, str, tuple[str, ...]], ...]  # (device id, department, items unknown when built)
    site: str = ""
    brand: str = ""
    model: str = ""
    comment: str = ""  # the IT team's comment on the row (COMMENT)


@dataclass
class FileReport:
    """What validating one file found."""

    path: str
    status: str = "valid"  # valid | invalid | unreadable
    campaign: str | None = None
    department: str | None = None
    devices: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # For consolidate (not in the JSON report): every device row read, the workbook's contract
    # pairs and its own save time.
    rows: list[DeviceRow] = field(default_factory=list, repr=False)
    meta: dict[str, str] = field(default_factory=dict, repr=False)
    saved: str | None = None
    # The filled rows of the risk register sheet (IEC/TR 80001-2-1), interpreted; [] without one.
    register: list[RegisterEntry] = field(default_factory=list, repr=False)
    # An IT workbook (it_contract): kind "it", its answered rows, and how many rows it holds.
    kind: str = "department"  # department | it
    it_answers: list[ItAnswer] = field(default_factory=list, repr=False)
    it_rows: int = 0

    def add(self, p: Problem) -> None:
        self.problems.append(p)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    def finish(self) -> FileReport:
        if self.status != "unreadable":
            self.status = "invalid" if self.errors else "valid"
        return self

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The file's JSON report, its messages in ``lang`` (English by default)."""
        return {
            "path": self.path,
            "status": self.status,
            "campaign": self.campaign,
            "kind": self.kind,
            "department": self.department,
            "devices": self.devices,
            **({"it_rows": self.it_rows, "it_answered": len(self.it_answers)} if self.kind == "it" else {}),
            "problems": [problem_dict(p, lang) for p in self.problems],
        }


def problem_dict(p: Problem, lang: str | None = None) -> dict[str, Any]:
    """A problem as the JSON report (and consolidate's problem table) spell it, its message in
    ``lang`` beside its language-neutral code."""
    return {
        "code": p.code,
        "severity": p.severity,
        "sheet": p.sheet,
        "cell": p.cell,
        "row": p.row,
        "device_id": p.device_id,
        "message": p.text(lang),
    }


@dataclass
class Report:
    """Every file validated, in the order given, and the files skipped (not a spreadsheet)."""

    files: list[FileReport]
    skipped: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(f.status == "valid" for f in self.files)

    def summary(self) -> dict[str, Any]:
        statuses = Counter(f.status for f in self.files)
        devices: Counter[str] = Counter()
        for f in self.files:
            devices.update(f.devices)
        severities = Counter(p.severity for f in self.files for p in f.problems)
        return {
            "files": len(self.files),
            "valid": statuses["valid"],
            "invalid": statuses["invalid"],
            "unreadable": statuses["unreadable"],
            "skipped": len(self.skipped),
            "devices": dict(devices),
            "errors": severities[ERROR],
            "warnings": severities[WARNING],
            "infos": severities[INFO],
        }

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "files": [f.to_dict(lang) for f in self.files],
            "skipped": self.skipped,
            "summary": self.summary(),
        }

    def to_json(self, lang: str | None = None) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def to_text(self, lang: str | None = None, summary: bool = False) -> str:
        """The report as the terminal shows it, in ``lang`` (English by default); ``summary``:
        each file's head line only, then how many problems of each code."""
        if summary:
            lines = [_head_line(f, lang) for f in self.files] + _code_counts(self.files, lang)
        else:
            lines = [line for f in self.files for line in _file_text(f, lang)]
        for path in self.skipped:
            lines.append(render("validate.skipped", lang, path=path))
        s = self.summary()
        counts = {k: render(f"validate.count.{k}", lang, count=s[k]) for k in _SUMMARY_COUNTS}
        lines.append(render("validate.summary", lang, **counts))
        return "\n".join(lines)


def _code_counts(files: list[FileReport], lang: str | None) -> list[str]:
    """How many problems of each code the files hold, errors first (``--summary``)."""
    counts = Counter((p.severity, p.code) for f in files for p in f.problems)
    if not counts:
        return []
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    lines = [render("validate.by_code_head", lang)]
    for (severity, code), n in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 3), kv[0][1])):
        lines.append(
            render(
                "validate.by_code", lang, severity=render(f"severity.{severity}", lang), code=code, count=n
            )
        )
    return lines


_SUMMARY_COUNTS = ("files", "valid", "invalid", "unreadable", "errors", "warnings", "infos")


def _head_line(f: FileReport, lang: str | None = None) -> str:
    """A file's head line: path, status, department and campaign, its devices by status."""
    counts = ", ".join(render(f"validate.devices.{k}", lang, count=v) for k, v in f.devices.items() if v)
    head = f"{f.path}: {render(f'validate.status.{f.status}', lang)}"
    if f.kind == "it":
        head += render(
            "validate.head_it", lang, campaign=f.campaign or "?", answered=len(f.it_answers), rows=f.it_rows
        )
    elif f.department or f.campaign:
        head += f" — {f.department or '?'} ({f.campaign or '?'})"
    return head + (render("validate.head_devices", lang, counts=counts) if counts else "")


# A problem repeated word for word on more devices than this is said once, with how many (the
# JSON report keeps one problem per device).
FOLD_AT = 5


def _file_text(f: FileReport, lang: str | None = None) -> list[str]:
    """A file's head line, then its problems: the repeated ones folded, a device's together,
    then the risk register's and the change form's (each in row order), then the workbook's."""
    lines = [_head_line(f, lang)]
    unknown = [p for p in f.problems if p.code == TO_CONFIRM]
    if unknown:  # one line, not one per device: the IT team answers them with medrisk-xl confirm
        lines.append(f"  {render('severity.' + INFO, lang)}: {to_confirm_line(unknown, lang)} [{TO_CONFIRM}]")
    folded = _folded(f.problems, lang)
    for (severity, code, text), same in folded.items():
        devices = [p.device_id for p in same]
        said = render(
            "validate.folded", lang, message=text, count=len(devices), first=devices[0], last=devices[-1]
        )
        lines.append(f"  {render('severity.' + severity, lang)}: {said} [{code}]")
    said_once = {id(p) for same in folded.values() for p in same}
    for (kind, name), problems in _problem_groups(f).items():
        problems = [p for p in problems if id(p) not in said_once]
        if not problems:
            continue
        grouped = bool(kind) and len(problems) > 1
        if grouped:
            lines.append(f"  {name}:")
        if kind == "sheet":
            problems = sorted(problems, key=lambda p: p.row or 0)
        for p in problems:
            prefix = "    " if grouped else f"  {name}: " if kind else "  "
            severity = render(f"severity.{p.severity}", lang)
            lines.append(f"{prefix}{severity}: {p.text(lang)}{_where(p, kind, lang)} [{p.code}]")
    return lines


def _folded(problems: list[Problem], lang: str | None) -> dict[tuple[str, str, str], list[Problem]]:
    """Device problems with no cell said word for word on more than FOLD_AT devices:
    (severity, code, text) -> those problems, in the report's order (each message rendered once)."""
    same: dict[tuple[str, str, str], list[Problem]] = {}
    for p in problems:
        if p.device_id and p.code != TO_CONFIRM and not p.cell:
            same.setdefault((p.severity, p.code, p.text(lang)), []).append(p)
    return {key: found for key, found in same.items() if len(found) > FOLD_AT}


TO_CONFIRM = "to-confirm"
_TO_CONFIRM_PREFIX = "NE SAIT PAS to confirm: "


def to_confirm_message(items: list[str] | tuple[str, ...]) -> Message:
    """The message of a device's to-confirm problem (its items read back by :func:`to_confirm_line`
    from the English text)."""
    return msg("validate.to-confirm", items=", ".join(items))


def to_confirm_line(problems: list[Problem], lang: str | None = None) -> str:
    """The devices answered NE SAIT PAS, summed up: how many, and how many per item."""
    per_item: Counter[str] = Counter()
    for p in problems:
        per_item.update(p.message.removeprefix(_TO_CONFIRM_PREFIX).split(", "))
    items = ", ".join(f"{item} ×{n}" for item, n in sorted(per_item.items(), key=lambda kv: int(kv[0][1:])))
    return render("validate.to_confirm_line", lang, count=len(problems), items=items)


def _problem_groups(f: FileReport) -> dict[tuple[str, str], list[Problem]]:
    """A file's problems by ("device", id), ("sheet", register or change form) or ("", "")."""
    sections = {f.meta.get(contract.Meta.REGISTER_SHEET), f.meta.get(contract.Meta.CHANGE_SHEET)}
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in f.problems:
        if p.code == TO_CONFIRM:
            continue  # summed up in one line (to_confirm_line)
        if p.device_id:
            key = ("device", p.device_id)
        else:
            key = ("sheet", p.sheet) if p.sheet and p.sheet in sections else ("", "")
        groups.setdefault(key, []).append(p)
    return groups


def _where(p: Problem, kind: str, lang: str | None = None) -> str:
    """Where a problem is, as its text line says it (" (Sheet!B7)"), or ""."""
    if kind == "sheet":
        where = p.cell or (p.row and render("where.row", lang, row=p.row))
    else:
        where = (
            f"{p.sheet}!{p.cell}"
            if p.cell
            else (p.sheet and not kind and render("where.sheet_short", lang, sheet=p.sheet))
        )
    return f" ({where})" if where else ""
