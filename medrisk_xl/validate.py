"""Validate returned workbooks: read what was answered, recompute everything, say what is wrong.

:func:`validate` returns a :class:`Report` (one :class:`FileReport` per file, each with its
problems: stable code, severity, sheet, cell, row, device and message); the CLI only renders it.
The codes are listed in :data:`CATALOGUE` (and in the README).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medrisk_xl.matching import INVALID, match_answer
from medrisk_xl.pack import ContentPack, load_pack
from medrisk_xl.problems import Problem
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import form_formulas, normalise
from medrisk_xl.workbook.lists import LABEL_ROW, make_lists, make_register_lists, register_options
from medrisk_xl.workbook.read.opening import Unreadable
from medrisk_xl.workbook.read.part_kinds import CODES as OPENING_CODES
from medrisk_xl.workbook.read.parts import ActiveContent
from medrisk_xl.workbook.read.reader import (
    Sheet,
    Workbook,
    column_letter,
    form_sheets,
    grid_columns,
    read_workbook,
)
from medrisk_xl.workbook.read.register_reader import (
    RegisterEntry,
    interpret_row,
    read_register_rows,
    register_columns,
    register_span,
)
from medrisk_xl.workbook.shown import BLANK, STATUS_INVALID, RowView, register_shown, shown_values, view_row
from medrisk_xl.workbook.write.change_form import field_options
from medrisk_xl.workbook.write.input_sheet import TEMPLATE_REF, TEMPLATE_ROW, InputLayout, row_formulas
from medrisk_xl.workbook.write.register_sheet import RegisterLayout
from medrisk_xl.workbook.write.register_sheet import row_formulas as register_row_formulas
from medrisk_xl.workbook.write.writer import legacy_password_hash

ERROR, WARNING, INFO = "error", "warning", "info"
SUFFIXES = (".xlsx", ".xlsm", ".ods")

# code -> (severity, what it means). One definition: the README table is checked against it.
CATALOGUE: dict[str, tuple[str, str]] = {
    "unreadable": (ERROR, "the file cannot be read as a spreadsheet (empty, damaged, encrypted, old .xls…)"),
    **OPENING_CODES,  # active content and outward links, refused before the file is read
    "not-medrisk": (ERROR, "the file is a spreadsheet but not a medrisk-xl workbook"),
    "unknown-schema": (ERROR, "made by another medrisk-xl version whose workbook contract is not this one"),
    "other-content": (ERROR, "generated with another content pack (method) than the one validating it"),
    "other-campaign": (ERROR, "belongs to another campaign than the manifest's"),
    "sheet-missing": (
        ERROR,
        "a sheet of the contract (input, lists, a form, the risk register, the change form) is missing "
        "or its codes are damaged",
    ),
    "relabelled-options": (ERROR, "the list sheet no longer holds the pack's options in the pack's order"),
    "invalid-answer": (ERROR, "an answer cell holds something that is not one of its options"),
    "missing-answers": (WARNING, "a started device has unanswered questions"),
    "not-started": (WARNING, "a device has no answer yet (a pre-filled C1 does not count)"),
    "to-confirm": (INFO, "answered NE SAIT PAS: to confirm with the IT team"),
    "wrong-cached-value": (ERROR, "the department was shown a figure that is not what the method computes"),
    "formula-changed": (ERROR, "a computed cell holds another formula than the generator's"),
    "formula-replaced": (ERROR, "a computed cell holds a constant instead of its formula"),
    "device-missing": (ERROR, "a device of the workbook is no longer in it (row deleted or id changed)"),
    "device-moved": (ERROR, "a device is not on its row any more (rows inserted, deleted or sorted)"),
    "device-duplicated": (ERROR, "a device id appears on more than one row"),
    "identity-changed": (ERROR, "a locked identity cell no longer holds what the inventory gave"),
    "unexpected-row": (ERROR, "a row among the device rows holds an unknown device"),
    "added-device": (INFO, "a device added in a free row"),
    "not-in-manifest": (ERROR, "a device id that the manifest does not list for this workbook"),
    "missing-from-return": (ERROR, "a device the manifest lists for this workbook is not in the return"),
    "protection-removed": (WARNING, "a sheet's protection was removed"),
    "password-changed": (WARNING, "a sheet's protection password is not the campaign's"),
    "register-id-changed": (
        ERROR,
        "a risk register row no longer holds the id generated on it (consolidation follows rows by id)",
    ),
    "register-not-assessed": (
        WARNING,
        "a filled risk register row without both a severity and a probability (initial or residual)",
    ),
    "register-residual-only": (WARNING, "a risk register row gives a residual risk but no initial risk"),
    "register-needs-decision": (
        INFO,
        "a high residual risk: needs a documented risk/benefit decision (IEC 80001-2-1 7.4.6)",
    ),
    "register-row-added": (
        WARNING,
        "a risk register row written below the generated rows (kept; it has no id, dropdown or formula)",
    ),
    "change-form-value": (
        WARNING,
        "a change form value that is not one of its options, not a date or not a number",
    ),
}


def problem(code: str, message: str, **where: Any) -> Problem:
    return Problem(code, message, severity=CATALOGUE[code][0], **where)


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

    def add(self, p: Problem) -> None:
        self.problems.append(p)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    def finish(self) -> FileReport:
        if self.status != "unreadable":
            self.status = "invalid" if self.errors else "valid"
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "campaign": self.campaign,
            "department": self.department,
            "devices": self.devices,
            "problems": [_problem_dict(p) for p in self.problems],
        }


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "code": p.code,
        "severity": p.severity,
        "sheet": p.sheet,
        "cell": p.cell,
        "row": p.row,
        "device_id": p.device_id,
        "message": p.message,
    }


@dataclass
class Report:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "files": [f.to_dict() for f in self.files],
            "skipped": self.skipped,
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        lines = []
        for f in self.files:
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in f.devices.items() if v)
            head = f"{f.path}: {f.status.upper()}"
            if f.department or f.campaign:
                head += f" — {f.department or '?'} ({f.campaign or '?'})"
            lines.append(head + (f"; devices: {counts}" if counts else ""))
            # A device's problems together, then the risk register's and the change form's (each
            # in row order), then the workbook's.
            sections = {f.meta.get(contract.Meta.REGISTER_SHEET), f.meta.get(contract.Meta.CHANGE_SHEET)}
            groups: dict[tuple[str, str], list[Problem]] = {}
            for p in f.problems:
                if p.device_id:
                    key = ("device", p.device_id)
                else:
                    key = ("sheet", p.sheet) if p.sheet and p.sheet in sections else ("", "")
                groups.setdefault(key, []).append(p)
            for (kind, name), problems in groups.items():
                grouped = bool(kind) and len(problems) > 1
                if grouped:
                    lines.append(f"  {name}:")
                if kind == "sheet":
                    problems = sorted(problems, key=lambda p: p.row or 0)
                for p in problems:
                    if kind == "sheet":
                        where = p.cell or (p.row and f"row {p.row}")
                    else:
                        where = (
                            f"{p.sheet}!{p.cell}" if p.cell else (p.sheet and not kind and f"sheet {p.sheet}")
                        )
                    where = f" ({where})" if where else ""
                    prefix = "    " if grouped else f"  {name}: " if kind else "  "
                    lines.append(f"{prefix}{p.severity}: {p.message}{where} [{p.code}]")
        for path in self.skipped:
            lines.append(f"{path}: skipped (not .xlsx, .xlsm or .ods)")
        s = self.summary()
        lines.append(
            f"{s['files']} file(s): {s['valid']} valid, {s['invalid']} invalid, {s['unreadable']} unreadable; "
            f"{s['errors']} error(s), {s['warnings']} warning(s), {s['infos']} info"
        )
        return "\n".join(lines)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to validate (folders searched recursively) and the files skipped."""
    files: list[Path] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith((".", "~$")):
                    (files.append(child) if child.suffix.lower() in SUFFIXES else skipped.append(str(child)))
        else:
            files.append(path)
    return files, skipped


