"""The one check that a file is ours, of this schema and of this content pack."""

from __future__ import annotations

from medrisk_xl.workbook import contract
from medrisk_xl.workbook.read.provenance_verdict import (
    NOT_OURS,
    OTHER_CONTENT,
    UNKNOWN_SCHEMA,
    provenance_verdict,
)

OURS = {
    contract.Meta.GENERATOR: "medrisk-xl 1.0",
    contract.Meta.SCHEMA_VERSION: str(contract.SCHEMA_VERSION),
    contract.Meta.CONTENT_HASH: "abc",
}


def test_the_verdicts_come_in_order_not_ours_then_schema_then_content():
    assert provenance_verdict(OURS, "abc") is None
    assert provenance_verdict({}, "abc") == NOT_OURS
    assert provenance_verdict({**OURS, contract.Meta.GENERATOR: "someone else"}, "abc") == NOT_OURS
    assert provenance_verdict({**OURS, contract.Meta.SCHEMA_VERSION: "0"}, "other") == UNKNOWN_SCHEMA
    assert provenance_verdict(OURS, "other") == OTHER_CONTENT


def test_a_file_of_an_earlier_edition_the_pack_reads_is_ours_and_only_that():
    assert provenance_verdict(OURS, ("new", "abc")) is None  # an earlier edition the pack lists
    assert provenance_verdict(OURS, ("new", "old")) == OTHER_CONTENT
    assert provenance_verdict(OURS, ()) == OTHER_CONTENT
    # One hash given as a text is that hash, never a text to search in.
    assert provenance_verdict({**OURS, contract.Meta.CONTENT_HASH: "b"}, "abc") == OTHER_CONTENT
    assert provenance_verdict({**OURS, contract.Meta.CONTENT_HASH: ""}, "abc") == OTHER_CONTENT
