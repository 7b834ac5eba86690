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
