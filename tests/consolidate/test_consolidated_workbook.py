"""The consolidated workbook (OUT.xlsx) written from a Consolidation built by hand: sheets in both
languages, the register as given, summary figures, the action plan, charts, inert hostile text,
atomic writing, and a LibreOffice render of the summary."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from support.consolidations import DEPARTMENTS, HOSTILE, make_consolidation

from medrisk_xl.consolidate import tables as cw
from medrisk_xl.consolidate.tables import (
    CRITERIA,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    ITEMS,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)
from medrisk_xl.consolidate.workbook import map_writer as cw_writer
from medrisk_xl.consolidate.workbook import sheet_tables as cw_tables
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.core.inclusion_rules import INCLUSION
from medrisk_xl.method.checks.pack_files import (
    FILE_HEADER_CODES,
    FOLLOW_UP_HEADER_CODES,
    PROBLEM_HEADER_CODES,
    REGISTER_HEADER_CODES,
)

# device: (department, site, criterion points C1..C9 or None, vulnerability 0/1/"?" V1..V10, included)
# "?" is a "don't know" answer (1 point, flagged); None in a list: unanswered.


@pytest.fixture(scope="module")
def result(pack) -> Consolidation:
    return make_consolidation(pack)


@pytest.fixture(scope="module")
def out(tmp_path_factory, pack, result) -> Path:
    path = tmp_path_factory.mktemp("consolidated") / "cartographie.xlsx"
    write_consolidated(result, path, pack, plan_by="device")  # the per-device plan (its tests below)
    return path


@pytest.fixture(scope="module")
def book(out):
    return openpyxl.load_workbook(out)


def names(pack, lang: str) -> dict[str, str]:
    return pack.language(lang).ui["consolidated"]["sheets"]


def find(ws, text: str) -> tuple[int, int]:
    """(row, column), 1-based, of the first cell holding ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in {ws.title}")


def test_header_codes_match_the_tables():
    answers = {*CRITERIA, *ITEMS, *(f"{v}_answer" for v in ITEMS), *(f"{v}_source" for v in ITEMS)}
    assert set(REGISTER_HEADER_CODES) | answers == set(REGISTER_COLUMNS)
    assert PROBLEM_HEADER_CODES == PROBLEM_COLUMNS
    assert FILE_HEADER_CODES == FILE_COLUMNS
    assert FOLLOW_UP_HEADER_CODES == FOLLOW_UP_COLUMNS


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheet_names(tmp_path, pack, lang):
    path = tmp_path / "out.xlsx"
    write_consolidated(make_consolidation(pack, lang), path, pack)
    n = names(pack, lang)
    keys = (
        "direction",  # the one-page summary for management, first (issue 27)
        "summary",
        "register",
        "action_summary",
        "actions",
        "follow_up",
        "control",
        "problems",
    )  # by model
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*(n[k] for k in keys), "_meta"]  # _meta: for actions import
    assert wb["_meta"].sheet_state == "veryHidden"
    if lang == "fr":
        assert [n[k] for k in keys] == [
            "Synthèse direction",
            "Synthèse",
            "Registre",
            "Plan d'action - synthèse",
            "Plan d'action",
            "Suivi de campagne",
            "Contrôle",
            "Problèmes",
        ]


def test_no_follow_up_sheet_without_a_manifest(tmp_path, pack):
    path = tmp_path / "out.xlsx"
    write_consolidated(make_consolidation(pack, follow_up=False), path, pack)
    assert names(pack, "fr")["follow_up"] not in openpyxl.load_workbook(path, read_only=True).sheetnames


