"""Each return named as its user knows it: relative to the folder given on the command line.

The map, its CSV and the history name a return ``Cardiologie.xlsx`` or ``site-A/Cardiologie.xlsx``
(relative to the folder given), never ``C:\\Users\\…\\Retours\\Cardiologie.xlsx``: a path that
says where the engineer's machine kept the file is noise to a reader, and leaks a user name. A
file given by itself is named by its file name. Two returns that would share a name (the same
file name under two folders given) are named with their folder's name first, then as given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from medrisk_xl.consolidate.tables import Consolidation

# The columns of each table that name a return.
PATH_COLUMNS = {
    "register": ("source_file",),
    "problems": ("file",),
    "files": ("file", "superseded_by"),
    "follow_up_devices": ("source_file",),
    "hazards": ("source_file",),
}


def _relative(path: str, given: list[Path]) -> tuple[str, str]:
    """The name of ``path`` relative to the first folder given that holds it, and that name with
    the folder's own name first; a file given by itself: its name, and the path as given."""
    p = Path(path)
    for root in given:
        try:
            rel = p.relative_to(root)
        except ValueError:
            continue
        return rel.as_posix(), (Path(root.resolve().name) / rel).as_posix()
    return p.name, path


def source_names(paths: Iterable[str | Path], files: Iterable[str]) -> dict[str, str]:
    """Each file path as reported (``FileReport.path``) -> the name the outputs show."""
    given = [Path(p) for p in paths if Path(p).is_dir()]
    files = list(dict.fromkeys(files))
    names = {f: _relative(f, given) for f in files}
    short = Counter(n for n, _ in names.values())
    longer = Counter(n if short[n] == 1 else alt for n, alt in names.values())
    out = {}
    for f, (name, alt) in names.items():
        shown = name if short[name] == 1 else alt
        out[f] = shown if longer[shown] == 1 else f
    return out


def _renamed(
    table: pd.DataFrame | None, columns: tuple[str, ...], names: dict[str, str]
) -> pd.DataFrame | None:
    if table is None:
        return None
    table = table.copy()
    for column in columns:
        if column in table:
            table[column] = table[column].map(lambda v: names.get(v, v) if isinstance(v, str) else v)
    return table


def named_for_output(result: Consolidation) -> Consolidation:
    """``result`` as the outputs show it (the map, its exports, the history): every return named
    relative to the folder given. The library's result keeps the paths where files were read."""
    if not result.given:
        return result
    names = source_names(result.given, result.files["file"].dropna().tolist())
    tables = {key: _renamed(getattr(result, key), cols, names) for key, cols in PATH_COLUMNS.items()}
    return replace(result, **tables, given=())  # named once: naming it again changes nothing
