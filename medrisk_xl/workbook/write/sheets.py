"""The reading sheets: start, matrix, action plans, actions per item, guide, and _meta."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import quote_sheetname

from medrisk_xl.core.version import __version__
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import device_total, level_count, matrix_count, status_count
from medrisk_xl.workbook.lists import STATUS_KEYS, Lists, status_texts
from medrisk_xl.workbook.shown import BLANK, SCORED, RowView
from medrisk_xl.workbook.write.input_layout import InputLayout
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.printing import setup_reading_print
from medrisk_xl.workbook.write.styles import Styles, grid_template
from medrisk_xl.workbook.write.text import row_height

WIDE = grid_template()["widths"]["text"]  # characters of the wide text column (plans, items)


def _protect(ws, plan: WorkbookPlan, kind: str = "reading") -> None:
    """Protect a reading sheet and make it print one page wide (``kind``: see grid.yaml ``print``)."""
    setup_reading_print(ws, plan.scope or plan.campaign, kind)
    ws.protect(
        plan.password, {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )


def _level_text(language: Language, axis: str, level: int) -> str:
    return f"{level} – {language.level_label(axis, level)}"


def write_start(
    ws,
    plan: WorkbookPlan,
    language: Language,
    styles: Styles,
    n_rows: int,
    targets: dict[str, str],
    prefilled: tuple[tuple[str, ...], int] | None = None,
) -> None:
    """The start sheet; ``targets`` maps link keys (input, matrix, plans, items, guide; register and
    change with a risk register) to sheet names; ``prefilled`` gives the pre-filled codes and how
    many rows have them."""
    ui = language.ui["start"]
    sheets = language.ui["sheets"]
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 95)
    ws.write_string(0, 0, ui["title"], styles.title)
    ws.set_row(0, 26)
    ws.write_string(1, 0, language.labels["method"]["subtitle"], styles.subtitle)
    ws.merge_range(2, 0, 2, 1, ui["intro"], styles.text)
    ws.set_row(2, row_height(ui["intro"], 120))
    not_set = ui["not_set"]
    facts = [
        (ui["campaign"], plan.campaign),
        (ui["department"] if plan.split_by != "site" else ui["site"], plan.scope or not_set),
        (ui["devices"], str(n_rows)),
        *(
            [(ui["prefilled"], ui["prefilled_value"].format(codes=", ".join(prefilled[0]), n=prefilled[1]))]
            if prefilled and prefilled[1]
            else []
        ),
        (ui["contact"], plan.contact or not_set),
        (ui["deadline"], plan.deadline or not_set),
        (ui["time"], ui["time_value"].format(low=5 * n_rows, high=10 * n_rows)),
    ]
    r = 4
    for key, value in facts:
        ws.write_string(r, 0, key, styles.bold)
        if isinstance(value, dt.date):  # the deadline: a real date
            ws.write_datetime(r, 1, value, styles.date)
        else:
            ws.write_string(r, 1, value, styles.text)
            ws.set_row(r, row_height(value, 95))
        r += 1
    r += 1
    ws.write_string(r, 0, ui["how_title"], styles.subtitle)
    r += 1
    for i, step in enumerate(ui["steps"], start=1):
        text = step.format(input=targets["input"], guide=sheets["guide"])
        ws.write_string(r, 0, f"{i}.", styles.bold)
        ws.write_string(r, 1, text, styles.text)
        ws.set_row(r, row_height(text, 95))
        r += 1
    r += 1
    ws.write_string(r, 0, ui["links_title"], styles.subtitle)
    r += 1
    links = {
        **ui["links"],
        "register": language.register["sheet"]["link"],
        "change": language.register["change_form"]["link"],
    }
    for key, target in targets.items():
        ws.write_url(r, 0, f"internal:{quote_sheetname(target)}!A1", styles.link, string=target)
        ws.write_string(r, 1, links[key], styles.text)
        r += 1
    r += 1
    ws.merge_range(r, 0, r, 1, ui["protection"], styles.small)
    ws.set_row(r, row_height(ui["protection"], 120))
    ws.merge_range(r + 1, 0, r + 1, 1, ui["source"], styles.small)
    _protect(ws, plan)


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
    ui = language.ui["matrix"]
    lab = language.labels
    src = quote_sheetname(input_name)
    scored = [x for x in views if x.status in SCORED]
    crit_range = layout.range_abs(src, "CRIT_LEVEL")
    vuln_range = layout.range_abs(src, "VULN_LEVEL")
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 4, 22)
    ws.write_string(0, 1, ui["title"].format(department=plan.scope or plan.campaign), styles.title)
    ws.set_row(0, 26)
    ws.write_string(1, 1, ui["intro"], styles.plain)
    ws.write_string(3, 1, f"{ui['rows']} ↓   {ui['cols']} →", styles.cell_label)
    for c in (1, 2, 3):
        ws.write_string(
            3,
            1 + c,
            f"{lab['criticality']['short']} {_level_text(language, 'criticality', c)}",
            styles.cell_label,
        )
    ws.set_row(3, 32)
    for i, v in enumerate((3, 2, 1)):
        r = 4 + i
        ws.write_string(
            r,
            1,
            f"{lab['vulnerability']['short']} {_level_text(language, 'vulnerability', v)}",
            styles.cell_label,
        )
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
    ws.write_string(8, 1, ui["legend"], styles.subtitle)
    symbols = {int(k): v["symbol"] for k, v in styles.t["levels"].items()}
    for i, level in enumerate((1, 2, 3)):
        ws.write_string(9 + i, 1, f"{symbols[level]} {level}", styles.level_label[level])
        ws.merge_range(9 + i, 2, 9 + i, 4, lab["risk"]["levels"][level], styles.level_label[level])
    # Summary: rows by status and devices by risk level.
    r = 13
    ws.write_string(r, 1, ui["summary"], styles.table_head)
    ws.write_string(r, 2, "", styles.table_head)
    status_range = layout.range_abs(src, "STATUS")
    texts = status_texts(language)
    ws.write_string(r + 1, 1, ui["total"], styles.table_cell)
    devices = sum(1 for x in views if x.status != BLANK)
    ws.write_formula(r + 1, 2, device_total(status_range), styles.number_cell, devices)
    shipped = {k: sum(1 for x in views if x.status == k) for k in STATUS_KEYS}
    for i, key in enumerate(STATUS_KEYS):
        ws.write_string(r + 2 + i, 1, texts[key], styles.table_cell)
        ws.write_formula(
            r + 2 + i, 2, status_count(status_range, lists.status(key)), styles.number_cell, shipped[key]
        )
    r += 3 + len(STATUS_KEYS)
    ws.write_string(r, 1, ui["by_risk"], styles.table_head)
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
    _protect(ws, plan, "matrix")


def _text_sheet(ws, styles: Styles, title: str, intro: str, first_width: int) -> int:
    """Title and intro of a reading sheet with one wide text column; returns the next row."""
    ws.set_column(0, 0, first_width)
    ws.set_column(1, 1, WIDE)
    ws.write_string(0, 1, title, styles.title)
    ws.set_row(0, 26)
    ws.write_string(1, 1, intro, styles.text)
    ws.set_row(1, row_height(intro, WIDE))
    return 3


def _bullets(ws, styles: Styles, r: int, lines: list[str]) -> int:
    """One "• line" per row in the wide column; returns the next row."""
    for line in lines:
        text = f"• {line}"
        ws.write_string(r, 1, text, styles.text)
        ws.set_row(r, row_height(text, WIDE))
        r += 1
    return r


def write_plans(ws, plan: WorkbookPlan, language: Language, styles: Styles) -> None:
    ui = language.ui["plans"]
    actions = language.actions
    r = _text_sheet(ws, styles, ui["title"], ui["intro"], 4)
    for level in (1, 2, 3):
        p = actions["plans"][level]
        ws.write_string(r, 0, str(level), styles.level_label[level])
        ws.write_string(
            r, 1, f"{language.labels['risk']['levels'][level]} — {p['title']}", styles.level_label[level]
        )
        ws.write_string(r + 1, 1, p["summary"], styles.text)
        ws.set_row(r + 1, row_height(p["summary"], WIDE))
        r += 2
        for theme, question in actions["themes"].items():
            ws.write_string(r, 1, question, styles.bold_wrap)
            r = _bullets(ws, styles, r + 1, p["themes"][theme])
        r += 1
    _protect(ws, plan, "text")


def write_items(ws, plan: WorkbookPlan, pack: ContentPack, language: Language, styles: Styles) -> None:
    ui = language.ui["plans"]
    r = _text_sheet(ws, styles, ui["items_title"], ui["items_intro"], 6)
    for code in pack.method.items:
        item = language.actions["items"][code]
        ws.write_string(r, 0, code, styles.table_head)
        ws.write_string(r, 1, language.title(code), styles.table_head)
        ws.set_row(r, row_height(language.title(code), WIDE))
        ws.write_string(r + 1, 1, ui["discuss"], styles.bold)
        ws.write_string(r + 2, 1, item["discuss"], styles.text)
        ws.set_row(r + 2, row_height(item["discuss"], WIDE))
        ws.write_string(r + 3, 1, ui["actions"], styles.bold)
        r = _bullets(ws, styles, r + 4, item["actions"]) + 1
    _protect(ws, plan, "text")


def write_guide(ws, plan: WorkbookPlan, pack: ContentPack, language: Language, styles: Styles) -> None:
    g = language.ui["guide"]
    lab = language.labels
    m = pack.method
    hs = language.help["scales"]
    gw = styles.t["widths"]["guide"]  # code, group, question, answers, help
    for col, width in enumerate(gw):
        ws.set_column(col, col, width)
    merged = sum(gw) - len(gw)  # text merged across the five columns
    ws.write_string(0, 0, g["title"], styles.title)
    ws.set_row(0, 26)
    r = 2
    for title, text in (
        (g["how"], hs["how_to_fill"]),
        (lab["criticality"]["title"], hs["criticality"]),
        (lab["vulnerability"]["title"], hs["vulnerability"]),
        (lab["risk"]["title"], hs["risk"]),
    ):
        ws.write_string(r, 0, title, styles.subtitle)
        ws.merge_range(r + 1, 0, r + 1, 4, text, styles.text)
        ws.set_row(r + 1, row_height(text, merged))
        r += 3
    ws.write_string(r, 0, g["criteria"], styles.subtitle)
    r += 1
    for col, head in enumerate((g["code"], g["group"], g["question"], g["answers"], g["help"])):
        ws.write_string(r, col, head, styles.table_head)
    r += 1
    for crit in m.criteria:
        answers = "\n".join(
            f"{p} {g['points']} – {a}" for p, a in zip(crit.points, language.answer_labels(crit.code))
        )
        helptext = language.long_help(crit.code)
        values = (
            crit.code,
            lab["criticality"]["groups"][crit.group],
            language.title(crit.code),
            answers,
            helptext,
        )
        for col, value in enumerate(values):
            ws.write_string(r, col, value, styles.table_cell)
        ws.set_row(
            r,
            max(
                row_height(values[1], gw[1]),
                row_height(values[2], gw[2]),
                row_height(answers, gw[3]),
                row_height(helptext, gw[4]),
            ),
        )
        r += 1
    r += 1
    ws.write_string(r, 0, g["items"], styles.subtitle)
    r += 1
    for col, head in enumerate((g["code"], "", g["question"], g["answers"], g["help"])):
        ws.write_string(r, col, head, styles.table_head)
    r += 1
    vanswers = "\n".join(
        f"{a.points} {g['points']} – {label}"
        for a, label in zip(m.vuln_answers, language.answer_labels(m.items[0]))
    )
    for code in m.items:
        helptext = language.long_help(code)
        for col, value in enumerate((code, "", language.title(code), vanswers, helptext)):
            ws.write_string(r, col, value, styles.table_cell)
        heights = (row_height(helptext, gw[4]), row_height(language.title(code), gw[2]))
        ws.set_row(r, max(*heights, row_height(vanswers, gw[3])))
        r += 1
    r += 1
    ws.write_string(r, 0, g["thresholds"], styles.subtitle)
    r += 1
    for col, head in enumerate(("", g["level"], g["from"], g["to"])):
        ws.write_string(r, col, head, styles.table_head)
    r += 1
    for axis, bands in (("criticality", m.criticality_levels), ("vulnerability", m.vulnerability_levels)):
        for band in bands:
            ws.write_string(r, 0, lab[axis]["short"], styles.table_cell)
            ws.write_string(r, 1, _level_text(language, axis, band.level), styles.level_label[band.level])
            ws.write_number(r, 2, band.min, styles.number_cell)
            ws.write_number(r, 3, band.max, styles.number_cell)
            r += 1
    r += 1
    ws.write_string(r, 0, g["matrix"], styles.subtitle)
    r += 1
    ws.write_string(
        r, 1, f"{lab['vulnerability']['short']} ↓ / {lab['criticality']['short']} →", styles.table_head
    )
    for c in (1, 2, 3):
        ws.write_string(r, 1 + c, _level_text(language, "criticality", c), styles.table_head)
    for v in (3, 2, 1):
        r += 1
        ws.write_string(r, 1, _level_text(language, "vulnerability", v), styles.table_head)
        for c in (1, 2, 3):
            risk = m.risk_level(v, c)
            ws.write_string(
                r, 1 + c, f"{risk} – {lab['risk']['short_levels'][risk]}", styles.level_label[risk]
            )
    r += 2
    ws.write_string(r, 0, g["sources"], styles.subtitle)
    for src in m.sources:
        r += 1
        text = f"[{src['id']}] {src['title']} — {src['reference']}"
        ws.merge_range(r, 0, r, 4, text, styles.text)
        ws.set_row(r, row_height(text, merged))
    _protect(ws, plan)


def meta_pairs(
    plan: WorkbookPlan,
    pack: ContentPack,
    lists_name: str,
    layout_pairs: list[tuple[str, str]],
    n_devices: int,
) -> list[tuple[str, str]]:
    """Key/value pairs of the very hidden _meta sheet (the machine contract)."""
    return [
        (contract.Meta.SCHEMA_VERSION, str(contract.SCHEMA_VERSION)),
        (contract.Meta.GENERATOR, f"medrisk-xl {__version__}"),
        (contract.Meta.CAMPAIGN, plan.campaign),
        (contract.Meta.CREATED, plan.created.isoformat(timespec="seconds")),
        (contract.Meta.SPLIT_BY, plan.split_by),
        (contract.Meta.SCOPE, plan.scope),
        (contract.Meta.DEPARTMENT, plan.department or ""),
        (contract.Meta.SITE, plan.site or ""),
        (contract.Meta.PER, plan.per),
        (contract.Meta.LAYOUT, plan.layout),
        (contract.Meta.LANGUAGE, plan.language),
        (contract.Meta.CONTENT_ID, pack.method.id),
        (contract.Meta.CONTENT_VERSION, pack.method.version),
        (contract.Meta.CONTENT_HASH, pack.hash),
        (contract.Meta.LISTS_SHEET, lists_name),
        (contract.Meta.DEVICE_ROWS, str(n_devices)),
        *layout_pairs,
    ]


def grid_meta(plan: WorkbookPlan, input_name: str, layout: InputLayout) -> list[tuple[str, str]]:
    spare = [i for i, row in enumerate(plan.rows) if row.spare]
    return [
        (contract.Meta.INPUT_SHEET, input_name),
        (contract.Meta.CODE_ROW, str(contract.CODE_ROW)),
        (contract.Meta.HEADER_ROW, str(contract.HEADER_ROW)),
        (contract.Meta.FIRST_ROW, str(contract.FIRST_ROW)),
        (contract.Meta.LAST_ROW, str(layout.last_row + 1)),
        (contract.Meta.FIRST_SPARE_ROW, str(contract.FIRST_ROW + spare[0]) if spare else ""),
        (contract.Meta.COLUMNS, ",".join(layout.codes)),
    ]


def write_meta(ws, pairs: list[tuple[str, str]], plan: WorkbookPlan, places: list[str]) -> None:
    """Key/value pairs in columns A:B; from column D, the rows as generated: where each device
    row stands (``places``: sheet row number, or form sheet name) and its identity values."""
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    for r, (key, value) in enumerate(pairs):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    codes = [code for code, _ in plan.identity]
    c0 = contract.META_ROWS_COL
    for c, head in enumerate((contract.META_ROWS_PLACE, *codes)):
        ws.write_string(0, c0 + c, head)
    devices = [row for row in plan.rows if not row.spare]
    for r, (place, row) in enumerate(zip(places, devices), start=1):
        ws.write_string(r, c0, place)
        for c, code in enumerate(codes, start=1):
            if row.identity.get(code):
                ws.write_string(r, c0 + c, row.identity[code])
    ws.protect(plan.password)
