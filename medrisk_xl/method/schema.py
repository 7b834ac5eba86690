"""A tiny structural schema for YAML data: exact keys, types, non-empty texts.

Every mismatch becomes a :class:`Problem` naming the file and the key path, so that a
content pack reports all its problems at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from medrisk_xl.core.parsed_cache import parsed
from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.core.yaml_files import PARSER, SAFE_LOADER


@dataclass(frozen=True)
class Keys:
    """A mapping with a fixed set of keys; keys in ``optional`` may be absent."""

    fields: dict[str, Any]
    optional: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_len: int = 1


@dataclass(frozen=True)
class MapOf:
    """A mapping with free keys (checked elsewhere against codes) of one value shape."""

    value: Any
    key: type = str


TEXT = "text"  # a non-empty string
INT = "int"
BOOL = "bool"

_TYPE_NAMES = {TEXT: "a text", INT: "an integer", BOOL: "true or false"}


def join(path: str, key: object) -> str:
    """Key path ``a.b`` of ``key`` under ``path``."""
    return f"{path}.{key}" if path else str(key)


def _kind(value: Any) -> Message | str:
    """What a YAML value is, in words (template ``content.kind.<kind>``)."""
    if isinstance(value, dict):
        return msg("content.kind.mapping")
    if isinstance(value, list):
        return msg("content.kind.list")
    if value is None:
        return msg("content.kind.nothing")
    if isinstance(value, bool):
        return msg("content.kind.bool")
    if isinstance(value, int):
        return msg("content.kind.integer")
    if isinstance(value, str):
        return msg("content.kind.text")
    return type(value).__name__


def walk(value: Any, spec: Any, file: str, path: str = "") -> list[Problem]:
    """Check ``value`` against ``spec``; return every problem found."""
    out: list[Problem] = []

    def bad(code: str, template: str, where: str = path, **fields: Any) -> None:
        out.append(Problem(code, msg(f"content.{template}", **fields), file=file, path=where or None))

    def wrong(expected: str) -> None:
        bad("wrong-type", "wrong-type", expected=msg(f"content.kind.{expected}"), found=_kind(value))

    if spec == TEXT:
        if value is None or (isinstance(value, str) and not value.strip()):
            bad("missing-text", "missing-text")
        elif isinstance(value, bool):
            bad("wrong-type", "quote-words", found=_kind(value))
        elif not isinstance(value, str):
            wrong("text")
    elif spec == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            wrong("integer")
    elif spec == BOOL:
        if not isinstance(value, bool):
            wrong("bool")
    elif isinstance(spec, Keys):
        if not isinstance(value, dict):
            wrong("mapping")
            return out
        for key in value:
            if key not in spec.fields:
                bad("unknown-key", "unknown-key", join(path, key), key=key)
        for key, sub in spec.fields.items():
            if key in value:
                out += walk(value[key], sub, file, join(path, key))
            elif key not in spec.optional:
                bad("missing-key", "missing-key", join(path, key), key=key)
    elif isinstance(spec, ListOf):
        if not isinstance(value, list):
            wrong("list")
            return out
        if len(value) < spec.min_len:
            bad("missing-text", "too-few", count=spec.min_len)
        for i, item in enumerate(value):
            out += walk(item, spec.item, file, f"{path}[{i}]")
    elif isinstance(spec, MapOf):
        if not isinstance(value, dict):
            wrong("mapping")
            return out
        for key, item in value.items():
            if spec.key is int and (isinstance(key, bool) or not isinstance(key, int)):
                bad("wrong-type", "integer-key", join(path, key), key=key)
                continue
            out += walk(item, spec.value, file, join(path, key))
    else:  # pragma: no cover - programming error
        raise TypeError(f"unknown spec {spec!r}")
    return out


class _UniqueKeyLoader(SAFE_LOADER):  # type: ignore[valid-type,misc]
    """A safe loader that refuses duplicate keys instead of silently keeping the last."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# What the parse of a file depends on besides its bytes: the cache key's salt.
_PARSER = f"{PARSER} unique-keys"


def read_yaml(path: Path, label: str) -> tuple[Any, list[Problem]]:
    """Read one YAML file; problems (unreadable, malformed, duplicate key) are returned."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, [Problem("missing-file", msg("content.missing-file"), file=label)]
    except UnicodeDecodeError as exc:
        return None, [Problem("bad-encoding", msg("content.bad-encoding", reason=exc.reason), file=label)]
    except OSError as exc:
        return None, [Problem("unreadable", msg("content.unreadable", reason=exc.strerror), file=label)]
    try:
        data = parsed(_PARSER, raw, lambda: yaml.load(text, Loader=_UniqueKeyLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        said = (
            msg("content.bad-yaml-at", line=mark.line + 1, column=mark.column + 1, reason=reason)
            if mark
            else msg("content.bad-yaml", reason=reason)
        )
        return None, [Problem("bad-yaml", said, file=label)]
    return data, []


def read_optional(root: Path, name: str, spec: Any) -> tuple[list[Problem], Any | None, bool]:
    """An optional file of a pack (``mds2.yaml``, ``prefill.yaml``): its problems, its data (None
    when absent or unreadable) and whether its structure is valid (its semantics checkable)."""
    path = root / name
    if not path.exists():
        return [], None, False
    data, problems = read_yaml(path, name)
    if problems:
        return problems, None, False
    problems = walk(data, spec, name)
    return problems, data, not problems
