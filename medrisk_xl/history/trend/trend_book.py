"""A trend as an xlsx workbook (XlsxWriter): one row per campaign with a native line chart of
the mapped devices by risk level, the like-for-like panel below it; one sheet per site; one for
the action KPIs of every imported plan, in total and per owner, department and theme. Values
only, texts always written as text, the file written atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from medrisk_xl.core.atomic import atomic_write
from medrisk_xl.core.message_templates import format_date
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.core.textsafe import clean_text
from medrisk_xl.core.xlsx_text import SafeTextWorksheet
from medrisk_xl.history.actions.action_kpis import GROUPS, STATUSES, ActionKpis
from medrisk_xl.history.compare.compare_sheets import SheetWriter, bucket_names
from medrisk_xl.history.compare.distributions import LEVELS
from medrisk_xl.history.trend.campaign_trend import Figures
from medrisk_xl.history.trend.trend_over import Trend
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.method.specs_history_ui import TREND_SHEETS


def write_trend(
    t: Trend, path: str | os.PathLike[str], lang: str | None = None, pack: ContentPack | None = None
) -> Path:
    """Write ``t`` to ``path`` (an ``.xlsx``) in language ``lang`` of ``pack`` (default: the
    shipped pack's default language), atomically; return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MedriskError([Problem("bad-output", msg("trend.bad_output"), file=str(path))], 2)
    pack = pack or load_pack()
    language = pack.language(lang)
    if "trend" not in language.ui:  # an older site pack: the shipped texts of its language
        language = load_pack().language(language.code)
    atomic_write(path, lambda tmp: _build(t, tmp, language))
    return path


def _build(t: Trend, path: Path, language: Language) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.worksheet_class = SafeTextWorksheet
    w = SheetWriter(wb)
    ui = language.ui["trend"]
    names = dict(zip(TREND_SHEETS, (ui["sheets"][k] for k in TREND_SHEETS)))
    _campaigns_sheet(w, t, language, names["campaigns"])
    _sites_sheet(w, t, language, names["sites"])
    _actions_sheet(w, t, language, names["actions"])
    wb.close()


def _figures(f: Figures) -> list[Any]:
    return [f.expected, f.returned, f.mapped, *(f.levels[k] for k in LEVELS)]


def _campaigns_sheet(w: SheetWriter, t: Trend, language: Language, name: str) -> None:
    """A row per campaign, the chart beside it, the like-for-like panel under it."""
    ui, col = language.ui["trend"], language.ui["trend"]["columns"]
    levels = [bucket_names(language)[k] for k in LEVELS]
    ws = w.wb.add_worksheet(name)
    ws.write_string(0, 0, ui["title"], w.title)
    ws.write_string(1, 0, ui["intro"])
    headers = [col[k] for k in ("campaign", "created", "expected", "returned", "mapped")] + levels
    headers += [col[k] for k in ("unknown_share", "actions", "done", "open", "overdue")]
    rows = []
    for c in t.campaigns:
        a = c.actions
        acts = [a.actions, a.total["done"], a.open, a.total["overdue"]] if a else [None] * 4
        created = format_date(c.info.created, language.code) if c.info.created else None
        rows.append([c.info.campaign, created, *_figures(c.fleet), c.unknown_share, *acts])
    top = 3
    w.table(ws, top, headers, rows, [16, 12, 11, 11, 13, 20, 20, 20, 14, 10, 10, 10, 10])
    ws.set_column(8, 8, 14, w.wb.add_format({"num_format": "0.0%"}))
    below = top + len(rows) + 2
    ws.write_string(below, 0, clean_text(ui["like_title"].format(n=t.panel))[0], w.title)
    like = [[c.info.campaign, *(c.fleet.like_for_like[k] for k in LEVELS)] for c in t.campaigns]
    for r, row in enumerate([[col["campaign"], *levels], *like], start=below + 1):
        for k, value in enumerate(row):
            if r == below + 1:
                ws.write_string(r, k, value, w.header)
            else:
                w.cell(ws, r, k, value)
    _chart(w, ws, ui, name, levels, top, len(rows))


def _chart(
    w: SheetWriter, ws: Worksheet, ui: dict[str, Any], name: str, levels: list[str], top: int, n: int
) -> None:
    """A native line chart: the mapped devices of each level, campaign after campaign."""
    if not n:
        return
    chart = w.wb.add_chart({"type": "line"})
    for k, level in enumerate(levels):
        chart.add_series(
            {
                "name": level,
                "categories": [name, top + 1, 0, top + n, 0],
                "values": [name, top + 1, 5 + k, top + n, 5 + k],
                "marker": {"type": "circle"},
                "data_labels": {"value": True},
            }
        )
    chart.set_title({"name": ui["chart"]})
    chart.set_y_axis({"name": ui["chart_axis"], "major_gridlines": {"visible": True}, "min": 0})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(top + n + 3 + n + 2, 0, chart, {"x_scale": 1.5, "y_scale": 1.2})


def _sites_sheet(w: SheetWriter, t: Trend, language: Language, name: str) -> None:
    col = language.ui["trend"]["columns"]
    levels = [bucket_names(language)[k] for k in LEVELS]
    ws = w.wb.add_worksheet(name)
    like = [language.ui["trend"]["like_level"].format(level=level) for level in levels]
    headers = [col[k] for k in ("site", "campaign", "expected", "returned", "mapped")] + levels + like
    rows = [
        [site, c.info.campaign, *_figures(f), *(f.like_for_like[k] for k in LEVELS)]
        for c in t.campaigns
        for site, f in c.sites.items()
    ]
    w.table(ws, 0, headers, rows, [24, 16, 11, 11, 13, 20, 20, 20, 22, 22, 22])


def _kpi_row(counts: dict[str, int]) -> list[int]:
    return [sum(counts[s] for s in STATUSES), *(counts[s] for s in (*STATUSES, "overdue"))]


def _actions_sheet(w: SheetWriter, t: Trend, language: Language, name: str) -> None:
    """Per campaign with an imported plan: its totals, then each owner, department and theme."""
    ui, col = language.ui["trend"], language.ui["trend"]["columns"]
    statuses = list(language.ui["consolidated"]["action_status"])
    ws = w.wb.add_worksheet(name)
    ws.write_string(0, 0, ui["actions_intro"].format(date=format_date(t.today, language.code)))
    headers = [
        col["campaign"],
        col["group"],
        col["name"],
        col["actions"],
        *statuses,
        col["no_status"],
        col["overdue"],
    ]
    rows: list[list[Any]] = []
    for c in t.campaigns:
        kpis: ActionKpis | None = c.actions
        if kpis is None:
            continue
        rows.append([c.info.campaign, None, None, *_kpi_row(kpis.total)])
        for group in GROUPS:
            rows += [
                [c.info.campaign, ui["groups"][group], n, *_kpi_row(v)] for n, v in kpis.by[group].items()
            ]
    w.table(ws, 2, headers, rows, [16, 14, 28, 10, 12, 12, 12, 14, 12, 12])
