"""Page setup of every printed sheet: A4, a readable scale, page numbers and the department.

The numbers live in ``templates/grid.yaml`` (``print``). Body text is 10 pt, so a scale of 70 %
or more prints it at 7 pt or more. The input sheet has a fixed scale and spreads over several
pages wide, with its header rows and identity columns on every page; the other sheets fit one
page wide, their column widths chosen so that the fitted scale stays readable.
"""

from __future__ import annotations

from typing import Any

from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.input_layout import InputLayout
from medrisk_xl.workbook.write.styles import grid_template


def _settings() -> dict[str, Any]:
    return grid_template()["print"]


def footer_text(scope: str) -> str:
    """Footer: the department (or site, or campaign) left, the sheet centre, "Page n / N" right.

    ``&`` starts a code in headers and footers, so the department's own ``&`` is doubled.
    """
    limit = _settings()["footer_scope_chars"]
    scope = " ".join(scope.split())
    if len(scope) > limit:
        scope = scope[: limit - 1].rstrip() + "…"
    return f"&L{scope.replace('&', '&&')}&C&A&RPage &P / &N"


def _page(ws, scope: str, landscape: bool) -> None:
    """Paper, orientation, margins and footer shared by every printed sheet."""
    p = _settings()
    ws.set_paper(p["paper"])
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    m = p["margins"]
    ws.set_margins(left=m["left"], right=m["right"], top=m["top"], bottom=m["bottom"])
    ws.set_footer(footer_text(scope), {"margin": p["footer_margin"]})


def setup_input_print(ws, scope: str, layout: InputLayout, n_identity: int, devices: int) -> None:
    """The input sheet: landscape at a fixed readable scale, several pages wide.

    Rows 2-4 (groups, codes, headers) and the first identity columns (ID, designation) repeat on
    every page; the print area ends at STATUS, so hidden helper columns never print, and after
    the ``devices`` rows and a few free rows (every row of a workbook without devices).
    """
    s = _settings()["input"]
    n_repeat = min(s["repeat_columns"], n_identity)
    last = (
        layout.last_row
        if not devices
        else min(layout.last_row, layout.first_row + devices + s["free_rows"] - 1)
    )
    setup_table_print(ws, scope, last, layout.last_visible, n_repeat)


def setup_table_print(ws, scope: str, last_row: int, last_col: int, n_repeat: int) -> None:
    """A table laid out like the input sheet (groups, codes and headers in rows 2-4): landscape at
    the input sheet's fixed scale, several pages wide, its header rows and first ``n_repeat``
    columns on every page, printed up to the 0-based ``last_row`` and ``last_col``."""
    _page(ws, scope, landscape=True)
    ws.set_print_scale(_settings()["input"]["scale"])
    ws.print_across()  # all the columns of the first rows, then the next rows
    ws.repeat_rows(contract.GROUP_ROW - 1, contract.HEADER_ROW - 1)
    if n_repeat:
        ws.repeat_columns(0, n_repeat - 1)
    ws.print_area(0, 0, last_row, last_col)


def setup_reading_print(ws, scope: str, kind: str = "reading") -> None:
    """A reading sheet fitted to one page wide (``kind``: reading, text or matrix in grid.yaml)."""
    s = _settings()["sheets"][kind]
    _page(ws, scope, landscape=s["landscape"])
    ws.fit_to_pages(1, s["pages_tall"])


def setup_form_print(ws, scope: str, last_row: int, last_col: int) -> None:
    """A form sheet (one device) fitted to one page wide; hidden helpers right of ``last_col``."""
    setup_reading_print(ws, scope, "form")
    ws.print_area(0, 0, last_row, last_col)
