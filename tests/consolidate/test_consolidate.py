"""consolidate: the register of the fleet from the returns, ranked, accounted for, exported."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from support.answers import write_inventory
from support.wbtools import fill, open_book

from medrisk_xl import score
from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.exports import neutralise, write_csv
from medrisk_xl.consolidate.tables import CRITERIA, CSV_COLUMNS, ITEMS
from medrisk_xl.generate.campaign import Options, generate

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


@pytest.fixture(scope="module")
def result(pack):
    return consolidate([RETURNS], manifest=MANIFEST, pack=pack)


def test_every_row_is_accounted_for(result):
    a = result.accounting
    assert a["rows_in"] == a["rows_in_register"] + a["rows_superseded"]
    assert a["devices_in_register"] == len(result.register) == a["rows_in_register"]
    assert set(result.files["used"]) == {True} and a["files"] == 7


def test_scores_are_the_scorers_and_order_is_priority(result, pack):
    reg = result.register
    fr = pack.language("fr")
    for _, row in reg.iterrows():
        if pd.isna(row["risk_level"]):
            continue
        answers = {c: int(row[c]) for c in CRITERIA} | {v: row[f"{v}_answer"] for v in ITEMS}
        want = score(answers, pack)
        got = (row["criticality_score"], row["vulnerability_score"], row["risk_level"])
        assert got == (want.criticality_score, want.vulnerability_score, want.risk_level), row["device_id"]
        assert all(row[f"{v}_answer"] in fr.answer_labels(v) for v in ITEMS)
    mapped = reg[reg["included"] & reg["risk_level"].notna()]
    keys = list(zip(-mapped["risk_level"], -mapped["criticality_score"], -mapped["vulnerability_score"]))
    assert keys == sorted(keys)
    assert list(mapped["priority"]) == list(range(1, len(mapped) + 1))
    assert mapped.index.max() < reg[~(reg["included"] & reg["risk_level"].notna())].index.min()


def test_workbooks_with_errors_are_listed_not_mapped_with_strict(pack):
    """--strict keeps the whole-file rule: any error keeps every device of its file out."""
    reg = consolidate([RETURNS], pack=pack, strict=True).register
    bad = {"Bloc_operatoire.xlsx", "Reanimation.xlsx"}
    from_bad = reg["source_file"].map(lambda p: Path(p).name in bad)
    assert from_bad.any() and not reg.loc[from_bad, "included"].any()
    assert reg.loc[~from_bad, "included"].all()
    assert set(reg.loc[from_bad, "not_mapped_reason"]) == {"invalid-file"}
    loose = consolidate([RETURNS], pack=pack, include_invalid=True).register
    from_bad = loose["source_file"].map(lambda p: Path(p).name in bad)
    assert loose.loc[from_bad & (loose["status"] != "invalid"), "included"].all()
    assert not loose.loc[loose["status"] == "invalid", "included"].any()


def test_follow_up_and_added_devices(result):
    follow = result.follow_up.set_index("department")
    assert not follow.loc["Imagerie médicale", "returned"] and follow.loc["Cardiologie", "valid"]
    assert follow.loc["Cardiologie", "completion"] == 1.0
    added = result.register[result.register["added"]]
    assert list(added["device_id"]) == ["URG-NEW-01"]


def test_expected_devices_missing_and_added_devices(result):
    """Every device the manifest lists is in the register or in the follow-up's missing list,
    with the reason; every added device is listed too."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    devices = result.follow_up_devices
    reg = result.register
    missing = devices[~devices["change"].isin(["added", "not_mapped"])]
    for entry in manifest["workbooks"]:
        mine = missing[missing["department"] == entry["department"]]
        in_register = set(reg.loc[reg["department"] == entry["department"], "device_id"])
        assert set(mine["device_id"]) == set(entry["device_ids"]) - in_register
        assert set(mine["device_id"]).isdisjoint(in_register)
    imaging = missing[missing["department"] == "Imagerie médicale"]  # not returned
    assert len(imaging) > 0 and set(imaging["change"]) == {"not_returned"}
    assert imaging["source_file"].isna().all()
    deleted = missing[missing["change"] == "not_in_return"]  # a row deleted in a return
    assert len(deleted) >= 1 and deleted["source_file"].notna().all()
    returned_problems = result.problems[result.problems["code"] == "missing-from-return"]
    assert set(deleted["device_id"]) == set(returned_problems["device_id"])
    out = devices[devices["change"] == "not_mapped"]
    assert dict(zip(out["device_id"], out["reason"])) == dict(
        zip(reg.loc[~reg["mapped"], "device_id"], reg.loc[~reg["mapped"], "not_mapped_reason"])
    )
    added = devices[devices["change"] == "added"]
    assert added["device_id"].tolist() == reg.loc[reg["added"], "device_id"].tolist() == ["URG-NEW-01"]


