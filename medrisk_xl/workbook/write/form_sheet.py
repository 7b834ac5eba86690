"""The form layout: one questionnaire sheet per device, as in the seed's single-device view.

Contract: column A of a form sheet holds a code on every coded row (``ID``, identity codes,
``C1``..``C9``, ``V1``..``V10``, the result codes); column G holds that row's value (identity
text, the answer chosen from the dropdown, or the computed result); column H the answer's points.

Layout: question B, its four options C..F (wrapped), answer G, points H, and the question's short
help in a row of its own under it (merged B..H). Texts wider than one column (intro, help, plan,
item actions) are merged up to H, the last printed column, so a form prints one landscape A4 page
wide at a readable scale; every row is as tall as its longest wrapped text (``text.fit_height``).
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.scorer import Result
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import (
    chosen_option_rule,
    form_formulas,
    invalid_answer_rule,
    item_actions,
    plan_text,
    position_marker,
    seed_proposal,
)
from medrisk_xl.workbook.lists import Lists, RegisterLists, item_actions_text, seed_text, status_texts
from medrisk_xl.workbook.shown import SCORED, shown_values
from medrisk_xl.workbook.write.input_sheet import NOTE_SHAPE, row_view, write_answer, write_identity
from medrisk_xl.workbook.write.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.write.printing import setup_form_print
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import LINE_HEIGHT, fit_height

CODE_COL, VALUE_COL = contract.FORM_CODE_COL, contract.FORM_VALUE_COL
POINTS_COL, PREFILL_COL = contract.FORM_POINTS_COL, contract.FORM_PREFILL_COL
LABEL_COL, FIRST_OPTION_COL = 1, 2  # the question, then its four options
LAST_COL = POINTS_COL  # the last printed column: merged texts end here
SEED_SUFFIX = contract.SEED_SUFFIX


def write_form(
    ws,
    plan: WorkbookPlan,
    row: SheetRow,
    pack: ContentPack,
    language: Language,
    lists: Lists,
    styles: Styles,
    rl: RegisterLists | None = None,
) -> Result:
    """Write one form sheet; return the scorer's result for the form as shipped. With ``rl`` (the
    workbook has a risk register), each non-compliant item also shows the register row it
    proposes (rows coded ``<item>_REGISTER``)."""
    form = FormWriter(ws, row, pack, language, lists, styles, plan.lock_prefilled)
    form.write_heading(plan)
    form.write_criticality()
    form.write_vulnerability()
    result = form.write_formulas()
    form.write_position()
    form.write_action_plan()
    form.write_item_actions(rl)
    setup_form_print(ws, plan.scope or plan.campaign, form.r - 1, LAST_COL)
    ws.protect(
        plan.password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
    return result


class FormWriter:
    """One form sheet written top to bottom: ``r`` is the next row to write, and the rows of the
    answers and results are remembered for the formulas written after the tables."""

    def __init__(
        self,
        ws,
        row: SheetRow,
        pack: ContentPack,
        language: Language,
        lists: Lists,
        styles: Styles,
        lock_prefilled: bool = False,
    ) -> None:
        self.ws, self.row, self.pack, self.language = ws, row, pack, language
        self.lock_prefilled = lock_prefilled
        self.lists, self.styles = lists, styles
        self.m = pack.method
        self.ui = language.ui["form"]
        self.lab = language.labels
        self.t = styles.t
        fw = self.t["widths"]["form"]
        widths = {CODE_COL: self.t["widths"]["form_code"], LABEL_COL: fw["question"], VALUE_COL: fw["answer"]}
        widths |= {FIRST_OPTION_COL + i: fw["option"] for i in range(4)} | {POINTS_COL: fw["points"]}
        self.widths: dict[int, float] = widths
        self.r = 0  # the next row to write
        self.answer_rows: dict[str, int] = {}  # answer code -> its row
        self.result_rows: dict[str, int] = {}  # result code -> its row
        self.formats: dict[str, object] = {}  # result code -> its cell format
        self.view = row_view(row, pack, language, form=True)
        self.result = self.view.result
        self.cell: dict[str, str] = {}  # result code -> absolute reference, once the formulas are written
        for col, width in widths.items():
            ws.set_column(col, col, width)
        ws.set_column(PREFILL_COL, PREFILL_COL, 8, None, {"hidden": True})  # pre-filled points (helper)

    def span(self, first: int, last: int = LAST_COL) -> float:
        """The width of columns first..last together."""
        return sum(self.widths[c] for c in range(first, last + 1))

    def fit(
        self,
        r: int,
        regular: Sequence[tuple[str, float]],
        bold: Sequence[tuple[str, float]] = (),
        minimum: float = 15.0,
    ) -> None:
        """Row ``r`` as tall as its longest wrapped (text, width) of 10 pt text, regular or bold."""
        height = max(
            fit_height(list(regular), self.t["wrap"]["body_chars_per_width"], minimum),
            fit_height(list(bold), self.t["wrap"]["header_chars_per_width"], minimum),
        )
        self.ws.set_row(r, height)

    def group(self, title: str, last: int = LAST_COL) -> None:
        """A group title row (merged from the question column), then the next row."""
        self.ws.merge_range(self.r, LABEL_COL, self.r, last, title, self.styles.group)
        self.r += 1

    def write_heading(self, plan: WorkbookPlan) -> None:
        """Title (the device), the introduction and the identity table."""
        ws, ui, styles, row = self.ws, self.ui, self.styles, self.row
        device = row.identity.get("DESIGNATION") or row.identity.get("ID") or ""
        title = ui["title"].format(device=device).rstrip(" —")
        ws.merge_range(0, LABEL_COL, 0, LAST_COL, title, styles.title_wrap)  # a long designation wraps
        zoom = 14 / self.t["font_size"]  # the title's size
        chars = self.t["wrap"]["header_chars_per_width"] / zoom
        ws.set_row(0, fit_height([(title, self.span(LABEL_COL))], chars, 24, LINE_HEIGHT * zoom))
        ws.merge_range(1, LABEL_COL, 1, LAST_COL, ui["intro"], styles.text)
        self.fit(1, [(ui["intro"], self.span(LABEL_COL))])
        self.r = 3
        self.group(ui["identity"], VALUE_COL)
        for code, header in plan.identity:
            r = self.r
            ws.write_string(r, CODE_COL, code, styles.code)
            ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, header, styles.table_head)
            write_identity(ws, r, VALUE_COL, row, code, styles)
            self.fit(
                r,
                [(row.identity.get(code, ""), self.widths[VALUE_COL])],
                [(header, self.span(LABEL_COL, VALUE_COL - 1))],
            )
            self.r += 1

    def answer_row(self, code: str, options: list[str], title: str) -> None:
        """The question's row (code, question, options, answer, points), then its help row."""
        ws, styles, widths, r = self.ws, self.styles, self.widths, self.r
        label = f"{code} – {title}"
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.write_string(r, LABEL_COL, label, styles.table_cell)
        for i in range(4):
            text = options[i] if i < len(options) else ""
            ws.write_string(r, FIRST_OPTION_COL + i, text, styles.table_cell)
        fmt = styles.answer_format(self.row, code, self.lock_prefilled, self.m.criterion_codes)
        write_answer(ws, r, VALUE_COL, self.row, code, self.language, fmt)
        if code in self.row.notes:
            ws.write_comment(r, VALUE_COL, self.row.notes[code], NOTE_SHAPE)
        # The chosen option turns bold; the answer cell may hold any option.
        chosen = [(o, widths[FIRST_OPTION_COL]) for o in options]
        self.fit(r, [(label, widths[LABEL_COL])] + [(o, widths[VALUE_COL]) for o in options], chosen)
        self.answer_rows[code] = r
        help_text = self.language.short_help(code)
        ws.merge_range(r + 1, LABEL_COL, r + 1, LAST_COL, help_text, styles.help)
        self.fit(r + 1, [(help_text, self.span(LABEL_COL) - 1)])  # less the help's indent
        self.r += 2

    def header_row(self, heads: list[str]) -> None:
        """A table's column headers, from the question column on."""
        for i, head in enumerate(heads):
            self.ws.write_string(self.r, LABEL_COL + i, head, self.styles.header)
        self.fit(self.r, [], [(head, self.widths[LABEL_COL + i]) for i, head in enumerate(heads)])
        self.r += 1

    def result_row(self, code: str, fmt) -> None:
        """A result's row: its code and label; its formula is written with the others."""
        ws, r = self.ws, self.r
        ws.write_string(r, CODE_COL, code, self.styles.code)
        label = self.language.ui["results"][code]
        ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, label, self.styles.table_head)
        if code == "STATUS":  # the longest status text shows whole
            self.fit(r, [(text, self.widths[VALUE_COL]) for text in status_texts(self.language).values()])
        self.result_rows[code] = r
        self.formats[code] = fmt
        self.r += 1

    def write_criticality(self) -> None:
        """The criticality table: criteria by group, then its score and level."""
        m, ui, language = self.m, self.ui, self.language
        self.r += 1
        self.group(self.lab["criticality"]["title"])
        same_points = len({c.points for c in m.criteria}) == 1
        heads = [ui["criterion"]]
        heads += [
            ui["option_points"].format(points=p) if same_points else ui["option"].format(n=i + 1)
            for i, p in enumerate(m.criteria[0].points)
        ]
        heads += [ui["answer"], ui["points"]]
        self.header_row(heads)
        for group, members in m.groups:
            self.ws.merge_range(
                self.r,
                LABEL_COL,
                self.r,
                LAST_COL,
                self.lab["criticality"]["groups"][group],
                self.styles.bold,
            )
            self.r += 1
            for code in members:
                self.answer_row(code, language.answer_labels(code), language.title(code))
        self.result_row("CRIT_SCORE", self.styles.score)
        self.result_row("CRIT_LEVEL", self.styles.crit_level)

    def write_vulnerability(self) -> None:
        """The vulnerability table (items), its score and level, then the risk level and status."""
        m, ui, styles = self.m, self.ui, self.styles
        self.r += 1
        self.group(self.lab["vulnerability"]["title"])
        vlabels = self.language.answer_labels(m.items[0])
        heads = [
            ui["statement"],
            *(f"{label} ({a.points})" for label, a in zip(vlabels, m.vuln_answers)),
            "",
            ui["answer"],
            ui["points"],
        ]
        self.header_row(heads)
        for code in m.items:
            self.answer_row(code, vlabels, self.language.title(code))
        self.result_row("VULN_SCORE", styles.score)
        self.result_row("VULN_LEVEL", styles.vuln_level)
        self.r += 1
        self.result_row("RISK_LEVEL", styles.risk_level)
        self.result_row("STATUS", styles.status)

    def write_formulas(self) -> Result:
        """Formulas: the points of every answer (with its dropdown and colours), then the results."""
        m, row, ws, styles = self.m, self.row, self.ws, self.styles
        cached = shown_values(self.view, self.pack, self.language)
        formulas = form_formulas(
            self.answer_rows, self.result_rows, self.lists, m.criterion_codes, m.items, tuple(row.answers)
        )
        for code, ar in self.answer_rows.items():
            helper = contract.points_code(code)
            ws.write_formula(ar, POINTS_COL, formulas[(ar, POINTS_COL)], styles.score, cached[helper])
            if code in row.answers:
                ws.write_number(ar, PREFILL_COL, m.answer_points(code)[row.answers[code]], styles.score)
            self.answer_checks(code, ar)
        self.cell = {
            code: xl_rowcol_to_cell(rr, VALUE_COL, True, True) for code, rr in self.result_rows.items()
        }
        for code, rr in self.result_rows.items():
            ws.write_formula(rr, VALUE_COL, formulas[(rr, VALUE_COL)], self.formats[code], cached[code])
        for code in contract.LEVEL_CODES:
            for level, fmt in styles.level_fill.items():
                rr = self.result_rows[code]
                ws.conditional_format(
                    rr,
                    VALUE_COL,
                    rr,
                    VALUE_COL,
                    {"type": "cell", "criteria": "==", "value": level, "format": fmt},
                )
        return self.result

    def answer_checks(self, code: str, ar: int) -> None:
        """The chosen option in bold, the answer's dropdown, and an invalid answer flagged."""
        ws, styles, ui = self.ws, self.styles, self.language.ui["input"]
        g = xl_rowcol_to_cell(ar, VALUE_COL, col_abs=True)
        h = xl_rowcol_to_cell(ar, POINTS_COL, col_abs=True)
        top = xl_rowcol_to_cell(ar, FIRST_OPTION_COL)
        ws.conditional_format(
            ar,
            FIRST_OPTION_COL,
            ar,
            FIRST_OPTION_COL + 3,
            {"type": "formula", "criteria": chosen_option_rule(top, g), "format": styles.chosen},
        )
        ws.data_validation(
            ar,
            VALUE_COL,
            ar,
            VALUE_COL,
            {
                "validate": "list",
                "source": "=" + self.lists.labels_of(code),
                "input_title": ui["input_title"],
                "input_message": ui["input_message"],
                "error_title": ui["error_title"],
                "error_message": ui["error_message"],
                "error_type": "stop",
            },
        )
        ws.conditional_format(
            ar,
            VALUE_COL,
            ar,
            VALUE_COL,
            {"type": "formula", "criteria": invalid_answer_rule(h), "format": styles.invalid},
        )

    def write_position(self) -> None:
        """The device's position in the risk matrix (a marker in its cell)."""
        ws, styles, lab, language, ui = self.ws, self.styles, self.lab, self.language, self.ui
        self.r += 1
        self.group(ui["position"], 4)
        r = self.r
        corner = f"{lab['vulnerability']['short']} ↓ / {lab['criticality']['short']} →"
        ws.write_string(r, LABEL_COL, corner, styles.cell_label)
        heads = [(corner, self.widths[LABEL_COL])]
        for c in (1, 2, 3):
            head = f"{c} – {language.level_label('criticality', c)}"
            ws.write_string(r, LABEL_COL + c, head, styles.cell_label)
            heads.append((head, self.widths[LABEL_COL + c]))
        self.fit(r, [], heads)
        here_now = (self.result.vulnerability_level, self.result.criticality_level)
        for v in (3, 2, 1):
            r += 1
            head = f"{v} – {language.level_label('vulnerability', v)}"
            ws.write_string(r, LABEL_COL, head, styles.cell_label)
            self.fit(r, [], [(head, self.widths[LABEL_COL])], minimum=26)
            for c in (1, 2, 3):
                here = position_marker(self.cell, v, c, ui["marker"])
                shown = ui["marker"] if self.view.status in SCORED and here_now == (v, c) else ""
                ws.write_formula(
                    r, LABEL_COL + c, here, styles.level_box_text[self.m.risk_level(v, c)], shown
                )
        self.r = r

    def write_action_plan(self) -> None:
        """The action plan that applies to the device's risk level: its title and summary."""
        ws, styles, lab, result = self.ws, self.styles, self.lab, self.result
        self.r += 2
        self.group(self.ui["plan"])
        r = self.r
        risk = self.cell["RISK_LEVEL"]
        plans = self.language.actions["plans"]
        plan_title = plans[result.risk_level] if self.view.status in SCORED else None
        ws.merge_range(r, LABEL_COL, r, LAST_COL, "", styles.bold_wrap)
        ws.write_formula(
            r,
            LABEL_COL,
            plan_text(risk, self.lists.plan_titles),
            styles.bold_wrap,
            f"{lab['risk']['levels'][result.risk_level]} — {plan_title['title']}" if plan_title else "",
        )
        # Each row as tall as the longest text any risk level shows there.
        titles = [(f"{lab['risk']['levels'][k]} — {plans[k]['title']}", self.span(LABEL_COL)) for k in plans]
        self.fit(r, [], titles)
        ws.merge_range(r + 1, LABEL_COL, r + 1, LAST_COL, "", styles.text)
        ws.write_formula(
            r + 1,
            LABEL_COL,
            plan_text(risk, self.lists.plan_summaries),
            styles.text,
            plan_title["summary"] if plan_title else "",
        )
        self.fit(r + 1, [(plans[k]["summary"], self.span(LABEL_COL)) for k in plans])
        self.r = r + 3

    def write_item_actions(self, rl: RegisterLists | None) -> None:
        """The actions of every non-compliant item, and with a register (``rl``) the register
        row each proposes."""
        lists, language = self.lists, self.language
        self.item_section(
            self.ui["items"],
            "_ACTIONS",
            lambda h, g, code: item_actions(h, g, lists, code),
            lambda code: item_actions_text(language, code),
        )
        if rl is not None:
            self.r += 1
            self.item_section(
                language.register["sheet"]["seed_section"],
                SEED_SUFFIX,
                lambda h, g, code: seed_proposal(h, g, lists, rl, code),
                lambda code: seed_text(self.pack, language, code),
            )

    def item_section(self, title: str, suffix: str, formula, text) -> None:
        """A group row ``title``, then per item: its label and what a non-compliant answer shows
        (``formula(points, answer, code)``, cached ``text(code)``); rows coded <item><suffix>."""
        ws, styles = self.ws, self.styles
        self.group(title)
        for code in self.m.items:
            r = self.r
            g = xl_rowcol_to_cell(self.answer_rows[code], VALUE_COL, True, True)
            h = xl_rowcol_to_cell(self.answer_rows[code], POINTS_COL, True, True)
            ws.write_string(r, CODE_COL, f"{code}{suffix}", styles.code)
            label = f"{code} – {self.language.title(code)}"
            ws.write_string(r, LABEL_COL, label, styles.table_cell)
            ws.merge_range(r, FIRST_OPTION_COL, r, LAST_COL, "", styles.table_cell)
            shown = text(code) if code in self.result.non_compliant_items else ""
            ws.write_formula(r, FIRST_OPTION_COL, formula(h, g, code), styles.table_cell, shown)
            self.fit(r, [(label, self.widths[LABEL_COL]), (text(code), self.span(FIRST_OPTION_COL))])
            self.r += 1
