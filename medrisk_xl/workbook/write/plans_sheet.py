"""The two action sheets: the plan of each risk level, and the actions of each vulnerability item."""

from __future__ import annotations

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.reading_sheet import WIDE, bullets, protect_reading, text_sheet
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import row_height


def write_plans(ws, plan: WorkbookPlan, language: Language, styles: Styles) -> None:
    """One block per risk level: its title, summary, and the actions of each theme."""
    ui = language.ui["plans"]
    actions = language.actions
    r = text_sheet(ws, styles, ui["title"], ui["intro"], 4)
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
            r = bullets(ws, styles, r + 1, p["themes"][theme])
        r += 1
    protect_reading(ws, plan, "text")


def write_items(ws, plan: WorkbookPlan, pack: ContentPack, language: Language, styles: Styles) -> None:
    """One block per vulnerability item: what to discuss, and the actions."""
    ui = language.ui["plans"]
    r = text_sheet(ws, styles, ui["items_title"], ui["items_intro"], 6)
    for code in pack.method.items:
        item = language.actions["items"][code]
        ws.write_string(r, 0, code, styles.table_head)
        ws.write_string(r, 1, language.title(code), styles.table_head)
        ws.set_row(r, row_height(language.title(code), WIDE))
        ws.write_string(r + 1, 1, ui["discuss"], styles.bold)
        ws.write_string(r + 2, 1, item["discuss"], styles.text)
        ws.set_row(r + 2, row_height(item["discuss"], WIDE))
        ws.write_string(r + 3, 1, ui["actions"], styles.bold)
        r = bullets(ws, styles, r + 4, item["actions"]) + 1
    protect_reading(ws, plan, "text")
