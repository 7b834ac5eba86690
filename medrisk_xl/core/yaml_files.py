"""YAML read fast: libyaml's parser where PyYAML was built with it (about ten times faster than
the pure-Python one; both construct the same safe types), and what a file parses to kept in the
parsed cache (:mod:`medrisk_xl.core.parsed_cache`), so that a command's start-up parses nothing
it parsed before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from medrisk_xl.core.parsed_cache import parsed

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What a parse depends on besides the bytes: the cache key's salt.
PARSER = f"PyYAML {yaml.__version__} {SAFE_LOADER.__name__}"


def load_yaml(raw: bytes) -> Any:
    """``raw`` (UTF-8 YAML) parsed safely, from the cache when parsed before. Raises
    UnicodeDecodeError and yaml.YAMLError as ``yaml.safe_load`` does."""
    return parsed(PARSER, raw, lambda: yaml.load(raw.decode("utf-8"), Loader=SAFE_LOADER))


def read_yaml_file(path: Path) -> Any:
    """The YAML file at ``path`` parsed (see :func:`load_yaml`)."""
    return load_yaml(path.read_bytes())