def test_a_resend_uses_the_newer_return(tmp_path, pack):
    folder = tmp_path / "returns"
    folder.mkdir()
    old, new = folder / "Cardiologie.xlsx", folder / "Cardiologie (renvoi).xlsx"
    shutil.copy(RETURNS / "Cardiologie.xlsx", old)
    shutil.copy(RETURNS / "Cardiologie.xlsx", new)
    os.utime(old, (1_700_000_000, 1_700_000_000))
    result = consolidate([folder], pack=pack)
    files = result.files.set_index("file")
    assert files.loc[str(new), "used"] and not files.loc[str(old), "used"]
    assert files.loc[str(old), "superseded_by"] == str(new)
    assert result.accounting["rows_superseded"] == 14 and len(result.register) == 14


def test_the_same_device_in_two_departments_is_an_error(tmp_path, pack):
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": 3, "Urgences": 3})
    result = generate(inv, tmp_path / "c", Options(spare_rows=1), pack)
    books = [tmp_path / "c" / e["file"] for e in result.manifest["workbooks"]]
    first_spare = int(open_book(books[1]).meta["first_spare_row"])
    fill(books[1], tmp_path / "urg.xlsx", {first_spare: {"ID": "DM-000001"}})
    shutil.copy(books[0], tmp_path / "rea.xlsx")
    out = consolidate([tmp_path / "rea.xlsx", tmp_path / "urg.xlsx"], pack=pack)
    dup = out.problems[out.problems["code"] == "duplicate-device"]
    assert list(dup["device_id"]) == ["DM-000001"] and "Réanimation" in dup.iloc[0]["message"]


def test_type_rows_are_expanded_to_their_devices(tmp_path, pack):
    inv = tmp_path / "inv.csv"
    write_inventory(inv, {"Réanimation": 8})
    inv.write_text(inv.read_text(encoding="utf-8-sig").replace("Classe CE", "Code CNEH"), "utf-8")
    made = generate(inv, tmp_path / "c", Options(per="cneh"), pack)
    out = consolidate([tmp_path / "c"], pack=pack)
    assert sorted(out.register["device_id"]) == sorted(made.manifest["workbooks"][0]["device_ids"])
    typed = out.register[out.register["type_assessment"].notna()]
    # Devices 1..8 get CE classes IIa, IIb, III, -, I, IIa, IIb, III as their CNEH code here: one
    # device has none and keeps a row of its own; the seven others inherit their type's row.
    assert len(typed) == 7 and set(typed["type_assessment"].str.startswith("CNEH:")) == {True}