def validate(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    pack: ContentPack | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    keep_rows: bool = False,
) -> Report:
    """Validate every workbook of ``paths`` (files or folders); never modifies them.

    ``jobs`` > 1 reads files in that many processes (the report keeps the files' order);
    ``keep_rows`` keeps every device row read in each file report (for consolidate).
    """
    pack = pack or load_pack()
    files, skipped = collect(paths)
    man = _read_manifest(Path(manifest)) if manifest else None
    reports: list[FileReport] = []
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(32, len(files) // (jobs * 4)))
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_worker_init, initargs=(pack, man, keep_rows)
        ) as pool:
            for report in pool.map(_worker_validate, files, chunksize=chunk):
                reports.append(report)
                if progress:
                    progress(len(reports), len(files))
    else:
        for path in files:
            reports.append(validate_file(path, pack, man, keep_rows))
            if progress:
                progress(len(reports), len(files))
    return Report(reports, skipped)


_WORKER: dict[str, Any] = {}  # the pack and manifest of a --jobs worker process, sent once


def _worker_init(pack: ContentPack, manifest: dict | None, keep_rows: bool) -> None:
    _WORKER.update(pack=pack, manifest=manifest, keep_rows=keep_rows)


def _worker_validate(path: Path) -> FileReport:
    return validate_file(path, _WORKER["pack"], _WORKER["manifest"], _WORKER["keep_rows"])


def _read_manifest(path: Path) -> dict:
    """A campaign.json, or a clear error."""
    from medrisk_xl.problems import MedriskError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("workbooks"), list):
            raise ValueError("no workbooks list")
    except (OSError, ValueError) as exc:
        raise MedriskError(
            [Problem("bad-manifest", f"not a medrisk-xl campaign.json ({exc})", file=str(path))], exit_code=2
        ) from None
    return data


