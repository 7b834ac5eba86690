"""Criteria answered centrally for the biomedical service (issue 26): an answers file, inventory
columns mapped to criteria, and the pack's pre-fill rules, pre-filled as the CE class pre-fills
C1. Expectations are computed here from the inputs and prefill.yaml, not from the generator."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from medrisk_xl.cli import cli
from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.pack import check_pack
from medrisk_xl.validate import validate
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.styles import grid_template

CREATED = dt.date(2025, 12, 6)  # SOURCE_DATE_EPOCH=1765000000
HEADER = [
    "N° inventaire",
    "Marque",
    "Modèle",
    "Service",
    "Date de mise en service",
    "Pannes 12 mois",
    "Vétusté",
]
DEVICES = [  # id, commissioning date, failures, mapped C2 answer
    ("A-1", "06/12/2023", "0", ""),  # 2 years: C2 new (rule); 0 failures: C3 exceptional
    ("A-2", "07/12/2022", "1", ""),  # 2 years (the day before the anniversary); 1 failure
    ("A-3", "06/12/2015", "3", "Équipement mature"),  # the mapped column wins over the age rule
    ("A-4", "", "7", ""),  # no date: no C2; 7 failures: frequent
    ("A-5", "01/01/2010", "", "2"),  # a mapped answer given as points
    ("A-6", "06/12/2018", "x", ""),  # 7 years: aged band boundary; a count that is not a number
]
ANSWERS = [("A-1", "C5", "Service après-vente rapidement disponible"), ("A-3", "C2", "4"), ("A-6", "c4", "1")]


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    rows = [HEADER] + [[d, "Medivia", "M", "Bloc", date, fails, c2] for d, date, fails, c2 in DEVICES]
    answers = [["N° inventaire", "Critère", "Réponse"], *map(list, ANSWERS)]
    return {
        "inventory": write(tmp_path / "inv.csv", rows),
        "answers": write(tmp_path / "answers.csv", answers),
    }


def band(rule: dict, value: int) -> int:
    return next(b["points"] for b in rule["bands"] if "below" not in b or value < b["below"])


def expected(pack, mapped: bool = True) -> dict[str, dict[str, str]]:
    """Device -> criterion -> label, from prefill.yaml and the inputs (file > column > rule;
    ``mapped``: the Vétusté column read as C2)."""
    rules = {
        r["criterion"]: r
        for r in yaml.safe_load((shipped_content_dir() / "prefill.yaml").read_text())["rules"]
    }
    labels = pack.language("fr").answer_labels
    out: dict[str, dict[str, str]] = {}
    for device, date, fails, c2 in DEVICES:
        got = {}
        if date:
            d = dt.datetime.strptime(date, "%d/%m/%Y").date()
            years = CREATED.year - d.year - ((CREATED.month, CREATED.day) < (d.month, d.day))
            got["C2"] = labels("C2")[band(rules["C2"], years) - 1]
        if fails.isdigit():
            got["C3"] = labels("C3")[band(rules["C3"], int(fails)) - 1]
        if c2 and mapped:
            got["C2"] = c2 if not c2.isdigit() else labels("C2")[int(c2) - 1]
        out[device] = got
    for device, code, answer in ANSWERS:
        code = code.upper()
        out[device][code] = answer if not answer.isdigit() else labels(code)[int(answer) - 1]
    return out


def template(text: str) -> re.Pattern:
    """A note template as a pattern: its fields match anything."""
    return re.compile(".*".join(re.escape(part) for part in re.split(r"\{[a-z]+\}", text)), re.S)


def read_rows(path: Path) -> dict[str, dict[str, object]]:
    """Device -> code -> (value, note text, fill colour) of every criterion answer cell."""
    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb[contract.META_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
    ws = wb[meta["input_sheet"]]
    cols = {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}
    out = {}
    for r in range(contract.FIRST_ROW, int(meta["last_row"]) + 1):
        device = ws.cell(r, cols["ID"]).value
        if device:
            out[device] = {
                c: (
                    ws.cell(r, cols[c]).value,
                    ws.cell(r, cols[c]).comment,
                    ws.cell(r, cols[c]).fill.fgColor.rgb,
                )
                for c in (f"C{i}" for i in range(1, 10))
            }
    return out


def test_every_source_prefills_with_its_note_and_shading(tmp_path, inputs, pack):
    """File, mapped column and rules each give their answer, the file winning over the column,
    the column over the rule; each pre-filled cell is shaded and its note names its source."""
    opts = Options(campaign="c", mapping={"Vétusté": "C2"}, answers=inputs["answers"], prefill_rules=True)
    generate(inputs["inventory"], tmp_path / "c", opts, pack)
    (book,) = sorted((tmp_path / "c").glob("*.xlsx"))
    rows = read_rows(book)
    fill = "FF" + grid_template()["colors"]["prefilled_fill"].lstrip("#").upper()
    notes = pack.language("fr").ui["prefill"]["notes"]
    want = expected(pack)
    for device, cells in rows.items():
        got = {c: v for c, (v, _, _) in cells.items() if v is not None}
        assert got == want[device], device
        for code, (value, note, colour) in cells.items():
            if value is None:
                assert note is None
                continue
            assert colour == fill and note is not None, (device, code)
            source = next(k for k, t in notes.items() if template(t).fullmatch(note.text))
            if (device, code) in {(d, c.upper()) for d, c, _ in ANSWERS}:
                assert source == "file" and "answers.csv" in note.text
            elif code == "C2" and dict((d, c2) for d, _, _, c2 in DEVICES)[device]:
                assert source == "column" and "Vétusté" in note.text
            else:
                assert source in ("age", "count")
    report = validate([tmp_path / "c"], pack=pack)
    assert report.files[0].status == "valid" and report.files[0].devices["not_started"] == len(DEVICES)


def test_rules_apply_only_when_asked(tmp_path, inputs, pack):
    generate(inputs["inventory"], tmp_path / "c", Options(campaign="c"), pack)
    (book,) = sorted((tmp_path / "c").glob("*.xlsx"))
    assert all(v is None for cells in read_rows(book).values() for v, _, _ in cells.values())


def test_a_type_row_is_prefilled_only_where_its_devices_agree(tmp_path, pack):
    rows = [[*HEADER, "Code CNEH"]]
    rows += [
        ["T-1", "M", "M", "Bloc", "01/01/2024", "0", "", "14.02.03"],
        ["T-2", "M", "M", "Bloc", "01/01/2010", "0", "", "14.02.03"],
    ]
    inv = write(tmp_path / "inv.csv", rows)
    generate(inv, tmp_path / "c", Options(campaign="c", per="cneh", prefill_rules=True), pack)
    (book,) = sorted((tmp_path / "c").glob("*.xlsx"))
    ((_, cells),) = read_rows(book).items()
    assert cells["C2"][0] is None  # new and old: no answer for the type
    assert cells["C3"][0] == pack.language("fr").answer_labels("C3")[0]  # both 0 failures


@pytest.mark.parametrize(
    "content, said",
    [
        ("N° inventaire;Critère;Réponse\nA-1;C12;1\n", "row 2: 'C12' is not a criterion"),
        ("N° inventaire;Critère;Réponse\nA-1;C2;9\n", "row 2:"),
        ("N° inventaire;Réponse\nA-1;1\n", "no code column"),
    ],
)
def test_a_bad_answers_file_is_named_and_nothing_is_written(tmp_path, inputs, content, said):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["generate", str(inputs["inventory"]), "-o", str(out), "--answers", str(bad)]
    )
    assert result.exit_code == 1 and said in result.output and "bad.csv" in result.output, result.output
    assert not out.exists() and "Traceback" not in result.output


def test_a_mapped_column_missing_or_with_a_bad_answer_fails(tmp_path, inputs):
    out = tmp_path / "out"
    missing = CliRunner().invoke(
        cli, ["generate", str(inputs["inventory"]), "-o", str(out), "--map", "Nope=C4"]
    )
    assert missing.exit_code == 1 and "'Nope'" in missing.output and not out.exists()
    rows = [HEADER, ["B-1", "M", "M", "Bloc", "", "", "peut-être"]]
    inv = write(tmp_path / "bad.csv", rows)
    bad = CliRunner().invoke(cli, ["generate", str(inv), "-o", str(out), "--map", "Vétusté=C2"])
    assert bad.exit_code == 1 and "B-1" in bad.output and "'peut-être'" in bad.output and not out.exists()


def test_central_answers_need_an_inventory(tmp_path, inputs):
    result = CliRunner().invoke(
        cli, ["generate", "-o", str(tmp_path / "o"), "--answers", str(inputs["answers"])]
    )
    assert result.exit_code == 2 and "--answers" in result.output


def test_start_sheet_and_cli_say_what_was_prefilled(tmp_path, inputs, pack):
    args = ["generate", str(inputs["inventory"]), "-o", str(tmp_path / "c"), "--prefill-rules"]
    result = CliRunner().invoke(cli, args)
    rules_only = sum(1 for d, date, fails, _ in DEVICES for x in (date, fails.isdigit() and fails) if x)
    assert result.exit_code == 0 and f"{rules_only} answer(s) pre-filled" in result.output, result.output
    (book,) = sorted((tmp_path / "c").glob("*.xlsx"))
    wb = openpyxl.load_workbook(book, read_only=True)
    ui = pack.language("fr").ui
    facts = {row[0]: row[1] for row in wb[ui["sheets"]["start"]].iter_rows(values_only=True) if row[0]}
    assert "C2, C3" in facts[ui["prefill"]["fact"]]


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda d: d["rules"][0].update(criterion="V1"), "unknown-code"),
        (lambda d: d["rules"][0]["bands"].reverse(), "bad-rule"),
        (lambda d: d["rules"][0]["bands"][-1].update(below=99), "bad-rule"),
        (lambda d: d["rules"][0]["bands"][0].update(points=7), "bad-rule"),
        (lambda d: d["rules"][0].update(measure="weight"), "bad-rule"),
        (lambda d: d["rules"][1].pop("columns"), "bad-rule"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "bad-rule"),
    ],
)
def test_content_check_refuses_a_bad_rule(edit_pack, change, code):
    root = edit_pack("prefill.yaml", change)
    problems = check_pack(root)
    assert (
        problems and {p.code for p in problems} == {code} and all(p.file == "prefill.yaml" for p in problems)
    ), [p.to_text() for p in problems]


def test_lock_prefilled_makes_exactly_the_prefilled_criteria_read_only(tmp_path, inputs, pack):
    """--lock-prefilled: every pre-filled criterion (the rules', the file's) is locked, nothing
    else; the static audit rebuilds the same locks from _meta; the time estimate counts only what
    is left."""
    from medrisk_xl.audit import audit_file

    opts = Options(campaign="c", answers=inputs["answers"], prefill_rules=True, lock_prefilled=True)
    generate(inputs["inventory"], tmp_path / "c", opts, pack)
    (book,) = sorted((tmp_path / "c").glob("*.xlsx"))
    wb = openpyxl.load_workbook(book)
    meta = {r[0]: r[1] for r in wb[contract.META_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
    assert meta[contract.Meta.LOCK_PREFILLED] == "1"
    ws = wb[meta["input_sheet"]]
    cols = {c.value: c.column for c in ws[contract.CODE_ROW] if c.value}
    want = {d: set(e) for d, e in expected(pack, mapped=False).items()}
    locked_cells = 0
    for r in range(contract.FIRST_ROW, int(meta["last_row"]) + 1):
        device = ws.cell(r, cols["ID"]).value
        if device is None:  # a free row: nothing pre-filled, nothing locked
            assert not any(ws.cell(r, cols[c]).protection.locked for c in pack.method.codes)
            continue
        for code in pack.method.codes:
            locked = ws.cell(r, cols[code]).protection.locked
            assert locked == (code in want[device]), (device, code)
            locked_cells += locked
    assert audit_file(book, pack, static_only=True).passed
    asked = len(pack.method.codes) * len(DEVICES)
    ui = pack.language("fr").ui["start"]
    time = next(
        row[1]
        for row in wb[pack.language("fr").ui["sheets"]["start"]].iter_rows(values_only=True)
        if row[0] == ui["time"]
    )
    share = 1 - locked_cells / asked
    # Locked cells say so, in their note and on the start sheet: nothing asks to correct them.
    texts = pack.language("fr").ui["prefill"]
    for device, cells in read_rows(book).items():
        for _, note, _ in cells.values():
            if note is not None:
                assert note.text.endswith(texts["locked_end"]) and texts["check_end"] not in note.text, device
    facts = {
        r[0]: r[1] for r in wb[pack.language("fr").ui["sheets"]["start"]].iter_rows(values_only=True) if r[0]
    }
    locked_value = template(texts["locked_fact_value"])
    assert (
        locked_value.fullmatch(facts[texts["fact"]]) and texts["check_end"][:-1] not in facts[texts["fact"]]
    )
    assert time == ui["time_value"].format(
        low=round(5 * len(DEVICES) * share), high=round(10 * len(DEVICES) * share)
    )
