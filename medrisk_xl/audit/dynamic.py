"""Dynamic audit: fill private copies of the workbook with the covering set, recalculate them in
real engines and compare every computed cell with the reference scorer.

Each probe is a copy of the workbook with its answer cells replaced (one case per device row or
form sheet; a workbook with fewer rows than cases gets several probes); the first probe keeps the
answers as they are in the workbook. For each probe the reference workbook is written with the
same answers: its cached values are what the generator's twin of the formulas (the reference
scorer and the matching rule) says every computed cell must show. The input is never written.

A workbook with a risk register also gets the register's covering set (:func:`register_cases`),
one case per register row, from the first case probe on (the rows left over are emptied); the
register is compared with its twin (``shown.register_shown``) in every probe that holds register
cases and in the first. Later probes hold no register case: their register formulas are emptied,
so that no engine spends time on rows that prove nothing new, and the register is not compared
there. The form layout's proposals for the register (rows ``<item>_REGISTER``) are compared on
every form of every probe.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from medrisk_xl import engines
from medrisk_xl.audit.cases import Answer, Case, Pasted, RegisterCase, covering_cases, register_cases
from medrisk_xl.audit.reference import build_reference
from medrisk_xl.audit.reference_cells import reference_cells
from medrisk_xl.core.problems import Message, msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.questions import asked_pack
from medrisk_xl.workbook.read.reader import Workbook, form_sheets, grid_columns
from medrisk_xl.workbook.read.register_reader import ANSWERS, register_columns, register_sheet, register_span
from medrisk_xl.workbook.write.plan import WorkbookPlan

MAX_KEPT = 200  # mismatches kept per engine (all are counted)
AS_FOUND = msg("audit.case.as-found")  # the first probe: the workbook as it came


@dataclass(frozen=True)
class Mismatch:
    engine: str
    sheet: str
    cell: str
    case: Message | str  # the case's name, said in the report's language
    expected: Any
    got: Any


@dataclass
class EngineRun:
    """What one engine did: cells compared, mismatches, or why it did not run."""

    engine: str
    ran: bool = False
    error: Message | str | None = None  # why the engine did not run, said in the report's language
    cells: int = 0
    cases: int = 0
    register_cases: int = 0  # register rows of the covering set (0: the workbook has no register)
    register_cells: int = 0  # computed register cells compared (included in ``cells``)
    mismatches: int = 0
    first: list[Mismatch] = field(default_factory=list)


@dataclass
class Probe:
    path: Path
    expected: engines.Sheets  # the reference's cached values
    formulas: dict[str, set[tuple[int, int]]]  # the reference's formula cells
    case_of: dict[tuple[str, int | None], Message | str]  # (sheet, row) or (form sheet, None) -> case name
    label: Message | str


@dataclass
class Probes:
    """The probe workbooks of one workbook, and the cases they hold."""

    probes: list[Probe]
    cases: int  # cases of the method's covering set
    register_cases: int = 0  # register rows of the covering set
    register_sheet: str | None = None  # the register sheet (compared as register cells)


@dataclass(frozen=True)
class RegisterSlots:
    """Where register cases go: the register sheet, its generated rows, its answer columns."""

    sheet: str
    rows: list[int]  # 1-based
    columns: dict[str, int]  # answer code -> 1-based column
    formulas: list[tuple[int, int]]  # 1-based (row, col) of its computed cells


def _register_slots(book: Workbook, plan: WorkbookPlan) -> RegisterSlots | None:
    """The register's rows and columns, or None when the workbook has no register (or lost its
    sheet or a column: the static audit names it)."""
    sheet = register_sheet(book) if plan.register else None
    if sheet is None:
        return None
    columns = register_columns(sheet)
    computed = [code for code in contract.register_codes() if code not in ANSWERS and code != "REG_ID"]
    if any(code not in columns for code in (*ANSWERS, *computed)):
        return None
    first, last = register_span(book)
    rows = list(range(first, last + 1))
    formulas = [(r, columns[code]) for r in rows for code in computed]
    return RegisterSlots(sheet.name, rows, {code: columns[code] for code in ANSWERS}, formulas)


def _put(cell, value: Any) -> None:
    """Write a case's value as a department would paste it: text stays text."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, even "=..."


