"""Shared fixtures: the shipped pack and a way to break a copy of it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from medrisk_xl import load_pack
from medrisk_xl.resources import shipped_content_dir


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
def soffice() -> str:
    """Path of LibreOffice's soffice; skip locally when absent, fail when CI=true."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("LibreOffice (soffice) is required in CI: apt-get install -y libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture(autouse=True)
def _no_history_from_the_environment(monkeypatch):
    """A developer's MEDRISK_DB (the history consolidate records into) never reaches the tests."""
    monkeypatch.delenv("MEDRISK_DB", raising=False)
