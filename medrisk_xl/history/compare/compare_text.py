"""A comparison as the terminal shows it: every sentence a template of the language's
``messages.yaml`` (``compare.*``), numbers, dates and times the language's way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medrisk_xl.core.message_templates import render
from medrisk_xl.history.compare.distributions import BUCKETS, FLEET, LEVELS, Distribution

if TYPE_CHECKING:
    from medrisk_xl.history.actions import CompletedAction
    from medrisk_xl.history.compare.comparison import AnswerChange, Comparison


def comparison_text(c: Comparison, lang: str | None = None) -> str:
    """Every list of ``c``, then its distributions, then the actions completed."""
    a, b = c.a.campaign, c.b.campaign
    out = [render("compare.head", lang, a=a, b=b)]
    for info in (c.a, c.b):
        out.append(
            render(
                "compare.campaign",
                lang,
                campaign=info.campaign,
                created=info.created or "—",
                recorded=info.recorded_at,
                count=info.devices,
                mapped=info.devices_in_map,
            )
        )
    for key, changes in (("compare.rose", c.risk_rose), ("compare.fell", c.risk_fell)):
        out.append(render(key, lang, count=len(changes)))
        out += table(
            [[x.device_id, t(x.department), t(x.designation), f"{x.risk_a} → {x.risk_b}"] for x in changes]
        )
    for key, entries in (("compare.added", c.added), ("compare.removed", c.removed)):
        out.append(render(key, lang, b=b, count=len(entries)))
        out += table(
            [
                [
                    e.device_id,
                    t(e.department),
                    t(e.designation),
                    render("compare.risk", lang, level=t(e.risk_level)),
                ]
                for e in entries
            ]
        )
    out += _answers_text(c.answers_changed, b, lang)
    if c.carried_checked or c.carried_unchecked:
        out.append(
            render(
                "compare.carried",
                lang,
                b=b,
                checked=len(c.carried_checked),
                count=len(c.carried_unchecked),
            )
        )
    out += _distributions_text(c, lang)
    out += _actions_text(c, lang)
    return "\n".join(out)


def _answers_text(changed: list[AnswerChange], b: str, lang: str | None) -> list[str]:
    per_device: dict[str, list[AnswerChange]] = {}
    for change in changed:
        per_device.setdefault(change.device_id, []).append(change)
    out = [render("compare.answers", lang, count=len(changed), devices=len(per_device))]
    for device, changes in per_device.items():
        listed = ", ".join(f"{x.item} {t(x.before)} → {t(x.after)}" for x in changes)
        out.append(f"  {device} ({t(changes[0].department)}): {listed}")
    confirmed = [x for x in changed if x.confirmed]
    by_it = sum(1 for x in confirmed if x.source == "it")
    out.append(render("compare.confirmed", lang, b=b, count=len(confirmed), by_it=by_it))
    return out


def _name(d: Distribution, lang: str | None) -> str:
    return render("compare.fleet", lang) if d.name == FLEET else d.name


def _distributions_text(c: Comparison, lang: str | None) -> list[str]:
    """The raw distribution (A → B), the like-for-like one, and the fleet's change in two parts."""
    levels = [render("compare.level", lang, level=k) for k in LEVELS]
    header = ["", *levels, render("compare.not_mapped", lang)]
    dists = [d for d in (c.fleet,) if d] + c.departments
    out = [render("compare.distribution", lang)]
    out += table([header] + [[_name(d, lang)] + [delta(d.a[k], d.b[k]) for k in BUCKETS] for d in dists])
    like = c.like_for_like
    if like is None or c.fleet is None or c.fleet.risk is None:
        return out
    out.append(render("compare.like_for_like", lang, count=like.devices))
    rows = [["", *levels]] + [
        [_name(d, lang)] + [delta(d.a[k], d.b[k]) for k in LEVELS] for d in (like.fleet, *like.departments)
    ]
    out += table(rows)
    out.append(render("compare.sources", lang))
    parts = (("compare.source.change", c.fleet.change), ("compare.source.risk", c.fleet.risk))
    parts += (("compare.source.coverage", c.fleet.coverage or {}),)
    out += table([header] + [[render(key, lang)] + [f"{part[k]:+d}" for k in BUCKETS] for key, part in parts])
    return out


def _actions_text(c: Comparison, lang: str | None) -> list[str]:
    a, b = c.a.campaign, c.b.campaign
    if not c.actions_imported:
        return [render("compare.actions_none", lang, a=a, b=b)]
    done = c.actions_completed
    out = [render("compare.actions", lang, a=a, b=b, count=len(done), plans=", ".join(c.actions_imported))]
    return out + table([_action_row(x, b, lang) for x in done])


def _action_row(x: CompletedAction, b: str, lang: str | None) -> list[str]:
    in_b = render(f"compare.in_b.{x.in_b}", lang, b=b) if x.in_b else ""
    due = render("compare.due", lang, due=x.due or "—")
    return [x.device_id, t(x.department), x.shown_ref, t(x.owner), due, in_b]


def t(value: object) -> str:
    """A value shown in a table: "—" when empty."""
    return "—" if value is None or value == "" else str(value)


def delta(a: int, b: int) -> str:
    """``a → b``, with the signed change when there is one."""
    return f"{a} → {b} ({b - a:+d})" if a != b else f"{a} → {b}"


def table(rows: list[list[str]]) -> list[str]:
    """Rows as aligned columns, indented by two spaces."""
    if not rows:
        return []
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    return ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
