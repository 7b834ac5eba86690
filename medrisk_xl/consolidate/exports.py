"""Flat exports of the consolidated register: CSV for Excel users, Parquet for data tools.

Both hold the stable CSV columns (``consolidation_tables.EXPORT_COLUMNS``) and are written
atomically (a temporary file beside the target, then a rename).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from medrisk_xl.consolidate.tables import EXPORT_COLUMNS
from medrisk_xl.core.atomic import atomic_write
from medrisk_xl.core.problems import MedriskError, Problem

# OWASP "CSV injection": a cell starting with one of these is run as a formula by spreadsheets;
# the full-width forms too, which East Asian input methods type and Excel converts to formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(register: pd.DataFrame, path: str | Path) -> None:
    """The register as UTF-8 with BOM, ``;`` separators and CRLF line ends (RFC 4180), which French
    Excel opens directly; CRLF also makes the writer quote a text holding a lone CR, which would
    otherwise end the row."""
    table = register.loc[:, list(EXPORT_COLUMNS)].copy()
    table["mapped"] = table["mapped"].map({True: "true", False: "false"})
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(neutralise)
    atomic_write(
        Path(path),
        lambda tmp: table.to_csv(tmp, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n"),
    )


def write_parquet(register: pd.DataFrame, path: str | Path) -> None:
    """The register with typed columns (needs pyarrow: ``pip install 'medrisk-xl[parquet]'``)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise MedriskError(
            [
                Problem(
                    "missing-pyarrow",
                    "writing Parquet needs pyarrow: pip install 'medrisk-xl[parquet]' (or pip install pyarrow)",
                    file=str(path),
                )
            ],
            exit_code=2,
        ) from None
    table = register.loc[:, list(EXPORT_COLUMNS)]
    atomic_write(Path(path), lambda tmp: table.to_parquet(tmp, index=False))
