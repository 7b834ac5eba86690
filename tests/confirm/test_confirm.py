"""``medrisk-xl confirm`` (issue 25): which groups and rows the IT workbook asks about, from a
consolidation built by hand, and the command line on the shipped samples (what it writes, what it
leaves untouched, what it refuses)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils.protection import hash_password
from support.it_returns import (
    ANSWER_SHEET,
    MANIFEST,
    RETURNS,
    SAMPLE_DEVICES,
    SAMPLE_GROUPS,
    SAMPLE_RETURNS,
    SAMPLE_ROWS,
    code_columns,
    digests,
    meta_pairs,
    start_facts,
)

from medrisk_xl.cli import cli
from medrisk_xl.confirm import ConfirmOptions, confirm_plan, write_it_workbook
from medrisk_xl.consolidate.tables import FILE_COLUMNS, PROBLEM_COLUMNS, REGISTER_COLUMNS, Consolidation
from medrisk_xl.core.problems import MedriskError

LABELS = {"fr": ("OUI", "NON", "NE SAIT PAS"), "en": ("YES", "NO", "DON'T KNOW")}
Y, N, U = 0, 1, 2
# device -> department, site, manufacturer, model, the answers that are not YES (None: no answer).
DEVICES = {
    "D4": ("Bloc", "Sud", "Zeta", "Z-9", {"V5": U}),
    "D2": ("Urgences", " nord ", "ACME", " m-1 ", {"V1": U, "V2": None, "V3": U, "V10": None}),
    "D5": ("Cardiologie", "Nord", "Acme", "M-2", {"V1": N}),  # no NE SAIT PAS: never asked
    "D1": ("Cardiologie", "Nord", "Acme", "M-1", {"V1": U, "V3": N}),
    "D6": ("Bloc", "Nord", "Beta", "B-1", {"V2": U}),
    "D3": ("Urgences", "Nord", "acme", "M-1", {"V1": N, "V10": U}),
}


def hand_consolidation(lang: str, folder: Path) -> Consolidation:
    """The register of :data:`DEVICES` (in no particular order), answered in ``lang``; two used
    returns and a superseded one, written in ``folder``."""
    records = []
    for device, (department, site, brand, model, answers) in DEVICES.items():
        rec: dict = dict.fromkeys(REGISTER_COLUMNS)
        rec.update(device_id=device, department=department, site=site, manufacturer=brand, model=model)
        for i in range(1, 11):
            index = answers.get(f"V{i}", Y)
            rec[f"V{i}_answer"] = None if index is None else LABELS[lang][index]
        records.append(rec)
    register = pd.DataFrame(records, columns=REGISTER_COLUMNS)
    for name, text in (("a.xlsx", "first"), ("b.xlsx", "second"), ("old.xlsx", "superseded")):
        (folder / name).write_text(text, encoding="utf-8")
    files = pd.DataFrame(
        [
            (str(folder / "a.xlsx"), "camp-x", "Cardiologie", "valid", True, None, None, 0, 0, 0, 0, 0, 0, 0),
            (str(folder / "old.xlsx"), "camp-x", "Bloc", "valid", False, "b.xlsx", None, 0, 0, 0, 0, 0, 0, 0),
            (str(folder / "b.xlsx"), "camp-x", "Bloc", "valid", True, None, None, 0, 0, 0, 0, 0, 0, 0),
        ],
        columns=FILE_COLUMNS,
    )
    return Consolidation(
        register=register,
        problems=pd.DataFrame([], columns=PROBLEM_COLUMNS),
        files=files,
        campaign="camp-x",
        language=lang,
    )


def groups_of(plan) -> list[tuple]:
    return [
        (g.group, g.site, g.brand, g.model, [(d.device_id, d.department, d.unknown) for d in g.devices])
        for g in plan.groups
    ]


def rows_of(plan) -> list[tuple[str, str, str]]:
    return [(r.group.group, r.item, r.department_answers) for r in plan.rows]


def test_devices_of_one_model_are_one_group_and_only_their_unknown_items_are_asked(pack, tmp_path):
    options = ConfirmOptions(password="pw", contact="DSI", deadline=dt.date(2027, 1, 5))
    plan = confirm_plan(hand_consolidation("fr", tmp_path), pack, options)
    assert groups_of(plan) == [
        (
            "G0001",
            "Nord",  # the spelling of its first device, by id
            "Acme",
            "M-1",
            [
                ("D1", "Cardiologie", ("V1",)),
                ("D2", "Urgences", ("V1", "V3")),
                ("D3", "Urgences", ("V10",)),
            ],
        ),
        ("G0002", "Nord", "Beta", "B-1", [("D6", "Bloc", ("V2",))]),  # M-2 asked nothing: no group
        ("G0003", "Sud", "Zeta", "Z-9", [("D4", "Bloc", ("V5",))]),
    ]
    assert rows_of(plan) == [
        ("G0001", "V1", "2 NE SAIT PAS, 1 NON"),  # most first
        ("G0001", "V3", "1 OUI, 1 NON, 1 NE SAIT PAS"),  # then in scale order
        ("G0001", "V10", "1 OUI, 1 NE SAIT PAS, 1 sans réponse"),  # V10 after V3; no answer last
        ("G0002", "V2", "1 NE SAIT PAS"),
        ("G0003", "V5", "1 NE SAIT PAS"),
    ]
    assert (plan.campaign, plan.language, plan.mode, plan.group_by) == ("camp-x", "fr", "confirm", "model")
    assert (plan.password, plan.contact, plan.deadline) == ("pw", "DSI", dt.date(2027, 1, 5))
    # the used returns only, with the sha256 of their bytes
    assert plan.returns == [
        ("a.xlsx", hashlib.sha256(b"first").hexdigest()),
        ("b.xlsx", hashlib.sha256(b"second").hexdigest()),
    ]


def test_the_department_answers_are_summed_up_in_english(pack, tmp_path):
    plan = confirm_plan(hand_consolidation("en", tmp_path), pack, ConfirmOptions(lang="en"))
    assert plan.language == "en"
    assert rows_of(plan) == [
        ("G0001", "V1", "2 DON'T KNOW, 1 NO"),
        ("G0001", "V3", "1 YES, 1 NO, 1 DON'T KNOW"),
        ("G0001", "V10", "1 YES, 1 DON'T KNOW, 1 no answer"),
        ("G0002", "V2", "1 DON'T KNOW"),
        ("G0003", "V5", "1 DON'T KNOW"),
    ]
    assert plan.password  # none given: one made up, never empty


def test_group_by_device_makes_one_group_per_device_asked(pack, tmp_path):
    plan = confirm_plan(hand_consolidation("fr", tmp_path), pack, ConfirmOptions(group_by="device"))
    assert groups_of(plan) == [
        ("G0001", "Nord", "Acme", "M-1", [("D1", "Cardiologie", ("V1",))]),
        ("G0002", " nord ", "ACME", " m-1 ", [("D2", "Urgences", ("V1", "V3"))]),
        ("G0003", "Nord", "acme", "M-1", [("D3", "Urgences", ("V10",))]),
        ("G0004", "Nord", "Beta", "B-1", [("D6", "Bloc", ("V2",))]),
        ("G0005", "Sud", "Zeta", "Z-9", [("D4", "Bloc", ("V5",))]),
    ]
    assert rows_of(plan) == [
        ("G0001", "V1", "1 NE SAIT PAS"),
        ("G0002", "V1", "1 NE SAIT PAS"),
        ("G0002", "V3", "1 NE SAIT PAS"),
        ("G0003", "V10", "1 NE SAIT PAS"),
        ("G0004", "V2", "1 NE SAIT PAS"),
        ("G0005", "V5", "1 NE SAIT PAS"),
    ]
    assert plan.group_by == "device"


# -- the command line on the samples -------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object, dict[str, str], dict[str, str]]:
    """confirm on the samples with their manifest and nothing else: the workbook, the result, and
    the returns' digests before and after."""
    out = tmp_path_factory.mktemp("confirm") / "A-CONFIRMER.xlsx"
    before = digests(RETURNS)
    res = CliRunner().invoke(cli, ["confirm", str(RETURNS), "--manifest", str(MANIFEST), "-o", str(out)])
    return out, res, before, digests(RETURNS)