def test_csv_reread_equals_the_register_and_is_inert(result, tmp_path):
    path = tmp_path / "register.csv"
    reg = result.register.copy()
    reg.loc[0, "designation"] = '=HYPERLINK("http://x.invalid","y")'
    reg.loc[1, "designation"] = "+cmd"
    write_csv(reg, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(back.columns) == (*CSV_COLUMNS, "mapped", "not_mapped_reason") and len(back) == len(reg)
    assert set(back["mapped"]) == {"true", "false"}
    assert list(back["not_mapped_reason"]) == ["" if pd.isna(r) else r for r in reg["not_mapped_reason"]]
    assert back.loc[0, "designation"].startswith("'=") and back.loc[1, "designation"] == "'+cmd"
    for column in ("device_id", "criticality_score", "risk_level", "V1_answer"):
        want = ["" if pd.isna(v) else str(neutralise(v)) for v in reg[column]]
        assert list(back[column]) == want, column
    assert not list(tmp_path.glob(".*partial"))


# Security rule as literal strings: what a designation holds -> the CSV cell text, written out.
INJECTIONS = [
    ('=HYPERLINK("http://x.invalid","y")', '\'=HYPERLINK("http://x.invalid","y")'),
    ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
    ("\uff0bcmd", "'\uff0bcmd"),
    ("\uff0d1", "'\uff0d1"),
    ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ("a=1+1", "a=1+1"),  # not at the start: left as it is
    ("'=1", "'=1"),
    ("<r><t>x</t></r>", "<r><t>x</t></r>"),  # looks like rich-text XML: stays text
    ('</t></is></c><c r="B1"><f>1+1</f>', '</t></is></c><c r="B1"><f>1+1</f>'),
]


@pytest.mark.parametrize("held, cell", INJECTIONS)
def test_neutralise_literal(held, cell):
    assert neutralise(held) == cell


def test_csv_cells_are_the_literal_inert_texts(result, tmp_path):
    """Each injection in the CSV file exactly as written out above, read back byte-true."""
    import csv

    path = tmp_path / "register.csv"
    reg = result.register.head(len(INJECTIONS)).copy()
    reg["designation"] = [held for held, _ in INJECTIONS]
    write_csv(reg, path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert [row["designation"] for row in rows] == [cell for _, cell in INJECTIONS]


def test_cli_consolidate_writes_the_map_and_the_csv(tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from medrisk_xl.cli import cli

    out, csv = tmp_path / "cartographie.xlsx", tmp_path / "registre.csv"
    args = ["consolidate", str(RETURNS), "-o", str(out), "--manifest", str(MANIFEST), "--csv", str(csv)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "90 device(s) mapped, 105 in the register, from 7 workbook(s)" in res.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == [
        "Synthèse direction",  # the one-page summary for management (issue 27)
        "Synthèse",
        "Registre",
        "Plan d'action - synthèse",  # the grouped plan's summary (--plan-by model, the default)
        "Plan d'action",
        "Risques réseau",
        "Suivi de campagne",
        "Contrôle",  # the accounting, for the engineer
        "Problèmes",
        "_meta",
    ]
    assert len(pd.read_csv(csv, sep=";", encoding="utf-8-sig")) == 105
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cartographie.xlsx", "registre.csv"]


def test_parquet_without_pyarrow_says_how_to_install(tmp_path, result, monkeypatch):
    import builtins

    from medrisk_xl.consolidate.exports import write_parquet
    from medrisk_xl.core.problems import MedriskError

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(MedriskError) as err:
        write_parquet(result.register, tmp_path / "r.parquet")
    (problem,) = err.value.problems
    assert (problem.code, problem.file, err.value.exit_code) == (
        "missing-pyarrow",
        str(tmp_path / "r.parquet"),
        2,
    )
    assert problem.message == (
        "writing Parquet needs pyarrow: pip install 'medrisk-xl[parquet]' (or pip install pyarrow)"
    )
    assert not (tmp_path / "r.parquet").exists()


def test_readme_shows_the_real_consolidate_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from medrisk_xl.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ medrisk-xl consolidate samples/returns -o cartographie.xlsx"
    line = next(x for x in readme.splitlines() if x.startswith(command))
    shown = readme.split(line + "\n", 1)[1].split("\n```", 1)[0]
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, line[2:].split()[1:])
    assert res.exit_code == 0 and res.output.rstrip("\n") == shown


def test_parquet_holds_the_csv_columns_typed(result, tmp_path):
    pytest.importorskip("pyarrow")  # the parquet extra
    from medrisk_xl.consolidate.exports import write_parquet

    write_parquet(result.register, tmp_path / "r.parquet")
    back = pd.read_parquet(tmp_path / "r.parquet")
    assert list(back.columns) == [*CSV_COLUMNS, "mapped", "not_mapped_reason"] and len(back) == 105
    assert back["mapped"].dtype == bool
    assert back["device_id"].tolist() == result.register["device_id"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"]
