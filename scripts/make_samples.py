"""Regenerate samples/campaign/ from samples/inventory.csv (reproducible: fixed date and password).

Usage: python scripts/make_samples.py
"""

from __future__ import annotations

import os
from pathlib import Path

from medrisk_xl.generate.campaign import Options, generate

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1795000000"  # 2026-11-18: the sample campaign's creation date
PASSWORD = "demo-medrisk"  # the sample campaign's sheet password (a real campaign gets a random one)


def main() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    result = generate(
        ROOT / "samples" / "inventory.csv",
        ROOT / "samples" / "campaign",
        Options(
            campaign="demo-2026",
            password=PASSWORD,
            deadline="18/12/2026",
            contact="Service biomédical — biomed@hopital.example",
            force=True,
            register=True,
        ),
    )
    books = result.manifest["workbooks"]
    print(f"samples/campaign: {len(books)} workbooks, {sum(len(b['device_ids']) for b in books)} devices")


if __name__ == "__main__":
    main()
