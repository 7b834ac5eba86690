"""The hand-written cases of ``tests/support/oracles.py`` against the Python scorer, the row view and,
recalculated by Gnumeric (seconds, so in the default run), the workbook's own formulas; with the
shipped pack and with an asymmetric matrix and grid (``asymmetric_pack``), so that reading rows
for columns fails. LibreOffice and ``formulas`` keep the full proof (test_generate_engine.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from support.engines import recalculate
from support.oracles import (
    CASES,
    COMPLETE,
    GNUMERIC_DIVERGES,
    INCOMPLETE,
    NOT_STARTED,
    PROBABILITIES,
    REGISTER_PASTES,
    SEVERITIES,
    SHIPPED_GRID,
    SITE_GRID,
    TO_CONFIRM,
    VULN_LABELS,
    VULN_OPTION,
    Case,
    grid_cells,
)
from support.wbtools import Raw, fill, fill_register, open_book

from medrisk_xl import score
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook.shown import register_shown, shown_values, view_row

CRIT = [f"C{i}" for i in range(1, 10)]
VULN = [f"V{i}" for i in range(1, 11)]
STATUS_CODE = {COMPLETE: "complete", TO_CONFIRM: "to_confirm", INCOMPLETE: "incomplete", NOT_STARTED: "empty"}
IDS = [c.name for c in CASES]
GRIDS = {"shipped": SHIPPED_GRID, "asymmetric": SITE_GRID}


@pytest.fixture(params=["shipped", "asymmetric"])
def variant(request, pack, asymmetric_pack) -> tuple[str, ContentPack]:
    return request.param, pack if request.param == "shipped" else asymmetric_pack


def dropdown_choices(case: Case) -> dict[str, Any]:
    """The case as a user fills it: option positions in each dropdown (points order), a paste."""
    out: dict[str, Any] = {}
    for code, ch in zip(CRIT, case.crit):
        if ch != ".":
            out[code] = int(ch) - 1
    for code, ch in zip(VULN, case.vuln):
        if ch != ".":
            out[code] = VULN_OPTION[ch]
    if case.paste:
        out[case.paste[0]] = case.paste[1]
    return out


def held_values(case: Case, pack: ContentPack) -> dict[str, Any]:
    """What the case's answer cells hold (labels; the pasted value as it is)."""
    fr = pack.language("fr")
    out: dict[str, Any] = {}
    for code, choice in dropdown_choices(case).items():
        if case.paste and code == case.paste[0]:
            out[code] = choice.value if isinstance(choice, Raw) else choice
        else:
            out[code] = fr.answer_labels(code)[choice]
    return out


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_row_view_shows_the_hand_written_values(case, variant):
    name, pack = variant
    fr = pack.language("fr")
    view = view_row(held_values(case, pack), pack, fr)
    assert shown_values(view, pack, fr) == case.shown(site=name == "asymmetric")


@pytest.mark.parametrize("case", [c for c in CASES if c.paste is None], ids=lambda c: c.name)
def test_scorer_computes_the_hand_written_values(case, variant):
    """The library scorer, fed points and the literal French labels."""
    name, pack = variant
    answers: dict[str, Any] = {c: int(ch) for c, ch in zip(CRIT, case.crit) if ch != "."}
    answers |= {c: VULN_LABELS[ch] for c, ch in zip(VULN, case.vuln) if ch != "."}
    result = score(answers, pack)
    want = case.shown(site=name == "asymmetric")
    assert result.status == STATUS_CODE[want["STATUS"]]
    got = (
        result.criticality_score,
        result.criticality_level,
        result.vulnerability_score,
        result.vulnerability_level,
        result.risk_level,
    )
    expected = tuple(want[k] for k in ("CRIT_SCORE", "CRIT_LEVEL", "VULN_SCORE", "VULN_LEVEL", "RISK_LEVEL"))
    assert got == tuple(None if v == "" else v for v in expected)


def test_register_grid_is_the_hand_written_grid(variant):
    name, pack = variant
    fr = pack.language("fr")
    for sev, prob, level in grid_cells(GRIDS[name]):
        assert pack.register.level(sev, prob) == level, (name, sev, prob)
        row = {"SEVERITY": fr.register["severity"][sev]["label"]}
        row["PROBABILITY"] = fr.register["probability"][prob]["label"]
        assert register_shown(row, pack, fr)["RISK_INITIAL"] == level, (name, sev, prob)


def write_inventory(path: Path, n: int) -> None:
    """``n`` devices in one department, no CE class (so no answer is pre-filled)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["N° inventaire", "Désignation", "Service"])
        for i in range(1, n + 1):
            w.writerow([f"DM-{i:04d}", f"Appareil {i}", "Réanimation"])


@pytest.mark.libreoffice
def test_gnumeric_computes_the_hand_written_values(tmp_path, variant):
    """Every hand-written case in a generated workbook, and the 25 cells of the register's grid,
    recalculated by Gnumeric."""
    name, pack = variant
    write_inventory(tmp_path / "inv.csv", len(CASES))
    result = generate(tmp_path / "inv.csv", tmp_path / "c", Options(spare_rows=0, register=True), pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    rows = list(book.rows)
    assert len(rows) == len(CASES)
    filled = tmp_path / "filled.xlsx"
    fill(path, tmp_path / "answers.xlsx", {r: dropdown_choices(c) for r, c in zip(rows, CASES)})
    first = int(book.meta["register_first_row"])
    register = [
        {
            "SEVERITY": SEVERITIES.index(sev),
            "PROBABILITY": PROBABILITIES.index(prob),
            "RES_SEVERITY": SEVERITIES.index(sev),
            "RES_PROBABILITY": PROBABILITIES.index(prob),
        }
        for sev, prob, _ in grid_cells(GRIDS[name])
    ] + [row for row, _ in REGISTER_PASTES]
    fill_register(tmp_path / "answers.xlsx", filled, {first + i: row for i, row in enumerate(register)})
    values = recalculate("gnumeric", [filled], tmp_path / "recalc")[filled]

    sheet, cols = values[book.meta["input_sheet"]], book.columns
    mismatches = []
    for r, case in zip(rows, CASES):
        want = case.shown(site=name == "asymmetric")
        if case.name in GNUMERIC_DIVERGES:
            want = GNUMERIC_DIVERGES[case.name].shown()
        got = {code: sheet.get((r, cols[code]), "") for code in want}
        mismatches += [(case.name, code, got[code], want[code]) for code in want if got[code] != want[code]]
    assert mismatches == [], "\n".join(map(repr, mismatches))

    reg = values[book.meta["register_sheet"]]
    reg_cols = {c.value: c.column for c in book.register[int(book.meta["code_row"])] if c.value}
    want_levels = [level for _, _, level in grid_cells(GRIDS[name])] + [want for _, want in REGISTER_PASTES]
    for i, level in enumerate(want_levels):
        got = (
            reg.get((first + i, reg_cols["RISK_INITIAL"]), ""),
            reg.get((first + i, reg_cols["RISK_RESIDUAL"]), ""),
        )
        want = (level, level) if i < 25 else (level, "")
        assert got == want, (name, i, register[i])
