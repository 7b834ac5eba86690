"""The pack's MDS2 mapping applied to a form: per vulnerability item, a suggestion (a rule of the
mapping met), its basis, and the answers bearing on the item as evidence."""

from __future__ import annotations

from dataclasses import replace

from medrisk_xl.mds2.mds2_form import Evidence, ItemEvidence, Mds2Form
from medrisk_xl.method.mds2_mapping import ItemMapping, Mds2Mapping

EVIDENCE = "evidence"  # the basis when answers inform but no rule settles the item


def item_evidence(form: Mds2Form, entry: ItemMapping | None) -> ItemEvidence:
    """What ``form`` says about one item. The first rule whose conditions all hold gives the
    suggestion: N/A and unanswered questions never meet a condition (N/A is never scored)."""
    if entry is None or form.refused:
        return ItemEvidence()
    evidence = tuple(
        form.evidence(question)
        for question in entry.questions
        if form.answers.get(question) is not None or question in form.texts
    )
    for rule in entry.rules:
        if all(form.answers.get(question) == answer for question, answer in rule.when):
            return ItemEvidence(rule.suggest, rule.kind, evidence)
    return ItemEvidence(None, EVIDENCE if evidence else None, evidence)


def with_items(form: Mds2Form, mapping: Mds2Mapping | None, items: tuple[str, ...]) -> Mds2Form:
    """``form`` with what it says about every item of the method (none for a refused form)."""
    if form.refused:
        return form
    found = {item: item_evidence(form, mapping.of(item) if mapping else None) for item in items}
    return replace(form, items=found)


def evidence_line(evidence: Evidence, width: int = 70, not_answered: str = "not answered") -> str:
    """``CONN-1 yes (Note 5: …)``, the text cut to ``width`` characters."""
    answer = evidence.answer or not_answered
    if not evidence.text:
        return f"{evidence.question} {answer}"
    text = evidence.text if len(evidence.text) <= width else evidence.text[: width - 1].rstrip() + "…"
    return f"{evidence.question} {answer} ({text})"
