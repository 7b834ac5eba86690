"""The campaign follow-up sheet (with a manifest): departments, files received, devices."""

from __future__ import annotations

from medrisk_xl.consolidate.tables import (
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    Consolidation,
)
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book, Column, ToCell
from medrisk_xl.consolidate.workbook.sheet_tables import head, table_rows, write_rows
from medrisk_xl.workbook.write.printing import setup_reading_print


def follow_up_columns(book: Book) -> list[Column]:
    """Columns of the departments table."""
    h, widths = book.ui["follow_up_columns"], book.t["widths"]
    flag = book.bool_writer()
    return [
        Column("department", h["department"], WIDTHS["file"], book.text_writer()),
        Column("expected", h["expected"], WIDTHS["flag"], flag),
        Column("returned", h["returned"], WIDTHS["flag"], flag),
        Column("valid", h["valid"], WIDTHS["flag"], flag),
        Column("devices_expected", h["devices_expected"], widths["score"], book.number_writer()),
        Column("devices_returned", h["devices_returned"], widths["score"], book.number_writer()),
        Column("completion", h["completion"], widths["score"], book.number_writer(book.percent)),
    ]


def file_columns(book: Book) -> list[Column]:
    """Columns of the files table."""
    h, widths = book.ui["file_columns"], book.t["widths"]
    flag = book.bool_writer()
    texts = {
        "file": (WIDTHS["file"], book.text_writer()),
        "campaign": (widths["identity"], book.text_writer()),
        "department": (widths["identity"], book.text_writer()),
        "status": (widths["identity"], book.label_writer(book.ui["file_status"], book.file_status)),
        "used": (WIDTHS["flag"], flag),
        "superseded_by": (WIDTHS["file"], book.text_writer()),
        "saved": (WIDTHS["moment"], book.time_writer()),
    }
    return [
        Column(code, h[code], *texts[code])
        if code in texts
        else Column(code, h[code], WIDTHS["number"], book.number_writer())
        for code in FILE_COLUMNS
    ]


def device_follow_up_columns(book: Book) -> list[Column]:
    """Columns of the devices table (missing or added devices)."""
    h, widths = book.ui["follow_up_device_columns"], book.t["widths"]
    kinds: dict[str, tuple[float, ToCell]] = {
        "device_id": (widths["ID"], book.text_writer()),
        "department": (widths["identity"], book.text_writer()),
        "designation": (widths["identity"] + 8, book.text_writer()),
        "change": (WIDTHS["change"], book.label_writer(book.ui["device_change"])),
        "reason": (WIDTHS["change"], book.label_writer(book.ui["not_mapped"])),
        "source_file": (WIDTHS["file"], book.text_writer()),
    }
    return [Column(code, h[code], *kinds[code]) for code in FOLLOW_UP_DEVICE_COLUMNS]


def write_follow_up(book: Book, result: Consolidation) -> None:
    """Per department of the manifest: expected, returned, valid and completion; the files
    received; then the expected devices missing and the devices added."""
    ws = book.sheet("follow_up")
    ui = book.ui["follow_up"]
    tables = [
        (ui["departments"], follow_up_columns(book), table_rows(result.follow_up, FOLLOW_UP_COLUMNS)),
        (ui["files"], file_columns(book), table_rows(result.files, FILE_COLUMNS)),
    ]
    if result.follow_up_devices is not None:
        devices = table_rows(result.follow_up_devices, FOLLOW_UP_DEVICE_COLUMNS)
        tables.append((ui["devices"], device_follow_up_columns(book), devices))
    r, top = 0, None
    for i, (title, columns, rows) in enumerate(tables):
        ws.write_string(r, 0, title, book.styles.subtitle)
        first = head(book, ws, r + 1, columns, code_row=False)
        top = top or first
        r, _ = write_rows(ws, first, columns, rows)
        if i == 0:  # one autofilter per sheet: the departments
            ws.autofilter(first - 1, 0, max(first - 1, r - 1), len(columns) - 1)
        r += 1
    for c in range(max(len(cols) for _, cols, _ in tables)):  # head() set each table's own widths
        ws.set_column(c, c, max(cols[c].width for _, cols, _ in tables if c < len(cols)))
    ws.freeze_panes(top, 1)
    setup_reading_print(ws, book.scope, "reading")
