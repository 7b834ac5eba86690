"""The input sheet (grid layout): one row per device, dropdowns, formulas, colours."""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.method.pack import ContentPack, Language, Method
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import (
    answer_points_of,
    invalid_answer_rule,
    result_formulas,
    status_rule,
    unknown_answer_rule,
)
from medrisk_xl.workbook.lists import Lists
from medrisk_xl.workbook.questions import result_codes
from medrisk_xl.workbook.shown import RowView, shown_values, view_matches, view_row
from medrisk_xl.workbook.write.input_dropdowns import add_dropdowns
from medrisk_xl.workbook.write.input_layout import (
    R0,
    InputLayout,
    device_status_labels,
    device_texts,
    has_device_status,
    review_texts,
)
from medrisk_xl.workbook.write.input_screen import (
    chosen_zoom,
    column_options,
    grouped_identity,
    hide_code_row,
    screen,
)
from medrisk_xl.workbook.write.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.write.printing import setup_input_print
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import clipped, fit_height

TITLE_PT, GROUP_PT = 24, 20  # heights of the title row and of the column groups' row


def span(ws, row: int, first_col: int, last_col: int, text: str, fmt) -> None:
    """Write ``text`` across columns first..last (merged when more than one)."""
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, text, fmt)
    else:
        ws.write_string(row, first_col, text, fmt)


def write_identity(ws, r: int, col: int, row: SheetRow, code: str, styles: Styles) -> None:
    """An identity cell: text (a number for :data:`contract.NUMBER_FIELDS`), locked except on
    the free rows (editable there)."""
    value = row.identity.get(code, "")
    fmt = styles.spare_identity if row.spare else styles.identity
    if value and code in contract.NUMBER_FIELDS:
        ws.write_number(r, col, int(value), fmt)
    elif value:
        ws.write_string(r, col, value, fmt)
    else:
        ws.write_blank(r, col, None, fmt)


# Formulas of a device row are made once for this row and copied to every row: only the row
# number changes (and it appears nowhere else in them: the list sheet has a few dozen rows).
TEMPLATE_ROW = 1_048_575  # 0-based: Excel's last row, never a device row
TEMPLATE_REF = str(TEMPLATE_ROW + 1)


def row_formulas(layout: InputLayout, lists: Lists, m: Method, row: int, free: bool) -> dict[str, str]:
    """Every formula of one device row (points helpers and results), by column code."""
    terms = layout.terms(row, m.codes, m.items, free)
    out = {contract.points_code(c): answer_points_of(c, terms.answers[c], lists) for c in m.codes}
    cell = {code: layout.cell(row, code) for code in contract.result_codes(bool(m.items))}
    return out | result_formulas(cell, terms, lists, len(m.codes))


NOTE_SHAPE = {"x_scale": 3.2, "y_scale": 2.6, "author": "medrisk-xl"}  # a cell note's size


def prefilled_codes(plan: WorkbookPlan, pack: ContentPack) -> tuple[str, ...]:
    """Answers that the generator pre-filled on at least one row (C1 from the CE class, items a
    manufacturer's MDS2 form settles by design)."""
    return tuple(c for c in pack.method.codes if any(c in row.answers for row in plan.rows))


def make_layout(plan: WorkbookPlan, pack: ContentPack) -> InputLayout:
    """The columns of the input sheet of ``plan``, drawn with ``pack`` as the workbook asks it
    (:func:`medrisk_xl.workbook.questions.asked_pack`)."""
    m = pack.method
    prefill = prefilled_codes(plan, pack)
    language = pack.language(plan.language)
    review = [contract.REVIEW_CODE] if plan.previous else []
    # One row per device: where the department says a device is gone (packs with its texts).
    if plan.device_status and has_device_status(plan.per, plan.layout, language.ui):
        review += [contract.DEVICE_STATUS_CODE, contract.DEVICE_NOTE_CODE]
    codes = [c for c, _ in plan.identity] + list(m.codes) + review + list(result_codes(pack))
    codes += [contract.points_code(c) for c in m.codes] + [contract.prefill_code(c) for c in prefill]
    codes += [contract.CARRIED_COUNT_CODE] if plan.previous else []
    done = tuple(codes)
    return InputLayout(
        done, len(plan.rows), prefill, review_texts(done, language), device_texts(done, language)
    )


def row_view(
    row: SheetRow,
    pack: ContentPack,
    language: Language,
    form: bool = False,
    reviews: bool = False,
) -> RowView:
    """What a row (or a ``form``: never a free row) shows as written: its pre-filled answers, or
    what ``row.filled`` holds; ``reviews``: the row has a REVIEWED cell (year two)."""
    has_id, free = bool(row.identity.get("ID")), row.spare and not form
    if row.filled is not None:
        return view_row(row.filled, pack, language, row.answers, free, has_id, reviews, bool(row.carried))
    reviewed = False if reviews else None
    return view_matches(dict(row.answers), pack, row.answers, free, has_id, reviewed, bool(row.carried))


