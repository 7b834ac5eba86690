"""The generator: workbook contract, protection, campaign output, through the library and the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.wbtools import open_book

from medrisk_xl import MedriskError
from medrisk_xl.cli import cli
from medrisk_xl.generate.campaign import Options, generate, safe_file_stem
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.build import legacy_password_hash

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "inventory.csv"


@pytest.fixture(scope="module")
def sample_campaign(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "campaign"
    result = generate(
        SAMPLE, out, Options(campaign="demo", password="s3cret", deadline="15/12/2026", contact="Biomed")
    )
    return out, result.manifest


def test_one_workbook_per_department_and_manifest(sample_campaign):
    out, manifest = sample_campaign
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    departments = {r["Service"] for r in rows}
    assert {w["department"] for w in manifest["workbooks"]} == departments
    ids = [i for w in manifest["workbooks"] for i in w["device_ids"]]
    assert sorted(ids) == sorted(r["N° inventaire"] for r in rows)
    assert manifest["campaign"] == "demo" and manifest["password"] == "s3cret"
    assert manifest["content"]["hash"] and manifest["generator"]["name"] == "medrisk-xl"
    on_disk = {p.name for p in out.iterdir()}
    assert on_disk == {w["file"] for w in manifest["workbooks"]} | {"campaign.json"}
    for w in manifest["workbooks"]:
        assert hashlib.sha256((out / w["file"]).read_bytes()).hexdigest() == w["sha256"]
        assert w["password"] == "s3cret"
    assert json.loads((out / "campaign.json").read_text(encoding="utf-8")) == manifest


def test_contract_code_row_and_meta(sample_campaign, pack):
    out, manifest = sample_campaign
    entry = manifest["workbooks"][0]
    book = open_book(out / entry["file"])
    meta = book.meta
    assert meta["schema_version"] == str(contract.SCHEMA_VERSION)
    assert meta["campaign"] == "demo" and meta["department"] == entry["department"]
    assert meta["content_hash"] == pack.hash and meta["language"] == "fr" and meta["layout"] == "grid"
    assert (meta["code_row"], meta["header_row"], meta["first_row"]) == ("3", "4", "5")
    codes = list(book.columns)
    assert codes[0] == "ID"
    status = codes.index("STATUS")
    assert codes[status - 5 : status + 1] == list(contract.RESULT_CODES)
    assert [c for c in codes if c[0] in "CV" and c[1:].isdigit()] == list(pack.method.codes)
    helpers = [contract.points_code(c) for c in pack.method.codes] + [contract.prefill_code("C1")]
    assert codes[status + 1 :] == helpers  # hidden helpers after the last visible column
    hidden = {
        col
        for dim in book.input.column_dimensions.values()
        if dim.hidden
        for col in range(dim.min, dim.max + 1)
    }
    assert {book.columns[c] for c in helpers} <= hidden and book.columns["STATUS"] not in hidden
    assert meta["columns"].split(",") == codes
    ids = [book.input.cell(r, 1).value for r in book.rows][: len(entry["device_ids"])]
    assert ids == entry["device_ids"]
    assert (
        int(meta["last_row"]) - int(meta["first_row"]) + 1 == entry["rows"] == len(entry["device_ids"]) + 10
    )
    assert book.wb["_meta"].sheet_state == "veryHidden"
    assert book.lists.sheet_state == "hidden"
    assert book.wb.active.title == pack.language("fr").ui["sheets"]["start"]


def test_dropdowns_locks_and_protection(sample_campaign, pack):
    out, manifest = sample_campaign
    book = open_book(out / manifest["workbooks"][1]["file"])
    cols = book.columns
    dropdowns = book.dropdowns()
    fr = pack.language("fr")
    n_devices = len(manifest["workbooks"][1]["device_ids"])
    answer_cols = {cols[c]: c for c in pack.method.codes}
    for row in range(1, int(book.meta["last_row"]) + 3):
        spare = row >= int(book.meta["first_row"]) + n_devices and row in book.rows
        for col in range(1, len(cols) + 2):
            cell = book.input.cell(row, col)
            if row in book.rows and col in answer_cols:
                code = answer_cols[col]
                assert cell.protection.locked is False, cell.coordinate
                assert dropdowns[cell.coordinate] == fr.answer_labels(code), cell.coordinate
            elif row in book.rows and col == cols[contract.DEVICE_STATUS_CODE]:
                assert cell.protection.locked is False, cell.coordinate
                assert dropdowns[cell.coordinate] == list(fr.ui["device_status"]["options"].values())
            elif row in book.rows and col == cols[contract.DEVICE_NOTE_CODE]:
                assert cell.protection.locked is False and cell.coordinate not in dropdowns
            elif spare and col < cols["C1"]:
                assert cell.protection.locked is False, cell.coordinate  # free rows: identity editable
            else:
                assert cell.protection.locked is not False, cell.coordinate
                assert cell.coordinate not in dropdowns
    for dv in book.input.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.prompt and dv.showInputMessage
    for code in pack.method.codes:  # help as a note on the header
        note = book.input.cell(int(book.meta["header_row"]), cols[code]).comment
        assert note is not None and fr.short_help(code) in note.text
    for ws in book.wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password == legacy_password_hash("s3cret"), ws.title
    assert book.input.protection.autoFilter is False  # False = filtering allowed
    assert book.input.protection.formatColumns is False  # resizing columns allowed
    assert book.input.freeze_panes == "C5"
    xml = zipfile.ZipFile(out / manifest["workbooks"][1]["file"]).read("xl/workbook.xml").decode()
    assert (
        f'<workbookProtection workbookPassword="{legacy_password_hash("s3cret")}" lockStructure="1"/>' in xml
    )


def test_ce_class_prefills_c1_only(sample_campaign, pack):
    out, manifest = sample_campaign
    fr = pack.language("fr")
    seen = set()
    for entry in manifest["workbooks"]:
        book = open_book(out / entry["file"])
        cols = book.columns
        for row in book.rows:
            ce = book.input.cell(row, cols["CE_CLASS"]).value
            c1 = book.input.cell(row, cols["C1"]).value
            others = [book.input.cell(row, cols[c]).value for c in pack.method.codes[1:]]
            assert others == [None] * len(others)
            if ce:
                seen.add(ce)
                assert c1 in fr.answer_labels("C1")
            else:
                assert c1 is None
    assert {"Classe IIb", "2a", "IIA"} & seen  # exported spellings were understood


def test_conditional_formats_on_levels(sample_campaign):
    out, manifest = sample_campaign
    book = open_book(out / manifest["workbooks"][0]["file"])
    cols = book.columns
    from openpyxl.utils import get_column_letter

    ranges = {str(cf.sqref) for cf in book.input.conditional_formatting}
    for code in contract.LEVEL_CODES:
        letter = get_column_letter(cols[code])
        assert any(r.startswith(f"{letter}5:") for r in ranges), code


def test_level_cells_show_number_and_label(sample_campaign):
    out, manifest = sample_campaign
    book = open_book(out / manifest["workbooks"][0]["file"])
    fmt = book.input.cell(5, book.columns["CRIT_LEVEL"]).number_format
    assert "2 – Modérée" in fmt and "3 – Forte" in fmt and "1 – Acceptable" in fmt


def write_csv(path: Path, rows: list[list[str]], encoding="utf-8-sig", delimiter=";") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


HEADER = ["N° inventaire", "Désignation", "Service", "Classe CE"]


def test_hostile_inventory_is_written_as_safe_text(tmp_path, pack):
    hostile = [
        '=HYPERLINK("http://example.invalid","clic")',
        "+33 1 23 45",
        "-5+3",
        "@SUM(A1:A3)",
        "x" * 300,
        "Tab\there\nnew line\r\nend",
        "Moniteur 🚑 néonat",
        "bell\x07char",
        "=1+1",
    ]
    rows = [HEADER] + [[f"ID{i}", text, "Réa", "IIa"] for i, text in enumerate(hostile)]
    inv = write_csv(tmp_path / "hostile.csv", rows)
    result = generate(inv, tmp_path / "out", Options(password="p"), pack)
    book = open_book(tmp_path / "out" / result.manifest["workbooks"][0]["file"])
    cols = book.columns
    got = [book.input.cell(r, cols["DESIGNATION"]).value for r in list(book.rows)[: len(hostile)]]
    assert got[0] == hostile[0] and got[3] == "@SUM(A1:A3)" and got[8] == "=1+1"
    assert got[4] == "x" * 300
    assert got[5] == "Tab here new line end"
    assert got[6] == "Moniteur 🚑 néonat" and got[7] == "bellchar"
    for r in list(book.rows)[: len(hostile)]:
        assert book.input.cell(r, cols["DESIGNATION"]).data_type == "s"  # text, never a formula


def test_over_long_text_is_cut_with_a_warning(tmp_path, pack):
    inv = write_csv(tmp_path / "long.csv", [HEADER, ["A1", "y" * 40000, "Réa", ""]])
    result = generate(inv, tmp_path / "out", Options(), pack)
    assert [w.code for w in result.warnings] == ["text-truncated"] and result.warnings[0].row == 2
    book = open_book(tmp_path / "out" / result.manifest["workbooks"][0]["file"])
    assert len(book.input.cell(5, book.columns["DESIGNATION"]).value) == 32767


def test_bad_inventory_lists_every_problem_and_writes_nothing(tmp_path, pack):
    rows = [
        HEADER,
        ["A1", "x", "Réa", "IIa"],
        ["", "y", "Réa", "I"],
        ["A1", "z", "Réa", "IV"],
        ["a1", "w", "", "III"],
    ]
    inv = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(MedriskError) as err:
        generate(inv, tmp_path / "out", Options(), pack)
    found = {(p.code, p.row) for p in err.value.problems}
    assert found == {
        ("empty-id", 3),
        ("duplicate-id", 4),
        ("unknown-ce-class", 4),
        ("duplicate-id", 5),
        ("empty-field", 5),
    }
    assert all(p.file == "bad.csv" for p in err.value.problems)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_split_by_site_none_and_language(tmp_path, pack):
    by_site = generate(SAMPLE, tmp_path / "site", Options(split_by="site"), pack).manifest
    assert sorted(w["site"] for w in by_site["workbooks"]) == ["Hôpital Nord", "Hôpital Sud"]
    one = generate(SAMPLE, tmp_path / "none", Options(split_by="none", lang="en"), pack).manifest
    assert len(one["workbooks"]) == 1 and len(one["workbooks"][0]["device_ids"]) == 120
    book = open_book(tmp_path / "none" / one["workbooks"][0]["file"])
    assert book.meta["language"] == "en"
    assert book.wb.sheetnames[:2] == ["Start", "Assessment"]


@pytest.mark.parametrize(("per", "column"), [("cneh", "Code CNEH"), ("emdn", "Code EMDN")])
def test_per_type_groups_devices(tmp_path, pack, per, column):
    manifest = generate(
        SAMPLE, tmp_path / "cneh", Options(per=per, split_by="none", spare_rows=0), pack
    ).manifest
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    codes = {r[column] for r in rows if r[column]}
    without = [r for r in rows if not r[column]]
    entry = manifest["workbooks"][0]
    assert entry["rows"] == len(codes) + len(without)
    assert sorted(entry["device_ids"]) == sorted(r["N° inventaire"] for r in rows)
    book = open_book(tmp_path / "cneh" / entry["file"])
    cols = book.columns
    first = book.rows[0]
    ident = book.input.cell(first, cols["ID"]).value
    assert ident.startswith(f"{per.upper()}:")
    code = ident.split(":", 1)[1]
    members = [r["N° inventaire"] for r in rows if r[column] == code]
    assert book.input.cell(first, cols["DEVICE_IDS"]).value == ", ".join(members)
    count = book.input.cell(first, cols["DEVICE_COUNT"])
    assert count.value == len(members) and count.data_type == "n"  # a number, not text


def test_per_type_shows_each_ce_class_and_value_once(tmp_path, pack):
    rows = [
        ["N° inventaire", "Désignation", "Service", "Classe CE", "Code CNEH"],
        ["1", "Pompe", "Réa", "Classe III", "10.01"],
        ["2", "POMPE ", "Réa", "III", "10.01"],
        ["3", "Moniteur", "Réa", "IIA", "20.02"],
        ["4", "Moniteur", "Réa", "IIa", "20.02"],
        ["5", "Moniteur", "Réa", "2b", "20.02"],
    ]
    inv = write_csv(tmp_path / "i.csv", rows)
    manifest = generate(inv, tmp_path / "o", Options(per="cneh", spare_rows=0), pack).manifest
    book = open_book(tmp_path / "o" / manifest["workbooks"][0]["file"])
    cols = book.columns
    got = [
        tuple(book.input.cell(r, cols[c]).value for c in ("CE_CLASS", "DESIGNATION", "DEVICE_COUNT"))
        for r in book.rows
    ]
    assert got == [("III", "Pompe", 2), ("IIa / IIb", "Moniteur", 3)]


def test_blank_workbook_without_inventory(tmp_path, pack):
    manifest = generate(None, tmp_path / "blank", Options(campaign="achat-2026"), pack).manifest
    (entry,) = manifest["workbooks"]
    book = open_book(tmp_path / "blank" / entry["file"])
    assert entry["rows"] == 50 and book.meta["device_rows"] == "0" and book.meta["first_spare_row"] == "5"
    cols = book.columns
    assert list(cols)[:6] == ["ID", "DESIGNATION", "BRAND", "MODEL", "DEPARTMENT", "SITE"]
    for row in book.rows:
        assert book.input.cell(row, cols["ID"]).protection.locked is False


def test_atomic_output_after_a_crash(tmp_path, pack, monkeypatch):
    import medrisk_xl.generate.campaign as campaign

    real, calls = campaign.build_workbook, []

    def flaky(plan, pack):
        calls.append(plan.scope)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(plan, pack)

    monkeypatch.setattr(campaign, "build_workbook", flaky)
    with pytest.raises(KeyboardInterrupt):
        generate(SAMPLE, tmp_path / "out", Options(), pack)
    assert list(tmp_path.iterdir()) == []


def test_reproducible_with_source_date_epoch(tmp_path, pack, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    a = generate(SAMPLE, tmp_path / "a", Options(password="x"), pack).manifest
    b = generate(SAMPLE, tmp_path / "b", Options(password="x"), pack).manifest
    assert [w["sha256"] for w in a["workbooks"]] == [w["sha256"] for w in b["workbooks"]]
    assert a["created"] == "2026-09-21T14:13:20"


def test_reproducible_with_source_date_epoch_and_no_password(tmp_path, pack, monkeypatch):
    """Without --password, the password is derived from SOURCE_DATE_EPOCH and the campaign id."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    a = generate(SAMPLE, tmp_path / "a", Options(), pack).manifest
    b = generate(SAMPLE, tmp_path / "b", Options(), pack).manifest
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(files) == 9
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert a["password"] == b["password"] and len(a["password"]) == 12
    other = generate(SAMPLE, tmp_path / "c", Options(campaign="other"), pack).manifest
    assert other["password"] != a["password"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000001")
    assert generate(SAMPLE, tmp_path / "d", Options(), pack).manifest["password"] != a["password"]


@pytest.mark.parametrize(("lang", "prefix"), [("fr", "campagne"), ("en", "campaign")])
def test_default_campaign_id_follows_the_language(tmp_path, pack, monkeypatch, lang, prefix):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    manifest = generate(SAMPLE, tmp_path / "o", Options(lang=lang, split_by="none"), pack).manifest
    assert manifest["campaign"] == f"{prefix}-2026-09-21"


@pytest.mark.parametrize(
    ("lang", "text", "fmt"), [("fr", "18/12/2026", "dd/mm/yyyy"), ("en", "2026-12-18", "yyyy-mm-dd")]
)
def test_deadline_is_a_real_date(tmp_path, pack, lang, text, fmt):
    import datetime as dt

    manifest = generate(
        SAMPLE, tmp_path / "o", Options(lang=lang, deadline=text, split_by="none"), pack
    ).manifest
    assert manifest["deadline"] == "2026-12-18"  # the manifest keeps ISO text
    book = open_book(tmp_path / "o" / manifest["workbooks"][0]["file"])
    ui = pack.language(lang).ui
    ws = book.wb[ui["sheets"]["start"]]
    (cell,) = [ws.cell(r, 2) for r in range(1, 30) if ws.cell(r, 1).value == ui["start"]["deadline"]]
    assert cell.value == dt.datetime(2026, 12, 18) and cell.is_date and cell.number_format == fmt


@pytest.mark.parametrize("text", ["notadate", "31/02/2026", "12/18/2026", "2026/12/18", "18-12-2026", ""])
def test_deadline_that_is_not_a_date_is_refused(tmp_path, pack, text):
    with pytest.raises(MedriskError) as err:
        generate(SAMPLE, tmp_path / "o", Options(deadline=text), pack)
    assert err.value.exit_code == 2 and err.value.problems[0].code == "bad-deadline"
    assert not (tmp_path / "o").exists()


def test_progress_is_reported_per_workbook(tmp_path, pack):
    calls = []
    generate(
        SAMPLE, tmp_path / "o", Options(), pack, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(i, 8) for i in range(9)]


def test_random_password_per_campaign(tmp_path, pack):
    a = generate(SAMPLE, tmp_path / "a", Options(split_by="none"), pack).manifest
    b = generate(SAMPLE, tmp_path / "b", Options(split_by="none"), pack).manifest
    assert a["password"] != b["password"] and len(a["password"]) >= 12


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Réanimation", "Reanimation"),
        ("Bloc / Chir. (A)", "Bloc_Chir._A"),
        ("CON", "CON_"),
        ("???", "classeur"),
        ("reanimation", "reanimation-2"),
    ],
)
def test_safe_file_names(name, stem):
    taken = {"reanimation"} if name == "reanimation" else set()
    assert safe_file_stem(name, taken) == stem