def validate_file(
    path: Path, pack: ContentPack, manifest: dict | None = None, keep_rows: bool = False
) -> FileReport:
    """Validate one returned workbook (``keep_rows``: keep its device rows in the report)."""
    report = FileReport(str(path))
    try:
        book = read_workbook(path)
    except FileNotFoundError:
        report.status = "unreadable"
        report.add(problem("unreadable", "file not found"))
        return report
    except IsADirectoryError:
        report.status = "unreadable"
        report.add(problem("unreadable", "this is a folder"))
        return report
    except ActiveContent as exc:  # not read at all: one error per part, never valid
        for found in exc.findings:
            report.add(problem(found.code, found.message))
        return report.finish()
    except Unreadable as exc:
        report.status = "unreadable"
        report.add(problem("unreadable", f"{exc.message} ({exc.code})"))
        return report
    except OSError as exc:
        report.status = "unreadable"
        report.add(problem("unreadable", f"cannot read the file: {exc.strerror or exc}"))
        return report
    except Exception as exc:  # a damaged part the checks above did not foresee: never a traceback
        report.status = "unreadable"
        report.add(
            problem("unreadable", f"the file is damaged and cannot be read ({exc.__class__.__name__})")
        )
        return report
    for found in book.notices:
        report.add(problem(found.code, found.message))
    _check_book(book, pack, manifest, report)
    if not keep_rows:
        report.rows = []
    return report.finish()


def _check_book(book: Workbook, pack: ContentPack, manifest: dict | None, report: FileReport) -> None:
    meta = book.meta
    if (
        not meta.get(contract.Meta.GENERATOR, "").startswith("medrisk-xl")
        or contract.Meta.SCHEMA_VERSION not in meta
    ):
        report.add(problem("not-medrisk", "not a medrisk-xl workbook (no contract sheet _meta)"))
        return
    report.campaign = meta.get(contract.Meta.CAMPAIGN) or None
    report.meta, report.saved = dict(meta), book.saved
    report.department = meta.get(contract.Meta.SCOPE) or meta.get(contract.Meta.DEPARTMENT) or None
    if meta[contract.Meta.SCHEMA_VERSION] != str(contract.SCHEMA_VERSION):
        report.add(
            problem(
                "unknown-schema",
                f"workbook contract version {meta['schema_version']} (this medrisk-xl reads version "
                f"{contract.SCHEMA_VERSION}); made by {meta.get('generator')}: regenerate the campaign",
            )
        )
        return
    if meta.get(contract.Meta.CONTENT_HASH) != pack.hash:
        report.add(
            problem(
                "other-content",
                f"generated with content pack {meta.get('content_id')} {meta.get('content_version')} "
                f"(hash {meta.get('content_hash', '')[:12]}), validating with {pack.method.id} "
                f"{pack.method.version} (hash {pack.hash[:12]}): use --content with the campaign's pack",
            )
        )
        return
    entry = None
    if manifest is not None:
        if manifest.get("campaign") != meta.get(contract.Meta.CAMPAIGN):
            report.add(
                problem(
                    "other-campaign",
                    f"campaign {meta.get('campaign')!r}, the manifest is for {manifest.get('campaign')!r}",
                )
            )
            return
        entry = next(
            (w for w in manifest.get("workbooks", []) if w.get("scope") == meta.get(contract.Meta.SCOPE)),
            None,
        )
    language = pack.language(meta.get(contract.Meta.LANGUAGE))
    lists_sheet = book.sheet(meta.get(contract.Meta.LISTS_SHEET, ""))
    if lists_sheet is None:
        report.add(
            problem("sheet-missing", "the list sheet is missing", sheet=meta.get(contract.Meta.LISTS_SHEET))
        )
        return
    _check_lists(lists_sheet, pack, language, report)
    if meta.get(contract.Meta.LAYOUT) == "form":
        devices = _check_forms(book, pack, language, report)
    else:
        devices = _check_grid(book, pack, language, report)
    if devices is None:
        return
    report.rows = devices
    report.register = _check_register(book, pack, language, report)
    _check_protection(book, manifest, report)
    if entry is not None:
        _check_manifest(devices, entry, report)


def _check_register(book: Workbook, pack: ContentPack, language, report: FileReport) -> list[RegisterEntry]:
    """Check the risk register sheet and the change form (when ``_meta`` names them) and return
    the register's filled rows, interpreted (see :mod:`medrisk_xl.workbook.read.register_reader`).

    Every generated row keeps its id and the generator's formulas, and shows what
    :func:`register_shown` computes; each filled row's restricted answers are from their lists and
    its risk is estimated (severity and probability); rows written below the generated ones are
    kept and reported."""
    name = book.meta.get(contract.Meta.REGISTER_SHEET)
    if not name:
        return []
    entries = _check_register_sheet(book, name, pack, language, report)
    _check_change_form(book, pack, language, report)
    return entries


