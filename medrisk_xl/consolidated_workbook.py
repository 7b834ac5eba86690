"""The consolidated workbook (OUT.xlsx): the prioritised map of a campaign's device fleet.

Sheets, in the consolidation's language (texts from ui.yaml ``consolidated``): summary (devices
by risk level, department and site, campaign completion, the 3×3 matrix, two native charts and
the top 10), register, action plan, campaign follow-up (with a manifest) and problems; then a very
hidden ``_meta`` sheet (:class:`PlanMeta`) that lets ``actions import`` read the action plan back.

Figures of record are values, never formulas. Text from the returns is always written as text,
cleaned by :func:`clean_text`, so a designation ``=HYPERLINK(...)`` stays inert. The workbook is
written in XlsxWriter's constant-memory mode, so every sheet is written top to bottom; a table
longer than a sheet continues on "<sheet> (2)", "<sheet> (3)"... The file is written beside its
destination and moved into place, so an existing OUT is replaced whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from medrisk_xl import __version__
from medrisk_xl.atomic import atomic_write
from medrisk_xl.consolidation_tables import (
    ACTION_COLUMNS,
    ACTION_STATUS_CODES,
    CARRIED_COLUMNS,
    CRITERIA,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    IDENTITY_COLUMNS,
    ITEMS,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)
from medrisk_xl.pack import ContentPack, Language
from medrisk_xl.textsafe import clean_text
from medrisk_xl.workbook.lists import item_actions_text, status_texts, theme_actions_text
from medrisk_xl.workbook.printing import footer_text, setup_reading_print
from medrisk_xl.workbook.styles import Styles, level_number_format
from medrisk_xl.workbook.text import fit_height

MAX_ROWS = 1_048_576  # rows of a sheet in Excel and LibreOffice (tests lower it)
LEVELS = (1, 2, 3)
ACTION_LEVELS = (2, 3)  # moderate and strong risk get an action plan
TOP = 10
COMPLETION_KEYS = ("complete", "to_confirm", "incomplete", "invalid", "not_started")
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))  # due dates accepted
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
    "message": 80,
    "summary_label": 40,
    "summary_cell": 16,
}
CHART_COL = 8  # summary charts start in column I
SUMMARY_ONE_PAGE = 75  # rows of a summary printed on one page
NOTE = {"x_scale": 3.0, "y_scale": 1.6, "author": "medrisk-xl"}

Writer = Callable[[Worksheet, int, int, Any], None]

META_SHEET = "_meta"
PLAN_KIND = "medrisk-xl consolidated workbook"
PLAN_SCHEMA_VERSION = 1  # of what _meta and the action plan promise to actions import
PLAN_CODE_ROW = 1  # 1-based: the action sheets' code row; the headers below it, the rows after


class PlanMeta:
    """Keys of the ``_meta`` key/value pairs (column A; values in column B, all text)."""

    KIND = "kind"  # PLAN_KIND
    SCHEMA_VERSION = "plan_schema_version"
    GENERATOR = "generator"  # the medrisk-xl version that wrote the workbook
    CAMPAIGN = "campaign"
    LANGUAGE = "language"
    CONTENT_ID = "content_id"
    CONTENT_VERSION = "content_version"
    CONTENT_HASH = "content_hash"
    ACTION_SHEETS = "action_sheets"  # JSON list: the action plan and its continuations
    CODE_ROW = "code_row"
    ACTION_STATUS = "action_status"  # JSON list: the status dropdown's texts, in ACTION_STATUS_CODES order
    ACTION_SOURCE = "action_source"  # JSON mapping: the "source" column's templates (plan, item)


@dataclass(frozen=True)
class Column:
    """One column of a written table: code, human header, width and how a value is written."""

    code: str
    header: str
    width: float
    write: Writer
    note: str | None = None  # the header's cell note
    fmt: Any = None  # format of the whole column (cells left for the team to fill)


def write_consolidated(result: Consolidation, path: Path, pack: ContentPack) -> None:
    """Write the consolidated workbook of ``result`` to ``path`` (atomically)."""
    path = Path(path)
    language = pack.language(result.language)
    atomic_write(path, lambda tmp: _build(result, tmp, pack, language))


def _build(result: Consolidation, path: Path, pack: ContentPack, language: Language) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book = Book(wb, pack, language, result.campaign)
    wb.set_properties(
        {
            "title": " — ".join(x for x in (book.ui["title"], result.campaign) if x),
            "subject": result.campaign or "",
            "author": "medrisk-xl",
            "comments": "Generated by medrisk-xl consolidate; method IDS213 (DOI 10.34746/ids213)",
        }
    )
    write_summary(book, result)
    write_register(book, result.register)
    action_sheets = write_actions(book, result.register, result.carried)
    if result.follow_up is not None:
        write_follow_up(book, result)
    write_problems(book, result.problems)
    write_meta(book, result, action_sheets)
    wb.close()


# Values ------------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    """None, NA, NaN and NaT are empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    return clean_text(text)[0]


# The workbook and its writers --------------------------------------------------------------------