def _slots(book: Workbook, plan: WorkbookPlan) -> list[tuple[str, int | None]]:
    """Where a case goes: (input sheet, row) per grid row, or (form sheet, None) per form."""
    if plan.layout == "form":
        return [(name, None) for name in form_sheets(book)]
    first = int(book.meta[contract.Meta.FIRST_ROW])
    name = book.meta[contract.Meta.INPUT_SHEET]
    return [(name, first + i) for i in range(len(plan.rows))]


def _answer_cells(
    book: Workbook, codes: tuple[str, ...], slot: tuple[str, int | None]
) -> dict[str, tuple[int, int]]:
    """Answer code -> 1-based (row, col) of a slot's answer cells (``codes``: those it asks)."""
    sheet, row = slot
    if row is not None:
        cols = grid_columns(book)
        return {code: (row, cols[code]) for code in codes}
    ws = book.sheet(sheet)
    out = {}
    for r in range(1, (ws.n_rows if ws else 0) + 1):
        code = ws.value(r, contract.FORM_CODE_COL + 1)
        if code in codes:
            out[code] = (r, contract.FORM_VALUE_COL + 1)
    return out


def _found(book: Workbook, cells: dict[str, tuple[int, int]], sheet: str) -> dict[str, Any]:
    ws = book.sheet(sheet)
    out = {}
    for code, (r, c) in cells.items():
        value = ws.value(r, c) if ws else ""
        out[code] = None if value == "" else value
    return out


def _case_batches(cases: list[Case], n: int, extra: list[list[Case | None]]) -> list[list[Case | None]]:
    """The probes' cases, ``n`` a probe (one per slot): the workbook as found first, then the
    covering set, the last of it padded with empty slots, then the ``extra`` probes (the review,
    the device status: one case per row)."""
    batches: list[list[Case | None]] = [[Case(AS_FOUND, {})] * n]
    for i in range(0, len(cases), n):
        chunk: list[Case | None] = list(cases[i : i + n])
        batches.append(chunk + [None] * (n - len(chunk)))
    return batches + extra


def _asked(book: Workbook, plan: WorkbookPlan, pack: ContentPack) -> tuple[str, ...]:
    """The cells a case fills: the questions the workbook asks, in year two the REVIEWED cell,
    and the device status where the workbook has it."""
    asked = asked_pack(pack, plan.vulnerability_by).method.codes
    asked = (*asked, contract.REVIEW_CODE) if plan.previous else asked
    has_status = plan.layout == "grid" and contract.DEVICE_STATUS_CODE in grid_columns(book)
    return (*asked, contract.DEVICE_STATUS_CODE) if has_status else asked


def _extra_batches(
    plan: WorkbookPlan, pack: ContentPack, language: Language, asked: tuple[str, ...]
) -> list[list[Case | None]]:
    """The probes of what a row holds besides its answers: its review (year two), its device status."""
    extra = [_review_batch(plan, language)] if plan.previous else []
    if contract.DEVICE_STATUS_CODE in asked:
        extra.append(_device_batch(plan, language, asked_pack(pack, plan.vulnerability_by).method.codes))
    return extra


