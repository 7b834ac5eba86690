"""Read a CSV export: encoding (UTF-16, UTF-8 with or without BOM, Windows-1252) and separator."""

from __future__ import annotations

import csv
import io

from medrisk_xl.core.problems import Problem
from medrisk_xl.generate.inventory.grid import Grid
from medrisk_xl.generate.inventory.messages import problem

HEAD_LINES = 40  # lines looked at to choose the separator
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
        return "", [problem("not-text", file=source, kind=kind)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: tuple[str, ...] = ("utf-8",)
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
                problem(
                    "undecodable-bytes",
                    file=source,
                    row=number,
                    data=repr(line[exc.start : exc.end]),
                    column=exc.start + 1,
                )
            )
    return "", problems


def read_csv(data: bytes, source: str) -> tuple[Grid, list[Problem]]:
    """The CSV's records, each numbered by the line where it ends (as the reader counts them)."""
    text, problems = decode(data, source)
    grid = Grid(None, [], [])
    if problems:
        return grid, problems
    text = text.removeprefix("\ufeff")
    # The separator the most used on one of the first lines: a title row above the header may
    # hold none, or a comma in a ";" file.
    lines = [line for line in text.splitlines()[:HEAD_LINES] if line.strip()]
    delimiter = max(";,\t", key=lambda d: max((line.count(d) for line in lines), default=0))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            grid.rows.append(cells)
            grid.numbers.append(reader.line_num)
    except csv.Error as exc:
        problems.append(problem("bad-csv", file=source, row=reader.line_num, error=exc))
    return grid, problems
