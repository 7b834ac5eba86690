"""The control sheet ("Contrôle"): the engineer's accounting of the consolidation, moved off the
summary so that the summary holds what management reads (issue 27): how many rows and files came
in and where each went (``Consolidation.accounting``)."""

from __future__ import annotations

from medrisk_xl.consolidate.tables import Consolidation
from medrisk_xl.consolidate.workbook.cell_values import is_number
from medrisk_xl.consolidate.workbook.map_book import WIDTHS, Book
from medrisk_xl.workbook.write.printing import setup_reading_print


def write_control(book: Book, result: Consolidation) -> None:
    """The accounting figures, one labelled row each (label in A, figure in B), under the title and
    campaign; labels from ui ``consolidated.accounting``, a key without a label shown as itself."""
    ws = book.sheet("control")
    st, ui = book.styles, book.ui
    ws.set_column(0, 0, WIDTHS["summary_label"])
    ws.set_column(1, 1, WIDTHS["summary_cell"])
    ws.write_string(0, 0, ui["sheets"]["control"], st.title)
    if result.campaign:
        ws.write_string(1, 0, ui["summary"]["campaign"], st.bold)
        ws.write_string(1, 1, result.campaign, st.plain)
    ws.write_string(3, 0, ui["summary"]["accounting"], st.subtitle)
    labels = ui["accounting"]
    r = 3
    for key, value in result.accounting.items():
        if is_number(value):
            r += 1
            ws.write_string(r, 0, labels.get(key, key), book.wrap)
            ws.write_number(r, 1, value, book.number)
    setup_reading_print(ws, book.scope, "reading")
