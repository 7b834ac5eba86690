"""Reading an MDS2 form: identity, answers normalised, notes joined, and the variations real
forms show (rows moved, extra rows and columns, a renamed sheet, free text, NEMA's own slip)."""

from __future__ import annotations

import hashlib

import pytest
from support.mds2_forms import QUESTIONS, write_form

from medrisk_xl.mds2 import read_form


def test_identity_answers_and_counts(tmp_path):
    form = read_form(write_form(tmp_path / "f.xlsx", {"AUTH-1": "No", "CONN-1": "Yes", "SBOM-1": "N/A"}))
    assert form.status == "read" and form.sheet == "mds2-form"
    assert (form.manufacturer, form.model, form.description) == ("Medivia", "PS-1200", "Syringe pump")
    assert (form.document_id, form.date) == ("MDS2-PS1200-03", "2025-03-14")
    assert form.texts["DOC-6"] == "Infusion history sent to the patient record"
    assert len(form.answers) == len(QUESTIONS) + 4  # DOC-8 to DOC-11 are answered questions
    assert {q: a for q, a in form.answers.items() if a} == {"AUTH-1": "no", "CONN-1": "yes", "SBOM-1": "n/a"}
    assert form.answered == 3
    assert form.answers["PAUT-5"] is None  # empty: not answered
    assert form.questions["CONN-1.1.1"] == "Does the device support Wi-Fi?"
    assert [p.code for p in form.problems] == ["corrected-id"]  # SHAD-15 of the layout


@pytest.mark.parametrize(
    ("written", "answer", "text"),
    [
        ("Yes", "yes", None),
        (" yes ", "yes", None),
        ("NO", "no", None),
        ("n/a", "n/a", None),
        ("N / A", "n/a", None),
        ("Not applicable", "n/a", None),
        ("Yes, optional", "yes", "optional"),
        ("No - field service only", "no", "field service only"),
        ("Partially", None, "Partially"),
        ("", None, None),
    ],
)
def test_answers_are_read_as_meant(tmp_path, written, answer, text):
    form = read_form(write_form(tmp_path / "f.xlsx", {"PAUT-5": written}))
    assert form.answers["PAUT-5"] == answer
    assert form.texts.get("PAUT-5") == text
    assert ("free-text-answer" in [p.code for p in form.problems]) == (written == "Partially")


def test_notes_are_joined_to_the_answers_that_refer_to_them(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        {"CONN-1.2.2": "Yes", "RDMP-3": "Yes - See Note 1", "SAHD-8": "See Note 2", "SAHD-9": "See Notes"},
        refs={"CONN-1.2.2": "See Note 2", "SAHD-9": "See Note 1", "PLOK-4": "See Note 3"},
        notes={1: "www.medivia.example/support", 2: "USB for service only, disabled in use."},
    )
    form = read_form(path)
    assert form.notes == {"1": "www.medivia.example/support", "2": "USB for service only, disabled in use."}
    assert form.answers["CONN-1.2.2"] == "yes"
    assert form.texts["CONN-1.2.2"] == "Note 2: USB for service only, disabled in use."
    assert (form.answers["RDMP-3"], form.texts["RDMP-3"]) == ("yes", "Note 1: www.medivia.example/support")
    # "See Note 2" alone: not answered, the note is the evidence
    assert (form.answers["SAHD-8"], form.texts["SAHD-8"]) == (
        None,
        "Note 2: USB for service only, disabled in use.",
    )
    assert (form.answers["SAHD-9"], form.texts["SAHD-9"]) == (None, "Note 1: www.medivia.example/support")
    missing = [p for p in form.problems if p.code == "missing-note"]
    assert [(p.message, p.severity, p.cell) for p in missing] == [
        ("PLOK-4 refers to note 3, which the form does not hold", "warning", "D76")
    ]


def test_nema_slip_shad_15_is_read_as_sahd_15(tmp_path):
    form = read_form(write_form(tmp_path / "f.xlsx", {"SHAD-15": "Yes"}))
    assert form.answers["SAHD-15"] == "yes" and "SHAD-15" not in form.answers
    (slip,) = form.problems
    assert (slip.code, slip.severity, slip.message, slip.cell) == (
        "corrected-id",
        "info",
        "SHAD-15 read as SAHD-15",
        "A95",
    )


@pytest.mark.parametrize(
    "layout",
    [
        {"top": 7},
        {"left": 2},
        {"top": 3, "left": 1, "extra_column": True},
        {"sheet": "Formulaire MDS2"},
        {"extra_column": True},
    ],
)
def test_the_form_is_found_wherever_it_stands(tmp_path, layout):
    answers = {"AUTH-1": "No", "CONN-1.1.1": "Yes, 802.11ac", "TXIG-1": "N/A"}
    form = read_form(
        write_form(tmp_path / "f.xlsx", answers, refs={"AUTH-1": "See Note 1"}, notes={1: "PIN"}, **layout)
    )
    assert form.status == "read" and form.sheet == layout.get("sheet", "mds2-form")
    assert (form.manufacturer, form.model, form.date) == ("Medivia", "PS-1200", "2025-03-14")
    assert {q: a for q, a in form.answers.items() if a} == {
        "AUTH-1": "no",
        "CONN-1.1.1": "yes",
        "TXIG-1": "n/a",
    }
    assert form.texts["CONN-1.1.1"] == "802.11ac" and form.texts["AUTH-1"] == "Note 1: PIN"


def test_a_question_on_two_rows_keeps_the_first(tmp_path):
    import openpyxl

    path = write_form(tmp_path / "f.xlsx", {"AUTH-1": "No"})
    book = openpyxl.load_workbook(path)
    book.active.append(["AUTH-1", "Again?", "Yes"])
    book.save(path)
    form = read_form(path)
    assert form.answers["AUTH-1"] == "no"
    (dup,) = [p for p in form.problems if p.code == "duplicate-question"]
    # rows by hand: 4 of heading, DOC-1 to DOC-11, the answer header, MPII's section, AUTH-1 on 28;
    # the appended row below the last section (TXIG ends on 107) and the "Notes:" rows (108, 109)
    assert (dup.severity, dup.message) == ("warning", "AUTH-1 is on rows 28 and 110: the first is kept")


def test_reading_never_changes_the_file(tmp_path):
    path = write_form(tmp_path / "f.xlsx", {"AUTH-1": "No"})
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_form(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
