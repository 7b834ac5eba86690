"""A comparison of two campaigns as an xlsx workbook (XlsxWriter).

One sheet per list: the risk distribution (fleet, then each department, with a native column
chart of the fleet's distribution in A and in B side by side), devices whose risk rose, whose
risk fell, new devices, removed devices, changed answers, and the actions completed between A
and B (from the imported action plans). Its texts are the chosen language's (ui.yaml
``compare``; level names, statuses and answer labels from labels.yaml), French by default.
Values only, no formulas; text is always written as text (:func:`~medrisk_xl.core.textsafe.clean_text`),
so a designation ``=HYPERLINK(...)`` stays inert. The file is written beside its destination and
moved into place: an existing file is replaced whole or not at all.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.core.version import __version__
from medrisk_xl.core.xlsx_text import SafeTextWorksheet
from medrisk_xl.history.compare import BUCKETS, LEVELS, NOT_MAPPED, Comparison
from medrisk_xl.method.checks.pack_files import COMPARE_SHEETS
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.workbook.contract import META_SHEET, Meta
from medrisk_xl.workbook.kinds import COMPARE_KIND, KIND_KEY
from medrisk_xl.workbook.lists import register_status_texts


def sheet_names(language: Language) -> tuple[str, ...]:
    """The workbook's sheet names in ``language``, in order."""
    return tuple(language.ui["compare"]["sheets"][key] for key in COMPARE_SHEETS)


def write_comparison(
    comparison: Comparison,
    path: str | os.PathLike[str],
    lang: str | None = None,
    pack: ContentPack | None = None,
) -> Path:
    """Write ``comparison`` to ``path`` (an ``.xlsx``) in language ``lang`` of ``pack`` (default:
    the shipped pack's default language, fr), atomically; return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MedriskError(
            [Problem("bad-output", "the comparison workbook must end in .xlsx", file=str(path))], 2
        )
    pack = pack or load_pack()
    language = pack.language(lang)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        _build(comparison.in_language(pack, language.code), tmp, language)
        os.replace(tmp, path)
    except FileCreateError as exc:
        raise MedriskError(
            [Problem("cannot-write", f"cannot write the workbook: {exc}", file=str(path))]
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook):
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


def _build(c: Comparison, path: Path, language: Language) -> None:
    """Write the comparison's sheets, in :func:`sheet_names`' order, to ``path``."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.worksheet_class = SafeTextWorksheet  # texts from the returns, escaped
    w = _Writer(wb)
    names = sheet_names(language)
    _summary_sheet(wb, w, c, language, names[0])
    _device_sheets(wb, w, c, language, names)
    _answers_sheet(wb, w, c, language.ui["compare"], names[5])
    _actions_sheet(wb, w, c, language.ui["compare"], names[6])
    _meta_sheet(wb, c)
    wb.close()


def _meta_sheet(wb: xlsxwriter.Workbook, c: Comparison) -> None:
    """A very hidden ``_meta`` naming the file's kind: a comparison given where a return or a plan
    is expected is named for what it is (:mod:`medrisk_xl.workbook.read.output_kind`)."""
    ws = wb.add_worksheet(META_SHEET)
    pairs = (
        (KIND_KEY, COMPARE_KIND),
        (Meta.GENERATOR, f"medrisk-xl {__version__}"),
        ("campaign_a", c.a.campaign),
        ("campaign_b", c.b.campaign),
    )
    for r, (key, value) in enumerate(pairs):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, str(value))
    ws.very_hidden()


def _summary_sheet(wb: xlsxwriter.Workbook, w: _Writer, c: Comparison, language: Language, name: str) -> None:
    """The distribution by risk level (fleet, then departments) in A and B, with a chart."""
    ui = language.ui["compare"]
    col = ui["columns"]
    a, b = c.a.campaign, c.b.campaign
    short = language.labels["risk"]["short_levels"]
    buckets = {k: ui["level"].format(level=k, name=short[int(k)]) for k in LEVELS}
    buckets[NOT_MAPPED] = ui["not_mapped"]
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, clean_text(ui["title"].format(a=a, b=b))[0], w.title)
    ws.write_string(1, 0, ui["intro"])
    top = 3
    dists = [d for d in (c.fleet,) if d] + c.departments
    rows = [
        [ui["fleet"] if i == 0 and c.fleet else d.name, buckets[k], d.a[k], d.b[k], d.change[k]]
        for i, d in enumerate(dists)
        for k in BUCKETS
    ]
    headers = [col["scope"], col["level"], a, b, col["change"]]
    w.table(ws, top, headers, rows, [28, 22, 14, 14, 10])
    ws.set_column(4, 4, 10, w.signed)
    if not c.fleet:
        return
    chart = wb.add_chart({"type": "column"})
    first, last = top + 1, top + len(BUCKETS)
    for column, series in ((2, a), (3, b)):
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
    ws.insert_chart(top, 6, chart, {"x_scale": 1.3, "y_scale": 1.2})


def _device_sheets(
    wb: xlsxwriter.Workbook, w: _Writer, c: Comparison, language: Language, names: Sequence[str]
) -> None:
    """The devices whose risk rose, fell; the devices added in B, removed from A."""
    col = language.ui["compare"]["columns"]
    a, b = c.a.campaign, c.b.campaign
    statuses = register_status_texts(language)
    device = [col["device_id"], col["department"], col["designation"]]
    risk_headers = [*device, col["risk"].format(campaign=a), col["risk"].format(campaign=b)]
    for name, changes in ((names[1], c.risk_rose), (names[2], c.risk_fell)):
        ws = wb.add_worksheet(name)
        rows = [[x.device_id, x.department, x.designation, x.risk_a, x.risk_b] for x in changes]
        w.table(ws, 0, risk_headers, rows, [16, 22, 40, 12, 12])
    for name, entries, where in ((names[3], c.added, b), (names[4], c.removed, a)):
        ws = wb.add_worksheet(name)
        rows = [
            [x.device_id, x.department, x.designation, x.risk_level, statuses.get(x.status or "", x.status)]
            for x in entries
        ]
        headers = [*device, col["risk"].format(campaign=where), col["status"].format(campaign=where)]
        w.table(ws, 0, headers, rows, [16, 22, 40, 12, 22])


def _answers_sheet(wb: xlsxwriter.Workbook, w: _Writer, c: Comparison, ui: dict[str, Any], name: str) -> None:
    """The criteria and items answered otherwise in B."""
    col = ui["columns"]
    ws = wb.add_worksheet(name)
    rows = [[x.device_id, x.department, x.item, x.before, x.after] for x in c.answers_changed]
    headers = [col["device_id"], col["department"], col["item"]]
    headers += [col["answer"].format(campaign=c.a.campaign), col["answer"].format(campaign=c.b.campaign)]
    w.table(ws, 0, headers, rows, [16, 22, 10, 18, 18])


def _actions_sheet(wb: xlsxwriter.Workbook, w: _Writer, c: Comparison, ui: dict[str, Any], name: str) -> None:
    """The actions completed in the plans imported from A up to B, with what B says of them."""
    col = ui["columns"]
    b = c.b.campaign
    ws = wb.add_worksheet(name)
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
