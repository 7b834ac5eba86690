"""The network-risk sheet: the campaign's register of hazardous situations (IEC/TR 80001-2-1),
the unacceptable risks counted per department above it (:mod:`medrisk_xl.consolidate.hazards`)."""

from __future__ import annotations

import pandas as pd

from medrisk_xl.consolidate.hazards import hazard_counts
from medrisk_xl.consolidate.tables import HAZARD_COLUMNS, HAZARD_COUNT_COLUMNS
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import head, print_wide, table_rows, write_rows
from medrisk_xl.workbook.write.text import fit_height

TEXT_WIDTH = 24
NARROW = {"department": 16, "reg_id": 7, "devices": 9, "property": 14, "owner": 14, "status": 14}


def hazard_columns(book: Book) -> list[Column]:
    """Columns of the hazards table."""
    h = book.ui["hazard_columns"]
    level = book.level_writer("register")
    special: dict[str, tuple[float, ToCell]] = {
        "origin": (WIDTHS["source"] + 4, book.label_writer(book.ui["hazards"]["origin"])),
        "devices": (NARROW["devices"], book.number_writer()),
        "risk_initial": (book.t["widths"]["level"], level),
        "risk_residual": (book.t["widths"]["level"], level),
        "decision": (WIDTHS["flag"] + 4, book.bool_writer()),
        "control": (WIDTHS["action"] - 20, book.content_writer(book.wrap)),
        "source_file": (WIDTHS["file"], book.text_writer()),
    }
    columns = []
    for code in HAZARD_COLUMNS:
        width, to_cell = special.get(code, (NARROW.get(code, TEXT_WIDTH), book.text_writer(book.wrap)))
        columns.append(Column(code, h[code], width, to_cell))
    return columns


def write_hazards(book: Book, hazards: pd.DataFrame) -> None:
    """Title, the counts per department, then every hazardous situation (residual, then initial
    risk first)."""
    ws = book.sheet("hazards")
    texts = book.ui["hazards"]
    ws.write_string(0, 0, texts["title"], book.styles.title)
    ws.write_string(1, 0, texts["intro"], book.styles.plain)
    ws.write_string(3, 0, texts["by_department"], book.styles.subtitle)
    counts = hazard_counts(hazards)
    number = book.number_writer()
    count_columns = [
        Column(code, book.ui["hazard_count_columns"][code], 0, book.text_writer() if i == 0 else number)
        for i, code in enumerate(HAZARD_COUNT_COLUMNS)
    ]
    for c, col in enumerate(count_columns):
        ws.write_string(4, c, col.header, book.styles.header)
    ws.set_row(4, 42)
    r, _ = write_rows(ws, 5, count_columns, table_rows(counts, HAZARD_COUNT_COLUMNS))
    columns = hazard_columns(book)
    top = head(book, ws, r + 1, columns, code_row=True)
    widths = [col.width for col in columns]
    chars = book.t["wrap"]["body_chars_per_width"]

    def height(row) -> float:  # LibreOffice does not fit rows to wrapped text on opening
        return fit_height([(str(v), w) for v, w in zip(row, widths) if isinstance(v, str)], chars)

    last, _ = write_rows(ws, top, columns, table_rows(hazards, HAZARD_COLUMNS), None, height)
    ws.freeze_panes(top, 2)
    ws.autofilter(top - 1, 0, max(top - 1, last - 1), len(columns) - 1)
    print_wide(book, ws, top)
