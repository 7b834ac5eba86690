"""What the biomedical service already knows, answered centrally before the workbooks go out
(issue 26): criteria answered in an answers file (``--answers FILE.csv``), in inventory columns
(``--map "Vétusté=C2"``), or by the pack's pre-fill rules (``--prefill-rules``: the age from the
commissioning date, a failure count).

Each answer is pre-filled exactly as the CE class pre-fills C1: in the cell, still editable, worth
its pre-filled points in a hidden helper (a row left as generated is "not started"), and its cell
note says where it came from. The answers file wins over a mapped column, which wins over a rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.generate.inventory import Device, Inventory
from medrisk_xl.generate.inventory.fields import header_key, known_fields
from medrisk_xl.generate.inventory.text_file import read_csv
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.scorer import AnswerError, parse_answer
from medrisk_xl.method.specs_prefill import AGE_YEARS
from medrisk_xl.workbook.write.plan import WorkbookPlan

# The answers file's columns, by any of these headers (compared as inventory headers are): the
# device id as the inventory's own column is recognised, then the criterion and the answer.
ANSWERS_COLUMNS = {
    "device_id": ("device_id", *next(f.aliases for f in known_fields() if f.name == "device_id")),
    "code": ("code", "critere", "criterion", "question"),
    "answer": ("answer", "reponse", "valeur", "value"),
}


@dataclass(frozen=True)
class Given:
    """One central answer of a device: its option index and why (ui.yaml ``prefill`` key, fields)."""

    index: int
    source: str  # "file" | "column" | "age" | "count"
    fields: dict[str, str] = field(default_factory=dict)


Central = dict[str, dict[str, Given]]  # device id -> criterion -> the answer given


def read_answers_file(path: Path, pack: ContentPack) -> tuple[Central, list[Problem]]:
    """The answers of ``path`` (a CSV read as an inventory CSV is: separator and encoding found the
    same way): one row per device and criterion; every problem at once, named by line (an
    unreadable file raises)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MedriskError(
            [
                Problem(
                    "missing-file", msg("generate.answers-unreadable", reason=exc.strerror), file=str(path)
                )
            ],
            exit_code=2,
        ) from None
    grid, problems = read_csv(raw, str(path))  # read as an inventory CSV is: encoding, separator
    if problems:
        return {}, problems
    rows = grid.rows
    if not rows:
        return {}, [Problem("bad-answers-file", msg("generate.answers-empty"), file=str(path))]
    cols, problems = _answer_columns(rows[0], path)
    if problems:
        return {}, problems
    criteria = set(pack.method.criterion_codes)
    out: Central = {}
    problems = []
    for line, row in zip(grid.numbers[1:], rows[1:]):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in cols.items()}
        if not any(cells.values()):
            continue
        device, code, answer = cells["device_id"], cells["code"].upper(), cells["answer"]
        if code not in criteria:
            problems.append(
                Problem(
                    "bad-answers-file",
                    msg("generate.answers-criterion", code=cells["code"]),
                    file=str(path),
                    row=line,
                )
            )
            continue
        try:
            index = parse_answer(pack, code, answer)
        except AnswerError as exc:
            said = exc.problems[0].template or exc.problems[0].message
            problems.append(Problem("bad-answers-file", said, file=str(path), row=line))
            continue
        if not device or index is None:
            problems.append(
                Problem("bad-answers-file", msg("generate.answers-needed"), file=str(path), row=line)
            )
            continue
        out.setdefault(device, {})[code] = Given(index, "file", {"file": path.name})
    return out, problems


def _answer_columns(header: list[str], path: Path) -> tuple[dict[str, int], list[Problem]]:
    """The answers file's columns by name, or the problem naming the one it lacks."""
    keys = [header_key(h) for h in header]
    cols = {}
    for name, aliases in ANSWERS_COLUMNS.items():
        found = [keys.index(header_key(a)) for a in aliases if header_key(a) in keys]
        if not found:
            said = msg("generate.answers-column", column=name, columns=", ".join(ANSWERS_COLUMNS))
            return {}, [Problem("bad-answers-file", said, file=str(path), row=1)]
        cols[name] = found[0]
    return cols, []


