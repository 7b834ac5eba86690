"""The shipped samples: a realistic inventory and the campaign generated from it."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

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
