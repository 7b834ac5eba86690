"""The start sheet: what the campaign asks, how to fill the workbook, and links to every sheet."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import quote_sheetname

from medrisk_xl.method.pack import Language
from medrisk_xl.workbook.write.input_layout import has_device_status
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.reading_sheet import protect_reading
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import row_height


def write_start(
    ws,
    plan: WorkbookPlan,
    language: Language,
    styles: Styles,
    n_rows: int,
    targets: dict[str, str],
    prefilled: Prefilled | None = None,
    share_left: float = 1.0,
) -> None:
    """The start sheet; ``targets`` maps link keys (input, matrix, plans, items, guide; register and
    change with a risk register) to sheet names; ``prefilled`` gives the pre-filled codes and how
    many rows have them."""
    ui = start_texts(plan, language)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 95)
    ws.write_string(0, 0, ui["title"], styles.title)
    ws.set_row(0, 26)
    ws.write_string(1, 0, language.labels["method"]["subtitle"], styles.subtitle)
    ws.merge_range(2, 0, 2, 1, ui["intro"], styles.text)
    ws.set_row(2, row_height(ui["intro"], 120))
    facts = campaign_facts(plan, ui, n_rows, prefilled, language.ui, share_left)
    r = write_facts(ws, styles, 4, facts)
    r = _write_steps(ws, language, ui, styles, r + 1, targets["input"])
    r = _write_links(ws, language, ui, styles, r + 1, targets)
    ws.merge_range(r, 0, r, 1, ui["protection"], styles.small)
    ws.set_row(r, row_height(ui["protection"], 120))
    ws.merge_range(r + 1, 0, r + 1, 1, ui["source"], styles.small)
    protect_reading(ws, plan)


# Minutes a department spends per device, by who answers the vulnerability items (an estimate
# shown on the start sheet: 19 questions, or the 9 criteria only).
MINUTES_PER_DEVICE = {"department": (5, 10), "it": (2, 5)}


def start_texts(plan: WorkbookPlan, language: Language) -> dict:
    """The start sheet's texts: ui.yaml ``start``, with those of ``it_workbook.department`` when
    the IT team answers the vulnerability items (the workbook asks the criteria only)."""
    ui = language.ui["start"]
    if plan.vulnerability_by == "department":
        return ui
    department = language.ui["it_workbook"]["department"]
    links = {**ui["links"], "matrix": department["matrix_link"]}
    return {**ui, **{k: department[k] for k in ("intro", "time_value", "steps")}, "links": links}


# "inventory" | "central" | "mds2" -> (codes, rows); "previous" -> ((the campaign,), rows)
Prefilled = dict[str, tuple[tuple[str, ...], int]]


def _prefilled_facts(ui: dict, texts: dict, prefilled: Prefilled, locked: bool) -> list[tuple[str, str]]:
    """The facts saying what was pre-filled: from the inventory (C1, the CE class), by the
    biomedical service (ui.yaml ``prefill``), from the manufacturers' MDS2 forms (``confirm``);
    ``locked`` (``--lock-prefilled``): the criteria pre-filled centrally are not to be answered."""
    facts = []
    codes, n = prefilled.get("inventory", ((), 0))
    if n:
        value = texts["prefill"]["locked_inventory_value"] if locked else ui["prefilled_value"]
        facts.append((ui["prefilled"], value.format(codes=", ".join(codes), n=n)))
    codes, n = prefilled.get("central", ((), 0))
    if n:
        central = texts["prefill"]
        value = central["locked_fact_value" if locked else "fact_value"]
        facts.append((central["fact"], value.format(codes=", ".join(codes), n=n)))
    codes, n = prefilled.get("previous", ((), 0))
    if n:
        review = texts["prefill"]["review"]
        facts.append((review["fact"], review["fact_value"].format(n=n, campaign=", ".join(codes))))
    mds2_texts = texts.get("confirm", {})
    codes, n = prefilled.get("mds2", ((), 0))
    if n:
        facts.append(
            (
                mds2_texts["mds2_prefilled"],
                mds2_texts["mds2_prefilled_value"].format(codes=", ".join(codes), n=n),
            )
        )
    return facts


def campaign_facts(
    plan: WorkbookPlan,
    ui: dict,
    n_rows: int,
    prefilled: Prefilled | None,
    texts: dict | None = None,
    share_left: float = 1.0,
) -> list[tuple[str, str | dt.date]]:
    """(label, value) of what the campaign asks: its name, scope, devices, contact, deadline, time
    (``share_left``: the share of the questions left to the department; read-only pre-fills take
    none of its time)."""
    not_set = ui["not_set"]
    low, high = MINUTES_PER_DEVICE[plan.vulnerability_by]
    device = (texts or {}).get("device_status")
    devices = str(n_rows)
    if device and plan.device_status and has_device_status(plan.per, plan.layout, texts or {}):
        devices += f" — {device['start']}"  # on the devices' line: the start sheet fits one page
    return [
        (ui["campaign"], plan.campaign),
        (ui["department"] if plan.split_by != "site" else ui["site"], plan.scope or not_set),
        (ui["devices"], devices),
        *_prefilled_facts(ui, texts or {}, prefilled or {}, plan.lock_prefilled),
        (ui["contact"], plan.contact or not_set),
        (ui["deadline"], plan.deadline or not_set),
        (
            ui["time"],
            ui["time_value"].format(
                low=round(low * n_rows * share_left), high=round(high * n_rows * share_left)
            ),
        ),
    ]


def write_facts(ws, styles: Styles, r: int, facts: list[tuple[str, str | dt.date]]) -> int:
    """One fact per row from row ``r``; returns the next row."""
    for key, value in facts:
        ws.write_string(r, 0, key, styles.bold)
        if isinstance(value, dt.date):  # the deadline: a real date
            ws.write_datetime(r, 1, value, styles.date)
        else:
            ws.write_string(r, 1, value, styles.text)
            ws.set_row(r, row_height(value, 95))
        r += 1
    return r


def _write_steps(ws, language: Language, ui: dict, styles: Styles, r: int, input_name: str) -> int:
    """The numbered steps of filling the workbook, from row ``r``; returns the next row."""
    steps = [step.format(input=input_name, guide=language.ui["sheets"]["guide"]) for step in ui["steps"]]
    return write_steps(ws, styles, r, ui["how_title"], steps)


def write_steps(ws, styles: Styles, r: int, title: str, steps: list[str]) -> int:
    """``title``, then one numbered step a row (text in column B), from row ``r``; returns the next row."""
    ws.write_string(r, 0, title, styles.subtitle)
    r += 1
    for i, text in enumerate(steps, start=1):
        ws.write_string(r, 0, f"{i}.", styles.bold)
        ws.write_string(r, 1, text, styles.text)
        ws.set_row(r, row_height(text, 95))
        r += 1
    return r


def _write_links(ws, language: Language, ui: dict, styles: Styles, r: int, targets: dict[str, str]) -> int:
    """A link to each sheet of ``targets`` and what it holds, from row ``r``; returns the next row."""
    ws.write_string(r, 0, ui["links_title"], styles.subtitle)
    r += 1
    links = {
        **ui["links"],
        "register": language.register["sheet"]["link"],
        "change": language.register["change_form"]["link"],
    }
    for key, target in targets.items():
        ws.write_url(r, 0, f"internal:{quote_sheetname(target)}!A1", styles.link, string=target)
        ws.write_string(r, 1, links[key], styles.text)
        r += 1
    return r
