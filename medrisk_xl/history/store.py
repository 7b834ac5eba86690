"""Open a campaign history, record a consolidation in it, read it back.

A history is a SQLite file (the default store, nothing to install) or a PostgreSQL database
(``postgresql://user:password@host/db``); the target can also come from the ``MEDRISK_DB``
environment variable. Both are driven through the same SQLAlchemy Core tables
(:mod:`medrisk_xl.history.schema`); the password of a URL is never shown: every message names the
history by :attr:`Target.display`, and driver messages are scrubbed of it.

Recording is one transaction: the campaign's previous rows are deleted and the new ones written,
so re-recording a campaign replaces it and an interrupted run (an error, Ctrl-C, a crash, a lost
connection) leaves the history as it was. The action follow-up imported for a campaign
(:mod:`medrisk_xl.history.actions`) is kept when the campaign is recorded again.

Concurrency. PostgreSQL: a recording first takes a transaction-level advisory lock keyed on the
campaign id (``pg_advisory_xact_lock``), released at commit or rollback. Two recordings of
different campaigns take different locks and run side by side; two recordings of the same
campaign run one after the other, and the second, once it has the lock, sees the first's
committed rows (READ COMMITTED takes a new snapshot per statement), deletes them and writes its
own: exactly one copy is left. The campaign id is also the primary key of the campaign table, a
last guard against a duplicate. Waiting for a lock is capped (``lock_timeout``), so a stuck
recording gives a clear message instead of a hang. SQLite: a recording opens its transaction
with ``BEGIN IMMEDIATE``, which takes the file's write lock at once; writers run one after the
other (waiting up to :data:`BUSY_TIMEOUT` seconds) and readers are never blocked for long.
Creating or migrating the schema is serialised the same way (a fixed advisory key on
PostgreSQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from medrisk_xl import __version__
from medrisk_xl.consolidation_tables import FILE_COLUMNS, PROBLEM_COLUMNS, REGISTER_COLUMNS, Consolidation
from medrisk_xl.history import schema
from medrisk_xl.history.schema import (
    BOOL_REGISTER_COLUMNS,
    DEVICE_COLUMN_NAMES,
    FILE_COLUMN_NAMES,
    INT_REGISTER_COLUMNS,
    PROBLEM_COLUMN_NAMES,
    RECORDED_TABLES,
    action_imports,
    campaigns,
    devices,
    files,
    problems,
    schema_info,
)
from medrisk_xl.problems import MedriskError, Problem

ENV = "MEDRISK_DB"
BUSY_TIMEOUT = 60  # seconds a writer waits for another one (SQLite busy timeout, PostgreSQL lock_timeout)
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server
SCHEMA_LOCK = 0x6D65_6472_6973_6B00  # advisory key serialising schema creation and migration
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
)
_WRITE = "medrisk_write"  # execution option: this connection writes (SQLite: BEGIN IMMEDIATE)
_SECRET_QUERY_KEYS = ("password", "sslpassword", "passfile")
_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def checkpoint(stage: str, conn: Connection | None) -> None:
    """A point of a recording that tests hook into (crash injection, concurrency): ``begin``
    (before the transaction, no connection), then ``locked``, ``devices-written`` and
    ``written``, inside it (``conn`` is the recording's connection); ``actions-written`` inside
    an action import."""


def _error(code: str, message: str, where: str | None = None, exit_code: int = 1) -> MedriskError:
    return MedriskError([Problem(code, message, file=where)], exit_code=exit_code)


# --------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class Target:
    """Where a history is: the URL to connect to, and how to name it in messages."""

    url: URL
    display: str  # the path as given, or the URL with its password hidden

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.url.get_backend_name()

    def scrub(self, text: str) -> str:
        """``text`` without the URL's password (plain or URL-encoded)."""
        secrets = [self.url.password, *(self.url.query.get(k) for k in _SECRET_QUERY_KEYS)]
        for secret in secrets:
            if isinstance(secret, str) and secret:
                for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                    text = text.replace(form, "***")
        return text


def _redacted(url: URL) -> str:
    query = {k: ("***" if k in _SECRET_QUERY_KEYS else v) for k, v in url.query.items()}
    return url.set(query=query).render_as_string(hide_password=True)


def resolve_target(target: str | os.PathLike[str] | None = None) -> Target:
    """The history ``target`` names: a SQLite file path, a ``sqlite:///path`` URL or a
    ``postgresql://`` URL; ``None`` reads the ``MEDRISK_DB`` environment variable."""
    raw = os.environ.get(ENV) if target is None else os.fspath(target)
    if not raw or not str(raw).strip():
        raise _error(
            "no-history",
            f"no history given: pass --db TARGET (a SQLite file or a postgresql:// URL) or set {ENV}",
            exit_code=2,
        )
    text = str(raw).strip()
    if "://" not in text:
        return Target(URL.create("sqlite", database=str(Path(text).expanduser())), text)
    scheme = text.split("://", 1)[0]
    try:
        url = sa.make_url(text)
    except Exception:  # the text may hold a password: never echo it
        raise _error(
            "bad-history-url",
            f"the {scheme}:// history URL cannot be read (expected {scheme}://…)",
            exit_code=2,
        ) from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise _error(
            "bad-history-url",
            f"{url.drivername}:// is not a supported history (a SQLite file path, sqlite:///PATH or "
            "postgresql://user:password@host/database)",
            exit_code=2,
        )
    display = _redacted(url)  # as the user wrote it, password hidden
    url = url.set(drivername=driver)
    if driver == "sqlite" and (not url.database or url.database == ":memory:"):
        raise _error("bad-history-url", "a SQLite history must be a file: sqlite:///PATH", exit_code=2)
    return Target(url, display)


# --------------------------------------------------------------------------------------------
# What is recorded and read back


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

    def to_text(self) -> str:
        again = " (replacing its previous recording)" if self.replaced else ""
        return (
            f"campaign {self.campaign} recorded in {self.target}{again}: {self.devices} device(s), "
            f"{self.files} file(s), {self.problems} problem(s)"
        )


def _missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _column_values(series: pd.Series, kind: str) -> list[Any]:
    """A pandas column as Python values for the driver: ``None`` for missing."""
    values = series.tolist()
    if kind == "int":
        return [None if _missing(v) else int(v) for v in values]
    if kind == "bool":
        return [bool(v) if not _missing(v) else False for v in values]
    return [None if _missing(v) else str(v) for v in values]


def _table_rows(
    frame: pd.DataFrame, names: Mapping[str, str], kinds: Mapping[str, str], campaign: str
) -> list[dict[str, Any]]:
    """One dict per row of ``frame``: the campaign, the row's position and its columns renamed."""
    columns = {names[c]: _column_values(frame[c], kinds.get(c, "text")) for c in names}
    keys = ["campaign", "position", *columns]
    return [dict(zip(keys, (campaign, i, *row))) for i, row in enumerate(zip(*columns.values(), strict=True))]


def _sha256(path: str) -> tuple[str | None, int | None]:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            size = 0
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None, None
    return digest.hexdigest(), size


def _load_manifest(manifest: str | os.PathLike[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    if manifest is None:
        return {}
    if isinstance(manifest, Mapping):
        return dict(manifest)
    from medrisk_xl.validate import read_manifest

    return read_manifest(Path(manifest))


def campaign_id(
    result: Consolidation, manifest: Mapping[str, Any] | None = None, campaign: str | None = None
) -> str:
    """The campaign a consolidation records as: ``campaign``, else the manifest's, else the one
    campaign its returns belong to."""
    if campaign:
        return campaign
    if manifest and manifest.get("campaign"):
        return str(manifest["campaign"])
    used = result.files[result.files["used"].astype(bool)]
    found = sorted({str(c) for c in used["campaign"].tolist() if not _missing(c)})
    if len(found) == 1:
        return found[0]
    if found:
        raise _error(
            "several-campaigns",
            f"the returns belong to several campaigns ({', '.join(found)}): consolidate and record them "
            "one campaign at a time",
        )
    raise _error("no-campaign", "no campaign id: the returns name none (pass the campaign's campaign.json)")


@dataclass
class _Rows:
    campaign: dict[str, Any]
    files: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    problems: list[dict[str, Any]]


def _rows(result: Consolidation, name: str, manifest: dict[str, Any], pack: Any | None) -> _Rows:
    """Everything a recording writes, prepared before its transaction starts."""
    content = dict(manifest.get("content") or {})
    if not content and pack is not None:
        content = {"id": pack.method.id, "version": pack.method.version, "hash": pack.hash}
    register, probs = result.register, result.problems
    in_map = (
        int((register["included"].astype(bool) & register["risk_level"].notna()).sum())
        if len(register)
        else 0
    )
    errors = int((probs["severity"] == "error").sum()) if len(probs) else 0
    recorded_at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    campaign_row = {
        "campaign": name,
        "created": manifest.get("created"),
        "deadline": manifest.get("deadline"),
        "recorded_at": recorded_at,
        "recorded_by": __version__,
        "language": manifest.get("language") or result.language,
        "content_id": content.get("id"),
        "content_version": content.get("version"),
        "content_hash": content.get("hash"),
        "generator_version": (manifest.get("generator") or {}).get("version"),
        "devices": len(register),
        "devices_in_map": in_map,
        "files": len(result.files),
        "problems": len(probs),
        "errors": errors,
        "accounting": json.dumps(result.accounting, ensure_ascii=False, default=str),
    }
    device_kinds = {c: "int" for c in INT_REGISTER_COLUMNS} | {c: "bool" for c in BOOL_REGISTER_COLUMNS}
    file_kinds = {c: "int" for c in schema.FILE_INT_COLUMNS} | {"used": "bool"}
    file_rows = _table_rows(result.files.reindex(columns=FILE_COLUMNS), FILE_COLUMN_NAMES, file_kinds, name)
    for row in file_rows:
        row["sha256"], row["size"] = _sha256(row["file"])
    return _Rows(
        campaign=campaign_row,
        files=file_rows,
        devices=_table_rows(
            register.reindex(columns=REGISTER_COLUMNS), DEVICE_COLUMN_NAMES, device_kinds, name
        ),
        problems=_table_rows(
            probs.reindex(columns=PROBLEM_COLUMNS), PROBLEM_COLUMN_NAMES, {"row": "int"}, name
        ),
    )


def _lock_key(campaign: str) -> int:
    """A signed 64-bit advisory-lock key for a campaign id."""
    digest = hashlib.sha256(f"medrisk-xl campaign {campaign}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


# --------------------------------------------------------------------------------------------
# The history


class History:
    """An open history. Use as a context manager, or call :meth:`close`.

    ``create``: make an empty history when there is none (recording); reading commands pass
    ``False`` and get a clear message instead. An older history is migrated forward on open; a
    history written by a newer medrisk-xl is refused.
    """

    def __init__(self, target: str | os.PathLike[str] | Target | None = None, *, create: bool = True):
        self.target = target if isinstance(target, Target) else resolve_target(target)
        self._engine = self._make_engine(create)
        try:
            self._open(create)
        except BaseException:
            self._engine.dispose()
            raise

    # -- connection ---------------------------------------------------------------------------

    def _fail(self, code: str, message: str, exit_code: int = 1) -> MedriskError:
        return _error(code, self.target.scrub(message), self.target.display, exit_code)

    def _make_engine(self, create: bool) -> Engine:
        url = self.target.url
        if self.target.backend == "sqlite":
            path = Path(url.database or "")
            if path.is_dir():
                raise self._fail("bad-history", "this is a folder, not a history file", exit_code=2)
            if not path.exists():
                if not create:
                    raise self._fail(
                        "no-history", "no history here yet (record a campaign with consolidate --db)"
                    )
                if not path.parent.is_dir():
                    raise self._fail("bad-history", f"folder {path.parent} does not exist", exit_code=2)
                _create_empty(path)
            engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

            @sa.event.listens_for(engine, "connect")
            def _on_connect(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
                dbapi_connection.execute("PRAGMA foreign_keys = ON")

            @sa.event.listens_for(engine, "begin")
            def _on_begin(conn: Connection) -> None:
                conn.exec_driver_sql(
                    "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
                )

            return engine
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT}
        try:
            return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=False)
        except ImportError:
            raise self._fail(
                "missing-driver",
                "PostgreSQL needs the psycopg driver: pip install 'medrisk-xl[postgresql]'",
                2,
            ) from None

    @contextlib.contextmanager
    def _transaction(self, action: str, write: bool = False) -> Iterator[Connection]:
        """A connection in a transaction, committed when the block ends, rolled back on any error;
        database errors become one clear message."""
        try:
            with self._engine.connect() as conn:
                if write:
                    conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    if write and self.target.backend == "postgresql":
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT}s'")
                    yield conn
        except MedriskError:
            raise
        except sa.exc.DBAPIError as exc:
            raise self._fail("history-error", f"cannot {action}: {self._reason(exc)}") from None
        except sa.exc.SQLAlchemyError as exc:
            raise self._fail("history-error", f"cannot {action}: {exc.__class__.__name__}") from None

    def _reason(self, exc: sa.exc.DBAPIError) -> str:
        orig = exc.orig if exc.orig is not None else exc
        lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
        text = lines[0] if lines else orig.__class__.__name__
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate == "55P03":
            text = f"another recording holds the history for more than {BUSY_TIMEOUT} s: try again"
        elif "file is not a database" in text:
            text = "this file is not a SQLite database (is it a medrisk-xl history?)"
        elif "database is locked" in text:
            text = f"another program holds the history file for more than {BUSY_TIMEOUT} s: try again"
        return text

    def _lock(self, conn: Connection, key: int) -> None:
        if self.target.backend == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        # SQLite: BEGIN IMMEDIATE has already taken the file's write lock.

    # -- schema -------------------------------------------------------------------------------

    @staticmethod
    def _version(conn: Connection) -> tuple[int, str | None] | None:
        if not sa.inspect(conn).has_table(schema_info.name):
            return None
        row = conn.execute(sa.select(schema_info.c.version, schema_info.c.written_by)).first()
        return (int(row[0]), row[1]) if row else None

    def _check_not_newer(self, found: tuple[int, str | None]) -> None:
        version, written_by = found
        if version > schema.SCHEMA_VERSION:
            raise self._fail(
                "history-too-new",
                f"this history was written by a newer medrisk-xl ({written_by or 'unknown version'}, history "
                f"schema {version}); medrisk-xl {__version__} reads schema {schema.SCHEMA_VERSION} at most: "
                "upgrade medrisk-xl",
            )

    def _open(self, create: bool) -> None:
        """Check the schema version; create the tables or migrate them forward when needed."""
        with self._transaction("open the history") as conn:
            found = self._version(conn)
        if found and found[0] == schema.SCHEMA_VERSION:
            return
        if found:
            self._check_not_newer(found)
        elif not create:
            raise self._fail(
                "no-history", "no medrisk-xl history here yet (record a campaign with consolidate --db)"
            )
        with self._transaction("prepare the history", write=True) as conn:
            self._lock(conn, SCHEMA_LOCK)
            found = self._version(conn)  # again: another process may have done it meanwhile
            if found is None:
                if sa.inspect(conn).has_table(campaigns.name):
                    raise self._fail("bad-history", f"holds a {campaigns.name} table but no schema version")
                schema.metadata.create_all(conn)
                conn.execute(
                    sa.insert(schema_info).values(id=1, version=schema.SCHEMA_VERSION, written_by=__version__)
                )
                return
            self._check_not_newer(found)
            for version in range(found[0], schema.SCHEMA_VERSION):
                schema.MIGRATIONS[version](conn)
            conn.execute(sa.update(schema_info).values(version=schema.SCHEMA_VERSION, written_by=__version__))

    def schema_version(self) -> int:
        with self._transaction("read the history") as conn:
            found = self._version(conn)
        return found[0] if found else 0

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
        transaction (see the module's docstring for concurrency)."""
        man = _load_manifest(manifest)
        name = campaign_id(result, man, campaign)
        rows = _rows(result, name, man, pack)
        checkpoint("begin", None)
        with self._transaction(f"record campaign {name}", write=True) as conn:
            self._lock(conn, _lock_key(name))
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
        return sorted(infos, key=lambda i: (i.created or i.recorded_at, i.recorded_at, i.campaign))

    def campaign(self, name: str) -> CampaignInfo:
        """One recorded campaign, or a clear message listing the recorded ones."""
        for info in self.campaigns():
            if info.campaign == name:
                return info
        known = ", ".join(i.campaign for i in self.campaigns()) or "none yet"
        raise self._fail(
            "unknown-campaign", f"campaign {name!r} is not in the history (recorded: {known})", 2
        )

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
            self._lock(conn, _lock_key(name))
            current = conn.execute(
                sa.select(campaigns.c.recorded_at).where(campaigns.c.campaign == name)
            ).scalar_one_or_none()
            if current != recorded_at:
                raise self._fail(
                    "campaign-recorded-again",
                    f"campaign {name} was recorded again while its plan was being checked: import it again",
                )
            since = {
                (d, r): (status, t)
                for d, r, status, t in conn.execute(
                    sa.select(
                        schema.actions.c.device_id,
                        schema.actions.c.ref,
                        schema.actions.c.status,
                        schema.actions.c.status_since,
                    ).where(schema.actions.c.campaign == name)
                ).all()
            }
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

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def campaigns_text(infos: list[CampaignInfo], target: str) -> str:
    """``history list`` as text: one line per campaign."""
    header = ("campaign", "created", "recorded (UTC)", "devices", "mapped", "problems", "content")
    rows = [
        (
            i.campaign,
            (i.created or "—")[:10],
            i.recorded_at.replace("T", " ").rstrip("Z"),
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
    lines.append(f"{len(infos)} campaign(s) in {target}")
    return "\n".join(lines)


def _create_empty(path: Path) -> None:
    """Create the SQLite file as an ordinary file (SQLite itself uses 0644 whatever the umask);
    an empty file is an empty database. When it cannot be created, SQLite reports why."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
