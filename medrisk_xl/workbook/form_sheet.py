"""The form layout: one questionnaire sheet per device, as in the seed's single-device view.

Contract: column A of a form sheet holds a code on every coded row (``ID``, identity codes,
``C1``..``C9``, ``V1``..``V10``, the result codes); column G holds that row's value (identity
text, the answer chosen from the dropdown, or the computed result); column H the answer's points.
"""

from __future__ import annotations

import re

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.pack import ContentPack, Language
from medrisk_xl.scorer import Result, score_indexes
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import Terms, result_formulas
from medrisk_xl.workbook.input_sheet import cached_values, write_identity
from medrisk_xl.workbook.lists import Lists, item_actions_text, status_texts
from medrisk_xl.workbook.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.styles import Styles
from medrisk_xl.workbook.text import row_height

CODE_COL, LABEL_COL, FIRST_OPTION_COL, VALUE_COL, POINTS_COL, HELP_COL = 0, 1, 2, 6, 7, 8
_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def form_sheet_names(plan: WorkbookPlan, prefix: str, taken: set[str]) -> list[str]:
    """One unique, valid sheet name per form (device id when known, else a number)."""
    names = []
    for i, row in enumerate(plan.rows, start=1):
        ident = _FORBIDDEN.sub("_", row.identity.get("ID", "")).strip() or str(i)
        base = f"{prefix} {ident}"[:31]
        name, n = base, 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def write_form(
    ws, plan: WorkbookPlan, row: SheetRow, pack: ContentPack, language: Language, lists: Lists, styles: Styles
) -> Result:
    """Write one form sheet; return the scorer's result for the form as shipped."""
    m = pack.method
    ui = language.ui["form"]
    lab = language.labels
    texts = status_texts(language)
    for col, width in (
        (CODE_COL, 9),
        (LABEL_COL, 44),
        (2, 20),
        (3, 20),
        (4, 20),
        (5, 20),
        (VALUE_COL, 26),
        (POINTS_COL, 8),
        (HELP_COL, 70),
    ):
        ws.set_column(col, col, width)
    device = row.identity.get("DESIGNATION") or row.identity.get("ID") or ""
    ws.write_string(0, LABEL_COL, ui["title"].format(device=device).rstrip(" —"), styles.title)
    ws.set_row(0, 24)
    ws.merge_range(1, LABEL_COL, 1, HELP_COL, ui["intro"], styles.text)
    ws.set_row(1, row_height(ui["intro"], 200))
    r = 3
    ws.merge_range(r, LABEL_COL, r, VALUE_COL, ui["identity"], styles.group)
    r += 1
    for code, header in plan.identity:
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, header, styles.table_head)
        write_identity(ws, r, VALUE_COL, row, code, styles)
        r += 1

    answer_rows: dict[str, int] = {}

    def answer_row(code: str, options: list[str], title: str) -> None:
        nonlocal r
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.write_string(r, LABEL_COL, f"{code} – {title}", styles.table_cell)
        for i in range(4):
            text = options[i] if i < len(options) else ""
            ws.write_string(r, FIRST_OPTION_COL + i, text, styles.table_cell)
        if code in row.answers:
            ws.write_string(r, VALUE_COL, language.answer_labels(code)[row.answers[code]], styles.answer)
        else:
            ws.write_blank(r, VALUE_COL, None, styles.answer)
        ws.write_string(r, HELP_COL, language.short_help(code), styles.small)
        ws.set_row(r, max(row_height(language.short_help(code), 80, 30), row_height(title, 44)))
        answer_rows[code] = r
        r += 1

    # Criticality table.
    r += 1
    ws.merge_range(r, LABEL_COL, r, HELP_COL, lab["criticality"]["title"], styles.group)
    r += 1
    same_points = len({c.points for c in m.criteria}) == 1
    heads = [ui["criterion"]]
    heads += [
        ui["option_points"].format(points=p) if same_points else ui["option"].format(n=i + 1)
        for i, p in enumerate(m.criteria[0].points)
    ]
    heads += [ui["answer"], ui["points"], ui["help"]]
    for i, head in enumerate(heads):
        ws.write_string(r, LABEL_COL + i, head, styles.header)
    r += 1
    for group, members in m.groups:
        ws.merge_range(r, LABEL_COL, r, HELP_COL, lab["criticality"]["groups"][group], styles.bold)
        r += 1
        for code in members:
            answer_row(code, language.answer_labels(code), language.title(code))
    crit_first, crit_last = answer_rows[m.criteria[0].code], answer_rows[m.criteria[-1].code]
    result_rows: dict[str, int] = {}

    def result_row(code: str, label: str, fmt) -> None:
        nonlocal r
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, label, styles.table_head)
        result_rows[code] = r
        formats[code] = fmt
        r += 1

    formats: dict[str, object] = {}
    result_row("CRIT_SCORE", language.ui["results"]["CRIT_SCORE"], styles.score)
    result_row("CRIT_LEVEL", language.ui["results"]["CRIT_LEVEL"], styles.crit_level)

    # Vulnerability table.
    r += 1
    ws.merge_range(r, LABEL_COL, r, HELP_COL, lab["vulnerability"]["title"], styles.group)
    r += 1
    vlabels = language.answer_labels(m.items[0])
    heads = [
        ui["statement"],
        *(f"{label} ({a.points})" for label, a in zip(vlabels, m.vuln_answers)),
        "",
        ui["answer"],
        ui["points"],
        ui["help"],
    ]
    for i, head in enumerate(heads):
        ws.write_string(r, LABEL_COL + i, head, styles.header)
    r += 1
    for code in m.items:
        answer_row(code, vlabels, language.title(code))
    vuln_first, vuln_last = answer_rows[m.items[0]], answer_rows[m.items[-1]]
    result_row("VULN_SCORE", language.ui["results"]["VULN_SCORE"], styles.score)
    result_row("VULN_LEVEL", language.ui["results"]["VULN_LEVEL"], styles.vuln_level)
    r += 1
    result_row("RISK_LEVEL", language.ui["results"]["RISK_LEVEL"], styles.risk_level)
    result_row("STATUS", language.ui["results"]["STATUS"], styles.status)

    # Formulas: points per answer, then the results.
    result = score_indexes(row.answers, pack)
    marker = lists.marker
    for code, ar in answer_rows.items():
        g = xl_rowcol_to_cell(ar, VALUE_COL, col_abs=True)
        labels, points = lists.labels_of(code), lists.points_of(code)
        formula = (
            f'=IF({g}="","",IF(SUMPRODUCT(EXACT({g},{labels})*1)=1,'
            f"SUMPRODUCT(EXACT({g},{labels})*{points}),{marker}))"
        )
        cached: object = ""
        if code in row.answers:
            crit = (
                m.criterion(code).points if code in m.criterion_codes else [a.points for a in m.vuln_answers]
            )
            cached = crit[row.answers[code]]
        ws.write_formula(ar, POINTS_COL, formula, styles.score, cached)
        top = xl_rowcol_to_cell(ar, FIRST_OPTION_COL)
        ws.conditional_format(
            ar,
            FIRST_OPTION_COL,
            ar,
            FIRST_OPTION_COL + 3,
            {"type": "formula", "criteria": f'=AND({g}<>"",EXACT({top},{g}))', "format": styles.chosen},
        )
        ws.data_validation(
            ar,
            VALUE_COL,
            ar,
            VALUE_COL,
            {
                "validate": "list",
                "source": "=" + labels,
                "input_title": language.ui["input"]["input_title"],
                "input_message": language.ui["input"]["input_message"],
                "error_title": language.ui["input"]["error_title"],
                "error_message": language.ui["input"]["error_message"],
                "error_type": "stop",
            },
        )
        ws.conditional_format(
            ar,
            VALUE_COL,
            ar,
            VALUE_COL,
            {
                "type": "formula",
                "criteria": f'=AND({g}<>"",SUMPRODUCT(EXACT({g},{labels})*1)=0)',
                "format": styles.invalid,
            },
        )

    def rng(col: int, first: int, last: int) -> str:
        return f"{xl_rowcol_to_cell(first, col, True, True)}:{xl_rowcol_to_cell(last, col, True, True)}"

    gc, gv = rng(VALUE_COL, crit_first, crit_last), rng(VALUE_COL, vuln_first, vuln_last)
    hc, hv = rng(POINTS_COL, crit_first, crit_last), rng(POINTS_COL, vuln_first, vuln_last)
    cell = {code: xl_rowcol_to_cell(rr, VALUE_COL, True, True) for code, rr in result_rows.items()}
    terms = Terms(
        filled=f"(COUNTA({gc})+COUNTA({gv}))",
        valid=f"(COUNT({hc})+COUNT({hv}))",  # a points cell is a number only for a valid answer
        crit_points=f"SUM({hc})",
        vuln_points=f"SUM({hv})",
        vuln_answers=gv,
    )
    formulas = result_formulas(cell, terms, lists, len(m.codes))
    cached = cached_values(result, texts)
    for code, formula in formulas.items():
        ws.write_formula(result_rows[code], VALUE_COL, formula, formats[code], cached[code])
    for code in contract.LEVEL_CODES:
        for level, fmt in styles.level_fill.items():
            rr = result_rows[code]
            ws.conditional_format(
                rr,
                VALUE_COL,
                rr,
                VALUE_COL,
                {"type": "cell", "criteria": "==", "value": level, "format": fmt},
            )

    # The device's position in the matrix.
    r += 1
    ws.merge_range(r, LABEL_COL, r, 4, ui["position"], styles.group)
    r += 1
    ws.write_string(
        r,
        LABEL_COL,
        f"{lab['vulnerability']['short']} ↓ / {lab['criticality']['short']} →",
        styles.cell_label,
    )
    for c in (1, 2, 3):
        ws.write_string(
            r, LABEL_COL + c, f"{c} – {language.level_label('criticality', c)}", styles.cell_label
        )
    for v in (3, 2, 1):
        r += 1
        ws.write_string(r, LABEL_COL, f"{v} – {language.level_label('vulnerability', v)}", styles.cell_label)
        ws.set_row(r, 26)
        for c in (1, 2, 3):
            here = (
                f"=IF(AND(ISNUMBER({cell['RISK_LEVEL']}),{cell['VULN_LEVEL']}={v},{cell['CRIT_LEVEL']}={c}),"
                f'"{ui["marker"]}","")'
            )
            shown = ui["marker"] if (result.vulnerability_level, result.criticality_level) == (v, c) else ""
            ws.write_formula(r, LABEL_COL + c, here, styles.level_box_text[m.risk_level(v, c)], shown)

    # Applicable action plan and actions for non-compliant items.
    r += 2
    ws.merge_range(r, LABEL_COL, r, HELP_COL, ui["plan"], styles.group)
    r += 1
    risk = cell["RISK_LEVEL"]
    plan_title = language.actions["plans"][result.risk_level] if result.risk_level else None
    ws.merge_range(r, LABEL_COL, r, HELP_COL, "", styles.bold_wrap)
    ws.write_formula(
        r,
        LABEL_COL,
        f'=IF(ISNUMBER({risk}),INDEX({lists.plan_titles},{risk}),"")',
        styles.bold_wrap,
        f"{lab['risk']['levels'][result.risk_level]} — {plan_title['title']}" if plan_title else "",
    )
    ws.merge_range(r + 1, LABEL_COL, r + 1, HELP_COL, "", styles.text)
    ws.write_formula(
        r + 1,
        LABEL_COL,
        f'=IF(ISNUMBER({risk}),INDEX({lists.plan_summaries},{risk}),"")',
        styles.text,
        plan_title["summary"] if plan_title else "",
    )
    ws.set_row(r + 1, 32)
    r += 3
    ws.merge_range(r, LABEL_COL, r, HELP_COL, ui["items"], styles.group)
    r += 1
    no, unknown = lists.vuln_answer(1), lists.vuln_answer(2)
    for code in m.items:
        g = xl_rowcol_to_cell(answer_rows[code], VALUE_COL, True, True)
        ws.write_string(r, CODE_COL, f"{code}_ACTIONS", styles.code)
        ws.write_string(r, LABEL_COL, f"{code} – {language.title(code)}", styles.table_cell)
        ws.merge_range(r, FIRST_OPTION_COL, r, HELP_COL, "", styles.table_cell)
        shown = item_actions_text(language, code) if code in result.non_compliant_items else ""
        ws.write_formula(
            r,
            FIRST_OPTION_COL,
            f'=IF(OR(EXACT({g},{no}),EXACT({g},{unknown})),{lists.item_actions(code)},"")',
            styles.table_cell,
            shown,
        )
        ws.set_row(r, row_height(item_actions_text(language, code), 150))
        r += 1
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect(
        plan.password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
    return result