def test_cli_generate(tmp_path):
    runner = CliRunner()
    out = tmp_path / "camp"
    result = runner.invoke(
        cli,
        [
            "generate",
            str(SAMPLE),
            "-o",
            str(out),
            "--campaign",
            "c1",
            "--deadline",
            "2026-12-15",
            "--contact",
            "biomed@example.invalid",
            "--password",
            "pw",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "8 workbook(s), 120 device(s)" in result.output
    again = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(out)])
    assert again.exit_code == 1 and "not empty" in again.output
    forced = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(out), "--force", "--split-by", "none"])
    assert forced.exit_code == 0 and "1 workbook(s)" in forced.output
    assert len(list(out.glob("*.xlsx"))) == 1


def test_cli_generate_bad_inventory(tmp_path):
    inv = write_csv(tmp_path / "inv.csv", [["Désignation", "Service"], ["x", "Réa"]])
    result = CliRunner().invoke(cli, ["generate", str(inv), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "inv.csv, row 1: required column for device_id is missing" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def test_cli_generate_map_option(tmp_path):
    inv = write_csv(tmp_path / "inv.csv", [["Num", "Libellé", "Unité"], ["7", "Pompe", "Réa"]])
    result = CliRunner().invoke(
        cli,
        [
            "generate",
            str(inv),
            "-o",
            str(tmp_path / "o"),
            "--map",
            "Num=device_id",
            "--map",
            "Unité=department",
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "o" / "campaign.json").read_text(encoding="utf-8"))
    assert manifest["workbooks"][0]["device_ids"] == ["7"] and manifest["workbooks"][0]["department"] == "Réa"


def test_form_layout_structure(tmp_path, pack):
    import re

    from support.wbtools import form_rows

    manifest = generate(
        SAMPLE, tmp_path / "f", Options(layout="form", split_by="none", password="pw"), pack
    ).manifest
    (entry,) = manifest["workbooks"]
    book = open_book(tmp_path / "f" / entry["file"])
    forms = json.loads(book.meta["forms"])
    assert len(forms) == 120 == len(set(forms)) and all(len(n) <= 31 for n in forms)
    assert book.meta["form_value_col"] == "G" and "input_sheet" not in book.meta
    fr = pack.language("fr")
    assert fr.ui["sheets"]["matrix"] not in book.wb.sheetnames
    funcs: set[str] = set()
    for name in forms[:5]:
        ws = book.wb[name]
        rows = form_rows(ws)
        assert ws.cell(rows["ID"], 7).value == name.split(" ", 1)[1]
        answer_cells = {ws.cell(rows[c], 7).coordinate: c for c in pack.method.codes}
        dv_cells = {}
        for dv in ws.data_validations.dataValidation:
            dv_cells[str(dv.sqref)] = book.resolve(dv.formula1)
        assert {k: v for k, v in dv_cells.items()} == {
            cell: fr.answer_labels(c) for cell, c in answer_cells.items()
        }
        for row in ws.iter_rows():
            for cell in row:
                unlocked = cell.protection.locked is False
                assert unlocked == (cell.coordinate in answer_cells), cell.coordinate
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    funcs |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", cell.value)))
        assert ws.protection.sheet and ws.protection.password == legacy_password_hash("pw")
    assert funcs and funcs <= contract.ALLOWED_FUNCTIONS, funcs - contract.ALLOWED_FUNCTIONS
    blank = generate(None, tmp_path / "b", Options(layout="form"), pack).manifest
    bbook = open_book(tmp_path / "b" / blank["workbooks"][0]["file"])
    (name,) = json.loads(bbook.meta["forms"])
    ws = bbook.wb[name]
    assert ws.cell(form_rows(ws)["ID"], 7).protection.locked is False


def test_cli_generate_with_site_content_and_bad_options(tmp_path, edit_pack):
    site = edit_pack("fr/ui.yaml", lambda d: d["sheets"].update({"input": "Questionnaire"}))
    runner = CliRunner()
    ok = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path / "o"), "--content", str(site)])
    assert ok.exit_code == 0, ok.output
    manifest = json.loads((tmp_path / "o" / "campaign.json").read_text(encoding="utf-8"))
    book = open_book(tmp_path / "o" / manifest["workbooks"][0]["file"])
    assert book.meta["input_sheet"] == "Questionnaire" and "Questionnaire" in book.wb.sheetnames
    bad_lang = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path / "x"), "--lang", "de"])
    assert bad_lang.exit_code == 2 and "'de'" in bad_lang.output and not (tmp_path / "x").exists()
    (tmp_path / "file.txt").write_text("x")
    not_dir = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path / "file.txt")])
    assert not_dir.exit_code == 1 and "not a folder" in not_dir.output
    bad_map = runner.invoke(cli, ["generate", str(SAMPLE), "-o", str(tmp_path / "y"), "--map", "nothing"])
    assert bad_map.exit_code == 2 and "COLUMN=field" in bad_map.output