def _device_batch(plan: WorkbookPlan, language: Language, codes: tuple[str, ...]) -> list[Case | None]:
    """Each row answered in full (every first option) or left as generated, its device status in
    turn each option, one in other case, another text, and empty: a status out of the fleet must
    win over every row status, and any other leave it as the answers make it."""
    options = [*language.ui["device_status"]["options"].values()]
    kinds = [Pasted(o) for o in options] + [Pasted(options[1].swapcase()), Pasted("?"), None]
    batch: list[Case | None] = []
    how = {True: "answered", False: "as-generated"}
    for i, row in enumerate(plan.rows):
        full = i % 2 == 0
        answers: dict[str, Answer] = dict.fromkeys(codes, 0) if full else dict(row.answers)
        answers[contract.DEVICE_STATUS_CODE] = kinds[i % len(kinds)]
        batch.append(
            Case(
                msg("audit.case.device-status", k=i % len(kinds) + 1, how=msg(f"audit.case.{how[full]}")),
                answers,
            )
        )
    return batch


def _review_batch(plan: WorkbookPlan, language: Language) -> list[Case | None]:
    """Year two: each row's pre-filled answers as generated, its REVIEWED cell in turn empty,
    confirmed, confirmed in other case, holding another text, or empty with one answer changed (a
    change counts as a review): every branch of the review in STATUS, on every kind of row."""
    confirmed = language.ui["prefill"]["review"]["confirmed"]
    kinds = (
        (None, "not-checked", False),
        (Pasted(confirmed), "checked", False),
        (Pasted(confirmed.swapcase()), "checked-other-case", False),
        (Pasted("?"), "other-text", False),
        (None, "changed", True),
    )
    batch: list[Case | None] = []
    for i, row in enumerate(plan.rows):
        review, what, change = kinds[i % len(kinds)]
        answers: dict[str, Answer] = dict(row.answers)
        if change and row.answers:  # another option of the first pre-filled answer
            code = next(iter(row.answers))
            answers[code] = (row.answers[code] + 1) % len(language.answer_labels(code))
        answers[contract.REVIEW_CODE] = review
        batch.append(Case(msg("audit.case.review", what=msg(f"audit.case.review.{what}")), answers))
    return batch


def make_probes(
    path: Path,
    book: Workbook,
    plan: WorkbookPlan,
    pack: ContentPack,
    workdir: Path,
    samples: int,
    seed: int,
    loaded: openpyxl.Workbook | None = None,
) -> Probes:
    """Write the probes and their references in ``workdir``; return them and their cases
    (``loaded``: the static audit's openpyxl copy of ``path``, changed in place)."""
    language = pack.language(plan.language)
    cases = covering_cases(pack, language, samples, seed)
    slots = _slots(book, plan)
    asked = _asked(book, plan, pack)
    cells = [_answer_cells(book, asked, slot) for slot in slots]
    batches = _case_batches(cases, len(slots), _extra_batches(plan, pack, language, asked))
    cases = [c for batch in batches[1:] for c in batch if c]
    register = _register_slots(book, plan)
    reg_cases = register_cases(pack, language) if register else []
    reg_batches: list[list[RegisterCase]] = []
    if register:
        n = len(register.rows)
        reg_batches = [reg_cases[i : i + n] for i in range(0, len(reg_cases), n)]
    while len(batches) < 1 + len(reg_batches):  # more register cases than the method's probes hold
        batches.append([None] * len(slots))
    wb = loaded if loaded is not None else openpyxl.load_workbook(path)
    probes = []
    for k, batch in enumerate(batches):
        ref_plan = copy.deepcopy(plan)
        case_of: dict[tuple[str, int | None], Message | str] = {}
        for slot, where, row, case in zip(slots, cells, ref_plan.rows, batch):
            if k == 0:
                values = _found(book, where, slot[0])
            else:
                values = case.cell_values(language, asked) if case else {}
                ws = wb[slot[0]]
                for code, (r, c) in where.items():
                    ws.cell(r, c).value = values.get(code)
            row.filled = values
            case_of[slot] = case.name if case else msg("audit.case.none")
        skip: set[str] = set()  # sheets not compared in this probe
        if register and k > 0:
            skip = _register_probe(wb[register.sheet], register, ref_plan, case_of, reg_batches, k - 1)
        probe = workdir / f"probe-{k:03d}.xlsx"
        if k == 0:
            probe.write_bytes(path.read_bytes())
        else:
            wb.save(probe)
        reference = workdir / f"reference-{k:03d}.xlsx"
        reference.write_bytes(build_reference(ref_plan, pack))
        n_reg = len(reg_batches[k - 1]) if 0 < k <= len(reg_batches) else 0
        n_cases = sum(1 for c in batch if c) + n_reg
        label = AS_FOUND if k == 0 else msg("audit.case.probe", k=k, count=n_cases)
        expected, formulas = reference_cells(reference, skip)
        probes.append(Probe(probe, expected, formulas, case_of, label))
    if loaded is None:
        wb.close()
    return Probes(probes, len(cases), len(reg_cases), register.sheet if register else None)


