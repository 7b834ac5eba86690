"""Open a campaign history, record a consolidation in it, read it back.

A history is a SQLite file (the default store, nothing to install) or a PostgreSQL database
(``postgresql://user:password@host/db``); the target can also come from the ``MEDRISK_DB``
environment variable (:mod:`.target`). Both are driven through the same SQLAlchemy Core tables
(:mod:`medrisk_xl.history.db_schema`) by :class:`~.connection.HistoryConnection`, which also holds
the locks that keep concurrent recordings apart.

Recording is one transaction: the campaign's previous rows are deleted and the new ones written
(prepared beforehand by :mod:`.campaign_rows`), so re-recording a campaign replaces it and an
interrupted run (an error, Ctrl-C, a crash, a lost connection) leaves the history as it was. The
action follow-up imported for a campaign (:mod:`medrisk_xl.history.actions`) is kept when the
campaign is recorded again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from medrisk_xl.consolidate.tables import REGISTER_COLUMNS, Consolidation
from medrisk_xl.core.message_templates import FALLBACK, format_date, format_time, render
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.campaign_rows import campaign_id, campaign_rows, load_manifest
from medrisk_xl.history.connection import HistoryConnection, campaign_lock_key
from medrisk_xl.history.db_schema import (
    BOOL_REGISTER_COLUMNS,
    DEVICE_COLUMN_NAMES,
    FILE_COLUMN_NAMES,
    INT_REGISTER_COLUMNS,
    OPTIONAL_BOOL_REGISTER_COLUMNS,
    PROBLEM_COLUMN_NAMES,
    RECORDED_TABLES,
    action_imports,
    campaigns,
    devices,
    files,
    problems,
)
from medrisk_xl.history.target import ENV, Target, resolve_target

__all__ = [
    "ACTION_ROW_COLUMNS",
    "ENV",
    "CampaignInfo",
    "History",
    "Recorded",
    "Target",
    "campaigns_text",
    "checkpoint",
    "history_order",
    "list_campaigns",
    "open_history",
    "record",
    "resolve_target",
]

# The columns of an imported action (medrisk_actions less the campaign).
ACTION_ROW_COLUMNS = (
    "device_id",
    "ref",
    "department",
    "owner",
    "due",
    "status",
    "imported_at",
    "status_since",
    "text",  # a team's own action: its text (schema 5)
    "team",  # whether it is the team's own action
)


def checkpoint(stage: str, conn: Connection | None) -> None:
    """A point of a recording that tests hook into (crash injection, concurrency): ``begin``
    (before the transaction, no connection), then ``locked``, ``devices-written`` and
    ``written``, inside it (``conn`` is the recording's connection); ``actions-written`` inside
    an action import."""


@dataclass(frozen=True)
class CampaignInfo:
    """One recorded campaign, as ``history list`` shows it."""

    campaign: str
    created: str | None
    deadline: str | None
    recorded_at: str
    recorded_by: str
    language: str | None
    content_id: str | None
    content_version: str | None
    content_hash: str | None
    generator_version: str | None
    devices: int
    devices_in_map: int
    files: int
    problems: int
    errors: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def history_order(info: CampaignInfo) -> tuple[str, str, str]:
    """A campaign's place in the history (as ``history list``): creation date, recording time, id."""
    return (info.created or info.recorded_at, info.recorded_at, info.campaign)


@dataclass(frozen=True)
class Recorded:
    """What :func:`record` did."""

    campaign: str
    target: str  # the history, password hidden
    recorded_at: str
    devices: int
    files: int
    problems: int
    replaced: bool  # the campaign was already in the history: its previous recording was replaced

    def to_text(self, lang: str | None = None) -> str:
        """The recording in one line, in ``lang`` (English by default)."""
        again = render("history.recorded_again", lang) if self.replaced else ""
        said = {"devices": self.devices, "files": self.files, "problems": self.problems}
        return render(
            "history.recorded", lang, campaign=self.campaign, target=self.target, again=again, **said
        )


class History(HistoryConnection):
    """An open history: record a campaign, read campaigns back, store and read imported actions.
    Use as a context manager, or call :meth:`close` (see :class:`HistoryConnection` for opening)."""

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recording ----------------------------------------------------------------------------

    def record(
        self,
        result: Consolidation,
        *,
        manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        pack: Any | None = None,
        campaign: str | None = None,
    ) -> Recorded:
        """Record a consolidation as its campaign, replacing a previous recording of it, in one
        transaction (see :mod:`.connection` for concurrency)."""
        man = load_manifest(manifest)
        name = campaign_id(result, man, campaign)
        rows = campaign_rows(result, name, man, pack)
        checkpoint("begin", None)
        with self._transaction(f"record campaign {name}", write=True) as conn:
            self._lock(conn, campaign_lock_key(name))
            checkpoint("locked", conn)
            replaced = (
                conn.execute(sa.select(campaigns.c.campaign).where(campaigns.c.campaign == name)).first()
                is not None
            )
            for table in RECORDED_TABLES:
                conn.execute(sa.delete(table).where(table.c.campaign == name))
            if replaced:  # updated, not deleted: the campaign's imported actions stay
                conn.execute(sa.update(campaigns).where(campaigns.c.campaign == name).values(rows.campaign))
            else:
                conn.execute(sa.insert(campaigns), [rows.campaign])
            for table, table_rows in ((files, rows.files), (devices, rows.devices)):
                if table_rows:
                    conn.execute(sa.insert(table), table_rows)
            checkpoint("devices-written", conn)
            if rows.problems:
                conn.execute(sa.insert(problems), rows.problems)
            checkpoint("written", conn)
        return Recorded(
            campaign=name,
            target=self.target.display,
            recorded_at=rows.campaign["recorded_at"],
            devices=len(rows.devices),
            files=len(rows.files),
            problems=len(rows.problems),
            replaced=replaced,
        )

    # -- reading ------------------------------------------------------------------------------

    def campaigns(self) -> list[CampaignInfo]:
        """Every recorded campaign, oldest first (by creation date, then recording time)."""
        fields = [c for c in CampaignInfo.__dataclass_fields__]
        with self._transaction("read the history") as conn:
            rows = conn.execute(sa.select(*(campaigns.c[f] for f in fields))).all()
        infos = [CampaignInfo(**dict(zip(fields, row))) for row in rows]
        return sorted(infos, key=history_order)

    def campaign(self, name: str) -> CampaignInfo:
        """One recorded campaign, or a clear message listing the recorded ones."""
        for info in self.campaigns():
            if info.campaign == name:
                return info
        known = ", ".join(i.campaign for i in self.campaigns()) or "none yet"
        raise self._fail(
            "unknown-campaign", f"campaign {name!r} is not in the history (recorded: {known})", 2
        )

    def coverage(self, name: str) -> list[dict[str, Any]]:
        """The coverage recorded with campaign ``name`` (``COVERAGE_COLUMNS`` records: the fleet,
        each site, each department); empty when it was recorded without a manifest."""
        query = sa.select(campaigns.c.accounting).where(campaigns.c.campaign == name)
        with self._transaction("read the history") as conn:
            text = conn.execute(query).scalar()
        try:
            return list(json.loads(text or "{}").get(schema.COVERAGE_KEY) or [])
        except (ValueError, AttributeError):
            return []

    def register(self, name: str, columns: tuple[str, ...] = REGISTER_COLUMNS) -> pd.DataFrame:
        """A recorded campaign's register (``columns`` of it), in its recorded (priority) order."""
        cols = [devices.c[DEVICE_COLUMN_NAMES[c]] for c in columns]
        query = sa.select(*cols).where(devices.c.campaign == name).order_by(devices.c.position)
        with self._transaction("read the history") as conn:
            rows = conn.execute(query).all()
        values = list(zip(*rows)) if rows else [()] * len(columns)
        data: dict[str, Any] = {}
        for column, vals in zip(columns, values):
            if column in INT_REGISTER_COLUMNS:
                data[column] = pd.array(vals, dtype="Int64")
            elif column in BOOL_REGISTER_COLUMNS:
                data[column] = np.array(vals, dtype=bool)
            elif column in OPTIONAL_BOOL_REGISTER_COLUMNS:
                data[column] = pd.array(vals, dtype="boolean")
            else:
                data[column] = np.array(vals, dtype=object)
        return pd.DataFrame(data, columns=list(columns))

    def _table(self, table: sa.Table, names: Mapping[str, str], name: str) -> pd.DataFrame:
        query = sa.select(*(table.c[n] for n in names.values())).where(table.c.campaign == name)
        with self._transaction("read the history") as conn:
            rows = conn.execute(query.order_by(table.c.position)).all()
        return pd.DataFrame.from_records(rows, columns=list(names))

    def problems(self, name: str) -> pd.DataFrame:
        """A recorded campaign's problems (``PROBLEM_COLUMNS``)."""
        return self._table(problems, PROBLEM_COLUMN_NAMES, name)

    def files(self, name: str) -> pd.DataFrame:
        """A recorded campaign's files (``FILE_COLUMNS``, then ``sha256`` and ``size``)."""
        return self._table(files, {**FILE_COLUMN_NAMES, "sha256": "sha256", "size": "size"}, name)

    # -- action follow-up ---------------------------------------------------------------------

    def actions(self, name: str) -> pd.DataFrame:
        """The actions imported for campaign ``name`` (``ACTION_ROW_COLUMNS``), by device and ref."""
        cols = [schema.actions.c[c] for c in ACTION_ROW_COLUMNS]
        query = sa.select(*cols).where(schema.actions.c.campaign == name)
        with self._transaction("read the history") as conn:
            rows = conn.execute(query.order_by(schema.actions.c.device_id, schema.actions.c.ref)).all()
        frame = pd.DataFrame.from_records(rows, columns=list(ACTION_ROW_COLUMNS)).astype(object)
        return frame.where(frame.notna(), None)  # missing values stay None, not NaN

    def action_imports(self) -> dict[str, dict[str, Any]]:
        """Campaign -> its last plan import (``medrisk_action_imports``' columns)."""
        names = [c.name for c in action_imports.columns]
        with self._transaction("read the history") as conn:
            rows = conn.execute(sa.select(action_imports)).all()
        return {row[0]: dict(zip(names, row)) for row in rows}

    def store_actions(
        self, name: str, recorded_at: str, rows: list[dict[str, Any]], imported: dict[str, Any]
    ) -> bool:
        """Replace campaign ``name``'s actions with ``rows`` (``ACTION_ROW_COLUMNS`` less the
        times) in one transaction; ``imported``: its ``medrisk_action_imports`` row. Refused when
        the campaign is no longer recorded as ``recorded_at`` (recorded again meanwhile: its plan was
        checked against the older recording). An action keeps its ``status_since`` when its status
        did not change. Returns whether a previous import was replaced."""
        with self._transaction(f"import the actions of campaign {name}", write=True) as conn:
            self._lock(conn, campaign_lock_key(name))
            current = conn.execute(
                sa.select(campaigns.c.recorded_at).where(campaigns.c.campaign == name)
            ).scalar_one_or_none()
            if current != recorded_at:
                raise self._fail(
                    "campaign-recorded-again",
                    f"campaign {name} was recorded again while its plan was being checked: import it again",
                )
            since = _status_since(conn, name)
            replaced = (
                conn.execute(
                    sa.select(action_imports.c.campaign).where(action_imports.c.campaign == name)
                ).first()
                is not None
            )
            at = imported["imported_at"]
            values = []
            for row in rows:
                old_status, old_since = since.get((row["device_id"], row["ref"]), (None, None))
                kept = old_since if old_since and old_status == row["status"] else at
                values.append({**row, "campaign": name, "imported_at": at, "status_since": kept})
            for table in (schema.actions, action_imports):
                conn.execute(sa.delete(table).where(table.c.campaign == name))
            if values:
                conn.execute(sa.insert(schema.actions), values)
            checkpoint("actions-written", conn)
            conn.execute(sa.insert(action_imports), [{**imported, "campaign": name}])
        return replaced


def _status_since(conn: Connection, name: str) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(device_id, ref) -> the stored action's status and since when it holds it."""
    actions = schema.actions
    query = sa.select(actions.c.device_id, actions.c.ref, actions.c.status, actions.c.status_since).where(
        actions.c.campaign == name
    )
    return {(d, r): (status, t) for d, r, status, t in conn.execute(query).all()}


def open_history(target: str | os.PathLike[str] | Target | None = None, *, create: bool = True) -> History:
    """Open (and create, or migrate forward) the history at ``target`` (``None``: ``MEDRISK_DB``)."""
    return History(target, create=create)


def record(
    result: Consolidation,
    target: str | os.PathLike[str] | None = None,
    *,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    pack: Any | None = None,
    campaign: str | None = None,
) -> Recorded:
    """Record a consolidation in the history at ``target`` (``None``: ``MEDRISK_DB``).

    The campaign id is ``campaign``, else the manifest's, else the returns'; the manifest adds
    the campaign's dates, generator and content (else the ``pack``'s content is recorded).
    Re-recording a campaign replaces it, in one transaction.
    """
    with open_history(target) as history:
        return history.record(result, manifest=manifest, pack=pack, campaign=campaign)


def list_campaigns(target: str | os.PathLike[str] | None = None) -> list[CampaignInfo]:
    """The campaigns recorded in the history at ``target``, oldest first."""
    with open_history(target, create=False) as history:
        return history.campaigns()


def campaigns_text(infos: list[CampaignInfo], target: str, lang: str | None = None) -> str:
    """``history list`` as text: one line per campaign, in ``lang`` (its dates too)."""
    header = tuple(render("history.head", lang).split("|"))
    rows = [
        (
            i.campaign,
            format_date(i.created, lang or FALLBACK) if i.created else "—",
            format_time(i.recorded_at, lang or FALLBACK),
            str(i.devices),
            str(i.devices_in_map),
            str(i.problems),
            " ".join(x for x in (i.content_id, i.content_version) if x)
            + (f" ({i.content_hash[:12]})" if i.content_hash else ""),
        )
        for i in infos
    ]
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.append(render("history.count", lang, count=len(infos), target=target))
    return "\n".join(lines)