def test_register_rows_in_order_with_values(book, pack, result):
    ws = book[names(pack, "fr")["register"]]
    codes = [c.value for c in ws[1]]
    assert codes == list(REGISTER_COLUMNS)
    headers = pack.language("fr").ui["consolidated"]["columns"]
    assert ws.cell(2, codes.index("risk_level") + 1).value == headers["risk_level"]
    assert ws.cell(2, 1).value == headers["device_id"]
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, len(codes)).column_letter}{len(result.register) + 2}"
    assert ws.max_row == len(result.register) + 2
    ids = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert ids == ["D01", "D02", "D03", "D13", "D04", "D05", "D06", "D09", "D08", "D07", "D10", "D12", "D11"]
    yes, no = (pack.language("fr").ui["consolidated"][k] for k in ("yes", "no"))
    for i, rec in enumerate(result.register.to_dict("records")):
        row = {code: ws.cell(3 + i, c + 1).value for c, code in enumerate(codes)}
        assert row["device_id"] == rec["device_id"]
        assert row["designation"] == rec["designation"]
        assert row["included"] == (yes if rec["included"] else no)
        for code in (*CRITERIA, *ITEMS, "criticality_score", "risk_level", "priority", "row"):
            expected = None if pd.isna(rec[code]) else rec[code]
            assert row[code] == expected, (rec["device_id"], code)
            if expected is not None:
                assert isinstance(row[code], int)
        for code in ITEMS:
            assert row[f"{code}_answer"] == (
                None if pd.isna(rec[f"{code}_answer"]) else rec[f"{code}_answer"]
            )
    status = pack.language("fr").labels["status"]
    col = codes.index("status") + 1
    assert {ws.cell(r, col).value for r in range(3, ws.max_row + 1)} == {
        status["complete"],
        status["to_confirm"],
        status["incomplete"],
        status["empty"],
    }


def test_level_cells_hold_numbers_shown_with_symbol_and_colour(book, pack):
    ws = book[names(pack, "fr")["register"]]
    codes = [c.value for c in ws[1]]
    cell = ws.cell(3, codes.index("risk_level") + 1)
    assert cell.value == 3
    assert '"■ 3 – Fort"' in cell.number_format and '"○ 1 – Acceptable"' in cell.number_format
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    crit = ws.cell(3, codes.index("criticality_level") + 1)
    assert crit.value == 3 and "Forte" in crit.number_format


def test_hostile_text_stays_a_string(out, book, pack):
    ws = book[names(pack, "fr")["register"]]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert HOSTILE in values and "+cmd|' /C calc'!A0" in values and "@SUM(1+1)*cmd" in values
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s for s in sheets)  # figures of record are values: no formula at all
    problems = book[names(pack, "fr")["problems"]]
    assert HOSTILE in [c.value for row in problems.iter_rows() for c in row]


def _table(ws, title: str, width: int) -> list[list]:
    """The rows under ``title``'s header row, up to the first empty row."""
    r, c = find(ws, title)
    rows = []
    r += 2
    while ws.cell(r, c).value is not None:
        rows.append([ws.cell(r, c + i).value for i in range(width)])
        r += 1
    return rows


def test_summary_matrix_counts_equal_the_scored_devices(book, pack, result):
    ws = book[names(pack, "fr")["summary"]]
    r, _ = find(ws, pack.language("fr").ui["consolidated"]["summary"]["matrix"])
    scored = result.scored
    total = 0
    for i, v in enumerate((3, 2, 1)):
        for c in (1, 2, 3):
            cell = ws.cell(r + 2 + i, 1 + c)
            expected = int(((scored["vulnerability_level"] == v) & (scored["criticality_level"] == c)).sum())
            assert cell.value == expected, (v, c)
            risk = pack.method.risk_level(v, c)
            symbol = {1: "○", 2: "▲", 3: "■"}[risk]
            assert symbol in cell.number_format
            assert cell.fill.fgColor.rgb.endswith({1: "C6EFCE", 2: "FFEB9C", 3: "FFC7CE"}[risk])
            total += cell.value
    assert total == len(scored) == 10


def test_summary_by_risk_and_by_department(book, pack, result):
    ws = book[names(pack, "fr")["summary"]]
    ui = pack.language("fr").ui["consolidated"]["summary"]
    by_risk = _table(ws, ui["by_risk"], 3)
    levels = result.scored["risk_level"].astype(int).value_counts()
    assert [row[1] for row in by_risk[:3]] == [int(levels.get(n, 0)) for n in (1, 2, 3)]
    assert by_risk[3][1] == len(result.scored)
    assert by_risk[3][2] == pytest.approx(1.0)
    assert sum(row[2] for row in by_risk[:3]) == pytest.approx(1.0)
    assert by_risk[-1][1] == len(result.register)
    deps = _table(ws, ui["by_department"], 7)
    assert [row[0] for row in deps] == [*DEPARTMENTS, ui["total"]]
    reg = result.register
    for name, *counts, unscored, total, share in deps[:-1]:
        mine = reg[reg["department"] == name]
        scored = result.scored[result.scored["department"] == name]
        assert counts == [int((scored["risk_level"] == n).sum()) for n in (1, 2, 3)]
        assert unscored == len(mine) - len(scored)
        assert total == len(mine) == sum(counts) + unscored
        assert share == pytest.approx(len(mine) / len(reg))
    assert deps[-1][1:6] == [sum(row[i] for row in deps[:-1]) for i in range(1, 6)]
    assert deps[-1][5] == len(reg)
    sites = _table(ws, ui["by_site"], 7)
    assert [row[0] for row in sites] == ["Nord", "Sud", ui["unspecified"], ui["total"]]
    assert sites[-1][5] == len(reg)