class Book:
    """One consolidated workbook being written: its texts, formats and value writers."""

    def __init__(self, wb: xlsxwriter.Workbook, pack: ContentPack, language: Language, campaign: str | None):
        self.wb = wb
        self.pack = pack
        self.language = language
        self.ui: dict[str, Any] = language.ui["consolidated"]
        self.styles = Styles(wb, language)
        self.t = self.styles.t
        self.scope = campaign or self.ui["title"]
        self.symbols = {int(k): v["symbol"] for k, v in self.t["levels"].items()}
        self.statuses = {**status_texts(language), "not_started": language.status_label("empty")}
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
        self.unknown = fmt(bg_color=c["unknown_fill"], italic=True)
        self.total_label = fmt(bold=True, bg_color=c["group_fill"])
        self.total_number = fmt(bold=True, bg_color=c["group_fill"], align="center")
        self.total_percent = fmt(bold=True, bg_color=c["group_fill"], align="center", num_format="0.0%")
        lab = self.language.labels
        self.level: dict[str, dict[int, Any]] = {}
        for axis, labels in (
            ("criticality", lab["criticality"]["levels"]),
            ("vulnerability", lab["vulnerability"]["levels"]),
            ("risk", lab["risk"]["short_levels"]),
        ):
            number_format = level_number_format(labels)
            self.level[axis] = {
                n: fmt(
                    bg_color=v["fill"],
                    font_color=v["font"],
                    bold=axis == "risk",
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
        return self.wb.add_worksheet(name)

    def level_text(self, level: int) -> str:
        """A risk level's symbol and short label ("○ Acceptable")."""
        return f"{self.symbols[level]} {self.language.labels['risk']['short_levels'][level]}"

    # Writers: each writes one value at (row, col), nothing for an empty value.

    def text_writer(self, fmt: Any = None) -> Writer:
        fmt = fmt or self.text

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if not _blank(value):
                text = _clean(str(value))
                if text:
                    ws.write_string(r, c, text, fmt)

        return write

    def content_writer(self, fmt: Any = None) -> Writer:
        """The content pack's own texts (checked by ``content check``): line breaks kept."""
        fmt = fmt or self.text

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if not _blank(value) and value:
                ws.write_string(r, c, str(value), fmt)

        return write

    def number_writer(self, fmt: Any = None) -> Writer:
        fmt = fmt or self.number
        text = self.text_writer()

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if _number(value):
                ws.write_number(r, c, value, fmt)
            else:
                text(ws, r, c, value)

        return write

    def date_writer(self) -> Writer:
        """A date (or datetime) as a spreadsheet date in the language's date format; else text."""
        text = self.text_writer()

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, self.date)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), self.date)
            else:
                text(ws, r, c, value)

        return write

    def level_writer(self, axis: str) -> Writer:
        formats = self.level[axis]
        text = self.text_writer()

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if _number(value) and value in formats:
                ws.write_number(r, c, int(value), formats[int(value)])
            else:
                text(ws, r, c, value)

        return write

    def label_writer(self, labels: dict[str, str], formats: dict[str, Any] | None = None) -> Writer:
        """A code (status, severity...) written as its label; an unknown code as itself."""
        formats = formats or {}

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if not _blank(value):
                code = str(value)
                ws.write_string(r, c, _clean(labels.get(code, code)), formats.get(code, self.text))

        return write

    def bool_writer(self) -> Writer:
        yes, no = self.ui["yes"], self.ui["no"]
        text = self.text_writer()

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if isinstance(value, (bool, np.bool_)):
                ws.write_string(r, c, yes if value else no, self.text)
            else:
                text(ws, r, c, value)

        return write

    def answer_writer(self) -> Writer:
        """A vulnerability answer label; "don't know" shaded, as in the department workbooks."""
        unknown = self.unknown_label

        def write(ws: Worksheet, r: int, c: int, value: Any) -> None:
            if not _blank(value):
                text = _clean(str(value))
                if text:
                    ws.write_string(r, c, text, self.unknown if text == unknown else self.text)

        return write


# Tables ------------------------------------------------------------------------------------------


def _head(book: Book, ws: Worksheet, r: int, columns: Sequence[Column], code_row: bool) -> int:
    """Column widths, the code row (optional) and the header row from row ``r``; returns the
    first data row."""
    t = book.t
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width, col.fmt)
    if code_row:
        ws.set_row(r, t["heights"]["code"])
        for c, col in enumerate(columns):
            ws.write_string(r, c, col.code, book.styles.code)
        r += 1
    cells = [(col.header, col.width) for col in columns]
    ws.set_row(r, fit_height(cells, t["wrap"]["header_chars_per_width"], t["heights"]["header_min"]))
    for c, col in enumerate(columns):
        ws.write_string(r, c, col.header, book.styles.header)
        if col.note:
            ws.write_comment(r, c, col.note, NOTE)
    return r + 1


def _rows(
    ws: Worksheet,
    r: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    limit: int | None = None,
    height: Callable[[Sequence[Any]], float] | None = None,
) -> tuple[int, Sequence[Any] | None]:
    """Write ``rows`` from row ``r`` until ``limit``; returns the next row and the first row that did
    not fit (None when all did). A row shorter than the columns leaves the last ones empty;
    ``height(row)`` sets each row's height."""
    writers = [col.write for col in columns]
    for row in rows:
        if limit is not None and r >= limit:
            return r, row
        if height:
            ws.set_row(r, height(row))
        for c, value in enumerate(row):
            writers[c](ws, r, c, value)
        r += 1
    return r, None


