"""Shared fixtures: the shipped pack, a way to break a copy of it, and a filled campaign."""

from __future__ import annotations

import atexit
import os
import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from medrisk_xl import load_pack
from medrisk_xl.core.language_choice import LANG_ENV
from medrisk_xl.core.parsed_cache import CACHE_ENV
from medrisk_xl.core.resources import shipped_content_dir

# The parsed-file cache of this test process (and of the commands it starts) in a folder of its
# own, not in the user's cache: one per pytest-xdist worker (each imports this file), removed when
# the process ends.
os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="medrisk-test-cache-")
atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)
# Messages in English whatever the machine's locale (and in the commands the tests start); a test
# of the language choice sets its own.
os.environ[LANG_ENV] = "en"

# -- running in parallel (pyproject.toml: pytest -n auto --dist loadfile) ----------------------------

# Files whose tests go to the workers one by one: each test is long (an audit in every engine) and
# their module-scoped fixtures only write workbooks (a second or two per worker). Every other file
# runs whole on one worker, its module-scoped fixtures (engine recalculations) built once.
SPREAD = ("tests/audit/test_audit.py", "tests/audit/test_audit_register.py")
# Handed out first, so that no long engine test starts last while the other workers sit idle.
LONG_FIRST = ("tests/audit/", "tests/engines/")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Without pytest-xdist (``-p no:xdist``, or not installed) the ``-n auto --dist loadfile`` of
    pyproject.toml's addopts are accepted and ignored: the tests run in this one process."""
    if pluginmanager.has_plugin("xdist"):
        return
    group = parser.getgroup("xdist", "pytest-xdist absent or disabled: these options are ignored")
    # _addoption, as pytest-xdist itself does: addoption refuses a lowercase short option
    group._addoption("-n", "--numprocesses", dest="numprocesses", default=None, help="ignored")
    group.addoption("--dist", dest="dist", default="no", help="ignored")


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: ignored when it is absent or off
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getoption("dist", "no") != "loadfile":
        return None  # pytest-xdist's own scheduler for the --dist asked on the command line
    from xdist.scheduler import LoadScopeScheduling

    class Scheduler(LoadScopeScheduling):
        """``loadfile``, but the ``SPREAD`` files' tests one by one and ``LONG_FIRST`` first."""

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return nodeid if path in SPREAD else path

        def _assign_work_unit(self, node) -> None:
            long = next((scope for scope in self.workqueue if scope.startswith(LONG_FIRST)), None)
            if long is not None:
                self.workqueue.move_to_end(long, last=False)
            super()._assign_work_unit(node)

    return Scheduler(config, log)


@pytest.fixture(scope="session")
def pack():
    return load_pack()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content pack."""
    dest = tmp_path / "pack"
    shutil.copytree(shipped_content_dir(), dest)
    return dest


@pytest.fixture
def edit_pack(pack_copy: Path) -> Callable[[str, Callable[[dict], object]], Path]:
    """Apply ``change(data)`` to one YAML file of the copied pack; return the pack dir."""

    def edit(relpath: str, change: Callable[[dict], object]) -> Path:
        path = pack_copy / relpath
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return pack_copy

    return edit


@pytest.fixture(scope="session")
def campaign(tmp_path_factory, pack) -> dict:
    """A small campaign, and one workbook filled completely from its own dropdowns.

    Generated once for the session and shared by the validate tests (``test_validate*.py``): it is
    read only, so a test or fixture writes what it derives from it under its own temporary folder.
    Keys: ``manifest`` (campaign.json), ``book`` (the workbook as generated), ``password`` (its
    sheet password), ``plan`` (row -> answers filled) and ``filled`` (the filled return)."""
    from support.answers import random_answers, write_inventory
    from support.wbtools import fill, open_book

    from medrisk_xl.generate.campaign import Options, generate

    base = tmp_path_factory.mktemp("validate")
    inv = base / "inv.csv"
    write_inventory(inv, {"Réanimation": 12, "Urgences": 6})
    result = generate(inv, base / "c", Options(campaign="val", password="pw", spare_rows=3), pack)
    entry = result.manifest["workbooks"][0]
    book_path = base / "c" / entry["file"]
    book = open_book(book_path)
    first_spare = int(book.meta["first_spare_row"])
    rng = random.Random(5)
    plan = {r: random_answers(rng) for r in book.rows if r < first_spare}
    filled = base / "filled.xlsx"
    fill(book_path, filled, plan)
    return {
        "manifest": base / "c" / "campaign.json",
        "book": book_path,
        "password": entry["password"],
        "plan": plan,
        "filled": filled,
    }


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's soffice; skip locally when absent, fail when CI=true."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("LibreOffice (soffice) is required in CI: apt-get install -y libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture(scope="session")
def poppler() -> None:
    """Poppler's pdftotext and pdftoppm (read and render printed PDFs); skip locally when absent,
    fail when CI=true."""
    if shutil.which("pdftotext") and shutil.which("pdftoppm"):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Poppler (pdftotext, pdftoppm) is required in CI: apt-get install -y poppler-utils")
    pytest.skip("Poppler (pdftotext, pdftoppm) is not installed")


@pytest.fixture(autouse=True)
def _no_history_from_the_environment(monkeypatch):
    """A developer's MEDRISK_DB (the history consolidate records into) never reaches the tests."""
    monkeypatch.delenv("MEDRISK_DB", raising=False)


@pytest.fixture(scope="session")
def asymmetric_pack(tmp_path_factory):
    """The shipped pack with an asymmetric risk matrix and 5×5 register grid (tests/support/oracles.py:
    risk = vulnerability level; register level by probability only), so that reading rows for
    columns fails; the register's seed examples removed, as a site departing from them must."""
    from support.oracles import PROBABILITIES, SITE_GRID, SITE_MATRIX_YAML

    root = tmp_path_factory.mktemp("asymmetric") / "pack"
    shutil.copytree(shipped_content_dir(), root)
    method = root / "method.yaml"
    data = yaml.safe_load(method.read_text(encoding="utf-8"))
    data["risk"]["matrix"] = SITE_MATRIX_YAML
    method.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    register = root / "register.yaml"
    data = yaml.safe_load(register.read_text(encoding="utf-8"))
    data["grid"] = {sev: dict(zip(PROBABILITIES, levels)) for sev, levels in SITE_GRID.items()}
    data.pop("examples")
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_pack(root)


# A site pack in English with shifted thresholds and an asymmetric matrix.
@pytest.fixture(scope="module")
def site_pack(tmp_path_factory):
    import shutil

    import yaml

    from medrisk_xl.core.resources import shipped_content_dir

    root = tmp_path_factory.mktemp("site") / "pack"
    shutil.copytree(shipped_content_dir(), root)
    path = root / "method.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["criticality"]["levels"] = [
        {"level": 1, "min": 0, "max": 15},
        {"level": 2, "min": 16, "max": 27},
        {"level": 3, "min": 28, "max": 36},
    ]
    data["risk"]["matrix"][1][3] = 3
    data["risk"]["matrix"][3][1] = 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_pack(root)