def _check_register_sheet(
    book: Workbook, name: str, pack: ContentPack, language, report: FileReport
) -> list[RegisterEntry]:
    sheet = book.sheet(name)
    if sheet is None:
        report.add(problem("sheet-missing", f"the risk register sheet {name!r} is missing", sheet=name))
        return []
    rows = read_register_rows(book)
    entries = [interpret_row(row, pack, language) for row in rows if row.filled]
    codes = contract.register_codes()
    cols = register_columns(sheet)
    damaged = [code for i, code in enumerate(codes, start=1) if cols.get(code) != i]
    if damaged:
        report.add(
            problem(
                "sheet-missing",
                f"the risk register's code row (row {contract.CODE_ROW}) is damaged: {', '.join(damaged)} "
                "not in the generator's column; its rows were not checked",
                sheet=name,
                row=contract.CODE_ROW,
            )
        )
        return entries
    first, last = register_span(book)
    templates = _register_templates(book.meta[contract.Meta.LISTS_SHEET], pack, language)
    options = register_options(pack, language)
    lists = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES}
    by_row = {e.row.row: e for e in entries}
    moved: list[tuple[int, Any, str]] = []  # row, id found, id generated
    shown: dict[tuple, dict[str, Any]] = {}  # the scale answers -> what the computed cells show

    def cell(code: str, r: int) -> str:
        return f"{column_letter(cols[code])}{r}"

    for row in rows:
        r, generated = row.row, row.row <= last
        label = contract.REGISTER_ID_FORMAT.format(r - first + 1) if generated else f"row {r}"
        if generated and row.id != label:
            moved.append((r, row.values.get("REG_ID", ""), label))
        entry = by_row.get(r)
        if entry is not None:
            for code in entry.invalid:
                report.add(
                    problem(
                        "invalid-answer",
                        f"{code} of {label} holds {row.values[code]!r}, which is not one of: "
                        + ", ".join(options[lists[code]]),
                        sheet=name,
                        cell=cell(code, r),
                        row=r,
                    )
                )
            _assessment_problems(entry, label, name, cell, report)
        if not generated:
            report.add(
                problem(
                    "register-row-added",
                    f"written below the register's last row ({last}): kept, but it has no id, no dropdowns "
                    "and no computed levels; move it into a free row of the register",
                    sheet=name,
                    row=r,
                )
            )
            continue
        expected = {
            code: (r, cols[code], formula.replace(TEMPLATE_REF, str(r)))
            for code, formula in templates.items()
        }
        scales = tuple(row.values.get(code, "") for code in contract.REGISTER_SCALES)
        if scales not in shown:  # most rows are empty: computed once
            shown[scales] = register_shown(dict(zip(contract.REGISTER_SCALES, scales)), pack, language)
        _formula_problems(sheet, shown[scales], expected, None, report)
    _id_problems(moved, name, cell, report)
    return entries


def _assessment_problems(entry: RegisterEntry, label: str, sheet: str, cell, report: FileReport) -> None:
    """A filled register row whose risk is not (fully) estimated, or whose residual risk is high."""
    values, r = entry.row.values, entry.row.row
    given = {code: values.get(code, "") != "" for code in contract.REGISTER_SCALES}
    sev, prob = contract.REGISTER_LEVELS["RISK_INITIAL"]
    res_sev, res_prob = contract.REGISTER_LEVELS["RISK_RESIDUAL"]
    for stage, pair in (("initial", (sev, prob)), ("residual", (res_sev, res_prob))):
        if given[pair[0]] != given[pair[1]]:
            done, missing = pair if given[pair[0]] else pair[::-1]
            report.add(
                problem(
                    "register-not-assessed",
                    f"the {stage} risk of {label} is not assessed: {done} is given, {missing} is empty",
                    sheet=sheet,
                    cell=cell(missing, r),
                    row=r,
                )
            )
    has_initial, has_residual = given[sev] or given[prob], given[res_sev] or given[res_prob]
    if not has_initial and not has_residual:
        report.add(
            problem(
                "register-not-assessed",
                f"the risk of {label} is not estimated: {sev} and {prob} are empty",
                sheet=sheet,
                cell=cell(sev, r),
                row=r,
            )
        )
    elif has_residual and not has_initial:
        report.add(
            problem(
                "register-residual-only",
                f"{label} gives a residual risk but no initial risk ({sev} and {prob} are empty)",
                sheet=sheet,
                cell=cell(sev, r),
                row=r,
            )
        )
    if entry.needs_decision:
        report.add(
            problem(
                "register-needs-decision",
                f"the residual risk of {label} is high: it needs a documented risk/benefit decision "
                "(IEC 80001-2-1 7.4.6)",
                sheet=sheet,
                cell=cell("RISK_RESIDUAL", r),
                row=r,
            )
        )


