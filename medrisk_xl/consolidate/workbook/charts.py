"""The summary's two native charts: devices per department by risk level, and by risk level."""

from __future__ import annotations

from typing import Any

from medrisk_xl.consolidate.workbook.map_book import LEVELS, Book


def department_chart(book: Book, name: str, span: tuple[int, int, int], col: int = 0) -> Any:
    """Stacked columns: devices per department by risk level (a department table: names in column
    ``col``, the levels' counts in the next three)."""
    header, first, last = span
    chart = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    for level in LEVELS:
        colours = book.t["levels"][level]
        chart.add_series(
            {
                "name": [name, header, col + level],
                "categories": [name, first, col, last, col],
                "values": [name, first, col + level, last, col + level],
                "fill": {"color": colours["fill"]},
                "border": {"color": colours["font"]},
                "gap": 60,
            }
        )
    chart.set_title({"name": book.ui["summary"]["chart_departments"], "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_size({"width": min(1400, max(620, 200 + 50 * (last - first + 1))), "height": 340})
    return chart


def risk_chart(book: Book, name: str, first: int) -> Any:
    """Pie: devices of the map by risk level (the summary's risk table)."""
    chart = book.wb.add_chart({"type": "pie"})
    levels = book.t["levels"]
    chart.add_series(
        {
            "name": book.ui["summary"]["chart_risk"],
            "categories": [name, first, 0, first + len(LEVELS) - 1, 0],
            "values": [name, first, 1, first + len(LEVELS) - 1, 1],
            "points": [
                {"fill": {"color": levels[n]["fill"]}, "border": {"color": levels[n]["font"]}} for n in LEVELS
            ],
            "data_labels": {"value": True, "percentage": True, "separator": "\n"},
        }
    )
    chart.set_title({"name": book.ui["summary"]["chart_risk"], "name_font": {"size": 12}})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 620, "height": 340})
    return chart
