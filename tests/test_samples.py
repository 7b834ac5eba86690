"""The shipped samples: a realistic inventory and the campaign generated from it."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from pathlib import Path

import openpyxl
from support.wbtools import open_book

ROOT = Path(__file__).resolve().parents[1]


def test_sample_campaign_matches_inventory_and_content(pack):
    manifest = json.loads((ROOT / "samples" / "campaign" / "campaign.json").read_text(encoding="utf-8"))
    with (ROOT / "samples" / "inventory.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) >= 100 and len({r["Service"] for r in rows}) >= 5 and len({r["Site"] for r in rows}) >= 2
    ids = sorted(i for w in manifest["workbooks"] for i in w["device_ids"])
    assert ids == sorted(r["N° inventaire"] for r in rows)
    # Regenerate with `python scripts/make_samples.py` when the content pack changes.
    assert manifest["content"]["hash"] == pack.hash
    for w in manifest["workbooks"]:
        path = ROOT / "samples" / "campaign" / w["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == w["sha256"]
        assert open_book(path).meta["content_hash"] == pack.hash


def _year_two_script():
    spec = importlib.util.spec_from_file_location("make_year_two", ROOT / "scripts" / "make_year_two.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _contents(path: Path) -> dict[str, list[tuple[str, object, str | None]]]:
    """Every sheet's cells as a reader sees them: coordinate, value (formulas as written), note."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: [
            (c.coordinate, c.value, c.comment.text if c.comment else None)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.comment
        ]
        for ws in book.worksheets
    }


def test_the_year_two_sample_is_what_its_script_makes_today(tmp_path, monkeypatch):
    """samples/year-two/: its inventory is the sample inventory a year on, and its campaign is
    what generate --previous makes today from the recorded sample returns: the same files, every
    cell, value and note the same (remake both with ``python scripts/make_year_two.py`` when the
    content pack or generate changes; the bytes themselves vary with the zip and XlsxWriter
    versions)."""
    script = _year_two_script()
    year_two = ROOT / "samples" / "year-two"
    assert (year_two / "inventory.csv").read_text(encoding="utf-8") == script.inventory_text()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    output, known = script.make_campaign(year_two / "inventory.csv", tmp_path / "campaign", tmp_path)
    assert "pre-filled with the answers of demo-2026" in output and known
    shipped = sorted(p.name for p in (year_two / "campaign").iterdir())
    assert sorted(p.name for p in (tmp_path / "campaign").iterdir()) == shipped
    made = json.loads((tmp_path / "campaign" / "campaign.json").read_text(encoding="utf-8"))
    kept = json.loads((year_two / "campaign" / "campaign.json").read_text(encoding="utf-8"))
    for entry in (*made["workbooks"], *kept["workbooks"]):
        entry.pop("sha256")
    assert made == kept
    for name in shipped:
        if name.endswith(".xlsx"):
            assert _contents(tmp_path / "campaign" / name) == _contents(year_two / "campaign" / name), name