def _id_problems(moved: list[tuple[int, Any, str]], sheet: str, cell, report: FileReport) -> None:
    """Register rows whose locked id is not the one generated on them: one problem each, or one
    for all when many (rows inserted or deleted)."""
    if len(moved) <= 5:
        for r, found, want in moved:
            report.add(
                problem(
                    "register-id-changed",
                    f"the id of row {r} reads {found!r}, it was generated as {want!r} (ids are how "
                    "consolidation follows a register row)",
                    sheet=sheet,
                    cell=cell("REG_ID", r),
                    row=r,
                )
            )
        return
    examples = "; ".join(f"row {r} reads {found!r} ({want!r} generated)" for r, found, want in moved[:3])
    report.add(
        problem(
            "register-id-changed",
            f"{len(moved)} register rows no longer hold the id generated on them (rows inserted, deleted "
            f"or moved?): {examples}…",
            sheet=sheet,
            cell=cell("REG_ID", moved[0][0]),
            row=moved[0][0],
        )
    )


_REGISTER_TEMPLATES: dict[tuple, dict[str, str]] = {}  # the workbooks of a campaign share them


def _register_templates(lists_sheet: str, pack: ContentPack, language) -> dict[str, str]:
    """The generator's formulas of a register row, for the template row (code -> formula)."""
    key = (lists_sheet, pack.hash, language.code)
    if key not in _REGISTER_TEMPLATES:
        if len(_REGISTER_TEMPLATES) > 64:
            _REGISTER_TEMPLATES.clear()
        rl = make_register_lists(make_lists(pack, lists_sheet), pack, language)
        _REGISTER_TEMPLATES[key] = register_row_formulas(RegisterLayout(1), rl, TEMPLATE_ROW)
    return _REGISTER_TEMPLATES[key]


def _check_change_form(book: Workbook, pack: ContentPack, language, report: FileReport) -> None:
    """The change form's choice and yes/no values are among their options, its dates are dates and
    its numbers numbers (≥ 0); text fields take anything."""
    name = book.meta.get(contract.Meta.CHANGE_SHEET)
    if not name:
        return
    sheet = book.sheet(name)
    if sheet is None:
        report.add(problem("sheet-missing", f"the change form sheet {name!r} is missing", sheet=name))
        return
    code_col, value_col = contract.CHANGE_CODE_COL + 1, contract.CHANGE_VALUE_COL + 1
    rows = {
        sheet.value(r, code_col): r
        for r in range(1, sheet.n_rows + 1)
        if isinstance(sheet.value(r, code_col), str)
    }
    fields = pack.register.change_form
    missing = [f.code for f in fields if f.code not in rows]
    if missing:
        report.add(
            problem(
                "sheet-missing",
                f"the change form is damaged (field codes in column A): {', '.join(missing)} missing",
                sheet=name,
            )
        )
    options = field_options(pack, language)
    for fld in fields:
        if fld.code not in rows:
            continue
        r = rows[fld.code]
        value = sheet.value(r, value_col)
        if value == "":
            continue
        if fld.code in options:
            bad = match_answer(value, options[fld.code]) == INVALID
            wanted = "one of: " + ", ".join(options[fld.code])
        elif fld.kind == "date":
            bad = not isinstance(value, (dt.date, dt.datetime))
            wanted = "a date"
        elif fld.kind == "number":
            bad = isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
            wanted = "a number (0 or more)"
        else:
            continue
        if bad:
            report.add(
                problem(
                    "change-form-value",
                    f"{fld.code} holds {value!r}, expected {wanted}",
                    sheet=name,
                    cell=f"{column_letter(value_col)}{r}",
                    row=r,
                )
            )


def _check_lists(sheet: Sheet, pack: ContentPack, language, report: FileReport) -> None:
    lists = make_lists(pack, sheet.name)
    for code in pack.method.codes:
        col = lists.col(code) + 1
        labels = language.answer_labels(code)
        found = [sheet.value(LABEL_ROW + 1 + i, col) for i in range(len(labels))]
        if found != labels:
            report.add(
                problem(
                    "relabelled-options",
                    f"the options of {code} read {found}, the method's are {labels}",
                    sheet=sheet.name,
                    cell=f"{column_letter(col)}{LABEL_ROW + 1}",
                )
            )


@dataclass
class DeviceRow:
    device_id: str
    row: int
    view: RowView
    added: bool = False  # in a free row: a device missing from the inventory
    covers: tuple[str, ...] = ()  # inventory ids the row stands for (--per cneh|emdn: several)
    identity: dict[str, Any] = field(default_factory=dict)  # identity code -> value
    sheet: str = ""


def _short(formula: str, limit: int = 70) -> str:
    return formula if len(formula) <= limit else formula[: limit - 1] + "…"


