"""Content packs edited for a test: a key set in a YAML file, and the problems a check finds."""

from __future__ import annotations

import pytest

from medrisk_xl import MedriskError, load_pack
from medrisk_xl.method.pack import check_pack


def problems_of(root):
    problems = check_pack(root)
    assert problems, "a broken pack must report problems"
    with pytest.raises(MedriskError):
        load_pack(root)
    return problems


def set_key(path, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change
