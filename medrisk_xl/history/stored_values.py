"""Values the history reads and writes: missing cells, timestamps and file digests, the same for
recording a campaign and importing its action plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from typing import Any

import pandas as pd


def is_missing(value: Any) -> bool:
    """Whether a pandas or database value stands for an empty cell (None, NA, NaT, NaN)."""
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def none_if_missing(value: Any) -> Any:
    """``value``, or ``None`` for a missing one: what the history stores and reports."""
    return None if is_missing(value) else value


def text_or_empty(value: Any) -> str:
    """A recorded value as text, "" for a missing one."""
    return "" if is_missing(value) else str(value)


def utc_now_text() -> str:
    """The current UTC time as the history stores it (``2027-01-31T12:00:00Z``)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_digest(path: str | os.PathLike[str]) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in chunks; raises :class:`OSError`."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