def _check_grid(book: Workbook, pack: ContentPack, language, report: FileReport) -> list[DeviceRow] | None:
    meta = book.meta
    sheet = book.sheet(meta.get(contract.Meta.INPUT_SHEET, ""))
    if sheet is None:
        report.add(
            problem("sheet-missing", "the input sheet is missing", sheet=meta.get(contract.Meta.INPUT_SHEET))
        )
        return None
    m = pack.method
    name = sheet.name
    cols = grid_columns(book)
    codes = tuple(meta.get(contract.Meta.COLUMNS, "").split(","))
    prefill = tuple(c for c in m.criterion_codes if contract.prefill_code(c) in codes)
    first, last = int(meta[contract.Meta.FIRST_ROW]), int(meta[contract.Meta.LAST_ROW])
    first_spare = (
        int(meta[contract.Meta.FIRST_SPARE_ROW]) if meta.get(contract.Meta.FIRST_SPARE_ROW) else last + 1
    )
    layout = InputLayout(codes, last - first + 1, prefill)
    lists = make_lists(pack, meta[contract.Meta.LISTS_SHEET])
    # The generator's formulas, made once and given each row's number (as the writer does).
    templates = _row_templates(layout, lists, pack)
    id_col = cols.get("ID")
    if id_col is None or any(code not in cols for code in m.codes):
        report.add(problem("sheet-missing", "the input sheet's code row is damaged", sheet=name))
        return None
    expected = {r["ID"]: r for r in book.meta_rows}
    where_is: dict[str, list[int]] = {}
    for r in range(first, max(last, sheet.n_rows) + 1):
        ident = sheet.value(r, id_col)
        if ident != "":
            where_is.setdefault(str(ident), []).append(r)
    for device_id, rows in where_is.items():
        if len(rows) > 1:
            report.add(
                problem(
                    "device-duplicated",
                    f"device {device_id} appears on rows {', '.join(map(str, rows))}",
                    sheet=name,
                    device_id=device_id,
                )
            )
    for device_id, gen in expected.items():
        place = int(gen[contract.META_ROWS_PLACE])
        rows = where_is.get(device_id, [])
        if not rows:
            report.add(
                problem(
                    "device-missing",
                    f"device {device_id} (row {place} as generated) is no longer in the workbook",
                    sheet=name,
                    row=place,
                    device_id=device_id,
                )
            )
        elif place not in rows:
            report.add(
                problem(
                    "device-moved",
                    f"device {device_id} was generated on row {place} and is now on row {rows[0]}",
                    sheet=name,
                    row=rows[0],
                    device_id=device_id,
                )
            )
        else:
            for code, value in gen.items():
                if code == contract.META_ROWS_PLACE or code not in cols:
                    continue
                got = sheet.value(place, cols[code])
                if str(got) != value:
                    report.add(
                        problem(
                            "identity-changed",
                            f"{code} reads {got!r}, the inventory gave {value!r}",
                            sheet=name,
                            cell=f"{column_letter(cols[code])}{place}",
                            row=place,
                            device_id=device_id,
                        )
                    )
    devices: list[DeviceRow] = []
    counts: Counter[str] = Counter()
    for r in range(first, last + 1):
        free = r >= first_spare
        ident = sheet.value(r, id_col)
        device_id = str(ident) if ident != "" else ""
        if not free and device_id and device_id not in expected:
            report.add(
                problem(
                    "unexpected-row",
                    f"row {r} holds device {device_id}, which this workbook was not generated with",
                    sheet=name,
                    row=r,
                    device_id=device_id,
                )
            )
        cells = sheet.row(r)
        values = {code: cells[cols[code] - 1] for code in m.codes}
        pre = {}
        for code in prefill:
            _read_prefill(pre, m, code, cells[cols[contract.prefill_code(code)] - 1])
        # A row without an id holds a device only once answered (a free row, or a device row
        # whose id was deleted: reported as device-missing above).
        view = view_row(values, pack, language, pre, free or not device_id, bool(device_id))
        if view.status == BLANK:
            continue
        label = device_id or f"row {r}"
        _answer_problems(
            view, values, {c: f"{column_letter(cols[c])}{r}" for c in m.codes}, name, r, label, report
        )
        formulas = {
            code: (r, cols[code], f.replace(TEMPLATE_REF, str(r)))
            for code, f in templates[free].items()
            if code in cols
        }
        _computed_problems(sheet, view, formulas, pack, language, label, report)
        if free:
            counts["added"] += 1
            report.add(
                problem(
                    "added-device", f"device {label} added in a free row", sheet=name, row=r, device_id=label
                )
            )
        counts[_count_key(view)] += 1
        group = cols.get("DEVICE_IDS")
        covers = tuple(x.strip() for x in str(cells[group - 1]).split(",") if x.strip()) if group else ()
        identity = {code: cells[cols[code] - 1] for code in codes[: codes.index(m.codes[0])] if code in cols}
        devices.append(
            DeviceRow(label, r, view, added=free, covers=covers or (label,), identity=identity, sheet=name)
        )
    report.devices = _device_counts(counts)
    return devices


_TEMPLATES: dict[tuple, dict[bool, dict[str, str]]] = {}  # the workbooks of a campaign share them