def column_answers(
    inventory: Inventory, columns: dict[str, str], pack: ContentPack
) -> tuple[Central, list[Problem]]:
    """The answers held in inventory columns mapped to criteria (``column -> criterion``)."""
    out: Central = {}
    problems: list[Problem] = []
    for column, code in columns.items():
        header = _header(inventory, [column])
        if header is None:
            problems.append(
                Problem(
                    "bad-map",
                    msg("generate.map-column", column=column, code=code),
                    file=inventory.source,
                )
            )
            continue
        for device in inventory.devices:
            value = device.extra.get(header, "").strip()
            if not value:
                continue
            try:
                index = parse_answer(pack, code, value)
            except AnswerError as exc:
                problems.append(
                    Problem(
                        "bad-map",
                        msg(
                            "generate.map-answer",
                            device=device.id,
                            column=header,
                            problem=exc.problems[0].template or exc.problems[0].message,
                        ),
                        file=inventory.source,
                        row=device.row,
                    )
                )
                continue
            if index is not None:
                out.setdefault(device.id, {})[code] = Given(
                    index, "column", {"column": header, "value": value}
                )
    return out, problems


def rule_answers(inventory: Inventory, pack: ContentPack, today: dt.date) -> Central:
    """The answers the pack's pre-fill rules give (a device without the rule's value: none)."""
    out: Central = {}
    for rule in pack.prefill.rules if pack.prefill else ():
        points = pack.method.answer_points(rule.criterion)
        header = None if rule.measure == AGE_YEARS else _header(inventory, list(rule.columns))
        for device in inventory.devices:
            measured = _measure(device, rule.measure, rule.field, header, today)
            if measured is None:
                continue
            value, fields = measured
            index = points.index(rule.points_for(value))
            out.setdefault(device.id, {})[rule.criterion] = Given(
                index, "age" if rule.measure == AGE_YEARS else "count", fields
            )
    return out


def _measure(
    device: Device, measure: str, date_field: str | None, header: str | None, today: dt.date
) -> tuple[int, dict[str, str]] | None:
    if measure == AGE_YEARS:
        date = device.date(date_field or "")
        if date is None or date > today:
            return None
        years = today.year - date.year - ((today.month, today.day) < (date.month, date.day))
        return years, {"date": date.strftime("%d/%m/%Y"), "years": str(years)}
    text = device.extra.get(header, "").strip() if header else ""
    if not text.isdigit():
        return None
    return int(text), {"column": header or "", "value": text}


def _header(inventory: Inventory, names: list[str]) -> str | None:
    """The inventory's extra column matching one of ``names`` (compared as headers are)."""
    wanted = {header_key(n) for n in names}
    return next((h for h in inventory.extra_columns if header_key(h) in wanted), None)


def merge(*sources: Central) -> Central:
    """The answers of every source, the first source winning for a device and criterion."""
    out: Central = {}
    for source in reversed(sources):
        for device, answers in source.items():
            out.setdefault(device, {}).update(answers)
    return out


def prefill_central(plans: list[tuple[str, WorkbookPlan]], central: Central, pack: ContentPack) -> int:
    """Pre-fill the central answers on every row (a row standing for several devices only where
    they all have the same answer); how many answers were pre-filled."""
    n = 0
    for _, plan in plans:
        texts = pack.language(plan.language).ui["prefill"]
        for row in plan.rows:
            if row.spare or not row.devices:
                continue
            given = [central.get(device, {}) for device in row.devices]
            for code in pack.method.criterion_codes:
                answers = {g[code].index if code in g else None for g in given}
                if len(answers) != 1 or None in answers:
                    continue
                first = given[0][code]
                row.answers[code] = first.index
                row.notes[code] = _note(texts, first, pack.language(plan.language), code, plan.lock_prefilled)
                n += 1
    return n


def _note(texts: dict, given: Given, language: Language, code: str, locked: bool) -> str:
    """Where the answer came from, ending "check or correct", or "report an error" when the
    department may not change it (``--lock-prefilled``)."""
    label = language.answer_labels(code)[given.index]
    end = texts["locked_end" if locked else "check_end"]
    return texts["notes"][given.source].format(answer=label, end=end, **given.fields)
