"""The sheet for the inventory team (issue 26): every device a department reported retired, moved
to another department, lent or missing in its DEVICE_STATUS column, with its comment, to update in
the CMMS. Written only when there is one, after the register."""

from __future__ import annotations

import pandas as pd

from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column
from medrisk_xl.consolidate.workbook.sheet_tables import head, table_rows, write_rows
from medrisk_xl.consolidate.workbook.xml_rows import TableSheet
from medrisk_xl.method.output_columns import DEVICE_STATUSES
from medrisk_xl.workbook.write.printing import setup_reading_print

COLUMNS = ("device_id", "department", "site", "designation", "manufacturer", "model")
COLUMNS += ("device_status", "device_note", "source_file")


def reported(register: pd.DataFrame) -> pd.DataFrame:
    """The devices whose department gave a status other than present, in the register's order."""
    status = register["device_status"]
    return register[status.notna() & (status != DEVICE_STATUSES[0])]


def write_inventory_updates(book: Book, register: pd.DataFrame) -> None:
    """The sheet's intro, then one row per reported device (nothing when none was reported)."""
    rows = reported(register)
    texts = book.language.ui.get("device_status")
    if not len(rows) or texts is None:
        return
    headers, widths = book.ui["columns"], book.t["widths"]
    kinds = {
        "device_id": (widths["ID"], book.text_writer()),
        "designation": (widths["identity"] + 8, book.text_writer()),
        "device_status": (widths["status"], book.label_writer(book.device_statuses)),
        "device_note": (WIDTHS["items"], book.text_writer(book.wrap)),
        "source_file": (WIDTHS["file"], book.text_writer()),
    }
    columns = [
        Column(code, headers[code], *kinds.get(code, (widths["identity"], book.text_writer())))
        for code in COLUMNS
    ]
    ws = book.wb.add_worksheet(texts["sheet"], worksheet_class=TableSheet)
    ws.write_string(0, 0, texts["intro"], book.styles.subtitle)
    first = head(book, ws, 1, columns, code_row=False)
    last, _ = write_rows(ws, first, columns, table_rows(rows, COLUMNS))
    ws.autofilter(first - 1, 0, max(first - 1, last - 1), len(columns) - 1)
    ws.freeze_panes(first, 1)
    setup_reading_print(ws, book.scope, "reading")