def write_table(
    book: Book,
    key: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    code_row: bool = False,
    freeze_cols: int = 0,
    finish: Callable[[Worksheet, int, int], None] | None = None,
    height: Callable[[Sequence[Any]], float] | None = None,
) -> list[Worksheet]:
    """A sheet holding one table (filters, frozen header), continued on further sheets past the
    row limit. ``finish(ws, first, last)`` completes each sheet (data rows ``first..last``)."""
    rows = iter(rows)
    sheets: list[Worksheet] = []
    pending: Sequence[Any] | None = None
    while True:
        ws = book.sheet(key, len(sheets) + 1)
        sheets.append(ws)
        top = _head(book, ws, 0, columns, code_row)
        source = rows if pending is None else itertools.chain([pending], rows)  # never closes rows
        r, pending = _rows(ws, top, columns, source, MAX_ROWS, height)
        ws.freeze_panes(top, freeze_cols)
        ws.autofilter(top - 1, 0, max(top - 1, r - 1), len(columns) - 1)
        if finish:
            finish(ws, top, r - 1)
        if pending is None:
            return sheets


def _print_wide(book: Book, ws: Worksheet, header_rows: int) -> None:
    """A wide table printed as the department input sheet: landscape A4 at a readable fixed scale,
    several pages wide, header rows and the first two columns on every page."""
    p = book.t["print"]
    ws.set_paper(p["paper"])
    ws.set_landscape()
    m = p["margins"]
    ws.set_margins(left=m["left"], right=m["right"], top=m["top"], bottom=m["bottom"])
    ws.set_footer(footer_text(book.scope), {"margin": p["footer_margin"]})
    ws.set_print_scale(p["input"]["scale"])
    ws.print_across()
    ws.repeat_rows(0, header_rows - 1)
    ws.repeat_columns(0, p["input"]["repeat_columns"] - 1)


def _print_fitted(book: Book, ws: Worksheet, header_rows: int) -> None:
    """A table fitted to one page wide, its header on every page."""
    setup_reading_print(ws, book.scope, "reading")
    ws.repeat_rows(0, header_rows - 1)


# Register ----------------------------------------------------------------------------------------


def register_columns(book: Book) -> list[Column]:
    """Every register column, in the register's order, with its header and writer."""
    return [_register_column(book, code) for code in REGISTER_COLUMNS]


def _register_column(book: Book, code: str) -> Column:
    ui, lang, widths = book.ui, book.language, book.t["widths"]
    headers, templates = ui["columns"], ui["answer_columns"]
    if code in IDENTITY_COLUMNS:
        width = {"device_id": widths["ID"], "designation": widths["DESIGNATION"]}.get(
            code, widths["identity"]
        )
        return Column(code, headers[code], width, book.text_writer())
    if code in CRITERIA:
        short = lang.labels["criticality"]["criteria"][code]["short"]
        header = templates["criterion"].format(code=code, short=short)
        return Column(code, header, WIDTHS["criterion"], book.number_writer(), lang.title(code))
    if code in ITEMS:
        header = templates["item"].format(code=code)
        return Column(code, header, WIDTHS["item"], book.number_writer(), lang.title(code))
    item = code.removesuffix("_answer")
    if item in ITEMS:
        header = templates["answer"].format(code=item)
        return Column(code, header, widths["vulnerability"], book.answer_writer(), lang.title(item))
    axis = {"criticality_level": "criticality", "vulnerability_level": "vulnerability", "risk_level": "risk"}
    if code in axis:
        return Column(code, headers[code], widths["level"], book.level_writer(axis[code]))
    kinds: dict[str, tuple[float, Writer]] = {
        "criticality_score": (widths["score"], book.number_writer()),
        "vulnerability_score": (widths["score"], book.number_writer()),
        "status": (widths["status"], book.label_writer(book.statuses)),
        "source_file": (WIDTHS["file"], book.text_writer()),
        "priority": (WIDTHS["number"], book.number_writer()),
        "ce_class": (widths["identity"], book.text_writer()),
        "unknown_items": (WIDTHS["items"], book.text_writer()),
        "non_compliant_items": (WIDTHS["items"], book.text_writer()),
        "type_assessment": (WIDTHS["items"], book.text_writer()),
        "added": (WIDTHS["flag"], book.bool_writer()),
        "included": (WIDTHS["flag"], book.bool_writer()),
        "sheet": (WIDTHS["sheet"], book.text_writer()),
        "row": (WIDTHS["item"], book.number_writer()),
    }
    width, writer = kinds[code]
    return Column(code, headers[code], width, writer)


