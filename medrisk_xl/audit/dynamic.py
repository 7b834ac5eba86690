"""Dynamic audit: fill private copies of the workbook with the covering set, recalculate them in
real engines and compare every computed cell with the reference scorer.

Each probe is a copy of the workbook with its answer cells replaced (one case per device row or
form sheet; a workbook with fewer rows than cases gets several probes); the first probe keeps the
answers as they are in the workbook. For each probe the reference workbook is written with the
same answers: its cached values are what the generator's twin of the formulas (the reference
scorer and the matching rule) says every computed cell must show. The input is never written.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from medrisk_xl import engines
from medrisk_xl.audit.cases import Case, covering_cases
from medrisk_xl.audit.reference import build_reference
from medrisk_xl.pack import ContentPack
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.plan import WorkbookPlan
from medrisk_xl.workbook.reader import Workbook, form_sheets, grid_columns

MAX_KEPT = 200  # mismatches kept per engine (all are counted)
AS_FOUND = "answers as found in the workbook"


@dataclass(frozen=True)
class Mismatch:
    engine: str
    sheet: str
    cell: str
    case: str
    expected: Any
    got: Any


@dataclass
class EngineRun:
    """What one engine did: cells compared, mismatches, or why it did not run."""

    engine: str
    ran: bool = False
    error: str | None = None
    cells: int = 0
    cases: int = 0
    mismatches: int = 0
    first: list[Mismatch] = field(default_factory=list)


@dataclass
class Probe:
    path: Path
    expected: engines.Sheets  # the reference's cached values
    formulas: dict[str, set[tuple[int, int]]]  # the reference's formula cells
    case_of: dict[tuple[str, int | None], str]  # (sheet, row) or (form sheet, None) -> case name
    label: str


def _slots(book: Workbook, plan: WorkbookPlan) -> list[tuple[str, int | None]]:
    """Where a case goes: (input sheet, row) per grid row, or (form sheet, None) per form."""
    if plan.layout == "form":
        return [(name, None) for name in form_sheets(book)]
    first = int(book.meta[contract.Meta.FIRST_ROW])
    name = book.meta[contract.Meta.INPUT_SHEET]
    return [(name, first + i) for i in range(len(plan.rows))]


def _answer_cells(
    book: Workbook, pack: ContentPack, slot: tuple[str, int | None]
) -> dict[str, tuple[int, int]]:
    """Answer code -> 1-based (row, col) of a slot's answer cells."""
    sheet, row = slot
    if row is not None:
        cols = grid_columns(book)
        return {code: (row, cols[code]) for code in pack.method.codes}
    ws = book.sheet(sheet)
    out = {}
    for r in range(1, (ws.n_rows if ws else 0) + 1):
        code = ws.value(r, contract.FORM_CODE_COL + 1)
        if code in pack.method.codes:
            out[code] = (r, contract.FORM_VALUE_COL + 1)
    return out


def _found(book: Workbook, cells: dict[str, tuple[int, int]], sheet: str) -> dict[str, Any]:
    ws = book.sheet(sheet)
    out = {}
    for code, (r, c) in cells.items():
        value = ws.value(r, c) if ws else ""
        out[code] = None if value == "" else value
    return out


def make_probes(
    path: Path,
    book: Workbook,
    plan: WorkbookPlan,
    pack: ContentPack,
    workdir: Path,
    samples: int,
    seed: int,
) -> tuple[list[Probe], int]:
    """Write the probes and their references in ``workdir``; return them and the number of cases."""
    language = pack.language(plan.language)
    cases = covering_cases(pack, language, samples, seed)
    slots = _slots(book, plan)
    cells = [_answer_cells(book, pack, slot) for slot in slots]
    as_found = [Case(AS_FOUND, {})] * len(slots)
    batches: list[list[Case | None]] = [as_found]
    for i in range(0, len(cases), len(slots)):
        chunk: list[Case | None] = list(cases[i : i + len(slots)])
        batches.append(chunk + [None] * (len(slots) - len(chunk)))
    wb = openpyxl.load_workbook(path)
    probes = []
    for k, batch in enumerate(batches):
        ref_plan = copy.deepcopy(plan)
        case_of: dict[tuple[str, int | None], str] = {}
        for slot, where, row, case in zip(slots, cells, ref_plan.rows, batch):
            if k == 0:
                values = _found(book, where, slot[0])
            else:
                values = case.cell_values(language, pack.method.codes) if case else {}
                ws = wb[slot[0]]
                for code, (r, c) in where.items():
                    ws.cell(r, c).value = values.get(code)
            row.filled = values
            case_of[slot] = case.name if case else "empty row (no case)"
        probe = workdir / f"probe-{k:03d}.xlsx"
        if k == 0:
            probe.write_bytes(path.read_bytes())
        else:
            wb.save(probe)
        reference = workdir / f"reference-{k:03d}.xlsx"
        reference.write_bytes(build_reference(ref_plan, pack))
        label = AS_FOUND if k == 0 else f"probe {k} ({sum(1 for c in batch if c)} cases)"
        probes.append(
            Probe(probe, engines.read_values(reference), engines.formula_cells(reference), case_of, label)
        )
    wb.close()
    return probes, len(cases)


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    return want == got


def compare(engine: str, probes: list[Probe], values: dict[Path, engines.Sheets]) -> EngineRun:
    """Every formula cell of every probe, as ``engine`` computed it, against the reference."""
    from openpyxl.utils.cell import get_column_letter

    run = EngineRun(engine, ran=True)
    for probe in probes:
        got_book = values[probe.path]
        for sheet, positions in probe.formulas.items():
            want_sheet = probe.expected.get(sheet, {})
            got_sheet = got_book.get(sheet, {})
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
                    cell = f"{get_column_letter(pos[1])}{pos[0]}"
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
) -> list[EngineRun]:
    """Run the covering set through every engine of ``chosen``; one :class:`EngineRun` each."""
    probes, n_cases = make_probes(path, book, plan, pack, workdir, samples, seed)
    runs = []
    for engine in chosen:
        reason = engines.missing(engine)
        if reason:
            runs.append(EngineRun(engine, error=reason))
            continue
        try:
            values = engines.recalculate(engine, [p.path for p in probes], workdir / engine)
        except engines.EngineError as exc:
            runs.append(EngineRun(engine, error=str(exc)))
            continue
        run = compare(engine, probes, values)
        run.cases = n_cases
        runs.append(run)
    return runs
