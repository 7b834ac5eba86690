"""The inventory columns the generator knows (templates/inventory.yaml) and how headers match them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from medrisk_xl.core.problems import Message, Problem, msg
from medrisk_xl.core.resources import templates_dir
from medrisk_xl.core.yaml_files import read_yaml_file
from medrisk_xl.generate.inventory.messages import problem
from medrisk_xl.method.checks.pack_files import normalize
from medrisk_xl.workbook.contract import SPLITS


@dataclass(frozen=True)
class Field:
    name: str  # e.g. department
    code: str  # column code in the workbook, e.g. DEPARTMENT
    required: bool
    aliases: tuple[str, ...]


@cache
def _template() -> dict:
    return read_yaml_file(templates_dir() / "inventory.yaml")


def known_fields() -> list[Field]:
    """Inventory fields the generator understands, in workbook order."""
    return [
        Field(name, spec["code"], bool(spec.get("required")), tuple(spec["aliases"]))
        for name, spec in _template()["fields"].items()
    ]


@cache
def field_codes() -> dict[str, str]:
    """Inventory field name -> column code in the workbook (e.g. department -> DEPARTMENT)."""
    return {f.name: f.code for f in known_fields()}


def header_key(text: str) -> str:
    """A header as compared: case, accents and punctuation left out."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in normalize(text)).split())


def _ce_key(text: str) -> str:
    key = header_key(text).replace("classe", "").replace("class", "")
    return key.replace(" ", "")


CE_CLASS_NAMES = {1: "I", 2: "IIa", 3: "IIb", 4: "III"}  # canonical name of each C1 answer


def ce_answer(text: str) -> int | None:
    """Points of criterion C1 (1-4) for a CE class as exported, ``None`` when unknown."""
    key = _ce_key(text)
    for points, spellings in _template()["ce_classes"].items():
        if key in spellings:
            return int(points)
    return None


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made distinct: a repeated non-empty header gets " (2)", " (3)"..."""
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        key = h.casefold()
        if h and key in seen:
            seen[key] += 1
            h = f"{h} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(h)
    return out


def match_columns(
    headers: list[str],
    mapping: Mapping[str, str],
    source: str,
    row: int = 1,
    sheet: str | None = None,
) -> tuple[dict[str, int], list[int], list[Problem]]:
    """Map known fields to column indexes; ``mapping`` is COLUMN=field from ``--map``."""
    fields = {f.name: f for f in known_fields()}
    codes = {f.code.lower(): f.name for f in fields.values()}
    problems: list[Problem] = []
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for column, target in mapping.items():
        name = target if target in fields else codes.get(target.lower())
        if name is None:
            known = ", ".join(fields)
            problems.append(problem("bad-map.field", file=source, column=column, target=target, known=known))
            continue
        if header_key(column) not in keys:
            problems.append(
                problem("bad-map.column", file=source, sheet=sheet, row=row, column=column, target=target)
            )
            continue
        found[name] = keys.index(header_key(column))
    for f in fields.values():
        if f.name in found:
            continue
        for alias in (header_key(a) for a in f.aliases):  # alias order is preference order
            if alias in keys and keys.index(alias) not in found.values():
                found[f.name] = keys.index(alias)
                break
    extra = [i for i, h in enumerate(headers) if i not in found.values() and h.strip()]
    return found, extra, problems


def split_hint(name: str, require_values: tuple[str, ...], found: Mapping[str, int]) -> Message | str:
    """``; or use --split-by …`` naming the other ways to split, for a field needed to split."""
    if name not in require_values:
        return ""
    others = [s for s in SPLITS if s != name and (s == "none" or s in found)]
    return msg("inventory-text.split-hint", splits="|".join(others))


def column_choices(
    headers: list[str], found: Mapping[str, int], mapping: Mapping[str, str]
) -> list[tuple[str, str, list[str]]]:
    """Fields the campaign can be split by (department, site) read from one of several columns
    their names fit, the user's ``--map`` aside: (field, the column read, the other columns)."""
    keys = [header_key(h) for h in headers]
    mapped = {header_key(c) for c in mapping}
    used = set(found.values())
    out = []
    for f in known_fields():
        if f.name not in SPLITS or f.name not in found or keys[found[f.name]] in mapped:
            continue
        aliases = {header_key(a) for a in f.aliases}
        others = [headers[i] for i, k in enumerate(keys) if k in aliases and i not in used]
        if others:
            out.append((f.name, headers[found[f.name]], others))
    return out