def _table_rows(df: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``df`` (``columns`` in order) as plain Python values."""
    return zip(*(df[c].tolist() for c in columns))


def write_register(book: Book, register: pd.DataFrame) -> None:
    """One row per device in the register's (priority) order, a code row above the headers."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        _print_wide(book, ws, first)

    write_table(
        book,
        "register",
        register_columns(book),
        _table_rows(register, REGISTER_COLUMNS),
        code_row=True,
        freeze_cols=2,
        finish=finish,
    )


# Action plan -------------------------------------------------------------------------------------


def action_columns(book: Book) -> list[Column]:
    """Device, level, reference, source, topic and actions; then owner, due date and status for
    the team, and what the history carried into the row."""
    widths = book.t["widths"]
    answer = book.styles.answer  # the cells the team fills: white, bordered, as in the returns
    specs: dict[str, tuple[float, Writer, Any]] = {
        "device_id": (widths["ID"], book.text_writer(), None),
        "department": (widths["identity"], book.text_writer(), None),
        "designation": (widths["identity"] + 8, book.text_writer(book.wrap), None),
        "risk_level": (widths["level"], book.level_writer("risk"), None),
        "ref": (WIDTHS["ref"], book.content_writer(), None),
        "source": (WIDTHS["source"], book.content_writer(), None),
        "topic": (WIDTHS["topic"], book.content_writer(book.wrap), None),
        "action": (WIDTHS["action"], book.content_writer(book.wrap), None),
        "owner": (WIDTHS["owner"], book.text_writer(answer), answer),
        "due": (WIDTHS["due"], book.date_writer(), book.date),
        "status": (WIDTHS["owner"], book.text_writer(answer), answer),
        "follow_up": (WIDTHS["change"], book.text_writer(book.wrap), None),
    }
    headers = book.ui["action_columns"]
    return [Column(code, headers[code], *specs[code][:2], fmt=specs[code][2]) for code in ACTION_COLUMNS]


Action = tuple[str, str, str, str]  # ref, source, topic, actions (one per line)


def level_plan_actions(language: Language, source: str) -> dict[int, list[Action]]:
    """Each level's plan, one entry per theme that has actions at that level; ``source`` is the
    ``action_source.plan`` template ("Level {level} plan")."""
    out: dict[int, list[Action]] = {}
    for level in ACTION_LEVELS:
        out[level] = [
            (theme, source.format(level=level), question, theme_actions_text(language, level, theme))
            for theme, question in language.actions["themes"].items()
            if language.actions["plans"][level]["themes"].get(theme)
        ]
    return out


def vulnerability_item_actions(language: Language, source: str) -> dict[str, Action]:
    """Each vulnerability item's point to settle and specific actions; ``source`` is the
    ``action_source.item`` template ("Item {code}")."""
    return {
        code: (code, source.format(code=code), language.title(code), item_actions_text(language, code))
        for code in language.actions["items"]
    }


def plan_actions(book: Book) -> dict[int, list[Action]]:
    """Each level's plan, in the workbook's language."""
    return level_plan_actions(book.language, book.ui["action_source"]["plan"])


def item_actions(book: Book) -> dict[str, Action]:
    """Each vulnerability item's actions, in the workbook's language."""
    return vulnerability_item_actions(book.language, book.ui["action_source"]["item"])


def _item_codes(value: Any) -> list[str]:
    """ "V2, V5" -> ["V2", "V5"]."""
    if _blank(value):
        return []
    return [code.strip() for code in str(value).split(",") if code.strip()]


def plan_rows(
    language: Language, register: pd.DataFrame, sources: dict[str, str]
) -> Iterator[tuple[Any, ...]]:
    """The identity part of every action row (``ACTION_IDENTITY_COLUMNS``), as the workbook writes
    it: for every included device at moderate or strong risk, in register order, a row per theme
    of its level's plan, then a row per non-compliant or unknown item. ``sources`` is the
    ``action_source`` templates. ``actions import`` reads a plan back against these rows."""
    plans = level_plan_actions(language, sources["plan"])
    items = vulnerability_item_actions(language, sources["item"])
    included = register["included"].astype(bool)
    chosen = register[included & register["risk_level"].isin(ACTION_LEVELS).fillna(False)]
    columns = ("device_id", "department", "designation", "risk_level", "non_compliant_items")
    for device, department, designation, level, non_compliant in _table_rows(chosen, columns):
        head = (device, department, designation, int(level))
        for action in plans[int(level)]:
            yield head + action
        for code in _item_codes(non_compliant):
            if code in items:
                yield head + items[code]


def _carried_by_key(book: Book, carried: pd.DataFrame | None) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(device_id, ref) -> owner, due, status label and follow-up text to pre-fill."""
    if carried is None or not len(carried):
        return {}
    labels = dict(zip(ACTION_STATUS_CODES, book.ui["action_status"]))
    texts = book.ui["action_follow_up"]
    out = {}
    for device, ref, owner, due, status, follow_up, origin in _table_rows(carried, CARRIED_COLUMNS):
        text = None if _blank(follow_up) else texts[follow_up].format(campaign=origin)
        status_label = None if _blank(status) else labels.get(status)
        out[(device, ref)] = (owner, due, status_label, text)
    return out


def action_rows(
    book: Book, register: pd.DataFrame, carried: pd.DataFrame | None = None
) -> Iterator[tuple[Any, ...]]:
    """For every included device at moderate or strong risk, in register order: a row per theme
    of its level's plan, then a row per non-compliant or unknown item; owner, due date, status and
    follow-up pre-filled from ``carried`` (``Consolidation.carried``), empty otherwise."""
    prefill = _carried_by_key(book, carried)
    for row in plan_rows(book.language, register, book.ui["action_source"]):
        extra = prefill.get((row[0], row[4]))
        yield row + extra if extra else row


def action_heights(book: Book, columns: Sequence[Column]) -> dict[tuple[str, str], float]:
    """The height of each action row, by (source, ref): its topic and actions wrapped.

    LibreOffice does not fit row heights to wrapped text on opening; they are computed once per
    plan theme and item, not per row."""
    widths = {col.code: col.width for col in columns}
    entries = [*itertools.chain(*plan_actions(book).values()), *item_actions(book).values()]
    chars = book.t["wrap"]["body_chars_per_width"]
    return {
        (source, ref): fit_height([(topic, widths["topic"]), (text, widths["action"])], chars)
        for ref, source, topic, text in entries
    }


def write_actions(book: Book, register: pd.DataFrame, carried: pd.DataFrame | None = None) -> list[str]:
    """The action plan: a row per plan theme and per non-compliant item of every device at
    moderate or strong risk, with owner, due date and status left to fill (or pre-filled from
    ``carried``); a code row above the headers, as in the register, for reading the plan back.
    Returns the names of its sheets."""
    columns = action_columns(book)
    index = {col.code: i for i, col in enumerate(columns)}
    heights = action_heights(book, columns)
    ref, source = index["ref"], index["source"]

    def height(row: Sequence[Any]) -> float:
        return heights[(row[source], row[ref])]

    def finish(ws: Worksheet, first: int, last: int) -> None:
        last = max(first, last)
        status = book.ui["action_status"]
        ws.data_validation(
            first, index["status"], last, index["status"], {"validate": "list", "source": status}
        )
        ws.data_validation(
            first,
            index["due"],
            last,
            index["due"],
            {"validate": "date", "criteria": "between", "minimum": DATE_RANGE[0], "maximum": DATE_RANGE[1]},
        )
        _print_fitted(book, ws, first)

    sheets = write_table(
        book,
        "actions",
        columns,
        action_rows(book, register, carried),
        code_row=True,
        freeze_cols=1,
        finish=finish,
        height=height,
    )
    return [ws.get_name() for ws in sheets]


# The very hidden _meta sheet -------------------------------------------------------------------------


def write_meta(book: Book, result: Consolidation, action_sheets: Sequence[str]) -> None:
    """Key/value pairs (columns A:B) that let ``actions import`` read the action plan back: which
    campaign, language and content it belongs to, where its rows are, and the status texts its
    dropdown offered (mapped back to ``ACTION_STATUS_CODES`` by position). Very hidden."""
    pack, ui = book.pack, book.ui
    pairs = {
        PlanMeta.KIND: PLAN_KIND,
        PlanMeta.SCHEMA_VERSION: str(PLAN_SCHEMA_VERSION),
        PlanMeta.GENERATOR: __version__,
        PlanMeta.CAMPAIGN: result.campaign or "",
        PlanMeta.LANGUAGE: book.language.code,
        PlanMeta.CONTENT_ID: pack.method.id,
        PlanMeta.CONTENT_VERSION: pack.method.version,
        PlanMeta.CONTENT_HASH: pack.hash,
        PlanMeta.ACTION_SHEETS: json.dumps(list(action_sheets), ensure_ascii=False),
        PlanMeta.CODE_ROW: str(PLAN_CODE_ROW),
        PlanMeta.ACTION_STATUS: json.dumps(list(ui["action_status"]), ensure_ascii=False),
        PlanMeta.ACTION_SOURCE: json.dumps(dict(ui["action_source"]), ensure_ascii=False),
    }
    ws = book.wb.add_worksheet(META_SHEET)
    for r, (key, value) in enumerate(pairs.items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.very_hidden()


# Follow-up and problems --------------------------------------------------------------------------


def follow_up_columns(book: Book) -> list[Column]:
    h, widths = book.ui["follow_up_columns"], book.t["widths"]
    flag = book.bool_writer()
    return [
        Column("department", h["department"], WIDTHS["file"], book.text_writer()),
        Column("expected", h["expected"], WIDTHS["flag"], flag),
        Column("returned", h["returned"], WIDTHS["flag"], flag),
        Column("valid", h["valid"], WIDTHS["flag"], flag),
        Column("devices_expected", h["devices_expected"], widths["score"], book.number_writer()),
        Column("devices_returned", h["devices_returned"], widths["score"], book.number_writer()),
        Column("completion", h["completion"], widths["score"], book.number_writer(book.percent)),
    ]


def file_columns(book: Book) -> list[Column]:
    h, widths = book.ui["file_columns"], book.t["widths"]
    flag = book.bool_writer()
    texts = {
        "file": (WIDTHS["file"], book.text_writer()),
        "campaign": (widths["identity"], book.text_writer()),
        "department": (widths["identity"], book.text_writer()),
        "status": (widths["identity"], book.label_writer(book.ui["file_status"], book.file_status)),
        "used": (WIDTHS["flag"], flag),
        "superseded_by": (WIDTHS["file"], book.text_writer()),
        "saved": (widths["level"], book.text_writer()),
    }
    return [
        Column(code, h[code], *texts[code])
        if code in texts
        else Column(code, h[code], WIDTHS["number"], book.number_writer())
        for code in FILE_COLUMNS
    ]


def device_follow_up_columns(book: Book) -> list[Column]:
    h, widths = book.ui["follow_up_device_columns"], book.t["widths"]
    kinds: dict[str, tuple[float, Writer]] = {
        "device_id": (widths["ID"], book.text_writer()),
        "department": (widths["identity"], book.text_writer()),
        "designation": (widths["identity"] + 8, book.text_writer()),
        "change": (WIDTHS["change"], book.label_writer(book.ui["device_change"])),
        "source_file": (WIDTHS["file"], book.text_writer()),
    }
    return [Column(code, h[code], *kinds[code]) for code in FOLLOW_UP_DEVICE_COLUMNS]


def write_follow_up(book: Book, result: Consolidation) -> None:
    """Per department of the manifest: expected, returned, valid and completion; the files
    received; then the expected devices missing and the devices added."""
    ws = book.sheet("follow_up")
    ui = book.ui["follow_up"]
    tables = [
        (ui["departments"], follow_up_columns(book), _table_rows(result.follow_up, FOLLOW_UP_COLUMNS)),
        (ui["files"], file_columns(book), _table_rows(result.files, FILE_COLUMNS)),
    ]
    if result.follow_up_devices is not None:
        devices = _table_rows(result.follow_up_devices, FOLLOW_UP_DEVICE_COLUMNS)
        tables.append((ui["devices"], device_follow_up_columns(book), devices))
    r, top = 0, None
    for i, (title, columns, rows) in enumerate(tables):
        ws.write_string(r, 0, title, book.styles.subtitle)
        first = _head(book, ws, r + 1, columns, code_row=False)
        top = top or first
        r, _ = _rows(ws, first, columns, rows)
        if i == 0:  # one autofilter per sheet: the departments
            ws.autofilter(first - 1, 0, max(first - 1, r - 1), len(columns) - 1)
        r += 1
    for c in range(max(len(cols) for _, cols, _ in tables)):  # _head set each table's own widths
        ws.set_column(c, c, max(cols[c].width for _, cols, _ in tables if c < len(cols)))
    ws.freeze_panes(top, 1)
    setup_reading_print(ws, book.scope, "reading")


def problem_columns(book: Book) -> list[Column]:
    h, widths = book.ui["problem_columns"], book.t["widths"]
    kinds: dict[str, tuple[float, Writer]] = {
        "file": (WIDTHS["file"], book.text_writer()),
        "code": (widths["identity"] + 4, book.text_writer()),
        "severity": (widths["identity"], book.label_writer(book.ui["severity"], book.severity)),
        "sheet": (WIDTHS["sheet"], book.text_writer()),
        "cell": (WIDTHS["item"], book.text_writer()),
        "row": (WIDTHS["item"], book.number_writer()),
        "device_id": (widths["ID"], book.text_writer()),
        "message": (WIDTHS["message"], book.text_writer()),
    }
    return [Column(code, h[code], *kinds[code]) for code in PROBLEM_COLUMNS]


def write_problems(book: Book, problems: pd.DataFrame) -> None:
    """Every problem of every file, its severity coloured."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        _print_fitted(book, ws, first)

    columns = problem_columns(book)
    write_table(
        book, "problems", columns, _table_rows(problems, PROBLEM_COLUMNS), freeze_cols=0, finish=finish
    )


# Summary -----------------------------------------------------------------------------------------

Cell = tuple[Any, Any]  # (value, format): a text, a number or None (left empty)
TOP_COLUMNS = (
    "designation",
    "device_id",
    "department",
    "risk_level",
    "criticality_score",
    "vulnerability_score",
    "priority",
)


def _cells(ws: Worksheet, r: int, cells: Sequence[Cell], first_col: int = 0) -> None:
    """Write one row of summary cells: numbers as numbers, texts as text."""
    for c, (value, fmt) in enumerate(cells, start=first_col):
        if _number(value):
            ws.write_number(r, c, value, fmt)
        elif not _blank(value):
            ws.write_string(r, c, _clean(str(value)), fmt)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _head_cells(book: Book, ws: Worksheet, r: int, title: str, headers: Sequence[Cell]) -> int:
    """A block's title and header row; returns the first data row."""
    ws.write_string(r, 0, title, book.styles.subtitle)
    _summary_header(book, ws, r + 1, headers)
    return r + 2


def _summary_header(book: Book, ws: Worksheet, r: int, headers: Sequence[Cell]) -> None:
    """A header row of the summary, as tall as its longest header needs."""
    widths = [WIDTHS["summary_label"]] + [WIDTHS["summary_cell"]] * (len(headers) - 1)
    cells = [(str(text), width) for (text, _), width in zip(headers, widths)]
    ws.set_row(r, fit_height(cells, book.t["wrap"]["header_chars_per_width"]))
    _cells(ws, r, headers)


def _summary_by_risk(book: Book, ws: Worksheet, r: int, register: pd.DataFrame) -> tuple[int, int]:
    """Devices by risk level (counts, shares of the map) and the register's other devices;
    returns the next row and the first level row (the pie chart's data)."""
    ui, st = book.ui["summary"], book.styles
    head = st.table_head
    r = _head_cells(
        book, ws, r, ui["by_risk"], [(ui["level"], head), (ui["devices"], head), (ui["share"], head)]
    )
    included = register["included"].astype(bool)
    scored = included & register["risk_level"].notna()
    counts = register.loc[scored, "risk_level"].astype(int).value_counts()
    n_scored = int(scored.sum())
    first = r
    for level in LEVELS:
        n = int(counts.get(level, 0))
        _cells(
            ws,
            r,
            [
                (book.level_text(level), st.level_label[level]),
                (n, book.number),
                (_share(n, n_scored), book.percent),
            ],
        )
        r += 1
    rows = [
        [
            (ui["scored"], book.total_label),
            (n_scored, book.total_number),
            (_share(n_scored, n_scored), book.total_percent),
        ],
        [(ui["not_scored"], book.wrap), (int((included & ~scored).sum()), book.number), (None, book.number)],
        [(ui["excluded"], book.wrap), (int((~included).sum()), book.number), (None, book.number)],
        [(ui["register"], book.total_label), (len(register), book.total_number), (None, book.total_number)],
    ]
    for cells in rows:
        _cells(ws, r, cells)
        r += 1
    return r, first


def _summary_accounting(book: Book, ws: Worksheet, r: int, accounting: dict[str, Any]) -> int:
    """How many rows and files came in, and where each went (``Consolidation.accounting``)."""
    figures = [(key, value) for key, value in accounting.items() if _number(value)]
    if not figures:
        return r
    ws.write_string(r, 0, book.ui["summary"]["accounting"], book.styles.subtitle)
    labels = book.ui["accounting"]
    for key, value in figures:
        r += 1
        _cells(ws, r, [(labels.get(key, key), book.wrap), (value, book.number)])
    return r + 2


def group_counts(register: pd.DataFrame, key: str, unspecified: str) -> dict[str, list[int]]:
    """Per value of ``key`` (department or site): devices at risk 1, 2, 3, then unscored."""
    scored = (register["included"].astype(bool) & register["risk_level"].notna()).tolist()
    out: dict[str, list[int]] = {}
    for name, level, ok in zip(register[key].tolist(), register["risk_level"].tolist(), scored):
        label = unspecified if _blank(name) or not _clean(str(name)) else _clean(str(name))
        counts = out.setdefault(label, [0, 0, 0, 0])
        counts[int(level) - 1 if ok else 3] += 1
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == unspecified, kv[0].casefold(), kv[0])))


