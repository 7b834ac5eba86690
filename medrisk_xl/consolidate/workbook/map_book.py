"""The consolidated workbook being written: its texts, formats, column widths and value writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.workbook.cell_values import clean, is_blank, is_number
from medrisk_xl.consolidate.workbook.xml_rows import Cell, TableSheet, ToCell
from medrisk_xl.core.message_templates import local_moment
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.lists import register_status_texts
from medrisk_xl.workbook.write.styles import Styles, level_number_format

LEVELS = (1, 2, 3)  # criticality, vulnerability and risk levels
# Column widths (characters) not in templates/grid.yaml.
WIDTHS = {
    "criterion": 11,
    "item": 8,
    "number": 10,
    "flag": 11,
    "items": 18,
    "file": 40,
    "sheet": 12,
    "ref": 16,
    "change": 34,
    "source": 14,
    "topic": 36,
    "action": 60,
    "owner": 16,
    "due": 12,
    "moment": 17,  # a date and time (dd/mm/yyyy hh:mm)
    "message": 80,
    "summary_label": 40,
    "summary_cell": 16,
}


@dataclass(frozen=True)
class Column:
    """One column of a written table: code, human header, width and how a value is written."""

    code: str
    header: str
    width: float
    to_cell: ToCell  # a value of the column -> its cell (value, format), None when empty
    note: str | None = None  # the header's cell note
    fmt: Any = None  # format of the whole column (cells left for the team to fill)


class Book:
    """One consolidated workbook being written: its texts, formats and cell makers."""

    def __init__(self, wb: xlsxwriter.Workbook, pack: ContentPack, language: Language, campaign: str | None):
        self.wb = wb
        self.pack = pack
        self.language = language
        self.ui: dict[str, Any] = language.ui["consolidated"]
        self.styles = Styles(wb, language)
        self.t = self.styles.t
        self.scope = campaign or self.ui["title"]
        self.symbols = {int(k): v["symbol"] for k, v in self.t["levels"].items()}
        self.statuses = register_status_texts(language)
        self.device_statuses = dict(language.ui.get("device_status", {}).get("options", {}))
        self.unknown_label = language.labels["vulnerability"]["answers"]["UNKNOWN"]
        self._formats()

    def _formats(self) -> None:
        t, c = self.t, self.t["colors"]
        base = {"font_name": t["font"], "font_size": t["font_size"], "valign": "top"}
        border = {"border": 1, "border_color": c["border"]}

        def fmt(**kw: Any):
            return self.wb.add_format({**base, **border, **kw})

        self.text = fmt()
        self.wrap = fmt(text_wrap=True)
        self.number = fmt(align="center")
        self.percent = fmt(align="center", num_format="0.0%")
        self.date = fmt(align="left", num_format=self.language.ui.get("date_format", "yyyy-mm-dd"))
        self.time = fmt(align="left", num_format=self.language.ui.get("date_format", "yyyy-mm-dd") + " hh:mm")
        self.unknown = fmt(bg_color=c["unknown_fill"], italic=True)
        self.total_label = fmt(bold=True, bg_color=c["group_fill"])
        self.total_number = fmt(bold=True, bg_color=c["group_fill"], align="center")
        self.total_percent = fmt(bold=True, bg_color=c["group_fill"], align="center", num_format="0.0%")
        lab = self.language.labels
        register = self.language.register["levels"]
        self.level: dict[str, dict[int, Any]] = {}
        for axis, labels in (
            ("criticality", lab["criticality"]["levels"]),
            ("vulnerability", lab["vulnerability"]["levels"]),
            ("risk", lab["risk"]["short_levels"]),
            # the risk levels of the IEC 80001-2-1 register (low, medium, high)
            ("register", {number: register[code]["label"] for code, number in self.pack.register.levels}),
        ):
            number_format = level_number_format(labels)
            self.level[axis] = {
                n: fmt(
                    bg_color=v["fill"],
                    font_color=v["font"],
                    bold=axis in ("risk", "register"),
                    align="left",
                    num_format=number_format,
                )
                for n, v in ((int(k), v) for k, v in t["levels"].items())
            }
        levels = t["levels"]
        self.severity = {
            "error": fmt(bg_color=c["invalid_fill"], font_color=c["invalid_font"], bold=True),
            "warning": fmt(bg_color=levels[2]["fill"], font_color=levels[2]["font"], bold=True),
            "info": fmt(bg_color=levels[1]["fill"], font_color=levels[1]["font"]),
        }
        self.file_status = {
            "valid": self.severity["info"],
            "invalid": self.severity["warning"],
            "unreadable": self.severity["error"],
        }

    def sheet(self, key: str, part: int = 1) -> Worksheet:
        """Add the sheet ``key`` (ui ``consolidated.sheets``), or its continuation number ``part``."""
        name = self.ui["sheets"][key]
        if part > 1:
            name = self.ui["continued"].format(sheet=name, n=part)
        return self.wb.add_worksheet(name, worksheet_class=TableSheet)

    def level_text(self, level: int) -> str:
        """A risk level's symbol and short label ("○ Acceptable")."""
        return f"{self.symbols[level]} {self.language.labels['risk']['short_levels'][level]}"

    # Cell makers: each turns a table value into its cell (value, format), None for an empty one.

    def text_writer(self, fmt: Any = None) -> ToCell:
        """Text from the returns, cleaned (:func:`~medrisk_xl.core.textsafe.clean_text`)."""
        fmt = fmt or self.text

        def cell(value: Any) -> Cell | None:
            if value.__class__ is str:  # most values
                text = clean(value)
            elif is_blank(value):
                return None
            else:
                text = clean(str(value))
            return (text, fmt) if text else None

        return cell

    def content_writer(self, fmt: Any = None) -> ToCell:
        """The content pack's own texts (checked by ``content check``): line breaks kept."""
        fmt = fmt or self.text

        def cell(value: Any) -> Cell | None:
            if value.__class__ is str:  # most values
                return (value, fmt) if value else None
            if not is_blank(value) and value:
                return str(value), fmt
            return None

        return cell

    def number_writer(self, fmt: Any = None) -> ToCell:
        """A number; anything else as text."""
        fmt = fmt or self.number
        text = self.text_writer()

        def cell(value: Any) -> Cell | None:
            if is_number(value):
                return value, fmt
            return text(value)

        return cell

    def date_writer(self) -> ToCell:
        """A date (or datetime) as a spreadsheet date in the language's date format; else text."""
        text = self.text_writer()

        def cell(value: Any) -> Cell | None:
            if isinstance(value, dt.datetime):
                return value, self.date
            if isinstance(value, dt.date):
                return dt.datetime.combine(value, dt.time()), self.date
            return text(value)

        return cell

    def time_writer(self) -> ToCell:
        """A moment given as ISO text (a UTC one ends in Z) as a spreadsheet date and time, in local
        time and the language's format; else text."""
        text = self.text_writer()

        def cell(value: Any) -> Cell | None:
            moment = local_moment(value)
            return text(value) if moment is None else (moment, self.time)

        return cell

    def level_writer(self, axis: str) -> ToCell:
        """A level 1-3 as its number, shown with its symbol and colour; anything else as text."""
        formats = self.level[axis]
        text = self.text_writer()

        def cell(value: Any) -> Cell | None:
            if is_number(value) and value in formats:
                return int(value), formats[int(value)]
            return text(value)

        return cell

    def label_writer(self, labels: dict[str, str], formats: dict[str, Any] | None = None) -> ToCell:
        """A code (status, severity...) written as its label; an unknown code as itself."""
        formats = formats or {}

        def cell(value: Any) -> Cell | None:
            if not is_blank(value):
                code = str(value)
                return clean(labels.get(code, code)), formats.get(code, self.text)
            return None

        return cell

    def bool_writer(self) -> ToCell:
        """A flag as the language's yes or no; anything else as text."""
        yes, no = self.ui["yes"], self.ui["no"]
        text = self.text_writer()

        def cell(value: Any) -> Cell | None:
            if isinstance(value, (bool, np.bool_)):
                return (yes if value else no), self.text
            return text(value)

        return cell

    def answer_writer(self) -> ToCell:
        """A vulnerability answer label; "don't know" shaded, as in the department workbooks."""
        unknown = self.unknown_label

        def cell(value: Any) -> Cell | None:
            if not is_blank(value):
                text = clean(str(value))
                if text:
                    return text, self.unknown if text == unknown else self.text
            return None

        return cell