def test_split_values_differing_by_case_or_accents_are_one_workbook(tmp_path, pack):
    rows = [HEADER, ["1", "a", "Réanimation", ""], ["2", "b", "REANIMATION ", ""], ["3", "c", "Urgences", ""]]
    manifest = generate(write_csv(tmp_path / "i.csv", rows), tmp_path / "o", Options(), pack).manifest
    assert [(w["department"], w["device_ids"]) for w in manifest["workbooks"]] == [
        ("Réanimation", ["1", "2"]),
        ("Urgences", ["3"]),
    ]


def test_site_pack_without_campaign_prefix_and_date_format(tmp_path, edit_pack, monkeypatch):
    """Both ui.yaml keys are optional: older site packs stay valid, with ISO-style defaults."""
    from medrisk_xl import load_pack
    from medrisk_xl.method.pack import check_pack

    def drop(data: dict) -> None:
        del data["campaign_prefix"], data["date_format"]

    site = edit_pack("fr/ui.yaml", drop)
    assert check_pack(site) == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    options = Options(split_by="none", deadline="18/12/2026")
    manifest = generate(SAMPLE, tmp_path / "o", options, load_pack(site)).manifest
    assert manifest["campaign"] == "campaign-2026-09-21"


def test_meta_keys_are_the_contract_keys(sample_campaign):
    """The writer writes only the keys of contract.Meta (one definition for writer and readers)."""
    from medrisk_xl.workbook.contract import Meta

    out, manifest = sample_campaign
    keys = set(open_book(out / manifest["workbooks"][0]["file"]).meta)
    known = {v for k, v in vars(Meta).items() if k.isupper()}
    assert keys <= known and {Meta.SCHEMA_VERSION, Meta.INPUT_SHEET, Meta.COLUMNS} <= keys


def test_a_text_looking_like_rich_text_xml_stays_text(tmp_path, pack):
    """XlsxWriter writes "<r>…</r>" unescaped: from an inventory it could rewrite the shared
    strings (another cell's text). The workbook shows it exactly, every other text intact."""
    from medrisk_xl.validate import validate_file
    from medrisk_xl.workbook.read.reader import read_workbook

    hostile = "<r><t>x</t></r></si><si><t>PWNED</t></r>"
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "N° inventaire;Désignation;Marque;Service\nDM-1;" + hostile + ";<r>Acme</r>;Réa\nDM-2;Pompe;B;Réa\n",
        encoding="utf-8",
    )
    result = generate(inv, tmp_path / "out", Options(), pack)
    path = tmp_path / "out" / result.manifest["workbooks"][0]["file"]
    book = read_workbook(path)
    sheet = book.sheets[book.meta["input_sheet"]]
    values = [v for row in sheet.values for v in row]
    assert hostile in values and "<r>Acme</r>" in values and "Pompe" in values
    assert "PWNED" not in values
    assert validate_file(path, pack).status == "valid"
