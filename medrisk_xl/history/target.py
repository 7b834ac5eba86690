"""Where a history is: a SQLite file path or a ``sqlite://``/``postgresql://`` URL, from the
command line or the ``MEDRISK_DB`` environment variable. The password of a URL is never shown:
every message names the history by :attr:`Target.display`, and :meth:`Target.scrub` removes the
password from driver messages."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import sqlalchemy as sa
from sqlalchemy.engine import URL

from medrisk_xl.core.problems import MedriskError, Problem

ENV = "MEDRISK_DB"
SECRET_QUERY_KEYS = ("password", "sslpassword", "passfile")  # URL query keys holding a secret
# URL scheme as written -> the SQLAlchemy driver that opens it
DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def history_error(code: str, message: str, where: str | None = None, exit_code: int = 1) -> MedriskError:
    """One history problem as the error every history command raises."""
    return MedriskError([Problem(code, message, file=where)], exit_code=exit_code)


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
        secrets = [self.url.password, *(self.url.query.get(k) for k in SECRET_QUERY_KEYS)]
        for secret in secrets:
            if isinstance(secret, str) and secret:
                for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                    text = text.replace(form, "***")
        return text


def _redacted(url: URL) -> str:
    query = {k: ("***" if k in SECRET_QUERY_KEYS else v) for k, v in url.query.items()}
    return url.set(query=query).render_as_string(hide_password=True)


def resolve_target(target: str | os.PathLike[str] | None = None) -> Target:
    """The history ``target`` names: a SQLite file path, a ``sqlite:///path`` URL or a
    ``postgresql://`` URL; ``None`` reads the ``MEDRISK_DB`` environment variable."""
    raw = os.environ.get(ENV) if target is None else os.fspath(target)
    if not raw or not str(raw).strip():
        raise history_error(
            "no-history",
            f"no history given: pass --db TARGET (a SQLite file or a postgresql:// URL) or set {ENV}",
            exit_code=2,
        )
    text = str(raw).strip()
    if "://" not in text:
        return Target(URL.create("sqlite", database=str(Path(text).expanduser())), text)
    return _url_target(text)


def _url_target(text: str) -> Target:
    """The target a ``scheme://`` text names, checked: a supported driver, a SQLite file."""
    scheme = text.split("://", 1)[0]
    try:
        url = sa.make_url(text)
    except Exception:  # the text may hold a password: never echo it
        raise history_error(
            "bad-history-url",
            f"the {scheme}:// history URL cannot be read (expected {scheme}://…)",
            exit_code=2,
        ) from None
    driver = DRIVERS.get(url.drivername)
    if driver is None:
        raise history_error(
            "bad-history-url",
            f"{url.drivername}:// is not a supported history (a SQLite file path, sqlite:///PATH or "
            "postgresql://user:password@host/database)",
            exit_code=2,
        )
    display = _redacted(url)  # as the user wrote it, password hidden
    url = url.set(drivername=driver)
    if driver == "sqlite" and (not url.database or url.database == ":memory:"):
        raise history_error("bad-history-url", "a SQLite history must be a file: sqlite:///PATH", exit_code=2)
    return Target(url, display)
