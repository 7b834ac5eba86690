"""Read a device inventory exported by a CMMS (GMAO): CSV or XLSX, French or English headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from medrisk_xl.pack_check import normalize
from medrisk_xl.problems import MedriskError, Problem
from medrisk_xl.resources import templates_dir
from medrisk_xl.textsafe import clean_text
from medrisk_xl.workbook.contract import SPLITS


@dataclass(frozen=True)
class Field:
    name: str  # e.g. department
    code: str  # column code in the workbook, e.g. DEPARTMENT
    required: bool
    aliases: tuple[str, ...]


@dataclass
class Device:
    """One inventory row: known fields by name, other columns by their header."""

    row: int  # line (CSV) or row (XLSX) in the source file
    fields: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    ce_answer: int | None = None  # points of C1 given by the CE class, when known

    @property
    def id(self) -> str:
        return self.fields.get("device_id", "")

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass
class Inventory:
    source: str
    fields: list[str]  # known fields present, in template order
    extra_columns: list[str]  # headers of other columns, carried along read-only
    devices: list[Device]
    warnings: list[Problem] = field(default_factory=list)


@cache
def _template() -> dict:
    return yaml.safe_load((templates_dir() / "inventory.yaml").read_text(encoding="utf-8"))


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


def _header_key(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in normalize(text)).split())


def _ce_key(text: str) -> str:
    key = _header_key(text).replace("classe", "").replace("class", "")
    return key.replace(" ", "")


CE_CLASS_NAMES = {1: "I", 2: "IIa", 3: "IIb", 4: "III"}  # canonical name of each C1 answer


def ce_answer(text: str) -> int | None:
    """Points of criterion C1 (1-4) for a CE class as exported, ``None`` when unknown."""
    key = _ce_key(text)
    for points, spellings in _template()["ce_classes"].items():
        if key in spellings:
            return int(points)
    return None


EXPORT_HINT = "export the inventory from the CMMS as CSV (UTF-8 or Windows-1252) or as XLSX"
_MAGIC = (
    (b"PK\x03\x04", "an XLSX or other zipped file (rename it .xlsx if it is a workbook)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook or another Office file"),
    (b"%PDF", "a PDF document"),
)


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like, or ``None`` when it may be a text CSV."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > max(8, len(head) // 100):
        return "binary data"
    return None


def decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Decode CSV bytes: UTF-16 with BOM, UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    kind = binary_kind(data)
    if kind is not None:
        return "", [
            Problem(
                "not-text", f"the file is not a text CSV (it looks like {kind}); {EXPORT_HINT}", file=source
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings = ("utf-8",)
    else:
        encodings = ("utf-8", "cp1252")
    for enc in encodings:
        try:
            return data.decode(enc), []
        except UnicodeDecodeError:
            continue
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode(encodings[-1])
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    "undecodable-bytes",
                    f"bytes {line[exc.start : exc.end]!r} at column {exc.start + 1} are neither UTF-8 nor Windows-1252",
                    file=source,
                    row=number,
                )
            )
    return "", problems


def _read_csv(path: Path) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem("unreadable", f"cannot read the file: {exc.strerror or exc}", file=str(path))]
    text, problems = decode(data, path.name)
    if problems:
        return [], problems
    text = text.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ";"
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        problems.append(Problem("bad-csv", f"malformed CSV: {exc}", file=path.name, row=reader.line_num))
    return rows, problems


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a damaged file
        return [], [
            Problem("unreadable", f"not a readable .xlsx workbook ({exc.__class__.__name__})", file=path.name)
        ]
    try:
        ws = wb.worksheets[0]
        rows = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            rows.append((number, ["" if v is None else _cell_text(v) for v in values]))
        return rows, []
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unique(headers: list[str]) -> list[str]:
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
    headers: list[str], mapping: Mapping[str, str], source: str
) -> tuple[dict[str, int], list[int], list[Problem]]:
    """Map known fields to column indexes; ``mapping`` is COLUMN=field from ``--map``."""
    fields = {f.name: f for f in known_fields()}
    codes = {f.code.lower(): f.name for f in fields.values()}
    problems: list[Problem] = []
    keys = [_header_key(h) for h in headers]
    found: dict[str, int] = {}
    for column, target in mapping.items():
        name = target if target in fields else codes.get(target.lower())
        if name is None:
            problems.append(
                Problem(
                    "bad-map",
                    f"--map {column}={target}: unknown field (known: {', '.join(fields)})",
                    file=source,
                )
            )
            continue
        if _header_key(column) not in keys:
            problems.append(
                Problem("bad-map", f"--map {column}={target}: no column named {column!r}", file=source, row=1)
            )
            continue
        found[name] = keys.index(_header_key(column))
    for f in fields.values():
        if f.name in found:
            continue
        aliases = [_header_key(a) for a in f.aliases]
        for alias in aliases:  # alias order is preference order
            if alias in keys and keys.index(alias) not in found.values():
                found[f.name] = keys.index(alias)
                break
    extra = [i for i, h in enumerate(headers) if i not in found.values() and h.strip()]
    return found, extra, problems


def _split_hint(name: str, require_values: tuple[str, ...], found: Mapping[str, int]) -> str:
    """``; or use --split-by …`` naming the other ways to split, for a field needed to split."""
    if name not in require_values:
        return ""
    others = [s for s in SPLITS if s != name and (s == "none" or s in found)]
    return f"; or use --split-by {'|'.join(others)}"


def read_inventory(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    require_columns: tuple[str, ...] = (),
    require_values: tuple[str, ...] = (),
) -> Inventory:
    """Read and check an inventory; raise :class:`MedriskError` listing every problem.

    ``require_columns`` names fields whose column must exist (e.g. ``cneh`` for ``--per cneh``),
    ``require_values`` fields that every row must fill (e.g. ``department`` to split by it).
    """
    path = Path(path)
    source = path.name
    if path.is_dir():
        raise MedriskError(
            [Problem("not-a-file", f"this is a folder, not an inventory file; {EXPORT_HINT}", file=str(path))]
        )
    if not path.is_file():
        raise MedriskError([Problem("missing-file", "inventory file not found", file=str(path))])
    suffix = path.suffix.lower()
    is_csv = suffix in (".csv", ".txt", ".tsv")
    if suffix in (".xlsx", ".xlsm"):
        rows, problems = _read_xlsx(path)
    elif is_csv:
        rows, problems = _read_csv(path)
    else:
        raise MedriskError([Problem("bad-format", "inventory must be a .csv or .xlsx file", file=str(path))])
    if problems:
        raise MedriskError(problems)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise MedriskError([Problem("empty-inventory", "the inventory has no header row", file=source)])
    header_row, raw_headers = rows[0]
    headers = _unique([clean_text(h)[0] for h in raw_headers])
    found, extra, problems = match_columns(headers, mapping or {}, source)
    fields = known_fields()
    for f in fields:
        if (f.required or f.name in require_columns + require_values) and f.name not in found:
            names = ", ".join(f'"{a}"' for a in f.aliases[:3])
            problems.append(
                Problem(
                    "missing-column",
                    f"required column for {f.name} is missing (expected a header such as {names}, "
                    f"or use --map COLUMN={f.name}{_split_hint(f.name, require_values, found)})",
                    file=source,
                    row=header_row,
                )
            )
    devices: list[Device] = []
    warnings: list[Problem] = []
    seen: dict[str, int] = {}
    for number, cells in rows[1:]:
        if is_csv and len(cells) != len(raw_headers):
            problems.append(
                Problem(
                    "field-count",
                    f"row has {len(cells)} fields but the header has {len(raw_headers)} "
                    "(usually a separator inside a value, e.g. a designation, that is not quoted: "
                    "put the value in double quotes or export the file again)",
                    file=source,
                    row=number,
                )
            )
            continue

        def cell(idx: int, number: int = number, cells: list[str] = cells) -> str:
            text, cut = clean_text(cells[idx] if idx < len(cells) else "")
            if cut:
                warnings.append(
                    Problem(
                        "text-truncated",
                        f"{headers[idx]!r} was cut to 32,767 characters (Excel's cell limit)",
                        file=source,
                        row=number,
                    )
                )
            return text

        values = {name: cell(idx) for name, idx in found.items()}
        extras = {headers[idx]: cell(idx) for idx in extra}
        device = Device(number, values, extras)
        if "device_id" in found:
            if not device.id:
                problems.append(Problem("empty-id", "device id is empty", file=source, row=number))
            elif device.id.casefold() in seen:
                problems.append(
                    Problem(
                        "duplicate-id",
                        f"device id {device.id!r} already appears at row {seen[device.id.casefold()]}",
                        file=source,
                        row=number,
                    )
                )
            else:
                seen[device.id.casefold()] = number
        for name in require_values:
            if name in found and not values.get(name):
                problems.append(
                    Problem(
                        "empty-field",
                        f"{name} is empty (needed to split the campaign{_split_hint(name, require_values, found)})",
                        file=source,
                        row=number,
                    )
                )
        ce = values.get("ce_class", "")
        if ce:
            device.ce_answer = ce_answer(ce)
            if device.ce_answer is None:
                problems.append(
                    Problem(
                        "unknown-ce-class",
                        f"unknown CE class {ce!r} (expected I, IIa, IIb or III)",
                        file=source,
                        row=number,
                    )
                )
        devices.append(device)
    if not devices and not problems:
        problems.append(Problem("empty-inventory", "the inventory has a header but no device", file=source))
    if problems:
        raise MedriskError(problems)
    return Inventory(
        source=source,
        fields=[f.name for f in fields if f.name in found],
        extra_columns=[headers[i] for i in extra],
        devices=devices,
        warnings=warnings,
    )