def _row_templates(layout: InputLayout, lists, pack: ContentPack) -> dict[bool, dict[str, str]]:
    """The generator's formulas of a device row and of a free row, for the template row."""
    key = (layout.codes, layout.prefill, lists.sheet, pack.hash)
    if key not in _TEMPLATES:
        if len(_TEMPLATES) > 64:
            _TEMPLATES.clear()
        _TEMPLATES[key] = {
            free: row_formulas(layout, lists, pack.method, TEMPLATE_ROW, free) for free in (False, True)
        }
    return _TEMPLATES[key]


def _read_prefill(prefill: dict[str, int], method, code: str, points: Any) -> None:
    """Record the option ``code`` was pre-filled with, from its pre-filled points cell."""
    if isinstance(points, int) and points in method.answer_points(code):
        prefill[code] = method.answer_points(code).index(points)


def _count_key(view: RowView) -> str:
    return {"empty": "not_started", STATUS_INVALID: "invalid"}.get(view.status, view.status)


def _device_counts(counts: Counter[str]) -> dict[str, int]:
    keys = ("complete", "to_confirm", "incomplete", "invalid", "not_started")
    out = {"total": sum(counts[k] for k in keys)}
    out |= {k: counts[k] for k in keys}
    out["added"] = counts["added"]
    return out


def _answer_problems(
    view: RowView, values: dict[str, Any], cells: dict[str, str], sheet: str, row: int, device: str, report
) -> None:
    for code, match in view.matches.items():
        if match == INVALID:
            report.add(
                problem(
                    "invalid-answer",
                    f"{code} holds {values[code]!r}, which is not one of its options",
                    sheet=sheet,
                    cell=cells[code],
                    row=row,
                    device_id=device,
                )
            )
    if view.status == "empty":
        report.add(problem("not-started", "no answer yet", sheet=sheet, row=row, device_id=device))
    elif view.status == "incomplete":
        missing = ", ".join(view.result.missing)
        report.add(
            problem("missing-answers", f"unanswered: {missing}", sheet=sheet, row=row, device_id=device)
        )
    if view.result.unknown_items:
        items = ", ".join(view.result.unknown_items)
        report.add(
            problem("to-confirm", f"NE SAIT PAS to confirm: {items}", sheet=sheet, row=row, device_id=device)
        )


def _computed_problems(
    sheet: Sheet,
    view: RowView,
    expected: dict[str, tuple[int, int, str]],
    pack: ContentPack,
    language,
    device: str,
    report: FileReport,
) -> None:
    """Each computed cell of a device (code -> 1-based row, column and the generator's formula)
    holds its formula and, when the file stores cached results, shows what the method computes."""
    _formula_problems(sheet, shown_values(view, pack, language), expected, device, report)


def _formula_problems(
    sheet: Sheet,
    shown: dict[str, Any],
    expected: dict[str, tuple[int, int, str]],
    device: str | None,
    report: FileReport,
) -> None:
    """Each computed cell (code -> 1-based row, column and the generator's formula) holds its
    formula and, when the file stores cached results, shows ``shown[code]``."""
    changed: list[tuple[str, str, str, str]] = []  # code, cell, found, expected
    r = min((row for row, _, _ in expected.values()), default=None)
    for code, (row, col, formula) in expected.items():
        cell = f"{column_letter(col)}{row}"
        found = sheet.formula(row, col)
        if found is None:
            report.add(
                problem(
                    "formula-replaced",
                    f"{code} holds the constant {sheet.value(row, col)!r} instead of its formula",
                    sheet=sheet.name,
                    cell=cell,
                    row=row,
                    device_id=device,
                )
            )
            continue
        # An .ods formula with no reliable A1 spelling is not compared (it is still no constant,
        # and its cached value is still checked below).
        unconverted = (row, col) in sheet.xml.unconverted
        if not unconverted and found != formula[1:] and normalise(found) != normalise(formula):
            changed.append((code, cell, found, formula))
            continue
        if (row, col) in sheet.xml.cached and sheet.value(row, col) != shown[code]:
            report.add(
                problem(
                    "wrong-cached-value",
                    f"{code} shows {sheet.value(row, col)!r}, the method computes {shown[code]!r}",
                    sheet=sheet.name,
                    cell=cell,
                    row=row,
                    device_id=device,
                )
            )
    if len(changed) == 1:
        code, cell, found, formula = changed[0]
        message = f"{code} holds ={_short(found)}, the generator wrote {_short(formula)}"
    elif changed:  # usually rows moved by hand: one problem for the row
        message = f"{len(changed)} formulas differ from the generator's: {', '.join(c[0] for c in changed)}"
    if changed:
        report.add(
            problem("formula-changed", message, sheet=sheet.name, cell=changed[0][1], row=r, device_id=device)
        )


