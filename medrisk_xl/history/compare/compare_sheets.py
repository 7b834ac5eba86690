"""The comparison workbook's sheets, one function each, in the order of ``COMPARE_SHEETS``: the
distribution (with the part of each change that risk and coverage make, and a chart), the
like-for-like distribution, devices whose risk rose or fell, devices added and removed, answers
changed, actions completed. Values only; texts are the language's (ui.yaml ``compare``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.history.compare.comparison import Comparison
from medrisk_xl.history.compare.distributions import BUCKETS, FLEET, LEVELS, NOT_MAPPED, Distribution
from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.lists import register_status_texts


class SheetWriter:
    """The formats of one workbook, and how a value and a table are written."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.header = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.signed = wb.add_format({"num_format": "+0;-0;0"})

    def cell(self, ws: Worksheet, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            ws.write_boolean(row, col, value)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value)
        else:
            ws.write_string(row, col, clean_text(value)[0])

    def table(
        self,
        ws: Worksheet,
        top: int,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[int],
    ) -> None:
        for col, (header, width) in enumerate(zip(headers, widths)):
            ws.write_string(top, col, header, self.header)
            ws.set_column(col, col, width)
        for r, row in enumerate(rows, start=top + 1):
            for col, value in enumerate(row):
                self.cell(ws, r, col, value)
        ws.freeze_panes(top + 1, 0)
        ws.autofilter(top, 0, top + max(len(rows), 1), len(headers) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(top)


def bucket_names(language: Language) -> dict[str, str]:
    ui = language.ui["compare"]
    short = language.labels["risk"]["short_levels"]
    names = {k: ui["level"].format(level=k, name=short[int(k)]) for k in LEVELS}
    return names | {NOT_MAPPED: ui["not_mapped"]}


def _titled(
    w: SheetWriter, c: Comparison, ui: dict[str, Any], name: str, title: str, intro: str
) -> Worksheet:
    ws = w.wb.add_worksheet(name)
    campaigns = {"a": c.a.campaign, "b": c.b.campaign}
    ws.write_string(0, 0, clean_text(ui[title].format(**campaigns))[0], w.title)
    ws.write_string(1, 0, clean_text(ui[intro].format(**campaigns))[0])
    return ws


def distribution_sheet(w: SheetWriter, c: Comparison, language: Language, name: str) -> None:
    """The distribution by risk level (fleet, then departments) in A and B, each change in two
    parts (risk: devices in the map in both; coverage: the others), with a chart."""
    ui = language.ui["compare"]
    col = ui["columns"]
    a, b = c.a.campaign, c.b.campaign
    buckets = bucket_names(language)
    ws = _titled(w, c, ui, name, "title", "intro")
    top = 3
    dists = [d for d in (c.fleet,) if d] + c.departments

    def row(d: Distribution, k: str) -> list[Any]:
        scope = ui["fleet"] if d.name == FLEET else d.name
        parts = [d.risk[k], d.coverage[k]] if d.risk is not None and d.coverage is not None else []
        return [scope, buckets[k], d.a[k], d.b[k], d.change[k], *parts]

    headers = [col["scope"], col["level"], a, b, col["change"], col["from_risk"], col["from_coverage"]]
    w.table(ws, top, headers, [row(d, k) for d in dists for k in BUCKETS], [28, 22, 14, 14, 10, 14, 14])
    ws.set_column(4, 6, 12, w.signed)
    if c.fleet:
        _distribution_chart(w, ws, ui, name, (a, b), top)


def _distribution_chart(
    w: SheetWriter, ws: Worksheet, ui: dict[str, Any], name: str, campaigns: tuple[str, str], top: int
) -> None:
    """A native column chart of the fleet's distribution in A and in B side by side."""
    chart = w.wb.add_chart({"type": "column"})
    first, last = top + 1, top + len(BUCKETS)
    for column, series in ((2, campaigns[0]), (3, campaigns[1])):
        chart.add_series(
            {
                "name": series,
                "categories": [name, first, 1, last, 1],
                "values": [name, first, column, last, column],
                "data_labels": {"value": True},
            }
        )
    chart.set_title({"name": ui["chart"]})
    chart.set_y_axis({"name": ui["chart_axis"], "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(top, 8, chart, {"x_scale": 1.3, "y_scale": 1.2})


def like_for_like_sheet(w: SheetWriter, c: Comparison, language: Language, name: str) -> None:
    """The devices in the map in both campaigns, by risk level in A and in B (fleet, departments)."""
    ui = language.ui["compare"]
    col = ui["columns"]
    buckets = bucket_names(language)
    ws = _titled(w, c, ui, name, "like_title", "like_intro")
    like = c.like_for_like
    dists = [like.fleet, *like.departments] if like else []
    ws.write_string(2, 0, ui["like_devices"].format(n=like.devices if like else 0))
    rows = [
        [ui["fleet"] if d.name == FLEET else d.name, buckets[k], d.a[k], d.b[k], d.change[k]]
        for d in dists
        for k in LEVELS
    ]
    headers = [col["scope"], col["level"], c.a.campaign, c.b.campaign, col["change"]]
    w.table(ws, 4, headers, rows, [28, 22, 14, 14, 10])
    ws.set_column(4, 4, 10, w.signed)


def device_sheets(w: SheetWriter, c: Comparison, language: Language, names: dict[str, str]) -> None:
    """The devices whose risk rose, fell; the devices added in B, removed from A."""
    col = language.ui["compare"]["columns"]
    a, b = c.a.campaign, c.b.campaign
    statuses = register_status_texts(language)
    device = [col["device_id"], col["department"], col["designation"]]
    risk_headers = [*device, col["risk"].format(campaign=a), col["risk"].format(campaign=b)]
    for key, changes in (("risk_rose", c.risk_rose), ("risk_fell", c.risk_fell)):
        ws = w.wb.add_worksheet(names[key])
        rows = [[x.device_id, x.department, x.designation, x.risk_a, x.risk_b] for x in changes]
        w.table(ws, 0, risk_headers, rows, [16, 22, 40, 12, 12])
    for key, entries, where in (("added", c.added, b), ("removed", c.removed, a)):
        ws = w.wb.add_worksheet(names[key])
        rows = [
            [x.device_id, x.department, x.designation, x.risk_level, statuses.get(x.status or "", x.status)]
            for x in entries
        ]
        headers = [*device, col["risk"].format(campaign=where), col["status"].format(campaign=where)]
        w.table(ws, 0, headers, rows, [16, 22, 40, 12, 22])


def answers_sheet(w: SheetWriter, c: Comparison, language: Language, name: str) -> None:
    """The criteria and items answered otherwise in B."""
    col = language.ui["compare"]["columns"]
    ws = w.wb.add_worksheet(name)
    rows = [[x.device_id, x.department, x.item, x.before, x.after] for x in c.answers_changed]
    headers = [col["device_id"], col["department"], col["item"]]
    headers += [col["answer"].format(campaign=c.a.campaign), col["answer"].format(campaign=c.b.campaign)]
    w.table(ws, 0, headers, rows, [16, 22, 10, 18, 18])


def actions_sheet(w: SheetWriter, c: Comparison, language: Language, name: str) -> None:
    """The actions completed in the plans imported from A up to B, with what B says of them."""
    ui = language.ui["compare"]
    col = ui["columns"]
    b = c.b.campaign
    ws = w.wb.add_worksheet(name)
    rows = [
        [
            x.campaign,
            x.device_id,
            x.department,
            x.designation,
            ui["team_action"].format(ref=x.ref, text=x.text) if x.team else x.ref,
            x.owner,
            x.due,
            x.done_since,
            ui["in_b"][x.in_b].format(campaign=b) if x.in_b in ui["in_b"] else None,
        ]
        for x in c.actions_completed
    ]
    device = [col["device_id"], col["department"], col["designation"]]
    headers = [col["plan"], *device, col["ref"], col["owner"], col["due"], col["done"]]
    headers += [col["in_b"].format(campaign=b)]
    w.table(ws, 0, headers, rows, [14, 16, 22, 36, 14, 18, 12, 20, 36])
