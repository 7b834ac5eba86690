"""The IT workbook's start sheet: what the IT team is asked and why, the campaign's facts, how to
fill the answer sheet, and how to answer for a device with no network connection."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import quote_sheetname

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.write.it_plan import ItPlan
from medrisk_xl.workbook.write.reading_sheet import protect_reading_sheet
from medrisk_xl.workbook.write.start_sheet import write_facts, write_steps
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import row_height

TEXT_WIDTH = 95  # characters of column B, where the texts are


def write_it_start(ws, plan: ItPlan, language: Language, styles: Styles, answer_sheet: str) -> None:
    """The start sheet, protected; it links to ``answer_sheet``."""
    texts = language.ui["it_workbook"]
    answers = language.labels["vulnerability"]["answers"]
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, TEXT_WIDTH)
    ws.write_string(0, 0, texts["title"], styles.title)
    ws.set_row(0, 26)
    r = paragraph(ws, styles, 2, texts["intro"].format(unknown=answers["UNKNOWN"]))
    r = write_facts(ws, styles, r + 1, it_facts(plan, texts, answers["UNKNOWN"]))
    r = write_steps(ws, styles, r + 1, texts["how_title"], it_steps(texts, answer_sheet))
    ws.write_string(r + 1, 0, texts["network_title"], styles.subtitle)
    r = paragraph(
        ws, styles, r + 2, texts["network"].format(yes=answers["YES"], comment=texts["network_comment"])
    )
    ws.write_url(r + 1, 0, f"internal:{quote_sheetname(answer_sheet)}!A1", styles.link, string=answer_sheet)
    ws.write_string(r + 1, 1, texts["link"], styles.text)
    ws.merge_range(r + 3, 0, r + 3, 1, texts["protection"], styles.small)
    ws.set_row(r + 3, row_height(texts["protection"], TEXT_WIDTH + 26))
    protect_reading_sheet(ws, plan.campaign, plan.password)


def paragraph(ws, styles: Styles, r: int, text: str) -> int:
    """``text`` across columns A:B on row ``r``, high enough; returns the next row."""
    ws.merge_range(r, 0, r, 1, text, styles.text)
    ws.set_row(r, row_height(text, TEXT_WIDTH + 26))
    return r + 1


def it_facts(plan: ItPlan, texts: dict, unknown: str) -> list[tuple[str, str | dt.date]]:
    """(label, value) of what the workbook asks: campaign, purpose, groups, rows, devices, contact
    and deadline ("not set" when the plan has none)."""
    facts, not_set = texts["facts"], texts["facts"]["not_set"]
    return [
        (facts["campaign"], plan.campaign),
        (facts["mode"], texts["modes"][plan.mode].format(unknown=unknown)),
        (facts["groups"], str(len(plan.groups))),
        (facts["rows"], str(len(plan.rows))),
        (facts["devices"], str(sum(len(g.devices) for g in plan.groups))),
        (facts["contact"], plan.contact or not_set),
        (facts["deadline"], plan.deadline or not_set),
    ]


def it_steps(texts: dict, answer_sheet: str) -> list[str]:
    """The steps, naming the answer sheet and the headers of the IT team's columns."""
    heads = texts["columns"]
    fields = {
        "sheet": answer_sheet,
        "answer": heads["IT_ANSWER"],
        "comment": heads["COMMENT"],
        "by": heads["CONFIRMED_BY"],
        "on": heads["CONFIRMED_ON"],
    }
    return [step.format(**fields) for step in texts["steps"]]
