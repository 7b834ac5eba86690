"""The matrix sheet of the grid layout: devices per criticality × vulnerability, a legend, and
counts by status and by risk level; live formulas over the input sheet, cached with the values
the generator computes."""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.contract import row_status_keys
from medrisk_xl.workbook.formulas import device_total, level_count, matrix_count, status_count
from medrisk_xl.workbook.lists import Lists, status_texts
from medrisk_xl.workbook.shown import BLANK, SCORED, RowView
from medrisk_xl.workbook.write.input_layout import InputLayout
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.reading_sheet import level_text, protect_reading
from medrisk_xl.workbook.write.styles import Styles


def write_matrix(
    ws,
    plan: WorkbookPlan,
    pack: ContentPack,
    language: Language,
    styles: Styles,
    layout: InputLayout,
    input_name: str,
    lists: Lists,
    views: list[RowView],
) -> None:
    """The matrix sheet; ``views`` (the rows as the input sheet shows them) give the cached values."""
    ui = language.ui["matrix"]
    asks_items = bool(pack.method.items)
    src = quote_sheetname(input_name)
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 4, 22)
    ws.write_string(0, 1, ui["title"].format(department=plan.scope or plan.campaign), styles.title)
    ws.set_row(0, 26)
    intro = ui["intro"] if asks_items else language.ui["it_workbook"]["department"]["matrix_intro"]
    ws.write_string(1, 1, intro, styles.plain)
    if asks_items:
        _write_grid(ws, pack, language, styles, layout, src, views)
    else:
        _write_criticality(ws, language, styles, layout, src, views)
    symbols = {int(k): v["symbol"] for k, v in styles.t["levels"].items()}
    ws.write_string(8, 1, ui["legend"], styles.subtitle)
    axis = "risk" if asks_items else "criticality"
    for i, level in enumerate((1, 2, 3)):
        ws.write_string(9 + i, 1, f"{symbols[level]} {level}", styles.level_label[level])
        label = language.labels[axis]["levels"][level]
        ws.merge_range(9 + i, 2, 9 + i, 4, label, styles.level_label[level])
    r = _write_status_counts(ws, language, styles, layout, src, lists, views, asks_items)
    if asks_items:
        _write_risk_counts(ws, language, styles, layout, src, views, r, symbols)
    protect_reading(ws, plan, "matrix")


def _write_criticality(
    ws, language: Language, styles: Styles, layout: InputLayout, src: str, views: list[RowView]
) -> None:
    """Rows 4 and 5 of a workbook that asks no vulnerability item: the devices at each
    criticality level (their risk is computed once the IT team has answered)."""
    lab = language.labels
    scored = [x for x in views if x.status in SCORED]
    crit_range = layout.range_abs(src, "CRIT_LEVEL")
    ws.write_string(3, 1, language.ui["it_workbook"]["department"]["by_criticality"], styles.cell_label)
    ws.write_string(4, 1, lab["criticality"]["short"], styles.cell_label)
    ws.set_row(3, 32)
    ws.set_row(4, 48)
    for c in (1, 2, 3):
        ws.write_string(3, 1 + c, level_text(language, "criticality", c), styles.cell_label)
        count = sum(1 for x in scored if x.result.criticality_level == c)
        ws.write_formula(4, 1 + c, level_count(crit_range, c), styles.level_box[c], count)


def _write_grid(
    ws,
    pack: ContentPack,
    language: Language,
    styles: Styles,
    layout: InputLayout,
    src: str,
    views: list[RowView],
) -> None:
    """Rows 4 to 7: the 3 × 3 matrix, vulnerability down (3 to 1) and criticality across."""
    ui = language.ui["matrix"]
    lab = language.labels
    scored = [x for x in views if x.status in SCORED]
    crit_range = layout.range_abs(src, "CRIT_LEVEL")
    vuln_range = layout.range_abs(src, "VULN_LEVEL")
    ws.write_string(3, 1, f"{ui['rows']} ↓   {ui['cols']} →", styles.cell_label)
    for c in (1, 2, 3):
        text = f"{lab['criticality']['short']} {level_text(language, 'criticality', c)}"
        ws.write_string(3, 1 + c, text, styles.cell_label)
    ws.set_row(3, 32)
    for i, v in enumerate((3, 2, 1)):
        r = 4 + i
        text = f"{lab['vulnerability']['short']} {level_text(language, 'vulnerability', v)}"
        ws.write_string(r, 1, text, styles.cell_label)
        ws.set_row(r, 48)
        for c in (1, 2, 3):
            count = sum(
                1 for x in scored if x.result.criticality_level == c and x.result.vulnerability_level == v
            )
            ws.write_formula(
                r,
                1 + c,
                matrix_count(crit_range, vuln_range, c, v),
                styles.level_box[pack.method.risk_level(v, c)],
                count,
            )


def _write_status_counts(
    ws,
    language: Language,
    styles: Styles,
    layout: InputLayout,
    src: str,
    lists: Lists,
    views: list[RowView],
    asks_items: bool = True,
) -> int:
    """From row 13: the devices in all, then the rows of each status; returns the next block's row."""
    ui = language.ui["matrix"]
    r = 13
    ws.write_string(r, 1, ui["summary"], styles.table_head)
    ws.write_string(r, 2, "", styles.table_head)
    status_range = layout.range_abs(src, "STATUS")
    texts = status_texts(language)
    ws.write_string(r + 1, 1, ui["total"], styles.table_cell)
    devices = sum(1 for x in views if x.status != BLANK)
    ws.write_formula(r + 1, 2, device_total(status_range), styles.number_cell, devices)
    keys = row_status_keys(asks_items)
    shipped = {k: sum(1 for x in views if x.status == k) for k in keys}
    for i, key in enumerate(keys):
        ws.write_string(r + 2 + i, 1, texts[key], styles.table_cell)
        ws.write_formula(
            r + 2 + i, 2, status_count(status_range, lists.status(key)), styles.number_cell, shipped[key]
        )
    return r + 3 + len(keys)


def _write_risk_counts(
    ws,
    language: Language,
    styles: Styles,
    layout: InputLayout,
    src: str,
    views: list[RowView],
    r: int,
    symbols: dict[int, str],
) -> None:
    """From row ``r``: the devices at each risk level."""
    lab = language.labels
    scored = [x for x in views if x.status in SCORED]
    ws.write_string(r, 1, language.ui["matrix"]["by_risk"], styles.table_head)
    ws.write_string(r, 2, "", styles.table_head)
    risk_range = layout.range_abs(src, "RISK_LEVEL")
    for level in (1, 2, 3):
        ws.write_string(
            r + level, 1, f"{symbols[level]} {lab['risk']['short_levels'][level]}", styles.level_label[level]
        )
        ws.write_formula(
            r + level,
            2,
            level_count(risk_range, level),
            styles.number_cell,
            sum(1 for x in scored if x.result.risk_level == level),
        )
