"""Reading a pack's ``editions.yaml`` (:mod:`medrisk_xl.method.specs_editions`)."""

from __future__ import annotations

from pathlib import Path

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.schema import read_optional
from medrisk_xl.method.specs_editions import EDITIONS_FILE as F
from medrisk_xl.method.specs_editions import EDITIONS_SPEC, HASH_CHARS, HASH_LENGTH


def read_editions(root: Path) -> tuple[list[Problem], tuple[str, ...]]:
    """The content hashes of the earlier editions the pack at ``root`` reads as its own (none
    without the file), and the file's problems."""
    problems, data, valid = read_optional(root, F, EDITIONS_SPEC)
    if not valid:
        return problems, ()
    hashes = []
    for i, edition in enumerate(data["earlier"]):
        value = edition["hash"]
        if len(value) != HASH_LENGTH or not set(value) <= HASH_CHARS:
            problems.append(
                Problem("bad-edition", msg("editions.bad-hash", hash=value), F, f"earlier[{i}].hash")
            )
        else:
            hashes.append(value)
    return problems, tuple(hashes)
