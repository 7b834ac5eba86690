"""Semantic checks of the risk register (register.yaml): codes, scales, the severity ×
probability grid and its worked examples, seeding, the change form, and each language's texts."""

from __future__ import annotations

import itertools

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.checks.expected_codes import check_codes, what_is
from medrisk_xl.method.specs import (
    FIELD_KINDS,
    LEVELS,
    REGISTER_FILE,
    REGISTER_LISTS,
    SCALE_SIZE,
    STAGES,
)


def _duplicates(codes: list, file: str, path: str, what: str) -> list[Problem]:
    repeated = sorted({str(c) for c in codes if codes.count(c) > 1})
    return [
        Problem("duplicate-code", msg("content.duplicate-code", what=what_is(what), code=code), file, path)
        for code in repeated
    ]


def _grid_cells(data: dict, file: str) -> tuple[dict[tuple[str, str], int], list[Problem]]:
    """The grid's valid cells ((severity, probability) -> level) and its completeness problems."""
    out: list[Problem] = []
    grid, sev, prob = data["grid"], data["severity"], data["probability"]
    levels = [lv["level"] for lv in data["levels"]]
    for s, row in grid.items():
        if s not in sev:
            out.append(Problem("bad-grid", msg("register.unknown-severity", severity=s), file, f"grid.{s}"))
            continue
        for p in row:
            if p not in prob:
                out.append(
                    Problem(
                        "bad-grid", msg("register.unknown-probability", probability=p), file, f"grid.{s}.{p}"
                    )
                )
    cells: dict[tuple[str, str], int] = {}
    for s in sev:
        row = grid.get(s)
        if row is None:
            out.append(Problem("bad-grid", msg("register.row-missing", severity=s), file, f"grid.{s}"))
            continue
        for p in prob:
            if p not in row:
                out.append(
                    Problem(
                        "bad-grid",
                        msg("register.cell-missing", severity=s, probability=p),
                        file,
                        f"grid.{s}.{p}",
                    )
                )
            elif row[p] not in levels:
                out.append(
                    Problem(
                        "bad-grid",
                        msg(
                            "register.cell-level", severity=s, probability=p, value=row[p], levels=str(levels)
                        ),
                        file,
                        f"grid.{s}.{p}",
                    )
                )
            else:
                cells[(s, p)] = row[p]
    return cells, out


def _grid_falls(cells: dict[tuple[str, str], int], sev: list, prob: list, file: str) -> list[Problem]:
    """The level may never fall as severity or probability rises (checked between valid cells)."""
    out: list[Problem] = []
    for s in sev:
        for lo, hi in itertools.pairwise(prob):
            a, b = cells.get((s, lo)), cells.get((s, hi))
            if a is not None and b is not None and b < a:
                out.append(
                    Problem(
                        "grid-falls",
                        msg("register.falls-probability", high=a, low=b, first=lo, then=hi, severity=s),
                        file,
                        f"grid.{s}.{hi}",
                    )
                )
    for p in prob:
        for lo, hi in itertools.pairwise(sev):
            a, b = cells.get((lo, p)), cells.get((hi, p))
            if a is not None and b is not None and b < a:
                out.append(
                    Problem(
                        "grid-falls",
                        msg("register.falls-severity", high=a, low=b, first=lo, then=hi, probability=p),
                        file,
                        f"grid.{hi}.{p}",
                    )
                )
    return out


def _check_examples(data: dict, cells: dict[tuple[str, str], int], file: str) -> list[Problem]:
    """Every stated example must use known codes and be reproduced by the grid."""
    out: list[Problem] = []
    known = {
        "stage": STAGES,
        "severity": data["severity"],
        "probability": data["probability"],
        "level": [lv["level"] for lv in data["levels"]],
    }
    code_of = {lv["level"]: lv["code"] for lv in data["levels"]}
    reference = data["sources"][0]["reference"] if data["sources"] else msg("register.the-source")
    for i, ex in enumerate(data.get("examples") or []):
        bad = [key for key, allowed in known.items() if ex[key] not in allowed]
        for key in bad:
            out.append(
                Problem(
                    "unknown-code",
                    msg("register.example-unknown", what=what_is(key), value=ex[key]),
                    file,
                    f"examples[{i}].{key}",
                )
            )
        if bad:
            continue
        s, p, level = ex["severity"], ex["probability"], ex["level"]
        got = cells.get((s, p))
        if got is not None and got != level:
            out.append(
                Problem(
                    "grid-contradicts-example",
                    msg(
                        "register.contradicts-example",
                        reference=reference,
                        section=ex["section"],
                        situation=ex["situation"],
                        stage=ex["stage"],
                        severity=s,
                        probability=p,
                        level=level,
                        code=code_of.get(level, "?"),
                        got=got,
                        got_code=code_of.get(got, "?"),
                        index=i,
                    ),
                    file,
                    f"grid.{s}.{p}",
                )
            )
    return out


