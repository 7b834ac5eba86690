"""content/mds2.yaml: loaded as pack.mds2, checked by content check, outside the content hash."""

from __future__ import annotations

import pytest
from support.packs import problems_of, set_key

from medrisk_xl import load_pack
from medrisk_xl.method.pack import check_pack


def test_the_shipped_mapping_is_loaded(pack):
    v3 = pack.mds2.of("V3")
    assert v3.questions == ("AUTH-1", "PAUT-1", "PAUT-5", "PAUT-6")
    assert [(r.kind, r.when, r.suggest) for r in v3.rules] == [
        ("by-design", (("AUTH-1", "no"),), "NO"),
        ("by-design", (("PAUT-5", "no"),), "NO"),
    ]
    assert v3.rationale["fr"].cite == "NON : aucun code, code d'usine conservé, code faible ou connu de tous"
    assert list(pack.mds2.items) == [f"V{i}" for i in range(1, 11)]


def test_the_mapping_is_outside_the_content_hash(pack_copy, edit_pack):
    shipped = load_pack().hash
    edit_pack("mds2.yaml", set_key(["items", "V1", "rationale", "en", "text"], "Reworded."))
    assert load_pack(pack_copy).hash == shipped
    (pack_copy / "mds2.yaml").unlink()
    site = load_pack(pack_copy)
    assert site.hash == shipped and site.mds2 is None  # a pack may do without it
    assert check_pack(pack_copy) == []


RULE = ["items", "V4", "rules", 0]


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (
            set_key(["items", "V11"], {"questions": [], "rules": [], "rationale": {}}),
            "unknown-code",
            "items.V11",
        ),
        (set_key(["items", "V4", "questions", 3], "TXCF 2"), "bad-question", "items.V4.questions[3]"),
        (set_key(["items", "V4", "questions", 4], "1-1"), "bad-question", "items.V4.questions[4]"),
        (set_key([*RULE, "kind"], "by-hope"), "unknown-rule", "items.V4.rules[0]"),
        (set_key([*RULE, "when"], {"CONN-1": "n/a"}), "bad-rule", "items.V4.rules[0].when.CONN-1"),
        (set_key([*RULE, "when"], {"AUTH-1": "no"}), "bad-rule", "items.V4.rules[0].when"),
        (set_key([*RULE, "suggest"], "UNKNOWN"), "bad-rule", "items.V4.rules[0].suggest"),
        (set_key([*RULE, "when"], {"CONN-1": False}), "wrong-type", "items.V4.rules[0].when.CONN-1"),
        (
            set_key(["items", "V4", "rationale", "fr", "cite"], "OUI toujours"),
            "bad-citation",
            "items.V4.rationale.fr.cite",
        ),
        (
            set_key(["items", "V4", "rationale", "de"], {"cite": "x", "text": "y"}),
            "unknown-language",
            "items.V4.rationale.de",
        ),
        (set_key(["items", "V4", "oops"], 1), "unknown-key", "items.V4.oops"),
    ],
)
def test_a_broken_mapping_is_reported(edit_pack, change, code, where):
    problems = problems_of(edit_pack("mds2.yaml", change))
    assert [(p.code, p.file, p.path) for p in problems] == [(code, "mds2.yaml", where)]


def test_a_rationale_in_the_default_language_is_required(edit_pack):
    def drop_fr(data):
        del data["items"]["V2"]["rationale"]["fr"]

    problems = problems_of(edit_pack("mds2.yaml", drop_fr))
    assert [(p.code, p.path) for p in problems] == [("missing-text", "items.V2.rationale.fr")]
