"""Test helpers: recalculate workbooks in three independent spreadsheet engines.

- LibreOffice headless (recalculation forced on load, throw-away profile: medrisk_xl.libreoffice);
- Gnumeric (``ssconvert --recalc``);
- the Python engine ``formulas``.

Each returns, per workbook, the value of every cell as the engine computed it, normalised so
that the engines compare: blanks and "" are "", whole floats are ints, errors are their Excel
spelling (``#VALUE!``...).
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from medrisk_xl.libreoffice import convert

ENGINES = ("libreoffice", "gnumeric", "formulas")
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


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


Sheets = dict[str, dict[tuple[int, int], Any]]  # sheet title -> (row, col) 1-based -> value


def read_values(path: Path) -> Sheets:
    """Every stored cell value of a workbook (cached formula results included)."""
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


def require(tool: str) -> str:
    """Path of an engine's executable; skip locally when absent, fail when CI=true."""
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{tool} is required in CI (apt-get install -y libreoffice-calc-nogui gnumeric)")
    pytest.skip(f"{tool} is not installed")


def _gnumeric(paths: Sequence[Path], outdir: Path) -> list[Path]:
    ssconvert = require("ssconvert")
    outdir.mkdir(parents=True, exist_ok=True)
    outs = []
    for src in paths:
        out = outdir / f"{src.stem}.xlsx"
        out.unlink(missing_ok=True)
        proc = subprocess.run(
            [ssconvert, "--recalc", str(src), str(out)], capture_output=True, timeout=600, check=False
        )
        assert out.is_file(), f"ssconvert failed on {src}: {proc.stderr.decode(errors='replace')[-500:]}"
        outs.append(out)
    return outs


def _formulas(path: Path) -> Sheets:
    """Cached values of ``path`` overlaid with every formula cell as ``formulas`` computes it."""
    import formulas

    logging.getLogger("formulas").setLevel(logging.ERROR)
    values = read_values(path)
    by_upper = {title.upper(): title for title in values}
    for title in formula_cells(path):
        by_upper.setdefault(title.upper(), title)
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    wanted = formula_cells(path)
    for key, ranges in solution.items():
        if "!" not in key or ":" in key.rsplit("!", 1)[1]:
            continue
        book_sheet, ref = key.rsplit("!", 1)
        sheet = by_upper.get(book_sheet.strip("'").split("]", 1)[1].upper())
        if sheet is None:
            continue
        col_letters, row = coordinate_from_string(ref)
        pos = (row, column_index_from_string(col_letters))
        if pos in wanted.get(sheet, ()):
            value = getattr(ranges, "value", ranges)
            values.setdefault(sheet, {})[pos] = norm(value[0][0] if hasattr(value, "__getitem__") else value)
    return values


def _formulas_safe(path: Path) -> Sheets | str:
    """:func:`_formulas` for a worker process: a failure comes back as its traceback text."""
    import traceback

    try:
        return _formulas(path)
    except Exception:
        return traceback.format_exc()


def recalculate(engine: str, paths: Sequence[Path], outdir: Path) -> dict[Path, Sheets]:
    """Recalculate every workbook of ``paths`` in ``engine``; values by input path."""
    paths = list(paths)
    if engine == "libreoffice":
        require("soffice")
        outs = convert(paths, outdir / "libreoffice")
        return {src: read_values(out) for src, out in zip(paths, outs)}
    if engine == "gnumeric":
        outs = _gnumeric(paths, outdir / "gnumeric")
        return {src: read_values(out) for src, out in zip(paths, outs)}
    if engine == "formulas":  # pure Python and slow to load: one process per core
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
            results = dict(zip(paths, pool.map(_formulas_safe, paths)))
        failed = {p: r for p, r in results.items() if isinstance(r, str)}
        assert not failed, "\n".join(f"formulas failed on {p}:\n{r}" for p, r in failed.items())
        return results  # type: ignore[return-value]
    raise ValueError(engine)
