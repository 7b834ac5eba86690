"""Year two (issue 26): last campaign's answers pre-filled in this campaign's department workbooks
(``generate --db TARGET --previous CAMPAIGN``).

Each device's recorded answers are pre-filled as the central answers are: in the cell, shaded,
still editable, worth their pre-filled points, with a note "carried over from CAMPAIGN, to check".
The biomedical service's answers and the MDS2 forms of this year win (their cells carry a note);
last year's answer wins over C1's default from the CE class, which the department saw and kept or
corrected then. Every workbook of the campaign then has the REVIEWED column, where a department
confirms a row in one step; until it does (or changes an answer) the row reads "to review" and
does not count as answered.
"""

from __future__ import annotations

from collections.abc import Mapping

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.generate.campaign_options import Options
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.questions import asked_pack
from medrisk_xl.workbook.write.plan import WorkbookPlan

# Device id -> question code -> option index (0-based): what the history recorded for it
# (:func:`medrisk_xl.history.recorded_answers.carried_answers` reads it; the CLI passes it in Options).
Carried = Mapping[str, Mapping[str, int]]


def check_carried(opts: Options, has_inventory: bool) -> None:
    """Refuse ``--previous`` without its answers, without an inventory, or with the form layout
    (not offered yet): exit 2, nothing written."""
    if opts.previous is None:
        return
    why = None
    if opts.carried is None:
        why = "--previous needs the previous campaign's answers (read from the history, --db)"
    elif not has_inventory:
        why = "--previous needs an inventory: last campaign's answers are matched to its device ids"
    elif opts.layout == "form":
        why = "--previous is offered with --layout grid only (the form layout has no review cell yet)"
    if why:
        raise MedriskError([Problem("bad-option", why)], exit_code=2)


def prefill_carried(
    plans: list[tuple[str, WorkbookPlan]], carried: Carried, pack: ContentPack, campaign: str
) -> int:
    """Pre-fill every question a workbook asks, and no central or MDS2 answer fills, with the answer its
    devices got in ``campaign`` (a row standing for several devices only where they all agree);
    mark the workbooks as year two; how many rows got at least one answer."""
    rows = 0
    for _, plan in plans:
        plan.previous = campaign
        asked = asked_pack(pack, plan.vulnerability_by).method.codes
        language = pack.language(plan.language)
        note = language.ui["prefill"]["notes"]["previous"]
        for row in plan.rows:
            if row.spare or not row.devices:
                continue
            given = [carried.get(device, {}) for device in row.devices]
            codes = []
            for code in asked:
                answers = {g.get(code) for g in given}
                if code in row.notes or len(answers) != 1 or None in answers:
                    continue
                index = answers.pop()
                row.answers[code] = index
                row.notes[code] = note.format(campaign=campaign, answer=language.answer_labels(code)[index])
                codes.append(code)
            row.carried = tuple(codes)
            rows += bool(codes)
    return rows
