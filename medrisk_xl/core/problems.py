"""Problems as data: a stable code, a message, and where it happened."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in an input (content pack, inventory, workbook)."""

    code: str
    message: str
    file: str | None = None
    path: str | None = None  # key path inside a data file, e.g. criticality.levels[1]
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    severity: str = "error"  # error | warning | info
    device_id: str | None = None

    @property
    def where(self) -> str:
        """Human-readable location: file, then key path, sheet, cell or row."""
        parts = [p for p in (self.file,) if p]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.device_id:
            parts.append(f"device {self.device_id}")
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)

    def to_text(self) -> str:
        where = self.where
        return f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"

    def to_dict(self) -> dict:
        """Plain data: every set field (the severity always)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


class MedriskError(Exception):
    """An error carrying one or more problems; the CLI renders them, never a traceback."""

    def __init__(self, problems: Iterable[Problem], exit_code: int = 1):
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(p.to_text() for p in self.problems))


def render(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as text lines or a JSON document."""
    problems = list(problems)
    if fmt == "json":
        return json.dumps(
            {"valid": not problems, "problems": [p.to_dict() for p in problems]},
            ensure_ascii=False,
            indent=2,
        )
    return "\n".join(p.to_text() for p in problems)
