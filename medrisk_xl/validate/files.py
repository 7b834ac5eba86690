"""Which files to validate (folders searched recursively), and validating them, in this process
or in a pool of up to ``jobs`` processes that keeps the files' order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from medrisk_xl.core.processes import pool_size, process_context
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.validate.manifest import read_manifest
from medrisk_xl.validate.one_file import validate_file
from medrisk_xl.validate.validation_report import FileReport, Report

SUFFIXES = (".xlsx", ".xlsm", ".ods")

Progress = Callable[[int, int], None]  # files done, files in all

# A worker started by a forkserver pays for its start (0.45 s on the 2-core machine) after about
# 18 returns of 25 ms: fewer files per process and one process is as fast, so small folders never
# start a pool (a forked worker starts faster, but it is not always the one started).
FILES_PER_PROCESS = 16
# Imported once in the forkserver, so that each worker starts with them loaded.
WORKER_MODULES = ("medrisk_xl.validate.files",)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to validate (folders searched recursively) and the files skipped."""
    files: list[Path] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith((".", "~$")):
                    (files.append(child) if child.suffix.lower() in SUFFIXES else skipped.append(str(child)))
        else:
            files.append(path)
    return files, skipped


def validate(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    pack: ContentPack | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    keep_rows: bool = False,
) -> Report:
    """Validate every workbook of ``paths`` (files or folders); never modifies them.

    ``jobs`` > 1 reads files in up to that many processes, one per ``FILES_PER_PROCESS`` files at
    most (the report is the same, in the files' order, whatever the processes);
    ``keep_rows`` keeps every device row read in each file report (for consolidate).
    """
    pack = pack or load_pack()
    files, skipped = collect(paths)
    man = read_manifest(Path(manifest)) if manifest else None
    reports: list[FileReport] = []
    workers = pool_size(jobs, len(files), FILES_PER_PROCESS)
    if workers > 1:
        reports = _validate_in_pool(files, pack, man, keep_rows, workers, progress)
    else:
        for path in files:
            reports.append(validate_file(path, pack, man, keep_rows))
            if progress:
                progress(len(reports), len(files))
    return Report(reports, skipped)


def _validate_in_pool(
    files: list[Path],
    pack: ContentPack,
    manifest: dict[str, Any] | None,
    keep_rows: bool,
    jobs: int,
    progress: Progress | None,
) -> list[FileReport]:
    """Validate ``files`` in ``jobs`` processes, each sent the pack and manifest once (pickled:
    1 ms, where loading the pack again would cost each worker its YAML)."""
    reports: list[FileReport] = []
    chunk = max(1, min(32, len(files) // (jobs * 4)))
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=process_context(WORKER_MODULES),
        initializer=_worker_init,
        initargs=(pack, manifest, keep_rows),
    ) as pool:
        for report in pool.map(_worker_validate, files, chunksize=chunk):
            reports.append(report)
            if progress:
                progress(len(reports), len(files))
    return reports


_WORKER: dict[str, Any] = {}  # the pack and manifest of a --jobs worker process, sent once


def _worker_init(pack: ContentPack, manifest: dict[str, Any] | None, keep_rows: bool) -> None:
    _WORKER.update(pack=pack, manifest=manifest, keep_rows=keep_rows)


def _worker_validate(path: Path) -> FileReport:
    return validate_file(path, _WORKER["pack"], _WORKER["manifest"], _WORKER["keep_rows"])
