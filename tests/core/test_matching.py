"""The matching rule (one definition for formulas and readers) and the row view built on it."""

from __future__ import annotations

import datetime as dt

import pytest

from medrisk_xl.core.matching import EMPTY, INVALID, match_answer
from medrisk_xl.workbook.shown import BLANK, shown_values, view_row

V = ["OUI", "NON", "NE SAIT PAS"]
C = ["Aucune répercussion", "Mineure", "Majeure", "Élevée"]


@pytest.mark.parametrize(
    "value, labels, expected",
    [
        ("OUI", V, 0),
        ("oui", V, 0),
        ("Ne Sait Pas", V, 2),
        ("élevée", C, 3),
        ("ÉLEVÉE", C, 3),
        (None, V, EMPTY),
        ("", V, EMPTY),
        (" OUI", V, INVALID),
        ("OUI ", V, INVALID),
        ("   ", V, INVALID),
        ("Elevee", C, INVALID),
        ("YES", V, INVALID),
        ("*", V, INVALID),
        ("?", V, INVALID),
        ("~1", V, INVALID),
        (1, C, INVALID),
        (2.0, C, INVALID),
        (True, V, INVALID),
        ("#DIV/0!", V, INVALID),
        ("=1+1", V, INVALID),
        # What people type or paste: every non-empty value that is not a label's text is invalid.
        (0, V, INVALID),
        (1, V, INVALID),
        (0.0, V, INVALID),
        (False, V, INVALID),
        (dt.datetime(2026, 3, 1), C, INVALID),
        (dt.date(2026, 3, 1), C, INVALID),
        ("#N/A", V, INVALID),
        ("0", V, INVALID),
        ("FALSE", V, INVALID),
        ("OUI " + "x" * 3000, V, INVALID),
        ("x" * 40000, V, INVALID),
        ("NE\u00a0SAIT PAS", V, INVALID),
        ("OUI\u00a0", V, INVALID),
        ("\u00a0", V, INVALID),
        ("NE SAIT PAS", V, 2),
        ("non", V, 1),
    ],
)
def test_match_answer(value, labels, expected):
    assert match_answer(value, labels) == expected


def test_labels_equal_ignoring_case_are_ambiguous_hence_invalid():
    assert match_answer("oui", ["OUI", "Oui"]) == INVALID


def complete(language):
    return {code: language.answer_labels(code)[1] for code in language.labels["criticality"]["criteria"]} | {
        code: language.answer_labels(code)[0] for code in language.labels["vulnerability"]["items"]
    }


def test_row_view_statuses(pack):
    fr = pack.language("fr")
    c1 = fr.answer_labels("C1")
    assert view_row({}, pack, fr, free=True, has_id=False).status == BLANK
    assert view_row({}, pack, fr, free=True, has_id=True).status == "empty"
    assert view_row({"C1": c1[2]}, pack, fr, prefill={"C1": 2}).status == "empty"  # pre-filled only
    assert view_row({"C1": c1[1]}, pack, fr, prefill={"C1": 2}).status == "incomplete"  # changed
    assert view_row({"C1": c1[2]}, pack, fr).status == "incomplete"  # typed by the user
    answers = complete(fr)
    assert view_row(answers, pack, fr).status == "complete"
    assert view_row({**answers, "V4": "non"}, pack, fr).status == "complete"
    assert view_row({**answers, "V4": "ne sait pas"}, pack, fr).status == "to_confirm"
    invalid = view_row({**answers, "V4": "NO"}, pack, fr)
    assert invalid.status == "invalid" and invalid.invalid == ("V4",)
    shown = shown_values(invalid, pack, fr)
    assert shown["STATUS"] == fr.ui["invalid_status"]
    assert shown["CRIT_SCORE"] == shown["V4_POINTS"] == fr.ui["invalid_marker"]
    assert shown["C1_POINTS"] == 2 and shown["V1_POINTS"] == 0


def test_shown_values_of_a_complete_row(pack):
    fr = pack.language("fr")
    view = view_row(complete(fr), pack, fr)
    shown = shown_values(view, pack, fr)
    assert (shown["CRIT_SCORE"], shown["CRIT_LEVEL"], shown["VULN_SCORE"], shown["VULN_LEVEL"]) == (
        18,
        2,
        0,
        1,
    )
    assert shown["RISK_LEVEL"] == pack.method.risk_level(1, 2)
    assert shown["STATUS"] == fr.status_label("complete")
