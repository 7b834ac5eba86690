"""The progress bar of the long commands (generate, validate, consolidate, audit): shown on a
terminal only, so that piped and captured output stays exactly the command's result."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

ProgressCallback = Callable[[int, int], None]


def stderr_is_terminal() -> bool:
    """Whether progress goes to a terminal (tests replace it to see the progress lines)."""
    return sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar() -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a bar on stderr when it is a terminal; None otherwise."""
    if not stderr_is_terminal():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="workbooks", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