def _register_probe(
    ws,
    register: RegisterSlots,
    ref_plan: WorkbookPlan,
    case_of: dict[tuple[str, int | None], Message | str],
    batches: list[list[RegisterCase]],
    index: int,
) -> set[str]:
    """Put the register cases of batch ``index`` on the register rows of a probe (the rows left
    over emptied), and the same answers in its reference's plan; past the last batch, empty the
    register's formulas instead and return the register sheet (not compared in that probe)."""
    if index >= len(batches):
        for r, c in register.formulas:
            ws.cell(r, c).value = None
        return {register.sheet}
    batch = batches[index]
    rows = []
    for i, r in enumerate(register.rows):
        case = batch[i] if i < len(batch) else None
        values = case.values if case else {}
        for code, c in register.columns.items():
            _put(ws.cell(r, c), values.get(code))
        rows.append({code: values.get(code) for code in ANSWERS})
        case_of[(register.sheet, r)] = case.name if case else msg("audit.case.register-none")
    ref_plan.register_rows = rows
    return set()


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    return want == got


def compare(
    engine: str, probes: list[Probe], values: dict[Path, engines.Sheets], register_sheet: str | None = None
) -> EngineRun:
    """Every formula cell of every probe, as ``engine`` computed it, against the reference."""
    run = EngineRun(engine, ran=True)
    for probe in probes:
        got_book = values[probe.path]
        for sheet, positions in probe.formulas.items():
            want_sheet = probe.expected.get(sheet, {})
            got_sheet = got_book.get(sheet, {})
            if sheet == register_sheet:
                run.register_cells += len(positions)
            for pos in sorted(positions):
                run.cells += 1
                want, got = want_sheet.get(pos, ""), got_sheet.get(pos, "")
                if _same(want, got):
                    continue
                run.mismatches += 1
                if len(run.first) < MAX_KEPT:
                    case = (
                        probe.case_of.get((sheet, pos[0])) or probe.case_of.get((sheet, None)) or probe.label
                    )
                    cell = f"{column_letter(pos[1])}{pos[0]}"
                    run.first.append(Mismatch(engine, sheet, cell, case, want, got))
    return run


def audit_dynamic(
    path: Path,
    book: Workbook,
    plan: WorkbookPlan,
    pack: ContentPack,
    chosen: list[str],
    workdir: Path,
    samples: int = 50,
    seed: int = 2026,
    loaded: openpyxl.Workbook | None = None,
) -> list[EngineRun]:
    """Run the covering set through every engine of ``chosen``; one :class:`EngineRun` each
    (``loaded``: see :func:`make_probes`)."""
    made = make_probes(path, book, plan, pack, workdir, samples, seed, loaded)
    probes = made.probes
    runs = []
    for engine in chosen:
        reason = engines.missing(engine)
        if reason:
            runs.append(EngineRun(engine, error=reason))
            continue
        try:
            values = engines.recalculate(engine, [p.path for p in probes], workdir / engine)
        except engines.EngineError as exc:
            runs.append(EngineRun(engine, error=exc.message))
            continue
        run = compare(engine, probes, values, made.register_sheet)
        run.cases, run.register_cases = made.cases, made.register_cases
        runs.append(run)
    return runs