def _summary_groups(
    book: Book, ws: Worksheet, r: int, register: pd.DataFrame, key: str
) -> tuple[int, tuple[int, int, int] | None]:
    """A group × risk level table with totals and shares of the register; returns the next row and
    (header row, first row, last row) of its groups (None when there is none)."""
    ui, st = book.ui["summary"], book.styles
    head = st.table_head
    title = ui["by_department"] if key == "department" else ui["by_site"]
    headers = [
        (ui[key], head),
        *((book.level_text(level), st.level_label[level]) for level in LEVELS),
        (ui["unscored"], head),
        (ui["total"], head),
        (ui["share"], head),
    ]
    r = _head_cells(book, ws, r, title, headers)
    counts = group_counts(register, key, ui["unspecified"])
    whole = len(register)
    first = r
    for name, row in counts.items():
        _cells(
            ws,
            r,
            [
                (name, book.wrap),
                *((n, book.number) for n in row),
                (sum(row), book.number),
                (_share(sum(row), whole), book.percent),
            ],
        )
        r += 1
    span = (first - 1, first, r - 1) if counts else None
    totals = [sum(row[i] for row in counts.values()) for i in range(4)]
    total_cells = [(n, book.total_number) for n in totals]
    _cells(
        ws,
        r,
        [
            (ui["total"], book.total_label),
            *total_cells,
            (whole, book.total_number),
            (_share(whole, whole), book.total_percent),
        ],
    )
    return r + 2, span


