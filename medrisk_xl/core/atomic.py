"""Write an output file atomically: a temporary file beside the target, then a rename, so an
existing file is replaced whole or not at all and no partial file is ever left.

The temporary file is created private (0600, by :func:`tempfile.mkstemp`) and given the mode of
an ordinary file under the user's umask just before the rename: a consolidated workbook shared
on a server must be readable by the team exactly as ``generate``'s workbooks are.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_LOCK = threading.Lock()


@functools.cache
def process_umask() -> int:
    """The process's umask, read once: from /proc where it can be read without changing it,
    else by setting and restoring it (under a lock, since another thread could create a file
    with the wrong mode in between)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        match = re.search(r"^Umask:\s*([0-7]+)$", status, re.MULTILINE)
        if match:
            return int(match.group(1), 8)
    except OSError:
        pass
    with _LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def ordinary_mode(directory: bool = False) -> int:
    """The mode ``open()`` or ``mkdir()`` gives a new file or folder under the current umask."""
    return (0o777 if directory else 0o666) & ~process_umask()


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then move it into place with the
    mode of an ordinary file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent or ".")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, ordinary_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
