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

import re
from collections.abc import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.pack import ContentPack, Language
from medrisk_xl.scorer import Result
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
from medrisk_xl.workbook.input_sheet import row_view, write_answer, write_identity
from medrisk_xl.workbook.lists import Lists, RegisterLists, item_actions_text, seed_text, status_texts
from medrisk_xl.workbook.plan import SheetRow, WorkbookPlan
from medrisk_xl.workbook.printing import setup_form_print
from medrisk_xl.workbook.shown import SCORED, shown_values
from medrisk_xl.workbook.styles import Styles
from medrisk_xl.workbook.text import LINE_HEIGHT, fit_height

CODE_COL, VALUE_COL = contract.FORM_CODE_COL, contract.FORM_VALUE_COL
POINTS_COL, PREFILL_COL = contract.FORM_POINTS_COL, contract.FORM_PREFILL_COL
LABEL_COL, FIRST_OPTION_COL = 1, 2  # the question, then its four options
LAST_COL = POINTS_COL  # the last printed column: merged texts end here
SEED_SUFFIX = contract.SEED_SUFFIX
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
    m = pack.method
    ui = language.ui["form"]
    lab = language.labels
    t = styles.t
    fw = t["widths"]["form"]
    widths = {CODE_COL: t["widths"]["form_code"], LABEL_COL: fw["question"], VALUE_COL: fw["answer"]}
    widths |= {FIRST_OPTION_COL + i: fw["option"] for i in range(4)} | {POINTS_COL: fw["points"]}
    for col, width in widths.items():
        ws.set_column(col, col, width)
    ws.set_column(PREFILL_COL, PREFILL_COL, 8, None, {"hidden": True})  # pre-filled points (helper)

    def span(first: int, last: int = LAST_COL) -> float:
        return sum(widths[c] for c in range(first, last + 1))

    def fit(
        r: int,
        regular: Sequence[tuple[str, float]],
        bold: Sequence[tuple[str, float]] = (),
        minimum: float = 15.0,
    ) -> None:
        """Row ``r`` as tall as its longest wrapped (text, width) of 10 pt text, regular or bold."""
        height = max(
            fit_height(list(regular), t["wrap"]["body_chars_per_width"], minimum),
            fit_height(list(bold), t["wrap"]["header_chars_per_width"], minimum),
        )
        ws.set_row(r, height)

    device = row.identity.get("DESIGNATION") or row.identity.get("ID") or ""
    title = ui["title"].format(device=device).rstrip(" —")
    ws.merge_range(0, LABEL_COL, 0, LAST_COL, title, styles.title_wrap)  # a long designation wraps
    zoom = 14 / t["font_size"]  # the title's size
    chars = t["wrap"]["header_chars_per_width"] / zoom
    ws.set_row(0, fit_height([(title, span(LABEL_COL))], chars, 24, LINE_HEIGHT * zoom))
    ws.merge_range(1, LABEL_COL, 1, LAST_COL, ui["intro"], styles.text)
    fit(1, [(ui["intro"], span(LABEL_COL))])
    r = 3
    ws.merge_range(r, LABEL_COL, r, VALUE_COL, ui["identity"], styles.group)
    r += 1
    for code, header in plan.identity:
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, header, styles.table_head)
        write_identity(ws, r, VALUE_COL, row, code, styles)
        fit(r, [(row.identity.get(code, ""), widths[VALUE_COL])], [(header, span(LABEL_COL, VALUE_COL - 1))])
        r += 1

    answer_rows: dict[str, int] = {}

    def answer_row(code: str, options: list[str], title: str) -> None:
        """The question's row (code, question, options, answer, points), then its help row."""
        nonlocal r
        label = f"{code} – {title}"
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.write_string(r, LABEL_COL, label, styles.table_cell)
        for i in range(4):
            text = options[i] if i < len(options) else ""
            ws.write_string(r, FIRST_OPTION_COL + i, text, styles.table_cell)
        write_answer(ws, r, VALUE_COL, row, code, language, styles.answer)
        # The chosen option turns bold; the answer cell may hold any option.
        chosen = [(o, widths[FIRST_OPTION_COL]) for o in options]
        fit(r, [(label, widths[LABEL_COL])] + [(o, widths[VALUE_COL]) for o in options], chosen)
        answer_rows[code] = r
        help_text = language.short_help(code)
        ws.merge_range(r + 1, LABEL_COL, r + 1, LAST_COL, help_text, styles.help)
        fit(r + 1, [(help_text, span(LABEL_COL) - 1)])  # less the help's indent
        r += 2

    def header_row(heads: list[str]) -> None:
        nonlocal r
        for i, head in enumerate(heads):
            ws.write_string(r, LABEL_COL + i, head, styles.header)
        fit(r, [], [(head, widths[LABEL_COL + i]) for i, head in enumerate(heads)])
        r += 1

    # Criticality table.
    r += 1
    ws.merge_range(r, LABEL_COL, r, LAST_COL, lab["criticality"]["title"], styles.group)
    r += 1
    same_points = len({c.points for c in m.criteria}) == 1
    heads = [ui["criterion"]]
    heads += [
        ui["option_points"].format(points=p) if same_points else ui["option"].format(n=i + 1)
        for i, p in enumerate(m.criteria[0].points)
    ]
    heads += [ui["answer"], ui["points"]]
    header_row(heads)
    for group, members in m.groups:
        ws.merge_range(r, LABEL_COL, r, LAST_COL, lab["criticality"]["groups"][group], styles.bold)
        r += 1
        for code in members:
            answer_row(code, language.answer_labels(code), language.title(code))
    result_rows: dict[str, int] = {}

    def result_row(code: str, label: str, fmt) -> None:
        nonlocal r
        ws.write_string(r, CODE_COL, code, styles.code)
        ws.merge_range(r, LABEL_COL, r, VALUE_COL - 1, label, styles.table_head)
        if code == "STATUS":  # the longest status text shows whole
            fit(r, [(text, widths[VALUE_COL]) for text in status_texts(language).values()])
        result_rows[code] = r
        formats[code] = fmt
        r += 1

    formats: dict[str, object] = {}
    result_row("CRIT_SCORE", language.ui["results"]["CRIT_SCORE"], styles.score)
    result_row("CRIT_LEVEL", language.ui["results"]["CRIT_LEVEL"], styles.crit_level)

    # Vulnerability table.
    r += 1
    ws.merge_range(r, LABEL_COL, r, LAST_COL, lab["vulnerability"]["title"], styles.group)
    r += 1
    vlabels = language.answer_labels(m.items[0])
    heads = [
        ui["statement"],
        *(f"{label} ({a.points})" for label, a in zip(vlabels, m.vuln_answers)),
        "",
        ui["answer"],
        ui["points"],
    ]
    header_row(heads)
    for code in m.items:
        answer_row(code, vlabels, language.title(code))
    result_row("VULN_SCORE", language.ui["results"]["VULN_SCORE"], styles.score)
    result_row("VULN_LEVEL", language.ui["results"]["VULN_LEVEL"], styles.vuln_level)
    r += 1
    result_row("RISK_LEVEL", language.ui["results"]["RISK_LEVEL"], styles.risk_level)
    result_row("STATUS", language.ui["results"]["STATUS"], styles.status)

    # Formulas: points per answer, then the results.
    view = row_view(row, pack, language, form=True)
    result = view.result
    cached = shown_values(view, pack, language)
    formulas = form_formulas(answer_rows, result_rows, lists, m.criterion_codes, m.items, tuple(row.answers))
    for code, ar in answer_rows.items():
        g = xl_rowcol_to_cell(ar, VALUE_COL, col_abs=True)
        h = xl_rowcol_to_cell(ar, POINTS_COL, col_abs=True)
        helper = contract.points_code(code)
        ws.write_formula(ar, POINTS_COL, formulas[(ar, POINTS_COL)], styles.score, cached[helper])
        if code in row.answers:
            ws.write_number(ar, PREFILL_COL, m.answer_points(code)[row.answers[code]], styles.score)
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
                "source": "=" + lists.labels_of(code),
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
            {"type": "formula", "criteria": invalid_answer_rule(h), "format": styles.invalid},
        )

    cell = {code: xl_rowcol_to_cell(rr, VALUE_COL, True, True) for code, rr in result_rows.items()}
    for code, rr in result_rows.items():
        ws.write_formula(rr, VALUE_COL, formulas[(rr, VALUE_COL)], formats[code], cached[code])
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
    corner = f"{lab['vulnerability']['short']} ↓ / {lab['criticality']['short']} →"
    ws.write_string(r, LABEL_COL, corner, styles.cell_label)
    heads = [(corner, widths[LABEL_COL])]
    for c in (1, 2, 3):
        head = f"{c} – {language.level_label('criticality', c)}"
        ws.write_string(r, LABEL_COL + c, head, styles.cell_label)
        heads.append((head, widths[LABEL_COL + c]))
    fit(r, [], heads)
    for v in (3, 2, 1):
        r += 1
        head = f"{v} – {language.level_label('vulnerability', v)}"
        ws.write_string(r, LABEL_COL, head, styles.cell_label)
        fit(r, [], [(head, widths[LABEL_COL])], minimum=26)
        for c in (1, 2, 3):
            here = position_marker(cell, v, c, ui["marker"])
            shown = (
                ui["marker"]
                if view.status in SCORED and (result.vulnerability_level, result.criticality_level) == (v, c)
                else ""
            )
            ws.write_formula(r, LABEL_COL + c, here, styles.level_box_text[m.risk_level(v, c)], shown)

    # Applicable action plan and actions for non-compliant items.
    r += 2
    ws.merge_range(r, LABEL_COL, r, LAST_COL, ui["plan"], styles.group)
    r += 1
    risk = cell["RISK_LEVEL"]
    plans = language.actions["plans"]
    plan_title = plans[result.risk_level] if view.status in SCORED else None
    ws.merge_range(r, LABEL_COL, r, LAST_COL, "", styles.bold_wrap)
    ws.write_formula(
        r,
        LABEL_COL,
        plan_text(risk, lists.plan_titles),
        styles.bold_wrap,
        f"{lab['risk']['levels'][result.risk_level]} — {plan_title['title']}" if plan_title else "",
    )
    # Each row as tall as the longest text any risk level shows there.
    fit(r, [], [(f"{lab['risk']['levels'][k]} — {plans[k]['title']}", span(LABEL_COL)) for k in plans])
    ws.merge_range(r + 1, LABEL_COL, r + 1, LAST_COL, "", styles.text)
    ws.write_formula(
        r + 1,
        LABEL_COL,
        plan_text(risk, lists.plan_summaries),
        styles.text,
        plan_title["summary"] if plan_title else "",
    )
    fit(r + 1, [(plans[k]["summary"], span(LABEL_COL)) for k in plans])
    r += 3

    def item_section(r: int, title: str, suffix: str, formula, text) -> int:
        """A group row ``title``, then per item: its label and what a non-compliant answer shows
        (``formula(points, answer, code)``, cached ``text(code)``); rows coded <item><suffix>."""
        ws.merge_range(r, LABEL_COL, r, LAST_COL, title, styles.group)
        r += 1
        for code in m.items:
            g = xl_rowcol_to_cell(answer_rows[code], VALUE_COL, True, True)
            h = xl_rowcol_to_cell(answer_rows[code], POINTS_COL, True, True)
            ws.write_string(r, CODE_COL, f"{code}{suffix}", styles.code)
            label = f"{code} – {language.title(code)}"
            ws.write_string(r, LABEL_COL, label, styles.table_cell)
            ws.merge_range(r, FIRST_OPTION_COL, r, LAST_COL, "", styles.table_cell)
            shown = text(code) if code in result.non_compliant_items else ""
            ws.write_formula(r, FIRST_OPTION_COL, formula(h, g, code), styles.table_cell, shown)
            fit(r, [(label, widths[LABEL_COL]), (text(code), span(FIRST_OPTION_COL))])
            r += 1
        return r

    r = item_section(
        r,
        ui["items"],
        "_ACTIONS",
        lambda h, g, code: item_actions(h, g, lists, code),
        lambda code: item_actions_text(language, code),
    )
    if rl is not None:
        r = item_section(
            r + 1,
            language.register["sheet"]["seed_section"],
            SEED_SUFFIX,
            lambda h, g, code: seed_proposal(h, g, lists, rl, code),
            lambda code: seed_text(pack, language, code),
        )
    setup_form_print(ws, plan.scope or plan.campaign, r - 1, LAST_COL)
    ws.protect(
        plan.password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
    return result