def test_summary_completion_from_the_files_used(book, pack, result):
    ws = book[names(pack, "fr")["summary"]]
    ui = pack.language("fr").ui["consolidated"]["summary"]
    rows = _table(ws, ui["completion"], 3)
    used = result.files[result.files["used"]]
    keys = ("complete", "to_confirm", "incomplete", "invalid", "not_started")
    assert [row[1] for row in rows[:-1]] == [int(used[k].sum()) for k in keys]
    assert rows[-1][1] == int(used["total"].sum())


def test_top_ten_are_the_first_ten_scored(book, pack, result):
    ws = book[names(pack, "fr")["summary"]]
    ui = pack.language("fr").ui["consolidated"]
    rows = _table(ws, ui["summary"]["top"], 7)
    assert [row[1] for row in rows] == result.scored["device_id"].head(10).tolist()
    assert [row[6] for row in rows] == list(range(1, 11))
    assert rows[0][0] == HOSTILE


def test_action_plan_rows(book, pack, result):
    fr = pack.language("fr")
    ui = fr.ui["consolidated"]
    ws = book[names(pack, "fr")["actions"]]
    assert [c.value for c in ws[1]] == list(cw.ACTION_COLUMNS)  # the code row, for reading back
    assert [c.value for c in ws[2]] == [ui["action_columns"][k] for k in cw.ACTION_COLUMNS]
    col = {code: i for i, code in enumerate(cw.ACTION_COLUMNS)}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    reg = result.register
    chosen = reg[reg["included"] & reg["risk_level"].isin([2, 3]).fillna(False)]
    assert chosen["risk_level"].nunique() == 2  # both plans are exercised
    expected = []
    for rec in chosen.to_dict("records"):
        level = int(rec["risk_level"])
        plan = fr.actions["plans"][level]["themes"]
        source = ui["action_source"]["plan"].format(level=level)
        head = [rec["device_id"], rec["department"], rec["designation"], level]
        for theme, question in fr.actions["themes"].items():
            if plan.get(theme):  # a theme row lists that theme's actions, one per line
                expected.append([*head, theme, source, question, "\n".join(f"• {a}" for a in plan[theme])])
        for code in [c.strip() for c in (rec["non_compliant_items"] or "").split(",") if c.strip()]:
            item = fr.actions["items"][code]
            text = "\n".join(
                [f"{fr.ui['plans']['discuss']} — {item['discuss']}", *(f"• {a}" for a in item["actions"])]
            )
            expected.append(
                [*head, code, ui["action_source"]["item"].format(code=code), fr.title(code), text]
            )
    assert [r[: col["action"] + 1] for r in rows] == expected
    assert all(r[col["owner"]] is None and r[col["due"]] is None and r[col["status"]] is None for r in rows)
    # Every action of every plan level and item reaches the sheet for some device.
    shown = "\n".join(r[col["action"]] for r in rows)
    levels = {int(x) for x in chosen["risk_level"]}
    assert all(a in shown for lvl in levels for t in fr.actions["plans"][lvl]["themes"].values() for a in t)
    assert "D11" not in {r[0] for r in rows}  # not included
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = next(dv for ref, dv in validations.items() if ref.startswith("K"))
    assert status.type == "list"
    assert status.formula1 == '"' + ",".join(ui["action_status"]) + '"'
    assert str(status.sqref) == f"K3:K{len(rows) + 2}"
    # Each row as tall as its wrapped actions need (LibreOffice does not fit rows on opening).
    heights = [ws.row_dimensions[r].height for r in range(3, len(rows) + 3)]
    lines = [r[col["action"]].count("\n") + 1 for r in rows]
    assert all(h >= 14 * n for h, n in zip(heights, lines))
    assert len(set(heights)) > 1
    due = next(dv for ref, dv in validations.items() if ref.startswith("J"))
    assert due.type == "date"
    assert ws.column_dimensions["J"].number_format == fr.ui["date_format"] or "yy" in str(
        ws.column_dimensions["J"].number_format
    )


