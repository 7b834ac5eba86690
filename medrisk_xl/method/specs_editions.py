"""The structure of ``editions.yaml``: the earlier editions of a pack whose workbooks it reads
exactly as its own.

The content hash covers every text a department workbook carries, so rewording one (a step of
the start sheet, a help text) gives a new hash, and a campaign under way would then be refused
as "other content". An edition listed here was checked to differ only in texts that no answer,
score, level or check depends on (tests/method/test_editions.py rebuilds the shipped ones). The
file is optional and outside the content hash.
"""

from __future__ import annotations

from medrisk_xl.method.schema import INT, TEXT, Keys, ListOf

EDITIONS_FILE = "editions.yaml"
HASH_CHARS = frozenset("0123456789abcdef")
HASH_LENGTH = 64  # a SHA-256, as the content hash is written in every workbook

EDITIONS_SPEC = Keys(
    {
        "schema": INT,
        "earlier": ListOf(Keys({"hash": TEXT, "changed": TEXT}), min_len=0),
    }
)
