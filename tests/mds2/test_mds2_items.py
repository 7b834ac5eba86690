"""The shipped mapping (content/mds2.yaml) applied to forms: every rule in both directions, with
the suggestion, the basis and the evidence written by hand."""

from __future__ import annotations

import pytest
from support.mds2_forms import write_form

from medrisk_xl import load_pack
from medrisk_xl.mds2 import Evidence, ItemEvidence, read_form, with_items


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def items_of(tmp_path, pack, answers, **options):
    form = read_form(write_form(tmp_path / "f.xlsx", answers, **options))
    return with_items(form, pack.mds2, pack.method.items).items


def suggestion(items, item):
    return items[item].suggestion, items[item].basis


# (answers, item, suggestion, basis): each rule met, then missed by one condition.
CASES = [
    # V1: no network interface at all -> YES by design; otherwise the site's network decides
    ({"CONN-1": "No"}, "V1", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-1.1": "No", "CONN-1.2.1": "No"}, "V1", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-1.1": "No", "CONN-1.2.1": "Yes"}, "V1", None, "evidence"),
    ({"CONN-1": "Yes", "CONN-1.1": "Yes", "CONN-1.2.1": "No"}, "V1", None, "evidence"),
    ({"CONN-1": "N/A"}, "V1", None, "evidence"),
    # V2, V8, V9: evidence only, whatever the answers
    ({"CSUP-1": "Yes", "CSUP-2": "No", "RDMP-4": "No"}, "V2", None, "evidence"),
    ({"SBOM-1": "No", "SBOM-4": "No"}, "V8", None, "evidence"),
    ({"CSUP-11": "No", "CSUP-7": "No"}, "V9", None, "evidence"),
    # V3: no access control, or passwords that cannot all be changed -> NO by design
    ({"AUTH-1": "No"}, "V3", "NO", "by-design"),
    ({"AUTH-1": "Yes", "PAUT-5": "No"}, "V3", "NO", "by-design"),
    ({"AUTH-1": "Yes", "PAUT-5": "Yes", "PAUT-1": "Yes"}, "V3", None, "evidence"),
    ({"AUTH-1": "N/A", "PAUT-5": "N/A"}, "V3", None, "evidence"),
    # V4: no Wi-Fi (no connectivity, no wireless, or no Wi-Fi) -> YES by design
    ({"CONN-1": "No", "CONN-1.1": "N/A", "CONN-1.1.1": "N/A"}, "V4", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-1.1": "No"}, "V4", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-1.1": "Yes", "CONN-1.1.1": "No"}, "V4", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-1.1": "Yes", "CONN-1.1.1": "Yes", "TXCF-2": "Yes"}, "V4", None, "evidence"),
    # V5: stored, not exchanged, not backed up -> NO by design; any of them otherwise -> evidence
    ({"MPII-2.2": "Yes", "MPII-2.6": "No", "DTBK-3": "No", "DTBK-4": "No"}, "V5", "NO", "by-design"),
    ({"MPII-2.2": "Yes", "MPII-2.6": "No", "DTBK-3": "No", "DTBK-4": "Yes"}, "V5", None, "evidence"),
    ({"MPII-2.2": "Yes", "MPII-2.6": "Yes", "DTBK-3": "No", "DTBK-4": "No"}, "V5", None, "evidence"),
    ({"MPII-2.2": "No", "MPII-2.6": "No", "DTBK-3": "No", "DTBK-4": "No"}, "V5", None, "evidence"),
    ({"MPII-2.2": "Yes", "MPII-2.6": "No", "DTBK-3": "N/A", "DTBK-4": "No"}, "V5", None, "evidence"),
    # V6: no hardware connectivity -> YES by design
    ({"CONN-1": "No"}, "V6", "YES", "by-design"),
    ({"CONN-1": "Yes", "SAHD-8": "Yes", "SAHD-9": "Yes"}, "V6", None, "evidence"),
    # V7: communicates with no other system -> YES by design
    ({"CONN-1": "No"}, "V7", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-3": "No", "CONN-4": "No"}, "V7", "YES", "by-design"),
    ({"CONN-1": "Yes", "CONN-3": "No", "CONN-4": "Yes"}, "V7", None, "evidence"),
    ({"CONN-1": "Yes", "CONN-3": "Yes", "CONN-4": "No"}, "V7", None, "evidence"),
    # V10: nothing in the form bears on it
    ({"CONN-1": "No", "AUTH-1": "No", "SBOM-1": "Yes"}, "V10", None, None),
]


@pytest.mark.parametrize(("answers", "item", "expected", "basis"), CASES)
def test_each_rule_in_both_directions(tmp_path, pack, answers, item, expected, basis):
    assert suggestion(items_of(tmp_path, pack, answers), item) == (expected, basis)


def test_an_unanswered_form_suggests_nothing(tmp_path, pack):
    items = items_of(tmp_path, pack, {})
    assert set(items) == {f"V{i}" for i in range(1, 11)}
    assert all(item == ItemEvidence() for item in items.values())


def test_the_evidence_lists_the_answers_and_what_the_form_adds(tmp_path, pack):
    items = items_of(
        tmp_path,
        pack,
        {"AUTH-1": "Yes", "PAUT-1": "Yes, optional", "PAUT-5": "See Note 1"},
        notes={1: "The service password is fixed."},
    )
    # PAUT-5 "See Note 1" alone is not an answer: no rule meets it, its note is the evidence
    assert items["V3"] == ItemEvidence(
        None,
        "evidence",
        (
            Evidence("AUTH-1", "yes", None),
            Evidence("PAUT-1", "yes", "optional"),
            Evidence("PAUT-5", None, "Note 1: The service password is fixed."),
        ),
    )


def test_the_first_rule_met_gives_the_suggestion(tmp_path, pack):
    items = items_of(tmp_path, pack, {"AUTH-1": "No", "PAUT-5": "No"})
    assert items["V3"].suggestion == "NO"
    assert [e.question for e in items["V3"].evidence] == ["AUTH-1", "PAUT-5"]


def test_without_a_mapping_no_item_has_a_suggestion(tmp_path, pack):
    form = read_form(write_form(tmp_path / "f.xlsx", {"AUTH-1": "No"}))
    assert set(with_items(form, None, pack.method.items).items.values()) == {ItemEvidence()}
