"""Process pools for ``--jobs``: how many processes, and how they start.

A worker starts by ``fork()`` only where that is safe: on Linux, while this process runs a single
thread as the system counts them (a library's native threads included). A process that runs
threads (the pool's own, a library's) can deadlock in a forked child, and Python 3.12+ warns
about it. ``validate`` reaches its pool single-threaded: forked workers start in milliseconds
with the pack and the manifest already loaded (on the 2-core machine, 200 returns validated in
1.44 s instead of 1.58 s). Otherwise, on Linux, the "forkserver" starts a clean server once, with
the worker's modules imported there (``preload``), and forks each worker from it: a pool of 2
returned its first result in 0.45 s, against 0.9 s without the preload and 0.8-1.0 s with
"spawn" (each worker a fresh interpreter importing pandas and openpyxl again). Elsewhere, "spawn".
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from multiprocessing.context import BaseContext

MAX_JOBS = 64


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity or quota where known), at least 1."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return max(1, counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """``--jobs`` when not given: every usable core, within the option's range."""
    return min(MAX_JOBS, usable_cores())


def single_threaded() -> bool:
    """Whether this process runs one thread, as the system counts them (Linux only; False where
    it cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def process_context(preload: Sequence[str] = ()) -> BaseContext:
    """A safe start method: "fork" on Linux in a single-threaded process, else "forkserver" with
    ``preload`` imported in its server where the platform has it, else "spawn"."""
    if sys.platform.startswith("linux") and single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        if preload:
            context.set_forkserver_preload(list(preload))  # used when the server first starts
        return context
    return multiprocessing.get_context("spawn")


def pool_size(jobs: int, tasks: int, tasks_per_process: int = 1) -> int:
    """Processes worth starting for ``tasks`` with ``jobs`` allowed: none beyond one per
    ``tasks_per_process`` tasks (a pool costs its start), 1 meaning "no pool, this process"."""
    return max(1, min(jobs, tasks // max(1, tasks_per_process)))
