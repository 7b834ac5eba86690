"""When a campaign is created and its default password: from SOURCE_DATE_EPOCH when the
environment sets it, so that a reproducible build gives the same bytes twice."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import secrets


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (seconds) when the environment sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def created_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


def default_password(campaign: str) -> str:
    """A random sheet password; derived from SOURCE_DATE_EPOCH and the campaign id when it is set,
    so that a reproducible build is byte-identical (and its password guessable: pass one)."""
    epoch = source_date_epoch()
    if epoch is None:
        return secrets.token_urlsafe(9)
    digest = hashlib.sha256(f"medrisk-xl\0{epoch}\0{campaign}".encode()).digest()
    return base64.urlsafe_b64encode(digest)[:12].decode()
