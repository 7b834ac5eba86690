"""``actions import``: a consolidated workbook's action plan read, checked and stored in the
history, all or nothing; re-importing a campaign's plan replaces its actions in one transaction."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medrisk_xl.consolidate.tables import ACTION_STATUS_CODES
from medrisk_xl.core.message_templates import render
from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.core.version import __version__
from medrisk_xl.history.actions.carrying import kept_values
from medrisk_xl.history.actions.plan_check import REGISTER_COLUMNS_USED, PlanCheck
from medrisk_xl.history.actions.plan_file import PlanFile, plan_identity, read_plan
from medrisk_xl.history.actions.plan_group_check import check_any_plan
from medrisk_xl.history.actions.plan_problems import PlanProblems, capped_problems
from medrisk_xl.history.store import CampaignInfo, History, Target, open_history
from medrisk_xl.history.stored_values import file_digest, utc_now_text
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.workbook.read.opening import Unreadable
from medrisk_xl.workbook.read.parts import ActiveContent


@dataclass(frozen=True)
class ActionImport:
    """What :func:`import_actions` did."""

    campaign: str
    file: str
    target: str  # the history, password hidden
    rows: int  # action rows found in the plan
    stored: int  # rows the team filled in, stored
    by_status: dict[str, int]  # ACTION_STATUS_CODES and "none" (owner or due date, no status)
    replaced: bool  # a previous import of the campaign's plan was replaced
    kept: int = 0  # device actions of grouped rows with an empty status that kept their own
    warnings: tuple[Problem, ...] = ()
    team: int = 0  # of the stored actions, the team's own (rows it added), per device

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = [p.to_dict(lang) for p in self.warnings]
        return data

    def to_text(self, lang: str | None = None) -> str:
        """The import in one line, in ``lang`` (English by default)."""
        counts = ", ".join(
            render(f"actions.status.{code}", lang, count=n) for code, n in self.by_status.items() if n
        )
        return render(
            "actions.summary",
            lang,
            file=self.file,
            count=self.stored,
            campaign=self.campaign,
            target=self.target,
            again=render("actions.summary_again", lang) if self.replaced else "",
            counts=render("actions.summary_counts", lang, counts=counts) if counts else "",
            kept=render("actions.summary_kept", lang, count=self.kept) if self.kept else "",
            team=render("actions.summary_team", lang, count=self.team) if self.team else "",
            rows=self.rows,
        )


def _read_or_refuse(path: Path) -> PlanFile:
    """The plan file, or the error saying why it cannot be read (one problem per active part)."""
    try:
        return read_plan(path)
    except ActiveContent as exc:  # refused before any parser ran: one problem per part
        raise MedriskError([Problem(f.code, f.said, file=str(path)) for f in exc.findings]) from None
    except Unreadable as exc:
        raise MedriskError([Problem("unreadable", exc.said, file=str(path))]) from None
    except OSError as exc:
        raise MedriskError(
            [Problem("unreadable", msg("actions.cannot-read", reason=exc.strerror), file=str(path))]
        ) from None


def _recorded_campaign(history: History, campaign: str, path: Path) -> CampaignInfo:
    """The campaign the plan belongs to, as recorded, or ``unknown-campaign``."""
    known = {i.campaign: i for i in history.campaigns()}
    info = known.get(campaign)
    if info is None:
        recorded = ", ".join(known) or msg("actions.none-recorded")
        raise MedriskError(
            [
                Problem(
                    "unknown-campaign",
                    msg(
                        "actions.unknown-campaign",
                        campaign=campaign,
                        target=history.target.display,
                        recorded=recorded,
                    ),
                    file=str(path),
                )
            ]
        )
    return info


def _store(history: History, info: CampaignInfo, checked: PlanCheck, path: Path) -> bool:
    """Store the checked actions and the import's record; whether a previous import was replaced."""
    sha, size = file_digest(path)
    rows = [
        {
            "device_id": a.device_id,
            "ref": a.ref,
            "department": a.department,
            "owner": a.owner,
            "due": a.due,
            "status": a.status,
            "text": a.text,
            "team": a.team,
        }
        for a in checked.actions
    ]
    imported = {
        "imported_at": utc_now_text(),
        "imported_by": __version__,
        "file": str(path),
        "sha256": sha,
        "size": size,
        "rows": checked.rows,
        "actions": len(rows),
    }
    return history.store_actions(info.campaign, info.recorded_at, rows, imported)


def import_actions(
    path: str | os.PathLike[str],
    target: str | os.PathLike[str] | Target | None = None,
    *,
    pack: ContentPack | None = None,
) -> ActionImport:
    """Read the action plan of the consolidated workbook ``path`` into the history at ``target``
    (``None``: ``MEDRISK_DB``). Every check must pass (see :mod:`medrisk_xl.history.actions`):
    otherwise a :class:`MedriskError` lists every problem (sheet and cell named) and nothing is
    imported. Re-importing a campaign's plan replaces its actions, in one transaction."""
    path = Path(path)
    pack = pack or load_pack()
    out = PlanProblems(path)
    plan = _read_or_refuse(path)
    campaign, language = plan_identity(plan, pack, out)
    if language is None:
        raise MedriskError(out.items)
    with open_history(target, create=False) as history:
        info = _recorded_campaign(history, campaign, path)
        register = history.register(campaign, REGISTER_COLUMNS_USED)
        checked = check_any_plan(plan, pack, register, campaign, kept_values(history, campaign))
        if checked.errors:
            raise MedriskError(capped_problems(checked.problems))
        replaced = _store(history, info, checked, path)
        target_name = history.target.display
    by_status = Counter(a.status or "none" for a in checked.actions)
    return ActionImport(
        campaign=campaign,
        file=str(path),
        target=target_name,
        rows=checked.rows,
        stored=len(checked.actions),
        by_status={code: by_status.get(code, 0) for code in (*ACTION_STATUS_CODES, "none")},
        replaced=replaced,
        kept=checked.kept,
        warnings=tuple(capped_problems(checked.problems)),
        team=sum(a.team for a in checked.actions),
    )
