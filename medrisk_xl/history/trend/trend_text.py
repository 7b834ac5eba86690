"""A trend as the terminal shows it: one row per campaign, the like-for-like panel, each site, and
the action KPIs of the latest imported plan per owner, department and theme; every sentence and
header a template of ``messages.yaml`` (``trend.*``)."""

from __future__ import annotations

from medrisk_xl.core.message_templates import format_date, format_number, render
from medrisk_xl.history.actions.action_kpis import GROUPS, STATUSES, ActionKpis
from medrisk_xl.history.compare.compare_text import table
from medrisk_xl.history.compare.distributions import LEVELS
from medrisk_xl.history.trend.campaign_trend import Figures
from medrisk_xl.history.trend.trend_over import Trend


def _n(value: int | None, lang: str) -> str:
    return "—" if value is None else format_number(value, lang)


def _share(value: float | None, lang: str) -> str:
    return (
        "—"
        if value is None
        else render("trend.percent", lang, value=format_number(round(value * 100, 1), lang))
    )


def _figures(f: Figures, lang: str) -> list[str]:
    return [
        _n(f.expected, lang),
        _n(f.returned, lang),
        _n(f.mapped, lang),
        *(_n(f.levels[k], lang) for k in LEVELS),
    ]


def _header(key: str, lang: str) -> list[str]:
    return render(key, lang).split("|")


def trend_text(t: Trend, lang: str | None = None) -> str:
    """The trend ``t`` in ``lang`` (English by default)."""
    lang = lang or "en"
    out = [render("trend.head", lang, count=len(t.campaigns))]
    rows = [_header("trend.columns", lang)]
    for c in t.campaigns:
        acts = c.actions
        done = (
            [_n(acts.total["done"], lang), _n(acts.open, lang), _n(acts.total["overdue"], lang)]
            if acts
            else ["—"] * 3
        )
        created = format_date(c.info.created, lang) if c.info.created else "—"
        rows.append(
            [c.info.campaign, created, *_figures(c.fleet, lang), _share(c.unknown_share, lang), *done]
        )
    out += table(rows)
    out.append(render("trend.like_for_like", lang, count=t.panel))
    out += table(
        [_header("trend.like_columns", lang)]
        + [[c.info.campaign, *(_n(c.fleet.like_for_like[k], lang) for k in LEVELS)] for c in t.campaigns]
    )
    out.append(render("trend.sites", lang))
    site_rows = [_header("trend.site_columns", lang)]
    for c in t.campaigns:
        site_rows += [
            [name, c.info.campaign, *_figures(f, lang), *(_n(f.like_for_like[k], lang) for k in LEVELS)]
            for name, f in c.sites.items()
        ]
    out += table(site_rows)
    return "\n".join(out + _actions_text(t, lang))


def _actions_text(t: Trend, lang: str) -> list[str]:
    """The KPIs of the latest campaign with an imported plan, per group."""
    latest = next((c for c in reversed(t.campaigns) if c.actions), None)
    if latest is None:
        return [render("trend.no_actions", lang)]
    kpis: ActionKpis = latest.actions  # type: ignore[assignment]
    out = [
        render(
            "trend.actions",
            lang,
            campaign=latest.info.campaign,
            today=t.today,
            count=kpis.actions,
            done=kpis.total["done"],
            open=kpis.open,
            overdue=kpis.total["overdue"],
        )
    ]
    for group in GROUPS:
        rows = [_header(f"trend.by.{group}", lang)]
        rows += [
            [name, _n(sum(c[s] for s in STATUSES), lang), *(_n(c[s], lang) for s in (*STATUSES, "overdue"))]
            for name, c in kpis.by[group].items()
        ]
        out += table(rows)
    return out