def cw_count(language, level: int, non_compliant) -> int:
    """Action rows of one device: one per theme of its level's plan, one per non-compliant item."""
    plan = language.actions["plans"][level]["themes"]
    items = [c.strip() for c in (non_compliant or "").split(",") if c.strip()]
    return sum(1 for a in plan.values() if a) + len(items)


def test_action_status_texts_in_both_languages(pack):
    assert pack.language("fr").ui["consolidated"]["action_status"] == [
        "À faire",
        "En cours",
        "Fait",
        "Non applicable",
    ]
    assert len(pack.language("en").ui["consolidated"]["action_status"]) == 4


def test_charts_reference_the_summary_tables(out, pack, book):
    name = names(pack, "fr")["summary"]
    ws = book[name]
    ui = pack.language("fr").ui["consolidated"]["summary"]
    assert len(ws._charts) == 2
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 3  # the summary's two, and the management summary's one (issue 27)
    quoted = f"{name}!"
    charts = [x for x in charts if f"<c:f>{quoted}" in x]
    assert len(charts) == 2
    refs = [re.findall(r"<c:f>(.*?)</c:f>", xml) for xml in charts]
    assert all(ref.startswith(quoted) for group in refs for ref in group)
    r_risk, _ = find(ws, ui["by_risk"])
    first = r_risk + 2  # 1-based first level row
    pie = next(group for group in refs if f"{quoted}$B${first}:$B${first + 2}" in group)
    assert f"{quoted}$A${first}:$A${first + 2}" in pie
    r_dep, _ = find(ws, ui["by_department"])
    a, b = r_dep + 2, r_dep + 1 + len(DEPARTMENTS)
    column = next(group for group in refs if group is not pie)
    assert f"{quoted}$A${a}:$A${b}" in column
    for col in "BCD":
        assert f"{quoted}${col}${a}:${col}${b}" in column
        assert f"{quoted}${col}${r_dep + 1}" in column  # series name: the level's header cell
    assert '<c:grouping val="stacked"/>' in next(x for x in charts if "barChart" in x)


def test_follow_up_and_problems(book, pack, result):
    ui = pack.language("fr").ui["consolidated"]
    ws = book[names(pack, "fr")["follow_up"]]
    deps = _table(ws, ui["follow_up"]["departments"], len(FOLLOW_UP_COLUMNS))
    assert [row[0] for row in deps] == result.follow_up["department"].tolist()
    assert deps[3][1:4] == [ui["yes"], ui["no"], ui["no"]]
    assert deps[0][6] == pytest.approx(0.75)
    files = _table(ws, ui["follow_up"]["files"], len(FILE_COLUMNS))
    assert [row[0] for row in files] == result.files["file"].tolist()
    assert files[3][3:6] == [ui["file_status"]["valid"], ui["no"], "returns/Urgences.xlsx"]
    assert files[0][7] == 4
    devices = _table(ws, ui["follow_up"]["devices"], len(FOLLOW_UP_DEVICE_COLUMNS))
    assert [row[0] for row in devices] == result.follow_up_devices["device_id"].tolist()
    assert [row[3] for row in devices] == [ui["device_change"][c] for c in result.follow_up_devices["change"]]
    assert devices[2][2] == HOSTILE and ws.cell(*find(ws, HOSTILE)).data_type == "s"
    assert devices[3][3:5] == ["Hors carte (voir la raison)", "Réponse invalide sur sa ligne"]
    ws = book[names(pack, "fr")["problems"]]
    headers = [ui["problem_columns"][k] for k in PROBLEM_COLUMNS]
    assert [c.value for c in ws[1]] == [*headers, "Effet sur la carte"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == len(result.problems)
    assert [r[2] for r in rows] == [ui["severity"][s] for s in result.problems["severity"]]
    assert ws.cell(2, 3).fill.fgColor.rgb.endswith("FF0000")  # an error
    assert rows[1][4] is None and rows[0][5] == 16
    effects = {"file": "Fichier entier hors carte", "device": "Ce DM hors carte"}
    effects["nothing"] = "Signalé seulement (chaque DM est jugé sur ses réponses)"
    want = [effects[INCLUSION.get(code, "file")] for code in result.problems["code"]]
    assert [r[8] for r in rows] == want


def test_long_tables_continue_on_further_sheets(tmp_path, pack, monkeypatch):
    monkeypatch.setattr(cw_tables, "MAX_ROWS", 50)
    path = tmp_path / "out.xlsx"
    result = make_consolidation(pack)
    write_consolidated(result, path, pack, plan_by="device")
    wb = openpyxl.load_workbook(path, read_only=True)
    base = names(pack, "fr")["actions"]
    parts = [n for n in wb.sheetnames if n.startswith(base)]
    assert parts[:2] == [base, f"{base} (2)"]
    total = sum(wb[n].max_row - 2 for n in parts)  # a code row and a header row on each
    reg = result.register
    chosen = reg[reg["included"] & reg["risk_level"].isin([2, 3]).fillna(False)]
    fr = pack.language("fr")
    assert total == sum(
        cw_count(fr, int(lv), nc) for lv, nc in zip(chosen["risk_level"], chosen["non_compliant_items"])
    )
    assert all(wb[n].max_row <= 50 for n in parts)


def test_atomic_write_replaces_an_existing_file_whole(tmp_path, pack, result):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old content " * 10_000)
    write_consolidated(result, path, pack)
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, pack, result, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cw_writer, "write_problems", broken)
    with pytest.raises(RuntimeError):
        write_consolidated(result, path, pack)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_empty_consolidation(tmp_path, pack):
    empty = Consolidation(
        register=pd.DataFrame(columns=REGISTER_COLUMNS).astype({"included": bool}),
        problems=pd.DataFrame(columns=PROBLEM_COLUMNS),
        files=pd.DataFrame(columns=FILE_COLUMNS),
    )
    path = tmp_path / "out.xlsx"
    write_consolidated(empty, path, pack)
    wb = openpyxl.load_workbook(path)
    assert len(wb[names(pack, "fr")["summary"]]._charts) == 1  # no department: the pie only


