"""The options of a campaign (``generate``'s command line), checked before anything is read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.workbook.contract import LAYOUTS, PERS, SPLITS, VULNERABILITY_BYS


@dataclass
class Options:
    campaign: str | None = None
    lang: str | None = None
    layout: str = "grid"
    per: str = "device"
    password: str | None = None
    spare_rows: int | None = None
    split_by: str = "department"
    deadline: str | dt.date | None = None  # dd/mm/yyyy or yyyy-mm-dd text, or a date
    contact: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    force: bool = False
    register: bool | None = None  # risk register sheet and change form (default: with --layout form)
    sheet: str | None = None  # inventory sheet, by name or 1-based number (default: found)
    header_row: int | None = None  # inventory header row (default: found)
    include_after_blank: bool = False  # read inventory rows after the table's first empty row
    visible_only: bool = False  # leave out the inventory's hidden and filtered-out rows
    vulnerability_by: str = "department"  # "it": the IT team answers the items in its own workbook
    mds2: Path | None = None  # a folder of manufacturers' MDS2 forms
    mds2_map: Path | None = None  # CSV (brand, model, form) for the names that do not match
    answers: Path | None = None  # CSV of the biomedical service's answers (device id, criterion, answer)
    prefill_rules: bool = False  # apply the pack's pre-fill rules (prefill.yaml)
    lock_prefilled: bool = False  # pre-filled criterion answers read-only for the departments
    previous: str | None = None  # year two: the recorded campaign whose answers are carried over
    # Its answers, device id -> code -> option index (history.carried_answers reads them).
    carried: Mapping[str, Mapping[str, int]] | None = None

    @property
    def with_register(self) -> bool:
        return self.layout == "form" if self.register is None else self.register


_DATE_FORMS = ((r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"), (r"\d{4}-\d{1,2}-\d{1,2}", "%Y-%m-%d"))


def parse_deadline(value: str | dt.date | None) -> dt.date | None:
    """The return deadline as a date: French (dd/mm/yyyy) or ISO (yyyy-mm-dd) text, or a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, form in _DATE_FORMS:
        if re.fullmatch(pattern, text):
            try:
                return dt.datetime.strptime(text, form).date()
            except ValueError:
                break
    raise MedriskError(
        [
            Problem(
                "bad-deadline",
                msg("generate.bad-deadline", value=value),
            )
        ],
        exit_code=2,
    )


def check_options(opts: Options) -> None:
    """Refuse a split, per or layout not offered, and an empty password (exit code 2)."""
    for value, allowed, name in (
        (opts.split_by, SPLITS, "split-by"),
        (opts.per, PERS, "per"),
        (opts.layout, LAYOUTS, "layout"),
        (opts.vulnerability_by, VULNERABILITY_BYS, "vulnerability-by"),
    ):
        if value not in allowed:
            raise MedriskError(
                [Problem("bad-option", msg("generate.bad-option", name=name, allowed=", ".join(allowed)))],
                exit_code=2,
            )
    if opts.password is not None and not opts.password.strip():
        raise MedriskError(
            [Problem("bad-option", msg("generate.empty-password"))],
            exit_code=2,
        )
