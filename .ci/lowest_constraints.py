"""Print pip constraints pinning each dependency of pyproject.toml to its lower bound.

Usage: ``python .ci/lowest_constraints.py [EXTRA...]``: the runtime dependencies, plus those of
each extra named.

CI installs the project with these on the oldest supported Python, so that each lower bound the
project declares is a version that was installed and run. Dependencies with no lower bound are
left free. Python 3.11+ (tomllib); CI runs it with the machine's default Python.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

# Transitive pins the lowest direct versions need to import at all: pandas 1.5 wheels are built
# against NumPy 1.x and fail to import beside NumPy 2 ("numpy.dtype size changed").
TRANSITIVE = {"pandas": ("1.", "numpy<2")}

_LOWER = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(?:[^;]*?)>=\s*([0-9][0-9A-Za-z.]*)")


def constraints(pyproject: Path, extras: list[str]) -> list[str]:
    """``name==lower`` for each dependency (runtime and the given extras) with a ``>=`` bound,
    plus transitive pins; an extra naming the project itself (``medrisk-xl[audit]``) is skipped,
    its own extras being listed by the caller."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in extras:
        specs += [s for s in project["optional-dependencies"][extra] if not s.startswith(project["name"])]
    lines: list[str] = []
    for spec in specs:
        match = _LOWER.match(spec)
        if not match:
            continue
        name, lower = match.groups()
        lines.append(f"{name}=={lower}")
        prefix, pin = TRANSITIVE.get(name.lower(), (None, None))
        if prefix is not None and lower.startswith(prefix):
            lines.append(pin)
    return lines


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    print("\n".join(constraints(root / "pyproject.toml", sys.argv[1:])))
