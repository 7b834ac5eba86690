"""Test helpers: the package's engines (:mod:`medrisk_xl.engines`), skipped locally when an engine
is absent and required when ``CI=true``. The tests call the Python engine ``formulas``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from medrisk_xl import engines
from medrisk_xl.engines import ERRORS, Sheets, formula_cells, norm, read_values

__all__ = ["ENGINES", "ERRORS", "Sheets", "formula_cells", "norm", "read_values", "recalculate", "require"]

ENGINES = ("libreoffice", "gnumeric", "formulas")
PACKAGE_NAME = {"formulas": "python"}  # the package (and the audit command) call it "python"


def require(engine: str) -> str:
    """Name of an engine that can run; skip locally when absent, fail when CI=true."""
    name = PACKAGE_NAME.get(engine, {"soffice": "libreoffice", "ssconvert": "gnumeric"}.get(engine, engine))
    reason = engines.missing(name)
    if reason is None:
        return name
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required in CI: {reason.text()}")
    pytest.skip(reason.text())


def recalculate(engine: str, paths: Sequence[Path], outdir: Path) -> dict[Path, Sheets]:
    """Recalculate every workbook of ``paths`` in ``engine``; values by input path."""
    return engines.recalculate(require(engine), paths, outdir)
