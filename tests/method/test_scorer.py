"""The reference scorer against the method's thresholds and matrix, over the whole answer space."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medrisk_xl import AnswerError, score
from medrisk_xl.method.scorer import COMPLETE, EMPTY, INCOMPLETE, TO_CONFIRM

CRIT = [f"C{i}" for i in range(1, 10)]
VULN = [f"V{i}" for i in range(1, 11)]
CRIT_LEVEL = {
    **{s: 1 for s in range(0, 13)},
    **{s: 2 for s in range(13, 25)},
    **{s: 3 for s in range(25, 37)},
}
VULN_LEVEL = {**{s: 1 for s in range(0, 3)}, **{s: 2 for s in range(3, 6)}, **{s: 3 for s in range(6, 11)}}
# The adopted default matrix (issue 2): rows vulnerability level, columns criticality level.
MATRIX = {(1, 1): 1, (1, 2): 1, (1, 3): 2, (2, 1): 1, (2, 2): 2, (2, 3): 3, (3, 1): 2, (3, 2): 3, (3, 3): 3}


def crit_answers_with_sum(total: int) -> dict[str, int]:
    """Points 1-4 for C1..C9 adding up to ``total`` (9..36)."""
    points, rest = [], total - 9
    for _ in CRIT:
        extra = min(3, rest)
        points.append(1 + extra)
        rest -= extra
    assert rest == 0
    return dict(zip(CRIT, points, strict=True))


def vuln_answers_with_sum(total: int, no: str = "NON") -> dict[str, str]:
    return {code: (no if i < total else "OUI") for i, code in enumerate(VULN)}


@pytest.mark.parametrize("crit_sum", range(9, 37))
@pytest.mark.parametrize("vuln_sum", range(0, 11))
def test_every_sum_pair_maps_to_thresholds_and_matrix(pack, crit_sum, vuln_sum):
    result = score({**crit_answers_with_sum(crit_sum), **vuln_answers_with_sum(vuln_sum)}, pack)
    assert result.criticality_score == crit_sum
    assert result.vulnerability_score == vuln_sum
    assert result.criticality_level == CRIT_LEVEL[crit_sum]
    assert result.vulnerability_level == VULN_LEVEL[vuln_sum]
    assert result.risk_level == MATRIX[(VULN_LEVEL[vuln_sum], CRIT_LEVEL[crit_sum])]
    assert result.status == COMPLETE
    assert result.non_compliant_items == tuple(VULN[:vuln_sum])


def test_threshold_edges(pack):
    edges = {12: 1, 13: 2, 24: 2, 25: 3}
    for total, level in edges.items():
        assert (
            score({**crit_answers_with_sum(total), **vuln_answers_with_sum(0)}, pack).criticality_level
            == level
        )
    for total, level in {2: 1, 3: 2, 5: 2, 6: 3}.items():
        assert (
            score({**crit_answers_with_sum(9), **vuln_answers_with_sum(total)}, pack).vulnerability_level
            == level
        )


crit_points = st.fixed_dictionaries({c: st.integers(1, 4) for c in CRIT})
vuln_values = st.fixed_dictionaries({v: st.sampled_from(["OUI", "NON", "NSP"]) for v in VULN})


@settings(max_examples=400, deadline=None)
@given(crit_points, vuln_values)
def test_complete_answers_score_as_the_method_says(pack, crit, vuln):
    result = score({**crit, **vuln}, pack)
    c = sum(crit.values())
    v = sum(1 for x in vuln.values() if x != "OUI")
    assert (result.criticality_score, result.vulnerability_score) == (c, v)
    assert result.risk_level == MATRIX[(VULN_LEVEL[v], CRIT_LEVEL[c])]
    unknown = tuple(k for k in VULN if vuln[k] == "NSP")
    assert result.unknown_items == unknown
    assert result.status == (TO_CONFIRM if unknown else COMPLETE)


@settings(max_examples=300, deadline=None)
@given(crit_points, vuln_values, st.sets(st.sampled_from(CRIT + VULN), min_size=1))
def test_any_missing_answer_gives_no_score_never_a_low_one(pack, crit, vuln, dropped):
    answers = {k: v for k, v in {**crit, **vuln}.items() if k not in dropped}
    if dropped & set(CRIT) and len(dropped) % 2:
        answers.update({k: "" for k in dropped})  # blank strings count as missing too
    result = score(answers, pack)
    assert result.status == (EMPTY if len(dropped) == 19 else INCOMPLETE)
    assert result.criticality_score is None and result.criticality_level is None
    assert result.vulnerability_score is None and result.vulnerability_level is None
    assert result.risk_level is None
    assert set(result.missing) == dropped


@settings(max_examples=200, deadline=None)
@given(crit_points, st.sampled_from(["fr", "en"]), st.data())
def test_labels_in_any_language_equal_points(pack, crit, lang, data):
    language = pack.language(lang)
    labels = {}
    for code, pts in crit.items():
        label = language.answer_labels(code)[pts - 1]
        labels[code] = data.draw(st.sampled_from([label, label.upper(), f"  {label.lower()} "]))
    vuln = vuln_answers_with_sum(4)
    assert score({**labels, **vuln}, pack) == score({**crit, **vuln}, pack)


def test_unknown_counts_as_no_and_is_flagged(pack):
    base = crit_answers_with_sum(20)
    no = score({**base, **vuln_answers_with_sum(3, "NON")}, pack)
    unknown = score({**base, **vuln_answers_with_sum(3, "NE SAIT PAS")}, pack)
    assert unknown.vulnerability_score == no.vulnerability_score == 3
    assert unknown.unknown_items == ("V1", "V2", "V3") and no.unknown_items == ()
    assert unknown.status == TO_CONFIRM and no.status == COMPLETE


@pytest.mark.parametrize(
    ("value", "index"),
    [
        ("OUI", 0),
        ("yes", 0),
        ("Y", 0),
        (0, 0),
        ("NON", 1),
        ("no", 1),
        (1, 1),
        ("nsp", 2),
        ("Ne sait pas", 2),
        ("UNKNOWN", 2),
        ("don't know", 2),
        ("DON’T KNOW", 2),
    ],
)
def test_vulnerability_spellings(pack, value, index):
    result = score({"V1": value}, pack)
    assert result.answers["V1"] == index


@pytest.mark.parametrize(
    ("answers", "codes"),
    [
        ({"C1": 5}, ["C1"]),
        ({"C1": 0}, ["C1"]),
        ({"C2": "Équipement flambant neuf"}, ["C2"]),
        ({"V1": "peut-être"}, ["V1"]),
        ({"V2": 2}, ["V2"]),
        ({"C1": 2.5}, ["C1"]),
        ({"C1": True}, ["C1"]),
        ({"C1": 9, "V3": "x", "C2": 1}, ["C1", "V3"]),
        ({"C10": 1}, ["C10"]),
    ],
)
def test_invalid_answers_name_code_and_value(pack, answers, codes):
    with pytest.raises(AnswerError) as err:
        score(answers, pack)
    assert [p.path for p in err.value.problems] == codes
    for problem, code in zip(err.value.problems, codes, strict=True):
        assert repr(answers[code]) in problem.message or code in problem.message


def test_answer_labels_do_not_cross_criteria(pack):
    # "Détectable" is an answer of C4 only: given for C2 it is an error, not a guess.
    with pytest.raises(AnswerError):
        score({"C2": "Détectable"}, pack)
    assert score({"C4": "détectable"}, pack).answers["C4"] == 1


def test_every_dropdown_label_round_trips(pack):
    for lang in pack.languages.values():
        for code in CRIT + VULN:
            for i, label in enumerate(lang.answer_labels(code)):
                assert score({code: label}, pack).answers[code] == i


@pytest.mark.parametrize(
    ("answers", "code", "message"),
    [
        (
            {"C10": 1},
            "unknown-code",
            "unknown answer code 'C10' (expected one of C1, C2, C3, C4, C5, C6, C7, C8, C9, "
            "V1, V2, V3, V4, V5, V6, V7, V8, V9, V10)",
        ),
        ({"C1": 5}, "bad-answer", "5 is not a valid answer (expected points 1, 2, 3, 4 or an answer label)"),
        (
            {"V1": "peut-être"},
            "bad-answer",
            "'peut-être' is not a valid answer (expected OUI/NON/NE SAIT PAS (or YES/NO/UNKNOWN))",
        ),
    ],
)
def test_invalid_answer_problems_are_spelled_out(pack, answers, code, message):
    """The CLI shows these texts as they are, and exits with 2 (a usage error), not 1."""
    with pytest.raises(AnswerError) as err:
        score(answers, pack)
    (problem,) = err.value.problems
    assert (problem.code, problem.message, problem.path) == (code, message, next(iter(answers)))
    assert err.value.exit_code == 2


@pytest.mark.parametrize(("value", "index"), [(3.0, 2), (" 4 ", 3), ("1", 0), (4, 3)])
def test_points_as_a_whole_float_or_digits_with_spaces(pack, value, index):
    assert score({"C1": value}, pack).answers == {"C1": index}


def test_result_as_plain_data_with_and_without_labels(pack):
    # C1..C9 worth 3 points each (27: level 3), V1..V3 NON, V4 NE SAIT PAS, the rest OUI (4: level 2).
    answers = {code: 3 for code in CRIT} | {code: "OUI" for code in VULN}
    answers |= {"V1": "NON", "V2": "NON", "V3": "NON", "V4": "NE SAIT PAS"}
    result = score(answers, pack)
    plain = {
        "criticality_score": 27,
        "criticality_level": 3,
        "vulnerability_score": 4,
        "vulnerability_level": 2,
        "risk_level": 3,
        "status": "to_confirm",
        "missing": [],
        "unknown_items": ["V4"],
        "non_compliant_items": ["V1", "V2", "V3", "V4"],
    }
    assert result.to_dict() == plain
    assert result.to_dict(pack, "en") == plain | {
        "criticality_level_label": "High",
        "vulnerability_level_label": "Moderate",
        "risk_level_label": "High risk (priority action)",
        "status_label": 'To confirm ("don\'t know" answers)',
    }
    incomplete = score({"C1": 1}, pack).to_dict(pack, "fr")
    assert incomplete["status"] == "incomplete" and incomplete["status_label"] == "Incomplet"
    assert incomplete["missing"] == CRIT[1:] + VULN
    for axis in ("criticality", "vulnerability", "risk"):
        assert incomplete[f"{axis}_level"] is None and incomplete[f"{axis}_level_label"] is None
