"""Where each column and device row of the input sheet stands.

Its own module because the page setup (printing), the reading sheets and validate need the
layout without the code that writes the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import DeviceStatus, Review, Terms

R0 = contract.FIRST_ROW - 1  # 0-based first device row


@dataclass(frozen=True)
class InputLayout:
    """Columns of the input sheet (0-based) and its device rows."""

    codes: tuple[str, ...]  # column codes, in order; hidden helpers after STATUS
    n_rows: int
    prefill: tuple[str, ...] = ()  # codes pre-filled on some row (a hidden helper each)
    review: tuple[str, str] | None = None  # year two: the REVIEWED choice and the "to review" status text
    device: tuple[tuple[str, ...], str] | None = None  # the out-of-fleet labels and their row status

    def col(self, code: str) -> int:
        return self.codes.index(code)

    @property
    def last_visible(self) -> int:
        """Column of STATUS, the last column people see (helpers are hidden after it)."""
        return self.col("STATUS")

    def cell(self, row: int, code: str) -> str:
        """Reference to the cell of column ``code`` on 0-based ``row`` (column absolute)."""
        return xl_rowcol_to_cell(row, self.col(code), col_abs=True)

    def row_span(self, row: int, first: str, last: str) -> str:
        return f"{self.cell(row, first)}:{self.cell(row, last)}"

    def terms(self, row: int, answer_codes: tuple[str, ...], items: tuple[str, ...], free: bool) -> Terms:
        """Cell references of one device row for the shared result formulas."""
        crit = [c for c in answer_codes if c not in items]
        pts = contract.points_code
        return Terms(
            answers={c: self.cell(row, c) for c in answer_codes},
            points={c: self.cell(row, pts(c)) for c in answer_codes},
            crit_points=self.row_span(row, pts(crit[0]), pts(crit[-1])),
            vuln_points=self.row_span(row, pts(items[0]), pts(items[-1])) if items else None,
            vuln_answers=self.row_span(row, items[0], items[-1]) if items else None,
            prefill={c: self.cell(row, contract.prefill_code(c)) for c in self.prefill},
            free_id=self.cell(row, "ID") if free and "ID" in self.codes else None,
            review=Review(
                self.cell(row, contract.REVIEW_CODE),
                *self.review,
                self.cell(row, contract.CARRIED_COUNT_CODE),
            )
            if self.review
            else None,
            device=DeviceStatus(self.cell(row, contract.DEVICE_STATUS_CODE), *self.device)
            if self.device
            else None,
        )

    @property
    def first_row(self) -> int:
        return R0

    @property
    def last_row(self) -> int:
        return R0 + max(self.n_rows, 1) - 1

    def range_abs(self, sheet_ref: str, code: str) -> str:
        """Absolute reference to the device cells of column ``code``."""
        name = xl_col_to_name(self.col(code))
        return f"{sheet_ref}!${name}${self.first_row + 1}:${name}${self.last_row + 1}"


def review_texts(codes: tuple[str, ...], language: Language) -> tuple[str, str] | None:
    """The REVIEWED column's choice and the "to review" status text, for a sheet of ``codes``
    that has the column (year two); None otherwise."""
    if contract.REVIEW_CODE not in codes:
        return None
    texts = language.ui["prefill"]["review"]
    return texts["confirmed"], texts["status"]


def device_texts(codes: tuple[str, ...], language: Language) -> tuple[tuple[str, ...], str] | None:
    """The labels of the device statuses out of the fleet and the status their row shows, for a
    sheet of ``codes`` that has the DEVICE_STATUS column; None otherwise."""
    if contract.DEVICE_STATUS_CODE not in codes:
        return None
    texts = language.ui["device_status"]
    return tuple(texts["options"][c] for c in contract.OUT_OF_FLEET), texts["row_status"]


def device_status_labels(language: Language) -> list[str]:
    """The DEVICE_STATUS dropdown, in ``contract.DEVICE_STATUSES`` order."""
    return [language.ui["device_status"]["options"][c] for c in contract.DEVICE_STATUSES]


def has_device_status(plan_per: str, layout: str, ui: dict) -> bool:
    """Whether a department workbook has the DEVICE_STATUS column: one row per device on the grid,
    with a pack whose ``ui`` has its texts (an older site pack has none)."""
    return plan_per == contract.PERS[0] and layout == contract.LAYOUTS[0] and "device_status" in ui
