"""Shared by the history tests (``test_history.py``, ``test_history_actions.py``): a history
target on SQLite and on PostgreSQL, the two campaigns of ``next_campaign.py``, the command line.

PostgreSQL comes from ``MEDRISK_TEST_PG`` (a URL of a server and a database the tests may create
databases from; .ci/run starts one): each test gets a throw-away database of its own, named after
the pytest-xdist worker running it and a random part, so parallel workers never share one. Without
it the PostgreSQL tests skip, with the reason; with ``CI=true`` they fail instead.

A test module uses these fixtures by importing them (``from history_db import db, ...``).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from medrisk_xl.history import db_schema as schema
from medrisk_xl.history import store
from support.next_campaign import build

PG_ENV = "MEDRISK_TEST_PG"


# -- databases --------------------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required in CI: .ci/run starts a PostgreSQL server)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> sa.URL:
    """The PostgreSQL server of MEDRISK_TEST_PG, checked reachable."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        _unavailable(f"no PostgreSQL server: set {PG_ENV}=postgresql://user:password@host:port/database")
    url = sa.make_url(raw).set(drivername="postgresql+psycopg")
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0].replace(url.password or "\0", "***")
        _unavailable(f"the PostgreSQL server of {PG_ENV} cannot be reached: {reason}")
    return url


@contextlib.contextmanager
def _throwaway_database(server: sa.URL) -> Iterator[str]:
    """A new database on the server, dropped afterwards; its URL, password included."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1... under pytest -n
    name = f"medrisk_test_{worker}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Iterator[str]:
    """A history target: a SQLite file, or a throw-away PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.db")
    else:
        with _throwaway_database(request.getfixturevalue("pg_server")) as url:
            yield url


@pytest.fixture
def pg_db(pg_server) -> Iterator[str]:
    """A throw-away PostgreSQL database (for what only a server does: check a password)."""
    with _throwaway_database(pg_server) as url:
        yield url


def db_engine(target: str) -> sa.Engine:
    return sa.create_engine(store.resolve_target(target).url)


def dump_tables(target: str) -> dict[str, list[tuple]]:
    """Every row of every history table, sorted: the whole history's state."""
    engine = db_engine(target)
    with engine.connect() as conn:
        out = {
            t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
            for t in schema.metadata.sorted_tables
        }
    engine.dispose()
    return out


def count_rows(target: str, table: sa.Table, campaign: str | None = None) -> int:
    engine = db_engine(target)
    query = sa.select(sa.func.count()).select_from(table)
    if campaign is not None:
        query = query.where(table.c.campaign == campaign)
    with engine.connect() as conn:
        n = conn.execute(query).scalar_one()
    engine.dispose()
    return n


# -- the two campaigns --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaigns(pack, tmp_path_factory):
    return build(tmp_path_factory.mktemp("next"), pack)


@pytest.fixture
def run(monkeypatch):
    """Invoke the medrisk-xl command line with the history commands registered."""
    from medrisk_xl.cli import cli
    from medrisk_xl.cli.history import actions, compare_cmd, history

    monkeypatch.setitem(cli.commands, "history", history)
    monkeypatch.setitem(cli.commands, "compare", compare_cmd)
    monkeypatch.setitem(cli.commands, "actions", actions)

    def invoke(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, list(args), env=env)

    return invoke
