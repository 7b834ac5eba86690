"""The IEC 80001-2-1 risk register sheet in three real engines: rows filled from each cell's own
dropdown (the seed's worked examples, every severity × probability pair, random rows, bad pastes
and typed formulas), recalculated by LibreOffice, Gnumeric and ``formulas``, show exactly what the
Python twin (``shown.register_shown`` on the pack's grid) says, and the worked examples compute the
levels the seed states (GOST R 56839-2015 / IEC/TR 80001-2-1:2012, 6.2 and 8.2-8.5)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest
from support.answers import effective, write_inventory
from support.engines import ENGINES, ERRORS, recalculate
from support.wbtools import Typed, fill_register, open_book

from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import register_options
from medrisk_xl.workbook.shown import register_shown

pytestmark = pytest.mark.libreoffice

SCALES = contract.REGISTER_SCALES
Choice = int | str | Typed | None


def example_rows(pack: ContentPack) -> list[tuple[dict[str, Choice], Any]]:
    """The seed's worked examples as register rows (option indexes: the dropdowns are in scale
    order), each with the example it states."""
    reg = pack.register
    rows = []
    for ex in reg.examples:
        sev, prob = reg.severities.index(ex.severity), reg.probabilities.index(ex.probability)
        codes = ("SEVERITY", "PROBABILITY") if ex.stage == "initial" else ("RES_SEVERITY", "RES_PROBABILITY")
        rows.append(({codes[0]: sev, codes[1]: prob, "HAZARD": 0, "STATUS": 0}, ex))
    return rows


def tricky_rows(pack: ContentPack, language: Language) -> list[dict[str, Choice]]:
    """Values a department may leave in a scale cell beside a dropdown choice."""
    options = register_options(pack, language)
    sev, prob = options["severity"], options["probability"]
    return [
        {"SEVERITY": sev[1].upper(), "PROBABILITY": 2},  # other case: counts
        {"SEVERITY": " " + sev[1], "PROBABILITY": 2},  # spaces: invalid
        {"SEVERITY": 3, "PROBABILITY": prob[0] + " "},
        {"SEVERITY": prob[2], "PROBABILITY": 2},  # a label of the other scale: invalid
        {"SEVERITY": "3", "PROBABILITY": 2},  # a number as text
        {"RES_SEVERITY": Typed("=2+1", 3), "RES_PROBABILITY": 1},  # a number typed: invalid
        {"RES_SEVERITY": Typed(f'="{sev[4]}"', sev[4]), "RES_PROBABILITY": 4},  # a formula giving a label
        {"SEVERITY": "*", "PROBABILITY": "?"},
        {"SEVERITY": 4},  # half-filled: not assessed
        {"RES_PROBABILITY": 0},
        {"SEVERITY": ""},  # empty text: no answer
    ]


def random_rows(pack: ContentPack, rng: random.Random, n: int) -> list[dict[str, Choice]]:
    """Random rows from the dropdowns, a few scale answers left empty."""
    n_sev, n_prob = len(pack.register.severities), len(pack.register.probabilities)
    rows = []
    for _ in range(n):
        row: dict[str, Choice] = {}
        for code, scale in SCALES.items():
            if rng.random() < 0.9:
                row[code] = rng.randrange(n_sev if scale == "severity" else n_prob)
        row |= {"PROPERTY": rng.randrange(3), "CONTROL_TYPE": rng.randrange(3), "CAUSE": rng.randrange(10)}
        rows.append(row)
    return rows


def covering_rows(pack: ContentPack, language: Language, rng: random.Random) -> list[dict[str, Choice]]:
    """Every (severity, probability) pair, initial and residual, then random and tricky rows."""
    n_sev, n_prob = len(pack.register.severities), len(pack.register.probabilities)
    pairs = list(itertools.product(range(n_sev), range(n_prob)))
    rows: list[dict[str, Choice]] = [
        {"SEVERITY": s, "PROBABILITY": p, "RES_SEVERITY": rs, "RES_PROBABILITY": rp}
        for (s, p), (rs, rp) in zip(pairs, reversed(pairs))
    ]
    return rows + random_rows(pack, rng, 6) + tricky_rows(pack, language)


def filled_register(tmp_path: Path, pack: ContentPack, options: Options, rows: list[dict[str, Choice]]):
    """A generated workbook with a register, its rows filled from the dropdowns; returns the
    filled copy, the book and the value each answer cell holds, by 1-based row."""
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": 8})
    result = generate(inv, tmp_path / "c", options, pack)
    path = tmp_path / "c" / result.manifest["workbooks"][0]["file"]
    book = open_book(path)
    first = int(book.meta["register_first_row"])
    assert int(book.meta["register_last_row"]) - first + 1 >= len(rows)
    plan = {first + i: row for i, row in enumerate(rows)}
    filled = tmp_path / "filled.xlsx"
    fill_register(path, filled, plan)
    dropdowns = book.dropdowns(book.register)
    cols = {c.value: c.column for c in book.register[int(book.meta["code_row"])] if c.value}
    held = {}
    for r, row in plan.items():
        held[r] = {
            code: effective(choice, dropdowns.get(book.register.cell(r, cols[code]).coordinate, []))
            for code, choice in row.items()
        }
    return filled, book, held, cols


@pytest.fixture(scope="module")
def grid_case(tmp_path_factory, pack):
    tmp = tmp_path_factory.mktemp("register")
    rng = random.Random(80001)
    examples = example_rows(pack)
    rows = [row for row, _ in examples] + covering_rows(pack, pack.language("fr"), rng)
    return (*filled_register(tmp, pack, Options(register=True), rows), examples, tmp)


@pytest.mark.parametrize("engine", ENGINES)
def test_register_rows_compute_what_the_grid_says(grid_case, pack, engine):
    filled, book, held, cols, examples, tmp = grid_case
    language = pack.language("fr")
    sheet = book.meta["register_sheet"]
    values = recalculate(engine, [filled], tmp / engine)[filled][sheet]
    computed = [*contract.REGISTER_LEVELS, *(contract.points_code(c) for c in SCALES)]
    mismatches = []
    for r, row in held.items():
        want = register_shown(row, pack, language)
        for code in computed:
            got = values.get((r, cols[code]), "")
            if got != want[code]:
                mismatches.append((r, code, got, want[code], row))
    assert mismatches == [], (engine, mismatches[:5])
    levels = [values.get((r, cols[code]), "") for r in held for code in contract.REGISTER_LEVELS]
    assert {1, 2, 3} <= set(levels) and language.ui["invalid_marker"] in levels
    # The seed's worked examples compute the level the seed states.
    first = int(book.meta["register_first_row"])
    for i, (_, ex) in enumerate(examples):
        level = "RISK_INITIAL" if ex.stage == "initial" else "RISK_RESIDUAL"
        assert values[(first + i, cols[level])] == ex.level, (engine, ex)
    errors = [(pos, v) for pos, v in values.items() if v in ERRORS]
    assert errors == [], (engine, errors)


def test_dropdowns_offer_the_scales_in_order(grid_case, pack):
    _, book, _, cols, _, _ = grid_case
    language = pack.language("fr")
    options = register_options(pack, language)
    dropdowns = book.dropdowns(book.register)
    first, last = int(book.meta["register_first_row"]), int(book.meta["register_last_row"])
    for code, name in {**SCALES, **contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}.items():
        for r in (first, last):
            assert dropdowns[book.register.cell(r, cols[code]).coordinate] == options[name], code
    texts = language.register
    assert options["severity"][0] == texts["severity"]["negligible"]["label"]
    assert options["severity"][-1] == texts["severity"]["catastrophic"]["label"]
    assert options["probability"][0] == texts["probability"]["improbable"]["label"]
    assert options["probability"][-1] == texts["probability"]["frequent"]["label"]
    assert last - first + 1 >= contract.REGISTER_MIN_ROWS


@pytest.mark.parametrize("engine", ENGINES)
def test_english_site_grid(tmp_path, site_register_pack, engine):
    """A site pack in English with a changed (asymmetric) grid: the workbook computes the site's
    grid, not the shipped one, so a transposed INDEX or a stale grid cannot pass."""
    pack = site_register_pack
    language = pack.language("en")
    rows = random_rows(pack, random.Random(7), 40)
    filled, book, held, cols = filled_register(tmp_path, pack, Options(lang="en", register=True), rows)
    values = recalculate(engine, [filled], tmp_path / engine)[filled][book.meta["register_sheet"]]
    for r, row in held.items():
        want = register_shown(row, pack, language)
        for code in contract.REGISTER_LEVELS:
            assert values.get((r, cols[code]), "") == want[code], (engine, r, code, row)
    reg = pack.register
    assert reg.level("low", "frequent") != reg.level("high", "remote")  # the changed cells


@pytest.fixture(scope="module")
def site_register_pack(tmp_path_factory):
    """The shipped pack with an asymmetric grid: (low, frequent) raised to high, (high, remote)
    kept medium; the seed's examples removed, as a site departing from them must."""
    import shutil

    import yaml

    from medrisk_xl import load_pack
    from medrisk_xl.core.resources import shipped_content_dir

    root = tmp_path_factory.mktemp("site") / "content"
    shutil.copytree(shipped_content_dir(), root)
    path = root / "register.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["grid"]["low"]["frequent"] = 3
    data["grid"]["medium"]["frequent"] = 3
    data.pop("examples")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_pack(root)
