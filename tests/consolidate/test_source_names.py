"""Each return is named relative to the folder given, and the map's times are local (issue 27)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.source_names import named_for_output, source_names
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.history import open_history, record
from medrisk_xl.method.pack import load_pack

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"


def test_names_are_relative_to_the_folder_given(tmp_path):
    for folder in ("a/site-1", "a/site-2", "b"):
        (tmp_path / folder).mkdir(parents=True)
    files = {
        "a/site-1/X.xlsx": "site-1/X.xlsx",
        "a/site-2/X.xlsx": "site-2/X.xlsx",
        "a/Y.xlsx": "a/Y.xlsx",  # b/Y.xlsx too: each with its folder's name
        "b/Y.xlsx": "b/Y.xlsx",
        "b/Z.xlsx": "Z.xlsx",
        "c/W.xlsx": "W.xlsx",  # a file given by itself
    }
    given = [str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c" / "W.xlsx")]
    names = source_names(given, [str(tmp_path / f) for f in files])
    assert names == {str(tmp_path / f): shown for f, shown in files.items()}


def test_the_map_names_returns_relatively_and_the_history_still_digests_them(tmp_path):
    result = consolidate([RETURNS.resolve()], manifest=MANIFEST)  # absolute, as dropped in a terminal
    assert result.register["source_file"].str.startswith(str(RETURNS.resolve())).all()  # the library's paths
    out = named_for_output(result)
    shown = set(out.register["source_file"]) | set(out.files["file"]) | set(out.problems["file"])
    assert shown == {
        "Bloc_operatoire.xlsx",
        "Cardiologie.xlsx",
        "Labo - retour final (2).xlsx",
        "Neonatologie.xlsx",
        "Oncologie (LibreOffice).xlsx",
        "Reanimation.xlsx",
        "Urgences.xlsx",
    }
    assert named_for_output(out).register.equals(out.register)  # named once
    mapped = tmp_path / "map.xlsx"
    write_consolidated(result, mapped, load_pack())
    texts = [c.value for row in openpyxl.load_workbook(mapped)["Registre"].iter_rows() for c in row]
    assert "Cardiologie.xlsx" in texts and not [v for v in texts if isinstance(v, str) and str(ROOT) in v]
    db = tmp_path / "h.db"
    record(result, db, manifest=MANIFEST)
    with open_history(db, create=False) as history:
        files = history.files(result.campaign)
    cardio = files[files["file"] == "Cardiologie.xlsx"].iloc[0]
    assert cardio["sha256"] == hashlib.sha256((RETURNS / "Cardiologie.xlsx").read_bytes()).hexdigest()


@pytest.fixture
def paris(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset: POSIX only")
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_follow_up_shows_each_return_s_save_time_in_local_time(tmp_path, paris):
    copy = tmp_path / "returns"
    shutil.copytree(RETURNS, copy)
    out = tmp_path / "map.xlsx"
    write_consolidated(consolidate([copy], manifest=MANIFEST), out, load_pack())
    wb = openpyxl.load_workbook(out)
    ws = wb["Suivi de campagne"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Bloc_operatoire.xlsx")
    saved = next(c for c in row if isinstance(c.value, dt.datetime))
    # Bloc_operatoire.xlsx says it was saved at 2026-11-26T13:08:12Z: 14:08 in Paris in November
    assert saved.value == dt.datetime(2026, 11, 26, 14, 8, 12)
    assert saved.number_format == "dd/mm/yyyy hh:mm"
