"""Parsed files kept in the user's cache folder, keyed by their bytes.

Every command starts by loading the content pack: nine YAML files, whose parsing was most of
the load's time. What a file parses to depends only on its bytes (and the parser), so the result
is kept, marshalled, under the SHA-256 of both: a changed file is a new key, never a stale entry.
The cache is a convenience: a folder that cannot be read or written, or an entry that does not
load, is the parser's work again, never an error. ``MEDRISK_CACHE_DIR`` moves the folder; set
empty, it turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_ENV = "MEDRISK_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder: ``MEDRISK_CACHE_DIR``, else the platform's user cache; None when off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "medrisk-xl" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "medrisk-xl"


def parsed(parser: str, raw: bytes, parse: Callable[[], Any]) -> Any:
    """What ``parse()`` returns for ``raw``, from the cache when ``parser`` (its name and
    version) parsed the same bytes before. Only plain data is kept (what :mod:`marshal` writes:
    dicts, lists, texts, numbers); anything else is parsed each time. ``parse`` errors pass
    through and nothing is kept."""
    folder = cache_dir()
    if folder is None:
        return parse()
    salt = f"{parser}\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode()
    path = folder / f"{hashlib.sha256(salt + raw).hexdigest()}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or unreadable: parse again
    value = parse()
    try:
        payload = marshal.dumps(value)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        os.replace(temporary, path)  # whole or absent: a reader never sees half an entry
    except (OSError, ValueError):
        pass  # not plain data, or the folder is read-only: nothing kept
    return value
