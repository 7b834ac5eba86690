"""The YAML reader every command starts with: the same data as PyYAML's safe loader, parsed once
for the same bytes (the parsed cache), and the same errors for a broken file."""

from __future__ import annotations

import pytest
import yaml

from medrisk_xl.core import yaml_files
from medrisk_xl.core.parsed_cache import CACHE_ENV
from medrisk_xl.core.resources import shipped_content_dir, templates_dir
from medrisk_xl.core.yaml_files import load_yaml, read_yaml_file


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def shipped_yaml():
    return sorted([*shipped_content_dir().rglob("*.yaml"), *templates_dir().rglob("*.yaml")])


@pytest.mark.parametrize("path", shipped_yaml(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_reads_as_the_pure_python_safe_loader_reads_it(path):
    expected = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert read_yaml_file(path) == expected
    assert read_yaml_file(path) == expected  # the second time from the cache


def test_the_same_bytes_are_parsed_once(cache, monkeypatch):
    calls = []
    real = yaml.load

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(yaml_files.yaml, "load", counting)
    assert load_yaml("a: [1, é]\n".encode()) == {"a": [1, "é"]}
    assert load_yaml("a: [1, é]\n".encode()) == {"a": [1, "é"]}
    assert load_yaml(b"a: 2\n") == {"a": 2}
    assert len(calls) == 2 and len(list(cache.glob("*.marshal"))) == 2


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"a: [1\n", yaml.YAMLError),
        (b"a: !!python/object:os.system x\n", yaml.YAMLError),
        (b"\xff", UnicodeDecodeError),
    ],
)
def test_a_broken_file_raises_as_the_safe_loader_does(raw, error):
    with pytest.raises(error):
        load_yaml(raw)
