"""What kind of medrisk-xl file a spreadsheet is, from its ``_meta`` pairs: the one answer every
command gives when a file of one kind is given where another is expected."""

from __future__ import annotations

from collections.abc import Mapping

from medrisk_xl.core.problems import Message, msg
from medrisk_xl.workbook import it_contract
from medrisk_xl.workbook.kinds import COMPARE_KIND, CONSOLIDATED_KIND, KIND_KEY
from medrisk_xl.workbook.read.provenance_verdict import is_medrisk_meta

# The kinds, as the message catalogue names them (templates output_kind.<kind>).
DEPARTMENT, IT, CONSOLIDATED, COMPARE = "department", "it", "consolidated", "compare"
_BY_KIND_PAIR = {CONSOLIDATED_KIND: CONSOLIDATED, COMPARE_KIND: COMPARE, it_contract.KIND: IT}


def output_kind(meta: Mapping[str, str]) -> str | None:
    """The kind of medrisk-xl file whose ``_meta`` pairs are ``meta``; None for any other file."""
    kind = _BY_KIND_PAIR.get(meta.get(KIND_KEY, ""))
    if kind is not None:
        return kind
    return DEPARTMENT if is_medrisk_meta(meta) else None


def named_output(meta: Mapping[str, str], sentence: str = "validate.other-kind") -> Message | None:
    """The message naming a consolidated map or a comparison given where a department workbook is
    expected; None for any other file. ``sentence``: the command's template (validate's asks to
    take the file out of the returns folder, the audit's says which workbooks it audits)."""
    kind = output_kind(meta)
    if kind in (CONSOLIDATED, COMPARE):
        return msg(sentence, kind=msg(f"output_kind.{kind}"))
    return None
