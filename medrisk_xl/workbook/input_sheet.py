"""The input sheet (grid layout): one row per device, dropdowns, formulas, colours."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from medrisk_xl.pack import ContentPack, Language
from medrisk_xl.scorer import Result, score_indexes
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import RowRefs, invalid_answer_rule, row_formulas
from medrisk_xl.workbook.lists import Lists, status_texts
from medrisk_xl.workbook.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.styles import Styles

R0 = contract.FIRST_ROW - 1  # 0-based first device row


@dataclass(frozen=True)
class InputLayout:
    """Columns of the input sheet (0-based) and its device rows."""

    codes: tuple[str, ...]  # column codes, in order
    n_rows: int

    def col(self, code: str) -> int:
        return self.codes.index(code)

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


def span(ws, row: int, first_col: int, last_col: int, text: str, fmt) -> None:
    """Write ``text`` across columns first..last (merged when more than one)."""
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, text, fmt)
    else:
        ws.write_string(row, first_col, text, fmt)


def write_identity(ws, r: int, col: int, row: SheetRow, code: str, styles: Styles) -> None:
    """An identity cell: always text, locked except on the free rows (editable there)."""
    value = row.identity.get(code, "")
    fmt = styles.spare_identity if row.spare else styles.identity
    if value:
        ws.write_string(r, col, value, fmt)
    else:
        ws.write_blank(r, col, None, fmt)


def make_layout(plan: WorkbookPlan, pack: ContentPack) -> InputLayout:
    codes = [c for c, _ in plan.identity] + list(pack.method.codes) + list(contract.RESULT_CODES)
    return InputLayout(tuple(codes), len(plan.rows))


def cached_values(result: Result, texts: dict[str, str]) -> dict[str, object]:
    """What each computed cell shows for ``result`` (written as the formula's cached value)."""
    blank = ""
    return {
        "CRIT_SCORE": result.criticality_score if result.criticality_score is not None else blank,
        "CRIT_LEVEL": result.criticality_level or blank,
        "VULN_SCORE": result.vulnerability_score if result.vulnerability_score is not None else blank,
        "VULN_LEVEL": result.vulnerability_level or blank,
        "RISK_LEVEL": result.risk_level or blank,
        "STATUS": texts[result.status],
    }


def write_input_sheet(
    ws,
    plan: WorkbookPlan,
    pack: ContentPack,
    language: Language,
    lists: Lists,
    styles: Styles,
    layout: InputLayout,
) -> list[Result]:
    """Write the input sheet; return the scorer's result for every row as shipped."""
    m = pack.method
    t = styles.t
    ui = language.ui
    widths = t["widths"]
    headers = dict(plan.identity)
    n_id = len(plan.identity)
    crit_first, vuln_first = layout.col(m.criteria[0].code), layout.col(m.items[0])
    results_first = layout.col(contract.RESULT_CODES[0])

    # Title, groups, code row, human header.
    scope = plan.scope or plan.campaign
    ws.write_string(0, 0, ui["input"]["title"].format(department=scope), styles.title)
    ws.set_row(0, 24)
    span(ws, 1, 0, n_id - 1, ui["groups"]["identity"], styles.group)
    crit_short = language.labels["criticality"]["short"]
    for group, members in m.groups:
        a, b = layout.col(members[0]), layout.col(members[-1])
        text = f"{crit_short} — {language.labels['criticality']['groups'][group]}"
        span(ws, 1, a, b, text, styles.group)
    ws.merge_range(
        1,
        vuln_first,
        1,
        vuln_first + len(m.items) - 1,
        language.labels["vulnerability"]["title"],
        styles.group,
    )
    ws.merge_range(1, results_first, 1, len(layout.codes) - 1, ui["groups"]["results"], styles.group)
    ws.set_row(1, 20)
    ws.set_row(contract.CODE_ROW - 1, t["heights"]["code"])
    ws.set_row(contract.HEADER_ROW - 1, t["heights"]["header"])
    for col, code in enumerate(layout.codes):
        ws.write_string(contract.CODE_ROW - 1, col, code, styles.code)
        if code in m.codes:
            header = (
                f"{code} – {language.labels['criticality']['criteria'][code]['short']}"
                if code in m.criterion_codes
                else f"{code} – {language.title(code)}"
            )
            ws.write_string(contract.HEADER_ROW - 1, col, header, styles.header)
            ws.write_comment(
                contract.HEADER_ROW - 1,
                col,
                f"{language.title(code)}\n\n{language.short_help(code)}",
                {"x_scale": 3.2, "y_scale": 2.6, "author": "medrisk-xl"},
            )
            width = widths["answer"] if code in m.criterion_codes else widths["vulnerability"]
        elif code in contract.RESULT_CODES:
            ws.write_string(contract.HEADER_ROW - 1, col, ui["results"][code], styles.header)
            width = (
                widths["status"]
                if code == "STATUS"
                else widths["level"]
                if code in contract.LEVEL_CODES
                else widths["score"]
            )
        else:
            ws.write_string(contract.HEADER_ROW - 1, col, headers[code], styles.header)
            width = widths.get(code, widths["identity"])
        ws.set_column(col, col, width)

    # Device rows.
    texts = status_texts(language)
    result_cols = {code: layout.col(code) for code in contract.RESULT_CODES}
    formats = {
        "CRIT_SCORE": styles.score,
        "VULN_SCORE": styles.score,
        "CRIT_LEVEL": styles.crit_level,
        "VULN_LEVEL": styles.vuln_level,
        "RISK_LEVEL": styles.risk_level,
        "STATUS": styles.status,
    }
    results = []
    row_height = t["heights"]["row"]
    for i, row in enumerate(plan.rows):
        r = R0 + i
        ws.set_row(r, row_height)
        for col, (code, _) in enumerate(plan.identity):
            write_identity(ws, r, col, row, code, styles)
        for code in m.codes:
            col = layout.col(code)
            if code in row.answers:
                ws.write_string(r, col, language.answer_labels(code)[row.answers[code]], styles.answer)
            else:
                ws.write_blank(r, col, None, styles.answer)
        result = score_indexes(row.answers, pack)
        results.append(result)
        refs = RowRefs(
            r,
            crit_first,
            crit_first + len(m.criteria) - 1,
            vuln_first,
            vuln_first + len(m.items) - 1,
            result_cols,
        )
        cached = cached_values(result, texts)
        for code, formula in row_formulas(refs, lists, len(m.codes)).items():
            ws.write_formula(r, result_cols[code], formula, formats[code], cached[code])

    first, last = layout.first_row, layout.last_row
    # Dropdowns on every answer cell.
    for code in m.codes:
        col = layout.col(code)
        ws.data_validation(
            first,
            col,
            last,
            col,
            {
                "validate": "list",
                "source": "=" + lists.labels_of(code),
                "input_title": ui["input"]["input_title"],
                "input_message": ui["input"]["input_message"],
                "error_title": ui["input"]["error_title"],
                "error_message": ui["input"]["error_message"],
                "error_type": "stop",
            },
        )
    # Colours (plus symbols in the number formats, so colour is not the only signal).
    for code in contract.LEVEL_CODES:
        col = layout.col(code)
        for level, fmt in styles.level_fill.items():
            ws.conditional_format(
                first, col, last, col, {"type": "cell", "criteria": "==", "value": level, "format": fmt}
            )
    for code in m.codes:
        col = layout.col(code)
        top = xl_rowcol_to_cell(first, col)
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "formula", "criteria": invalid_answer_rule(top, lists, code), "format": styles.invalid},
        )
    v_top = xl_rowcol_to_cell(first, vuln_first)
    ws.conditional_format(
        first,
        vuln_first,
        last,
        vuln_first + len(m.items) - 1,
        {"type": "formula", "criteria": f"=EXACT({v_top},{lists.unknown})", "format": styles.unknown},
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
            {"type": "formula", "criteria": f"={s_top}={lists.status(key)}", "format": fmt},
        )

    ws.freeze_panes(contract.HEADER_ROW, min(2, n_id))
    ws.autofilter(contract.HEADER_ROW - 1, 0, last, len(layout.codes) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(contract.HEADER_ROW - 1)
    ws.protect(
        plan.password,
        {
            "format_columns": True,
            "autofilter": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )
    return results