def completion_counts(files: pd.DataFrame) -> dict[str, int]:
    """Device rows of the workbooks used, by status."""
    used = files[files["used"].astype(bool)] if len(files) else files
    return {key: int(pd.to_numeric(used[key], errors="coerce").fillna(0).sum()) for key in COMPLETION_KEYS}


def _summary_completion(book: Book, ws: Worksheet, r: int, files: pd.DataFrame) -> int:
    """Campaign completion: the device rows of the workbooks used, by status."""
    ui, head = book.ui["summary"], book.styles.table_head
    r = _head_cells(
        book, ws, r, ui["completion"], [(ui["status"], head), (ui["devices"], head), (ui["share"], head)]
    )
    counts = completion_counts(files)
    total = sum(counts.values())
    for key, n in counts.items():
        _cells(ws, r, [(book.statuses[key], book.wrap), (n, book.number), (_share(n, total), book.percent)])
        r += 1
    _cells(
        ws,
        r,
        [
            (ui["total"], book.total_label),
            (total, book.total_number),
            (_share(total, total), book.total_percent),
        ],
    )
    return r + 2


def matrix_counts(scored: pd.DataFrame) -> dict[tuple[int, int], int]:
    """(vulnerability level, criticality level) -> devices of the map."""
    pairs = zip(scored["vulnerability_level"].tolist(), scored["criticality_level"].tolist())
    out = {(v, c): 0 for v in LEVELS for c in LEVELS}
    for v, c in pairs:
        if not _blank(v) and not _blank(c):
            out[(int(v), int(c))] += 1
    return out


