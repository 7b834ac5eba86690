"""Recalculate workbooks in three independent spreadsheet engines and read what they computed.

- ``libreoffice``: LibreOffice headless, recalculation forced on load in a throw-away profile
  (:mod:`medrisk_xl.engines.libreoffice`);
- ``gnumeric``: Gnumeric's ``ssconvert --recalc``;
- ``python``: the pure-Python engine ``formulas`` (optional: ``pip install 'medrisk-xl[audit]'``).

Each returns, per workbook, the value of every cell as the engine computed it, normalised so that
the engines compare (:func:`norm`): blanks and "" are "", whole floats are ints, errors are their
Excel spelling (``#VALUE!``...).
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medrisk_xl.core.problems import Joined, Message, MessageError, msg
from medrisk_xl.core.processes import pool_size, process_context, usable_cores
from medrisk_xl.engines.libreoffice import LibreOfficeError, convert, find_soffice

ENGINES = ("libreoffice", "gnumeric", "python")
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
INSTALL = {
    "libreoffice": "apt-get install -y --no-install-recommends libreoffice-calc-nogui",
    "gnumeric": "apt-get install -y --no-install-recommends gnumeric",
    "python": "pip install 'medrisk-xl[audit]'",
}
TIMEOUT = 600  # seconds for one engine run

Sheets = dict[str, dict[tuple[int, int], Any]]  # sheet title -> (row, col) 1-based -> value


class EngineError(MessageError):
    """An engine is missing or failed on a workbook."""


def missing(engine: str) -> Message | None:
    """Why ``engine`` cannot run here (with how to install it), or None when it can."""
    if engine == "libreoffice" and not find_soffice():
        return msg("engine.missing.libreoffice", install=INSTALL[engine])
    if engine == "gnumeric" and not shutil.which("ssconvert"):
        return msg("engine.missing.gnumeric", install=INSTALL[engine])
    if engine == "python" and importlib.util.find_spec("formulas") is None:
        return msg("engine.missing.python", install=INSTALL[engine])
    if engine not in ENGINES:
        return msg("engine.unknown", engine=engine, engines=", ".join(ENGINES))
    return None


def available() -> dict[str, str | None]:
    """Every engine -> None when it can run here, else why not."""
    return {engine: missing(engine) for engine in ENGINES}


def norm(value: Any) -> Any:
    """One spelling per value, whichever engine or reader produced it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return str(value)  # formulas' errors are str subclasses: keep the plain text
    text = str(value)  # formulas' XlError, EMPTY...
    return "" if text in ("", "empty") else text


def read_values(path: Path) -> Sheets:
    """Every stored cell value of a workbook (cached formula results included)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        out: Sheets = {}
        for ws in wb.worksheets:
            cells = out.setdefault(ws.title, {})
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None and hasattr(cell, "column"):
                        cells[(cell.row, cell.column)] = norm(cell.value)
        return out
    finally:
        wb.close()


def formula_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Sheet title -> cells (1-based row, col) that hold a formula."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        out: dict[str, set[tuple[int, int]]] = {}
        for ws in wb.worksheets:
            out[ws.title] = {
                (c.row, c.column)
                for row in ws.iter_rows()
                for c in row
                if isinstance(c.value, str) and c.value.startswith("=")
            }
        return out
    finally:
        wb.close()


def _gnumeric(paths: Sequence[Path], outdir: Path) -> list[Path]:
    ssconvert = shutil.which("ssconvert")
    if not ssconvert:
        raise EngineError(missing("gnumeric"))
    outdir.mkdir(parents=True, exist_ok=True)
    outs = []
    for i, src in enumerate(paths):
        out = outdir / f"{i:04d}-{src.stem}.xlsx"
        out.unlink(missing_ok=True)
        try:
            proc = subprocess.run(
                [ssconvert, "--recalc", str(src), str(out)], capture_output=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineError(msg("engine.gnumeric-timeout", seconds=TIMEOUT, name=src.name)) from exc
        if not out.is_file():
            tail = proc.stderr.decode(errors="replace")[-500:]
            raise EngineError(msg("engine.gnumeric-failed", name=src.name, tail=tail))
        outs.append(out)
    return outs


def _sheet_titles(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)  # the workbook part only, no sheet read
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _python(path: Path) -> Sheets:
    """Every cell the Python engine ``formulas`` computes (formula cells and the cells they read)."""
    os.environ.setdefault("TQDM_DISABLE", "1")  # the engine's progress bars, not ours to show
    import formulas
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    logging.getLogger("formulas").setLevel(logging.ERROR)
    by_upper = {title.upper(): title for title in _sheet_titles(path)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values: Sheets = {title: {} for title in by_upper.values()}
    for key, ranges in solution.items():
        if "!" not in key or ":" in key.rsplit("!", 1)[1]:
            continue
        book_sheet, ref = key.rsplit("!", 1)
        sheet = by_upper.get(book_sheet.strip("'").split("]", 1)[1].upper())
        if sheet is None:
            continue
        col_letters, row = coordinate_from_string(ref)
        value = getattr(ranges, "value", ranges)
        values[sheet][(row, column_index_from_string(col_letters))] = norm(
            value[0][0] if hasattr(value, "__getitem__") else value
        )
    return values


def _python_safe(path: Path) -> Sheets | str:
    """:func:`_python` for a worker process: a failure comes back as its message."""
    try:
        return _python(path)
    except Exception as exc:  # the engine's own failure, reported per workbook
        return f"{type(exc).__name__}: {exc}"


def recalculate(
    engine: str, paths: Sequence[Path], outdir: Path, jobs: int | None = None
) -> dict[Path, Sheets]:
    """Recalculate every workbook of ``paths`` in ``engine``; the computed values by input path.

    ``outdir`` receives the engines' recalculated copies; the inputs are never written."""
    reason = missing(engine)
    if reason:
        raise EngineError(reason)
    paths = list(paths)
    if not paths:
        return {}
    if engine == "libreoffice":
        try:
            outs = convert(paths, outdir / "libreoffice", recalc=True)
        except LibreOfficeError as exc:
            raise EngineError(exc.message) from exc
        return {src: read_values(out) for src, out in zip(paths, outs)}
    if engine == "gnumeric":
        outs = _gnumeric(paths, outdir / "gnumeric")
        return {src: read_values(out) for src, out in zip(paths, outs)}
    # python: pure Python and slow to load a model, one process per core
    from concurrent.futures import ProcessPoolExecutor

    workers = pool_size(jobs or usable_cores(), len(paths))
    if workers == 1:
        results = {p: _python_safe(p) for p in paths}
    else:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=process_context(("medrisk_xl.engines",))
        ) as pool:
            results = dict(zip(paths, pool.map(_python_safe, paths)))
    failed = {p: r for p, r in results.items() if isinstance(r, str)}
    if failed:
        raise EngineError(
            Joined(tuple(msg("engine.python-failed", name=p.name, reason=str(r)) for p, r in failed.items()))
        )
    return results  # type: ignore[return-value]
