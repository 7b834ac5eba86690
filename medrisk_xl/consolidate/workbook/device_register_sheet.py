"""The register sheet: one row per device in priority order, a code row above the headers."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.consolidate.tables import CRITERIA, IDENTITY_COLUMNS, ITEMS, REGISTER_COLUMNS
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import print_wide, table_rows, write_table
from medrisk_xl.method.output_columns import SOURCE_COLUMNS


def register_columns(book: Book) -> list[Column]:
    """Every register column, in the register's order, with its header and writer."""
    return [register_column(book, code) for code in REGISTER_COLUMNS]


def register_column(book: Book, code: str) -> Column:
    """The register column ``code``: its header (and note), width and writer."""
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
    if code in SOURCE_COLUMNS:
        item = code.removesuffix("_source")
        header = templates["source"].format(code=item)
        return Column(code, header, widths["vulnerability"], book.label_writer(ui["answer_sources"]))
    item = code.removesuffix("_answer")
    if item in ITEMS:
        header = templates["answer"].format(code=item)
        return Column(code, header, widths["vulnerability"], book.answer_writer(), lang.title(item))
    axis = {"criticality_level": "criticality", "vulnerability_level": "vulnerability", "risk_level": "risk"}
    if code in axis:
        return Column(code, headers[code], widths["level"], book.level_writer(axis[code]))
    kinds: dict[str, tuple[float, ToCell]] = {
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
        "device_status": (widths["status"], book.label_writer(book.device_statuses)),
        "device_note": (WIDTHS["items"], book.text_writer()),
        "carried_over": (WIDTHS["items"], book.text_writer()),
        "reviewed": (WIDTHS["flag"], book.bool_writer()),
        "risk_provisional": (WIDTHS["flag"], book.bool_writer()),
        "sheet": (WIDTHS["sheet"], book.text_writer()),
        "row": (WIDTHS["item"], book.number_writer()),
    }
    width, writer = kinds[code]
    return Column(code, headers[code], width, writer)


def write_register(book: Book, register: pd.DataFrame) -> None:
    """One row per device in the register's (priority) order, a code row above the headers."""

    def finish(ws: Worksheet, first: int, last: int) -> None:
        print_wide(book, ws, first)

    write_table(
        book,
        "register",
        register_columns(book),
        table_rows(register, REGISTER_COLUMNS),
        code_row=True,
        freeze_cols=2,
        finish=finish,
    )
