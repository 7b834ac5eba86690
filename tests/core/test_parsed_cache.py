"""The cache of parsed files: the same bytes are parsed once, a change is a new parse, and a
cache that cannot be used is never an error; the content pack loads the same through it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from medrisk_xl.core import parsed_cache
from medrisk_xl.core.parsed_cache import CACHE_ENV, parsed
from medrisk_xl.method import pack as pack_module
from medrisk_xl.method.pack import load_pack, shipped_content_dir


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    out = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(out))
    return out


def counting(value):
    calls = []

    def parse():
        calls.append(1)
        return value

    return parse, calls


def test_the_same_bytes_are_parsed_once(folder):
    parse, calls = counting({"a": [1, 2.5, "é", None, True], 3: {"b": ()}})
    first = parsed("p", b"x", parse)
    again = parsed("p", b"x", parse)
    assert first == again == {"a": [1, 2.5, "é", None, True], 3: {"b": ()}} and len(calls) == 1
    assert again is not first  # a fresh copy: a caller may change what it gets
    assert len(list(folder.glob("*.marshal"))) == 1 and not list(folder.glob("*.tmp"))


def test_other_bytes_or_another_parser_parse_again(folder):
    parse, calls = counting([1])
    parsed("p", b"x", parse)
    parsed("p", b"y", parse)
    parsed("p 2.0", b"x", parse)
    assert len(calls) == 3


def test_a_broken_entry_is_parsed_again_and_replaced(folder):
    parse, calls = counting({"k": "v"})
    parsed("p", b"x", parse)
    (entry,) = folder.glob("*.marshal")
    entry.write_bytes(b"\x00garbage")
    assert parsed("p", b"x", parse) == {"k": "v"} and len(calls) == 2
    assert parsed("p", b"x", parse) == {"k": "v"} and len(calls) == 2


def test_data_marshal_cannot_keep_is_parsed_each_time(folder):
    parse, calls = counting({"date": dt.date(2026, 12, 3)})
    assert parsed("p", b"x", parse) == parsed("p", b"x", parse) == {"date": dt.date(2026, 12, 3)}
    assert len(calls) == 2 and not list(folder.glob("*"))


def test_an_unwritable_folder_or_no_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    parse, calls = counting([1])
    assert parsed("p", b"x", parse) == parsed("p", b"x", parse) == [1] and len(calls) == 2
    monkeypatch.setenv(CACHE_ENV, "")  # empty: off
    assert parsed_cache.cache_dir() is None and parsed("p", b"x", parse) == [1] and len(calls) == 3


def test_a_parse_error_passes_through_and_nothing_is_kept(folder):
    def fail():
        raise ValueError("bad")

    with pytest.raises(ValueError):
        parsed("p", b"x", fail)
    assert not folder.exists() or not list(folder.glob("*"))


def test_the_pack_loads_the_same_from_the_cache(folder, tmp_path):
    """Cold, then warm from the cache, then after one file changed: the same pack as without
    the cache, the changed text read again."""
    root = tmp_path / "pack"
    shutil.copytree(shipped_content_dir(), root)
    pack_module._CACHE.clear()
    os.environ[CACHE_ENV] = ""
    plain = load_pack(root)
    os.environ[CACHE_ENV] = str(folder)
    for _ in range(2):
        pack_module._CACHE.clear()
        cached = load_pack(root)
        assert cached.hash == plain.hash and cached.language("fr").ui == plain.language("fr").ui
        assert cached.method == plain.method
    assert len(list(folder.glob("*.marshal"))) >= 9
    ui = root / "fr" / "ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("Ligne vérifiée", "Ligne relue"), encoding="utf-8")
    pack_module._CACHE.clear()
    assert load_pack(root).language("fr").ui["prefill"]["review"]["header"] == "Ligne relue"
