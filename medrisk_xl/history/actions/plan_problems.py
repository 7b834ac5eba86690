"""The problems ``actions import`` reports, and how they are listed: each names its sheet and cell,
and past :data:`MAX_PROBLEMS` one line says how many more there are."""

from __future__ import annotations

from pathlib import Path

from medrisk_xl.core.problem_catalogue import ACTIONS_IMPORT, codes_of
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.workbook.cell_names import column_letter

# The problems actions import reports, with their severity (README's table): a view of the one catalogue.
PROBLEM_CODES = {code: severity for code, (severity, _) in codes_of(ACTIONS_IMPORT).items()}
MAX_PROBLEMS = 200  # listed; past that, one line says how many more


class PlanProblems:
    """Problems of one plan file, each naming its sheet and cell."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.items: list[Problem] = []

    def add(
        self,
        code: str,
        message: Message,
        sheet: str | None = None,
        row: int | None = None,
        col: int | None = None,
        device: str | None = None,
        severity: str = "error",
    ) -> None:
        cell = f"{column_letter(col)}{row}" if row and col else None
        self.items.append(
            Problem(
                code,
                message,
                file=self.file,
                sheet=sheet,
                cell=cell,
                row=row if cell is None else None,
                severity=severity,
                device_id=device or None,
            )
        )


def capped_problems(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, then one line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem("more-problems", msg("actions.more-problems", count=more), severity="info"),
    ]
