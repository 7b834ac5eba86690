"""``--jobs``: the default is the machine's usable cores, and validate and consolidate give the
same outputs, in the same order, with the same exit code, in one process or in a pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.core.processes import default_jobs, pool_size, process_context, single_threaded, usable_cores
from medrisk_xl.validate import files as validate_files

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """The size of every pool started; a pool for as few as one file per process (the samples
    are 7 returns, below what a pool pays for)."""
    started: list[int] = []
    real = validate_files._validate_in_pool

    def spy(files, pack, manifest, keep_rows, jobs, progress):
        started.append(jobs)
        return real(files, pack, manifest, keep_rows, jobs, progress)

    monkeypatch.setattr(validate_files, "FILES_PER_PROCESS", 1)
    monkeypatch.setattr(validate_files, "_validate_in_pool", spy)
    return started


def test_the_default_is_every_usable_core():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cores() == cores and default_jobs() == min(64, cores)


def test_a_process_running_threads_never_forks():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not single_threaded()
        assert process_context().get_start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        thread.join()


# A fresh interpreter, single-threaded as validate reaches its pool: on Linux its workers are
# forked, and the report is the same as in one process.
_FORKED_POOL = """
import json, sys
from medrisk_xl.core.processes import process_context
from medrisk_xl.validate import files
files.FILES_PER_PROCESS = 1
method = process_context().get_start_method()
runs = [files.validate([sys.argv[1]], manifest=sys.argv[2], jobs=j).to_json() for j in (1, 2)]
print(json.dumps({"method": method, "same": runs[0] == runs[1], "files": len(json.loads(runs[0])["files"])}))
"""


def test_a_single_threaded_process_forks_its_workers_with_the_same_report():
    out = subprocess.run(
        [sys.executable, "-c", _FORKED_POOL, str(RETURNS), str(MANIFEST)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(out.stdout)
    expected = ("fork",) if sys.platform.startswith("linux") else ("forkserver", "spawn")
    assert (
        found["method"] in expected and found["same"] and found["files"] == len(list(RETURNS.glob("*.xlsx")))
    )
    assert "fork" not in out.stderr.lower()  # no DeprecationWarning about forking a threaded process


def test_a_pool_only_when_it_pays():
    assert pool_size(1, 500, 16) == 1  # --jobs 1: this process only
    assert pool_size(8, 1) == 1  # one file: no pool
    assert pool_size(8, 7, 16) == 1  # a small folder: the pool's start would cost more
    assert (pool_size(2, 32, 16), pool_size(8, 40, 16), pool_size(2, 800, 16)) == (2, 2, 2)


def test_validate_without_jobs_uses_the_usable_cores(pools, monkeypatch):
    monkeypatch.setattr("medrisk_xl.cli.options.default_jobs", lambda: 2)
    res = CliRunner().invoke(cli, ["validate", str(RETURNS), "--format", "json"])
    assert res.exit_code == 1 and pools == [2]  # two samples are invalid on purpose


def test_validate_json_is_the_same_whatever_the_jobs(pools):
    runs = {
        jobs: CliRunner().invoke(
            cli, ["validate", str(RETURNS), "--manifest", str(MANIFEST), "--format", "json", "--jobs", jobs]
        )
        for jobs in ("1", "2")
    }
    assert pools == [2]
    assert runs["1"].exit_code == runs["2"].exit_code == 1
    assert runs["1"].output == runs["2"].output
    files = [Path(f["path"]).name for f in json.loads(runs["1"].output)["files"]]
    assert files == sorted(p.name for p in RETURNS.glob("*.xlsx"))


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of an xlsx but its document properties (their creation time)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def test_consolidate_outputs_are_the_same_whatever_the_jobs(pools, tmp_path, monkeypatch):
    outputs = {}
    for jobs in ("1", "2"):
        (tmp_path / jobs).mkdir()
        monkeypatch.chdir(tmp_path / jobs)  # the same output names in the messages
        args = ["consolidate", str(RETURNS), "--manifest", str(MANIFEST), "--jobs", jobs]
        res = CliRunner().invoke(cli, [*args, "-o", "map.xlsx", "--csv", "r.csv"])
        assert res.exit_code == 0, res.output
        outputs[jobs] = (res.output, Path("r.csv").read_bytes(), _parts(Path("map.xlsx")))
    assert pools == [2]
    assert outputs["1"][0] == outputs["2"][0] and "from 7 workbook(s)" in outputs["1"][0]
    assert outputs["1"][1] == outputs["2"][1] and outputs["1"][1].count(b"\n") == 106
    assert outputs["1"][2] == outputs["2"][2]