def check_register(data: dict, method: dict | None, file: str = REGISTER_FILE) -> list[Problem]:
    """Semantic checks of a structurally valid register.yaml (the method's items, when the method
    is valid, for the seeding map)."""
    out: list[Problem] = []
    codes = {name: [e["code"] for e in data[name]] for name in REGISTER_LISTS}
    for name, what in REGISTER_LISTS.items():
        out += _duplicates(codes[name], file, name, what)
    sev, prob = data["severity"], data["probability"]
    for name, scale in (("severity", sev), ("probability", prob)):
        out += _duplicates(scale, file, name, name)
        if len(scale) != SCALE_SIZE:
            out.append(
                Problem(
                    "bad-scale",
                    msg("register.bad-scale", scale=what_is(name), steps=SCALE_SIZE, count=len(scale)),
                    file,
                    name,
                )
            )
    numbers = [lv["level"] for lv in data["levels"]]
    if numbers != list(LEVELS):
        out.append(Problem("bad-levels", msg("method.bad-levels", found=str(numbers)), file, "levels"))
    out += _duplicates([lv["code"] for lv in data["levels"]], file, "levels", "level")
    out += _duplicates(list(data["statuses"]), file, "statuses", "status")

    cells, probs = _grid_cells(data, file)
    out += probs + _grid_falls(cells, sev, prob, file) + _check_examples(data, cells, file)

    hazards = set(codes["hazards"])
    out += _check_hazards(data, hazards, file)
    seeding = data["seeding"]
    if method is not None:
        out += check_codes(seeding, method["vulnerability"]["items"], file, "seeding", "item")
    for item, entry in seeding.items():
        for key, known, what in (("hazard", hazards, "hazard"), ("cause", set(codes["causes"]), "cause")):
            if entry[key] not in known:
                out.append(
                    Problem(
                        "unknown-code",
                        msg("content.code-unknown", what=what_is(what), code=entry[key]),
                        file,
                        f"seeding.{item}.{key}",
                    )
                )
    out += _check_change_form(data["change_form"], file)
    return out


def _check_hazards(data: dict, hazards: set[str], file: str) -> list[Problem]:
    """Each hazard's parent is a hazard and not its own descendant; causes name known hazards."""
    out: list[Problem] = []
    parents = {h["code"]: h.get("parent") for h in data["hazards"]}
    for i, h in enumerate(data["hazards"]):
        parent = h.get("parent")
        if parent is None:
            continue
        if parent not in hazards:
            out.append(
                Problem(
                    "unknown-code",
                    msg("register.parent-unknown", parent=parent),
                    file,
                    f"hazards[{i}].parent",
                )
            )
            continue
        seen, node = {h["code"]}, parent
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node == h["code"]:
            out.append(
                Problem(
                    "bad-parent",
                    msg("register.own-ancestor", hazard=h["code"], parent=parent),
                    file,
                    f"hazards[{i}].parent",
                )
            )
    for i, cause in enumerate(data["causes"]):
        for j, code in enumerate(cause["hazards"]):
            if code not in hazards:
                out.append(
                    Problem(
                        "unknown-code",
                        msg("content.code-unknown", what=what_is("hazard"), code=code),
                        file,
                        f"causes[{i}].hazards[{j}]",
                    )
                )
    return out


def _check_change_form(fields: list[dict], file: str) -> list[Problem]:
    """Each change-form field: a known kind, options for a choice (and only for it), none repeated."""
    out: list[Problem] = []
    for i, fld in enumerate(fields):
        if fld["kind"] not in FIELD_KINDS:
            out.append(
                Problem(
                    "bad-field",
                    msg("register.field-kind", kind=fld["kind"], kinds=", ".join(FIELD_KINDS)),
                    file,
                    f"change_form[{i}].kind",
                )
            )
        if fld["kind"] == "choice" and not fld.get("options"):
            out.append(Problem("bad-field", msg("register.choice-options"), file, f"change_form[{i}]"))
        elif fld["kind"] != "choice" and "options" in fld:
            out.append(
                Problem("bad-field", msg("register.options-only-choice"), file, f"change_form[{i}].options")
            )
        out += _duplicates(fld.get("options", []), file, f"change_form[{i}].options", "option")
    return out


def check_register_texts(data: dict, register: dict, file: str) -> list[Problem]:
    """A language's register texts must carry exactly the codes of register.yaml."""
    out: list[Problem] = []
    expected = {
        "severity": ("severity", list(register["severity"])),
        "probability": ("probability", list(register["probability"])),
        "levels": ("level", [lv["code"] for lv in register["levels"]]),
    }
    for name, what in REGISTER_LISTS.items():
        if name != "change_form":
            expected[name] = (what, [e["code"] for e in register[name]])
    for key, (what, codes) in expected.items():
        out += check_codes(data[key], codes, file, key, what)
    out += check_codes(
        data["sheet"]["statuses"], list(register["statuses"]), file, "sheet.statuses", "status"
    )
    fields = data["change_form"]["fields"]
    out += check_codes(
        fields, [f["code"] for f in register["change_form"]], file, "change_form.fields", "change-form field"
    )
    for fld in register["change_form"]:
        entry = fields.get(fld["code"])
        if not isinstance(entry, dict):
            continue
        path = f"change_form.fields.{fld['code']}.options"
        if fld["kind"] == "choice":
            if "options" not in entry:
                out.append(Problem("missing-key", msg("register.option-texts"), file, path))
            else:
                out += check_codes(entry["options"], fld.get("options", []), file, path, "option")
        elif "options" in entry:
            out.append(Problem("unknown-key", msg("register.not-choice", field=fld["code"]), file, path))
    return out
