"""The campaign's coverage (issue 27): how many devices the manifest expected, how many came back
in a return, how many are in the map, and (with an IT workbook) how many of those rest on no
"don't know" answer; for the fleet, then per site, then per department of the manifest.

A department that sent nothing back still has its row, with what it was expected to return.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from medrisk_xl.method.output_columns import COVERAGE_COLUMNS, COVERAGE_LEVELS

FLEET, SITE, DEPARTMENT = COVERAGE_LEVELS


def coverage_table(manifest: dict[str, Any], register: pd.DataFrame, confirmed: bool) -> pd.DataFrame:
    """One row for the fleet, one per site and one per department of the manifest (in its order):
    devices expected, returned (rows of the returns, added devices included), mapped, and confirmed
    (None unless ``confirmed``: an IT workbook was consolidated)."""
    entries = manifest.get("workbooks", [])
    mapped = register["mapped"].astype(bool)
    sure = mapped & ~register["risk_provisional"].fillna(False).astype(bool)
    expected = _expected(entries, register)

    def row(level: str, name: str | None, want: int, mine: pd.Series) -> dict[str, Any]:
        return {
            "level": level,
            "name": name,
            "expected": want,
            "returned": int(mine.sum()),
            "mapped": int((mine & mapped).sum()),
            "confirmed": int((mine & sure).sum()) if confirmed else None,
        }

    fleet = sum(sum(c.values()) for c in expected.values())
    rows = [row(FLEET, None, fleet, pd.Series(True, index=register.index))]
    sites = sorted({site for counts in expected.values() for site in counts}, key=lambda s: (s == "", s))
    for site in sites:
        want = sum(c[site] for c in expected.values())
        rows.append(row(SITE, site, want, register["site"].fillna("") == site))
    for name, counts in expected.items():
        rows.append(row(DEPARTMENT, name, sum(counts.values()), register["department"] == name))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _expected(entries: list[dict[str, Any]], register: pd.DataFrame) -> dict[str, Counter[str]]:
    """Per department of the manifest, its expected devices per site: the workbook's site, else
    (a workbook spanning sites) each device's site as its return gives it ("" when unknown)."""
    site_of = dict(zip(register["device_id"].tolist(), register["site"].fillna("").tolist()))
    out: dict[str, Counter[str]] = {}
    for entry in entries:
        name = entry.get("department") or entry.get("scope")
        ids = entry.get("device_ids", [])
        site = entry.get("site")
        out[name] = Counter({site: len(ids)}) if site else Counter(site_of.get(d, "") for d in ids)
    return out
