"""The audit names each case its probes put in a workbook (a mismatch says which): in the
report's language, from the message catalogue."""

from __future__ import annotations

from medrisk_xl.audit.cases import covering_cases, register_cases
from medrisk_xl.audit.dynamic import AS_FOUND
from medrisk_xl.core.message_templates import text_in
from medrisk_xl.core.problems import Message


def test_every_case_is_named_in_french_and_in_english(pack):
    language = pack.language("fr")
    names = [c.name for c in covering_cases(pack, language)] + [
        c.name for c in register_cases(pack, language)
    ]
    names.append(AS_FOUND)
    assert all(isinstance(name, Message) for name in names)
    fr = [text_in(name, "fr") for name in names]
    en = [text_in(name, "en") for name in names]
    assert len(set(en)) == len(en) and len(set(fr)) == len(fr)  # each case told apart in both
    assert all(a != b for a, b in zip(fr, en)), [a for a, b in zip(fr, en) if a == b][:3]
    assert "criticité 9 (vulnérabilité 0)" in fr and "criticality score 9 (vulnerability 0)" in en
    pasted = [text for text in fr if text.startswith("collé dans")]
    assert pasted and not any(word in text for text in pasted for word in ("label", "number", "wildcard"))