def test_the_command_writes_the_workbook_and_says_what_it_holds(built):
    out, res, before, after = built
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    assert res.output.splitlines()[0] == (
        f"{out}: {SAMPLE_ROWS} row(s) for the IT team, {SAMPLE_GROUPS} group(s) of {SAMPLE_DEVICES} "
        f"device(s), 17 of them answered NE SAIT PAS, from {SAMPLE_RETURNS} return(s)"
    )
    assert after == before  # the returns are byte-identical
    wb = openpyxl.load_workbook(out)
    meta = meta_pairs(wb)
    assert (meta["kind"], meta["mode"], meta["group_by"], meta["campaign"]) == (
        "it-answers",
        "confirm",
        "model",
        "demo-2026",
    )
    assert (meta["rows"], meta["devices"]) == (str(SAMPLE_ROWS), str(SAMPLE_DEVICES))
    ws = wb[ANSWER_SHEET["fr"]]
    cols = code_columns(ws)
    groups = {ws.cell(r, cols["GROUP"]).value for r in range(5, 5 + SAMPLE_ROWS)}
    assert len(groups) == SAMPLE_GROUPS and ws.cell(5 + SAMPLE_ROWS, cols["GROUP"]).value is None


def test_meta_lists_each_return_used_with_its_sha256(built):
    out, *_ = built
    listed = json.loads(meta_pairs(openpyxl.load_workbook(out))["returns"])
    expected = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RETURNS.iterdir() if p.suffix == ".xlsx"
    }
    assert len(expected) == SAMPLE_RETURNS
    assert len(listed) == len(expected) and {name: sha for name, sha in listed} == expected