def _check_forms(book: Workbook, pack: ContentPack, language, report: FileReport) -> list[DeviceRow] | None:
    m = pack.method
    devices = []
    counts: Counter[str] = Counter()
    expected_rows = {r[contract.META_ROWS_PLACE]: r for r in book.meta_rows}
    lists = make_lists(pack, book.meta[contract.Meta.LISTS_SHEET])
    code_col = contract.FORM_CODE_COL + 1
    for name in form_sheets(book):
        sheet = book.sheet(name)
        if sheet is None:
            report.add(problem("sheet-missing", f"form sheet {name!r} is missing", sheet=name))
            continue
        rows = {
            sheet.value(r, code_col): r
            for r in range(1, sheet.n_rows + 1)
            if isinstance(sheet.value(r, code_col), str)
        }
        if any(code not in rows for code in m.codes):
            report.add(
                problem("sheet-missing", f"form sheet {name!r} is damaged (codes in column A)", sheet=name)
            )
            continue
        value_col, prefill_col = contract.FORM_VALUE_COL + 1, contract.FORM_PREFILL_COL + 1
        values = {code: sheet.value(rows[code], value_col) for code in m.codes}
        pre = {}
        _read_prefill(pre, m, "C1", sheet.value(rows["C1"], prefill_col))
        device_id = str(sheet.value(rows["ID"], value_col)) if "ID" in rows else ""
        gen = expected_rows.get(name)
        if gen and gen.get("ID") and gen["ID"] != device_id:
            report.add(
                problem(
                    "identity-changed",
                    f"ID reads {device_id!r}, the inventory gave {gen['ID']!r}",
                    sheet=name,
                    cell=f"{column_letter(value_col)}{rows['ID']}",
                    device_id=gen["ID"],
                )
            )
        view = view_row(values, pack, language, pre)
        label = device_id or name
        cells = {c: f"{column_letter(value_col)}{rows[c]}" for c in m.codes}
        _answer_problems(view, values, cells, name, rows[m.codes[0]], label, report)
        answer_rows = {c: rows[c] - 1 for c in m.codes}
        result_rows = {c: rows[c] - 1 for c in contract.RESULT_CODES if c in rows}
        if len(result_rows) == len(contract.RESULT_CODES):
            prefilled = tuple(
                c for c in m.criterion_codes if isinstance(sheet.value(rows[c], prefill_col), int)
            )
            made = form_formulas(answer_rows, result_rows, lists, m.criterion_codes, m.items, prefilled)
            # code -> (1-based row, column, formula): points helpers in H, results in G
            places = {contract.points_code(c): (r, contract.FORM_POINTS_COL) for c, r in answer_rows.items()}
            places |= {c: (r, contract.FORM_VALUE_COL) for c, r in result_rows.items()}
            expected = {code: (r + 1, c + 1, made[(r, c)]) for code, (r, c) in places.items()}
            _computed_problems(sheet, view, expected, pack, language, label, report)
        else:
            report.add(problem("sheet-missing", f"form sheet {name!r} lost its result rows", sheet=name))
        counts[_count_key(view)] += 1
        identity = {
            str(sheet.value(r, code_col)): sheet.value(r, value_col)
            for r in range(rows.get("ID", 1), rows[m.codes[0]])
            if isinstance(sheet.value(r, code_col), str) and sheet.value(r, code_col)
        }
        devices.append(DeviceRow(label, rows[m.codes[0]], view, identity=identity, sheet=name))
    report.devices = _device_counts(counts)
    return devices


def _check_protection(book: Workbook, manifest: dict | None, report: FileReport) -> None:
    want = None
    if manifest:
        password = next(
            (
                w.get("password")
                for w in manifest.get("workbooks", [])
                if w.get("scope") == book.meta.get(contract.Meta.SCOPE)
            ),
            None,
        )
        want = legacy_password_hash(password) if password else None
    for name, sheet in book.sheets.items():
        if not sheet.xml.protected:
            report.add(problem("protection-removed", "the sheet is no longer protected", sheet=name))
        elif (
            want
            and sheet.xml.password_hash
            and ":" not in sheet.xml.password_hash
            and sheet.xml.password_hash != want
        ):
            report.add(problem("password-changed", "the sheet's protection password was changed", sheet=name))


def _check_manifest(devices: list[DeviceRow], entry: dict, report: FileReport) -> None:
    listed = set(entry.get("device_ids", []))
    found = {device for d in devices for device in (d.covers or (d.device_id,))}
    for d in devices:
        if d.added:
            continue  # a free row: reported as an added device
        if any(device not in listed for device in d.covers or (d.device_id,)):
            report.add(
                problem(
                    "not-in-manifest",
                    f"device {d.device_id} is not listed for {entry.get('scope')} in the manifest",
                    row=d.row or None,
                    device_id=d.device_id,
                )
            )
    for device_id in sorted(listed - found):
        report.add(
            problem(
                "missing-from-return",
                f"device {device_id} of the manifest is not in the return",
                device_id=device_id,
            )
        )