def write_answer(ws, r: int, col: int, row: SheetRow, code: str, language: Language, fmt) -> None:
    """An answer cell: its pre-filled label, or what ``row.filled`` holds (text as text)."""
    if row.filled is not None:
        write_filled(ws, r, col, row.filled.get(code), fmt)
    elif code in row.answers:
        ws.write_string(r, col, language.answer_labels(code)[row.answers[code]], fmt)
    else:
        ws.write_blank(r, col, None, fmt)


def write_filled(ws, r: int, col: int, value: object, fmt) -> None:
    """A value a test fills an input cell with: a number as a number, nothing as a blank cell,
    anything else as text (never a formula)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, col, value, fmt)
    elif value is None:
        ws.write_blank(r, col, None, fmt)
    else:
        ws.write_string(r, col, str(value), fmt)


# What a department may still do on a protected table sheet (input sheet, risk register).
TABLE_PROTECTION = {
    "format_columns": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def colour_levels(ws, styles: Styles, first: int, last: int, cols: list[int]) -> None:
    """Level cells (1-3) of rows first..last coloured by level (their number format adds the
    symbol, so colour is not the only signal)."""
    for col in cols:
        for level, fmt in styles.level_fill.items():
            ws.conditional_format(
                first, col, last, col, {"type": "cell", "criteria": "==", "value": level, "format": fmt}
            )


def mark_invalid(ws, styles: Styles, first: int, last: int, helpers: dict[int, str]) -> None:
    """Answer columns (col -> the first row's points or rank helper) shown red when they hold a
    value outside their list."""
    for col, helper in helpers.items():
        rule = invalid_answer_rule(helper)
        ws.conditional_format(
            first, col, last, col, {"type": "formula", "criteria": rule, "format": styles.invalid}
        )


def write_input_sheet(
    ws,
    plan: WorkbookPlan,
    pack: ContentPack,
    language: Language,
    lists: Lists,
    styles: Styles,
    layout: InputLayout,
) -> list[RowView]:
    """Write the input sheet; return what every row shows as shipped."""
    return InputSheetWriter(ws, plan, pack, language, lists, styles, layout).write()


class InputSheetWriter:
    """Writes the input sheet part after part; holds what the parts share (sheet, plan, method,
    texts, formats, layout)."""

    def __init__(
        self,
        ws,
        plan: WorkbookPlan,
        pack: ContentPack,
        language: Language,
        lists: Lists,
        styles: Styles,
        layout: InputLayout,
    ) -> None:
        self.ws = ws
        self.plan = plan
        self.pack = pack
        self.m = pack.method
        self.language = language
        self.ui = language.ui
        self.lists = lists
        self.styles = styles
        self.t = styles.t
        self.layout = layout
        self.n_id = len(plan.identity)
        self.grouped = grouped_identity(layout.codes, self.n_id)[0]
        self.widths: dict[int, float] = {}  # visible column -> width, as written
        self.header_pt = 0.0
        self.vuln_first = layout.col(self.m.items[0]) if self.m.items else None

    def write(self) -> list[RowView]:
        """The whole sheet, protected; what every row shows as shipped."""
        scope = self.plan.scope or self.plan.campaign
        self.write_groups(scope)
        self.write_headers()
        views = self.write_rows()
        first, last = self.layout.first_row, self.layout.last_row
        self.add_dropdowns(first, last)
        self.add_colours(first, last)
        ws = self.ws
        ws.freeze_panes(contract.HEADER_ROW, min(2, self.n_id))
        ws.set_zoom(self.zoom())
        ws.autofilter(contract.HEADER_ROW - 1, 0, last, self.layout.last_visible)
        devices = sum(not row.spare for row in self.plan.rows)
        setup_input_print(ws, scope, self.layout, self.n_id, devices)
        ws.protect(self.plan.password, TABLE_PROTECTION)
        return views

    def zoom(self) -> int:
        """The zoom that shows enough rows and answer columns on a common screen
        (:func:`.input_screen.chosen_zoom`)."""
        shown = [w for col, w in self.widths.items() if col < self.n_id and col not in self.grouped]
        answers = [self.widths[self.layout.col(c)] for c in self.m.codes]
        frozen = TITLE_PT + GROUP_PT + self.header_pt
        return chosen_zoom(frozen, self.t["heights"]["row"], shown + answers[: screen()["answer_columns"]])

    def write_groups(self, scope: str) -> None:
        """The title, then the row of column groups: identity, criticality groups, vulnerability, results."""
        ws, m, styles, language, layout = self.ws, self.m, self.styles, self.language, self.layout
        ws.write_string(0, 0, self.ui["input"]["title"].format(department=scope), styles.title)
        ws.set_row(0, TITLE_PT)
        span(ws, 1, 0, self.n_id - 1, self.ui["groups"]["identity"], styles.group)
        crit_short = language.labels["criticality"]["short"]
        for group, members in m.groups:
            a, b = layout.col(members[0]), layout.col(members[-1])
            text = f"{crit_short} — {language.labels['criticality']['groups'][group]}"
            span(ws, 1, a, b, text, styles.group)
        if self.vuln_first is not None:
            ws.merge_range(
                1,
                self.vuln_first,
                1,
                self.vuln_first + len(m.items) - 1,
                language.labels["vulnerability"]["title"],
                styles.group,
            )
        results_first = layout.col(contract.RESULT_CODES[0])
        ws.merge_range(1, results_first, 1, layout.last_visible, self.ui["groups"]["results"], styles.group)
        ws.set_row(1, GROUP_PT)

    def write_headers(self) -> None:
        """The code row (hidden) and the human header row (each question's whole text and help in
        its note); the column widths, the identity columns past the first few grouped and
        collapsed, and the header row high enough for its wrapped texts (at most a few lines)."""
        ws, styles, t = self.ws, self.styles, self.t
        hide_code_row(ws, t["heights"]["code"])
        per_width, max_lines = t["wrap"]["header_chars_per_width"], t["heights"]["header_lines"]
        after = grouped_identity(self.layout.codes, self.n_id)[1]
        header_cells: list[tuple[str, float]] = []  # (text, column width) of the visible headers
        for col, code in enumerate(self.layout.codes):
            ws.write_string(contract.CODE_ROW - 1, col, code, styles.code)
            if col > self.layout.last_visible:
                self.write_helper_header(col, code)
                continue
            header, width = self.header_of(code)
            header = clipped(header, width * per_width, max_lines)
            ws.write_string(contract.HEADER_ROW - 1, col, header, styles.header)
            if code in self.m.codes:
                note = f"{self.language.title(code)}\n\n{self.language.short_help(code)}"
                ws.write_comment(contract.HEADER_ROW - 1, col, note, NOTE_SHAPE)
            ws.set_column(col, col, width, None, column_options(col, self.grouped, after))
            self.widths[col] = width
            header_cells.append((header, width))
        self.header_pt = fit_height(header_cells, per_width, t["heights"]["header_min"])
        ws.set_row(contract.HEADER_ROW - 1, self.header_pt)

    def write_helper_header(self, col: int, code: str) -> None:
        """A hidden helper column's header: points, pre-filled points, carried answers."""
        answer, _, _ = code.rpartition("_")
        key = "points_header" if code == contract.points_code(answer) else "prefill_header"
        text = self.ui["input"][key].format(code=answer)
        if code == contract.CARRIED_COUNT_CODE:
            text = f"{self.ui['prefill']['review']['header']} (n)"
        self.ws.write_string(contract.HEADER_ROW - 1, col, text, self.styles.header)
        self.ws.set_column(col, col, self.t["widths"]["score"], None, {"hidden": True})

    def header_of(self, code: str) -> tuple[str, float]:
        """Header text (whole) and column width of a visible column."""
        labels, widths = self.language.labels, self.t["widths"]
        if code in self.m.criterion_codes:
            return f"{code} – {labels['criticality']['criteria'][code]['short']}", widths["answer"]
        if code in self.m.codes:
            return f"{code} – {self.language.title(code)}", widths["vulnerability"]
        return self.result_or_identity_header(code)

    def result_or_identity_header(self, code: str) -> tuple[str, float]:
        """Header text and column width of a result or identity column."""
        widths = self.t["widths"]
        if code == contract.REVIEW_CODE:
            return self.language.ui["prefill"]["review"]["header"], widths["status"]
        if code in (contract.DEVICE_STATUS_CODE, contract.DEVICE_NOTE_CODE):
            texts = self.language.ui["device_status"]
            key = "header" if code == contract.DEVICE_STATUS_CODE else "note_header"
            return texts[key], widths["status"]
        if code in contract.RESULT_CODES:
            if code == "STATUS":
                width = widths["status"]
            elif code in contract.LEVEL_CODES:
                width = widths["level"]
            else:
                width = widths["score"]
            return self.ui["results"][code], width
        return dict(self.plan.identity)[code], widths.get(code, widths["identity"])

    def write_rows(self) -> list[RowView]:
        """Every device row: identity, answers, formulas with their cached values, pre-filled points."""
        ws, m, styles, layout = self.ws, self.m, self.styles, self.layout
        formats = {
            "CRIT_SCORE": styles.score,
            "VULN_SCORE": styles.score,
            "CRIT_LEVEL": styles.crit_level,
            "VULN_LEVEL": styles.vuln_level,
            "RISK_LEVEL": styles.risk_level,
            "STATUS": styles.status,
        }
        views = []
        templates = {free: row_formulas(layout, self.lists, m, TEMPLATE_ROW, free) for free in (False, True)}
        row_height = self.t["heights"]["row"]
        for i, row in enumerate(self.plan.rows):
            r = R0 + i
            ws.set_row(r, row_height)
            for col, (code, _) in enumerate(self.plan.identity):
                write_identity(ws, r, col, row, code, styles)
            for code in m.codes:
                fmt = styles.answer_format(row, code, self.plan.lock_prefilled, m.criterion_codes)
                write_answer(ws, r, layout.col(code), row, code, self.language, fmt)
                if code in row.notes:
                    ws.write_comment(r, layout.col(code), row.notes[code], NOTE_SHAPE)
            if self.layout.review:
                value = (row.filled or {}).get(contract.REVIEW_CODE)
                write_filled(ws, r, layout.col(contract.REVIEW_CODE), value, styles.answer)
                ws.write_number(r, layout.col(contract.CARRIED_COUNT_CODE), len(row.carried), styles.score)
            if self.layout.device:
                self.write_device_status(r, row)
            view = row_view(row, self.pack, self.language, reviews=bool(self.layout.review))
            views.append(view)
            cached = shown_values(view, self.pack, self.language)
            for code, formula in templates[row.spare].items():
                fmt = formats.get(code, styles.score)
                ws.write_formula(
                    r, layout.col(code), formula.replace(TEMPLATE_REF, str(r + 1)), fmt, cached[code]
                )
            self.write_prefilled_points(r, row)
        return views

    def write_device_status(self, r: int, row: SheetRow) -> None:
        """The device status ("present" on a device row, as the department found it otherwise)
        and its comment, both editable."""
        ws, layout, styles = self.ws, self.layout, self.styles
        present = None if row.spare else device_status_labels(self.language)[0]
        filled = row.filled if row.filled is not None else {contract.DEVICE_STATUS_CODE: present}
        for code in (contract.DEVICE_STATUS_CODE, contract.DEVICE_NOTE_CODE):
            write_filled(ws, r, layout.col(code), filled.get(code), styles.answer)

    def write_prefilled_points(self, r: int, row: SheetRow) -> None:
        """The hidden points of each pre-filled answer (blank where the row has none)."""
        for code in self.layout.prefill:
            col = self.layout.col(contract.prefill_code(code))
            if code in row.answers:
                self.ws.write_number(r, col, self.m.answer_points(code)[row.answers[code]], self.styles.score)
            else:
                self.ws.write_blank(r, col, None, self.styles.score)

    def add_dropdowns(self, first: int, last: int) -> None:
        """Every dropdown of the device rows (:func:`.input_dropdowns.add_dropdowns`)."""
        add_dropdowns(self.ws, self.layout, self.lists, self.m.codes, self.language, (first, last))

    def add_colours(self, first: int, last: int) -> None:
        """Colours of levels, invalid and unknown answers, and status (plus symbols in the number
        formats, so colour is not the only signal)."""
        ws, m, styles, layout = self.ws, self.m, self.styles, self.layout
        levels = [layout.col(code) for code in contract.LEVEL_CODES if code in layout.codes]
        colour_levels(ws, styles, first, last, levels)
        mark_invalid(
            ws,
            styles,
            first,
            last,
            {layout.col(c): layout.cell(first, contract.points_code(c)) for c in m.codes},
        )
        if self.vuln_first is not None:
            v_top = xl_rowcol_to_cell(first, self.vuln_first)
            ws.conditional_format(
                first,
                self.vuln_first,
                last,
                self.vuln_first + len(m.items) - 1,
                {"type": "formula", "criteria": unknown_answer_rule(v_top), "format": styles.unknown},
            )
        status_col = layout.col("STATUS")
        s_top = xl_rowcol_to_cell(first, status_col, col_abs=True)
        for key, fmt in (
            ("invalid", styles.invalid),
            ("to_confirm", styles.level_fill[2]),
            ("complete", styles.level_fill[1]),
        ):
            ws.conditional_format(
                first,
                status_col,
                last,
                status_col,
                {"type": "formula", "criteria": status_rule(s_top, key), "format": fmt},
            )