def _summary_matrix(book: Book, ws: Worksheet, r: int, scored: pd.DataFrame) -> int:
    """The 3×3 matrix (vulnerability 3→1 down, criticality 1→3 across), each cell coloured by its
    risk level and showing its symbol."""
    st, lab, mx = book.styles, book.language.labels, book.language.ui["matrix"]
    ws.write_string(r, 0, book.ui["summary"]["matrix"], st.subtitle)
    r += 1
    ws.set_row(r, 32)
    heads = [(f"{mx['rows']} ↓   {mx['cols']} →", st.cell_label)]
    heads += [
        (f"{lab['criticality']['short']} {c} – {lab['criticality']['levels'][c]}", st.cell_label)
        for c in LEVELS
    ]
    _cells(ws, r, heads)
    counts = matrix_counts(scored)
    risk = book.pack.method.risk_level
    for v in (3, 2, 1):
        r += 1
        ws.set_row(r, 30)
        label = f"{lab['vulnerability']['short']} {v} – {lab['vulnerability']['levels'][v]}"
        _cells(ws, r, [(label, st.cell_label), *((counts[(v, c)], st.level_box[risk(v, c)]) for c in LEVELS)])
    return r + 2


def _summary_top(book: Book, ws: Worksheet, r: int, top: pd.DataFrame) -> int:
    """The first devices of the map, in priority order."""
    columns = [_register_column(book, code) for code in TOP_COLUMNS]
    ws.write_string(r, 0, book.ui["summary"]["top"], book.styles.subtitle)
    _summary_header(book, ws, r + 1, [(col.header, book.styles.table_head) for col in columns])
    r, _ = _rows(ws, r + 2, columns, _table_rows(top, TOP_COLUMNS))
    return r + 1


