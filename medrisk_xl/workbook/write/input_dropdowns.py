"""The dropdowns of the input sheet's device rows: each answer's options (from the list sheet),
the device status and, in year two, the review (inline lists: a few words each). Each refuses any
other value and says what to choose."""

from __future__ import annotations

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import Lists
from medrisk_xl.workbook.write.input_layout import InputLayout, device_status_labels


def list_dropdown(ws, rows: tuple[int, int], col: int, source: str | list[str], texts: dict) -> None:
    """A "stop" list dropdown on column ``col`` of rows first..last (0-based), with the input and
    error titles and messages of ``texts``."""
    ws.data_validation(
        rows[0],
        col,
        rows[1],
        col,
        {
            "validate": "list",
            "source": source,
            "input_title": texts["input_title"],
            "input_message": texts["input_message"],
            "error_title": texts["error_title"],
            "error_message": texts["error_message"],
            "error_type": "stop",
        },
    )


def add_dropdowns(
    ws, layout: InputLayout, lists: Lists, codes: tuple[str, ...], language: Language, rows: tuple[int, int]
) -> None:
    """The dropdown of every answer (``codes``), of the device status and of the review, where
    the sheet has them."""
    ui = language.ui
    for code in codes:
        list_dropdown(ws, rows, layout.col(code), "=" + lists.labels_of(code), ui["input"])
    if layout.device:
        col = layout.col(contract.DEVICE_STATUS_CODE)
        list_dropdown(ws, rows, col, device_status_labels(language), ui["device_status"])
    if layout.review:
        review = ui["prefill"]["review"]
        list_dropdown(ws, rows, layout.col(contract.REVIEW_CODE), [review["confirmed"]], review)