@pytest.mark.libreoffice
def test_libreoffice_opens_it_without_errors_and_renders_the_summary(soffice, poppler, tmp_path, out, pack):
    from medrisk_xl.engines.libreoffice import convert, error_cells

    (recalculated,) = convert([out], tmp_path / "xlsx", "xlsx", recalc=True)
    assert error_cells(recalculated) == []
    (pdf,) = convert([out], tmp_path / "pdf", "pdf")
    # Page 1 is the one-page summary for management (issue 27); the summary is page 2.
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True)
    ui = pack.language("fr").ui["consolidated"]
    assert ui["title"] in text.stdout and ui["summary"]["by_department"] in text.stdout
    png = tmp_path / "summary"
    subprocess.run(
        ["pdftoppm", "-f", "2", "-l", "2", "-r", "60", "-png", "-singlefile", str(pdf), str(png)], check=True
    )
    assert png.with_suffix(".png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda c: c.pop("action_status"), "missing-key", "consolidated.action_status"),
        (
            lambda c: c.update(action_status=["À faire", "Fait, vérifié"]),
            "bad-list",
            "consolidated.action_status",
        ),
        (
            lambda c: c.update(action_status=["x" * 200, "y" * 60]),
            "text-too-long",
            "consolidated.action_status",
        ),
        (lambda c: c["sheets"].update(register="Synthèse"), "bad-sheet-name", "consolidated.sheets"),
        (
            lambda c: c["sheets"].update(problems="Pro/blèmes"),
            "bad-sheet-name",
            "consolidated.sheets.problems",
        ),
        (lambda c: c.update(continued="{sheet} ({page})"), "bad-template", "consolidated.continued"),
        (
            lambda c: c.update(continued="{sheet} – suite et fin n° {n}"),
            "bad-sheet-name",
            "consolidated.continued.actions",  # "Plan d'action – suite et fin n° 99": too long
        ),
        (
            lambda c: c["action_source"].update(plan="Plan {niveau}"),
            "bad-template",
            "consolidated.action_source.plan",
        ),
        (lambda c: c["columns"].pop("priority"), "missing-key", "consolidated.columns.priority"),
    ],
)
def test_broken_consolidated_texts_are_reported(edit_pack, change, code, path):
    from medrisk_xl.method.pack import check_pack

    root = edit_pack("fr/ui.yaml", lambda d: change(d["consolidated"]))
    found = {(p.code, p.path, p.file) for p in check_pack(root)}
    assert (code, path, "fr/ui.yaml") in found, found