def test_password_contact_and_deadline_come_from_the_manifest(built):
    out, *_ = built
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(out)
    want = hash_password(manifest["password"])
    assert wb.security.lockStructure and wb.security.workbookPassword == want
    assert [wb[name].protection.sheet for name in wb.sheetnames] == [True] * 4
    assert [wb[name].protection.password for name in wb.sheetnames] == [want] * 4
    facts = start_facts(wb)
    assert facts["À retourner à"] == manifest["contact"] == "Service biomédical — biomed@hopital.example"
    assert facts["Date limite de retour"] == dt.datetime(2026, 12, 18)  # the manifest's 2026-12-18
    assert facts["Campagne"] == "demo-2026"


def test_options_given_win_over_the_manifest_and_group_by_device(tmp_path):
    out = tmp_path / "it.xlsx"
    res = CliRunner().invoke(
        cli,
        [
            "confirm",
            str(RETURNS),
            "--manifest",
            str(MANIFEST),
            "-o",
            str(out),
            "--group-by",
            "device",
            "--contact",
            "DSI, poste 4321",
            "--deadline",
            "05/01/2027",
            "--lang",
            "en",
        ],
    )
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    # by device: the model with a second device (which answered everything) loses it
    assert (
        f"{SAMPLE_ROWS} row(s) for the IT team, {SAMPLE_GROUPS} group(s) of 17 device(s), 17 of" in res.output
    )
    wb = openpyxl.load_workbook(out)
    facts = start_facts(wb, "en")
    assert (facts["Return to"], facts["Return by"]) == ("DSI, poste 4321", dt.datetime(2027, 1, 5))
    meta = meta_pairs(wb)
    assert (meta["group_by"], meta["language"], meta["devices"]) == ("device", "en", "17")
    ws = wb[ANSWER_SHEET["en"]]
    cols = code_columns(ws)
    assert ws.cell(5, cols["DEPARTMENT_ANSWERS"]).value == "1 DON'T KNOW"


# -- refusals ------------------------------------------------------------------------------------


def refused(args: list[str]):
    res = CliRunner().invoke(cli, ["confirm", *args])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    return res


def test_an_output_that_is_not_xlsx_is_refused(tmp_path):
    res = refused([str(RETURNS), "-o", str(tmp_path / "out.csv")])
    assert "[bad-argument]" in res.output and not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("given", ["folder", "file"])
def test_an_output_that_is_one_of_the_returns_is_refused(given, tmp_path):
    returns = tmp_path / "returns"
    shutil.copytree(RETURNS, returns)
    before = digests(returns)
    target = returns / "Cardiologie.xlsx"
    paths = [str(returns)] if given == "folder" else [str(target), str(returns / "Urgences.xlsx")]
    res = refused([*paths, "-o", str(target)])
    assert "would overwrite a return" in res.output
    assert digests(returns) == before


def test_an_unknown_language_is_refused(tmp_path):
    res = refused([str(RETURNS), "-o", str(tmp_path / "x.xlsx"), "--lang", "de"])
    assert "[unknown-language]" in res.output and not (tmp_path / "x.xlsx").exists()


def test_the_library_never_writes_over_a_return_it_was_built_from(pack, tmp_path):
    plan = confirm_plan(hand_consolidation("fr", tmp_path), pack, ConfirmOptions(password="pw"))
    with pytest.raises(MedriskError, match="is one of the returns") as err:
        write_it_workbook(plan, tmp_path / "b.xlsx", pack)
    assert err.value.exit_code == 2
    assert (tmp_path / "b.xlsx").read_text(encoding="utf-8") == "second"
    write_it_workbook(plan, tmp_path / "old.xlsx", pack)  # not a return used: written over
    assert openpyxl.load_workbook(tmp_path / "old.xlsx").sheetnames[-1] == "_meta"


def test_the_command_speaks_the_chosen_language(tmp_path):
    """Issue 34: MEDRISK_LANG=fr gives confirm's summary and refusals in French."""
    out = tmp_path / "A-CONFIRMER.xlsx"
    args = ["confirm", str(RETURNS), "--manifest", str(MANIFEST), "-o", str(out)]
    res = CliRunner().invoke(cli, args, env={"MEDRISK_LANG": "fr"})
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == (
        f"{out} : {SAMPLE_ROWS} ligne(s) pour l'équipe informatique, {SAMPLE_GROUPS} groupe(s) de "
        f"{SAMPLE_DEVICES} dispositif(s), dont 17 ayant répondu « ne sait pas », d'après {SAMPLE_RETURNS} "
        "réponse(s)"
    )
    csv = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["confirm", str(RETURNS), "-o", str(csv)], env={"MEDRISK_LANG": "fr"})
    assert res.exit_code == 2
    assert f"-o {csv} : le classeur de l'informatique est un fichier .xlsx [bad-argument]" in res.output
    res = CliRunner().invoke(cli, ["confirm", str(RETURNS), "-o", str(csv)], env={"MEDRISK_LANG": "en"})
    assert f"-o {csv}: the IT workbook is an .xlsx file [bad-argument]" in res.output
