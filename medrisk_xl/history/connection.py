"""A connection to a history: the engine (SQLite file or PostgreSQL), transactions, locks, and the
schema version checked, created or migrated forward on open.

Both backends are driven through the same SQLAlchemy Core tables (:mod:`medrisk_xl.history.db_schema`);
database errors become one clear message, scrubbed of the URL's password.

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
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from medrisk_xl.core.problems import MedriskError
from medrisk_xl.core.version import __version__
from medrisk_xl.history import db_schema as schema
from medrisk_xl.history.db_schema import campaigns, schema_info
from medrisk_xl.history.target import Target, history_error, resolve_target

BUSY_TIMEOUT = 60  # seconds a writer waits for another one (SQLite busy timeout, PostgreSQL lock_timeout)
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server
SCHEMA_LOCK = 0x6D65_6472_6973_6B00  # advisory key serialising schema creation and migration
WRITE_OPTION = "medrisk_write"  # execution option: this connection writes (SQLite: BEGIN IMMEDIATE)


def campaign_lock_key(campaign: str) -> int:
    """A signed 64-bit advisory-lock key for a campaign id."""
    digest = hashlib.sha256(f"medrisk-xl campaign {campaign}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class HistoryConnection:
    """An open connection to a history, its schema checked (see :class:`~.store.History`).

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
        return history_error(code, self.target.scrub(message), self.target.display, exit_code)

    def _make_engine(self, create: bool) -> Engine:
        if self.target.backend == "sqlite":
            return self._sqlite_engine(create)
        url = self.target.url
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT}
        try:
            return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=False)
        except ImportError:
            raise self._fail(
                "missing-driver",
                "PostgreSQL needs the psycopg driver: pip install 'medrisk-xl[postgresql]'",
                2,
            ) from None

    def _sqlite_engine(self, create: bool) -> Engine:
        """The SQLite file's engine (the file created when ``create``), transactions begun explicitly."""
        path = Path(self.target.url.database or "")
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
        engine = sa.create_engine(self.target.url, connect_args={"timeout": BUSY_TIMEOUT})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(
                "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN"
            )

        return engine

    @contextlib.contextmanager
    def _transaction(self, action: str, write: bool = False) -> Iterator[Connection]:
        """A connection in a transaction, committed when the block ends, rolled back on any error;
        database errors become one clear message."""
        try:
            with self._engine.connect() as conn:
                if write:
                    conn.execution_options(**{WRITE_OPTION: True})
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

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()


def _create_empty(path: Path) -> None:
    """Create the SQLite file as an ordinary file (SQLite itself uses 0644 whatever the umask);
    an empty file is an empty database. When it cannot be created, SQLite reports why."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