def _department_chart(book: Book, name: str, span: tuple[int, int, int]) -> Any:
    """Stacked columns: devices per department by risk level (the summary's department table)."""
    header, first, last = span
    chart = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    for level in LEVELS:
        colours = book.t["levels"][level]
        chart.add_series(
            {
                "name": [name, header, level],
                "categories": [name, first, 0, last, 0],
                "values": [name, first, level, last, level],
                "fill": {"color": colours["fill"]},
                "border": {"color": colours["font"]},
                "gap": 60,
            }
        )
    chart.set_title({"name": book.ui["summary"]["chart_departments"], "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_size({"width": min(1400, max(620, 200 + 50 * (last - first + 1))), "height": 340})
    return chart


def _risk_chart(book: Book, name: str, first: int) -> Any:
    """Pie: devices of the map by risk level (the summary's risk table)."""
    chart = book.wb.add_chart({"type": "pie"})
    levels = book.t["levels"]
    chart.add_series(
        {
            "name": book.ui["summary"]["chart_risk"],
            "categories": [name, first, 0, first + len(LEVELS) - 1, 0],
            "values": [name, first, 1, first + len(LEVELS) - 1, 1],
            "points": [
                {"fill": {"color": levels[n]["fill"]}, "border": {"color": levels[n]["font"]}} for n in LEVELS
            ],
            "data_labels": {"value": True, "percentage": True, "separator": "\n"},
        }
    )
    chart.set_title({"name": book.ui["summary"]["chart_risk"], "name_font": {"size": 12}})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 620, "height": 340})
    return chart


def write_summary(book: Book, result: Consolidation) -> None:
    """The summary sheet, top to bottom, with its two charts on the right."""
    ws = book.sheet("summary")
    name = ws.get_name()
    st, ui = book.styles, book.ui["summary"]
    ws.set_column(0, 0, WIDTHS["summary_label"])
    ws.set_column(1, CHART_COL - 2, WIDTHS["summary_cell"])
    ws.set_row(0, 26)
    ws.write_string(0, 0, book.ui["title"], st.title)
    if result.campaign:
        _cells(ws, 1, [(ui["campaign"], st.bold), (result.campaign, st.plain)])
    r, risk_first = _summary_by_risk(book, ws, 3, result.register)
    r = _summary_accounting(book, ws, r + 1, result.accounting)
    r, departments = _summary_groups(book, ws, r, result.register, "department")
    r, _ = _summary_groups(book, ws, r, result.register, "site")
    r = _summary_completion(book, ws, r, result.files)
    r = _summary_matrix(book, ws, r, result.scored)
    r = _summary_top(book, ws, r, result.scored.head(TOP))
    if departments:
        ws.insert_chart(3, CHART_COL, _department_chart(book, name, departments))
    ws.insert_chart(3, CHART_COL, _risk_chart(book, name, risk_first), {"y_offset": 360})
    # One page when it fits at a readable scale (a few departments), else one page wide.
    setup_reading_print(ws, book.scope, "matrix" if r <= SUMMARY_ONE_PAGE else "reading")
    ws.activate()
