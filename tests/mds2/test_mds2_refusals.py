"""What is refused, with one clear message each: a PDF, the 2013 form, another workbook, active
content, a damaged file. Problems are data: nothing is raised, the file is never changed."""

from __future__ import annotations

import hashlib

import openpyxl
from support.mds2_forms import write_2013_form, write_form, write_other_workbook
from support.package_edits import rebuild, vba_project

from medrisk_xl.mds2 import read_form


def _only_problem(form):
    (problem,) = form.problems
    return form.status, problem.code, problem.severity


def test_a_pdf_asks_for_the_excel_form(tmp_path):
    path = tmp_path / "MDS2 PS-1200.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    form = read_form(path)
    assert _only_problem(form) == ("unreadable", "pdf-form", "error")
    assert form.problems[0].message == (
        "This is a PDF file: its answers cannot be read reliably. Ask the manufacturer for its MDS2 "
        "form (ANSI/NEMA HN 1-2019) as an Excel workbook (.xlsx)."
    )
    assert form.items == {} and form.answers == {}


def test_a_pdf_renamed_xlsx_is_still_a_pdf(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"%PDF-1.4\nrest")
    assert _only_problem(read_form(path)) == ("unreadable", "pdf-form", "error")


def test_the_2013_form_is_named(tmp_path):
    form = read_form(write_2013_form(tmp_path / "old.xlsx"))
    assert _only_problem(form) == ("not-mds2", "form-2013", "error")
    assert "older 2013 MDS2 form" in form.problems[0].message


def test_the_2013_form_by_its_numbered_section_titles(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Manufacturer Disclosure Statement for Medical Device Security"])
    book.active.append(["1. AUTOMATIC LOGOFF (ALOF)"])
    book.active.append(["Can the device force reauthorization?", "Yes"])
    book.save(tmp_path / "old.xlsx")
    assert _only_problem(read_form(tmp_path / "old.xlsx")) == ("not-mds2", "form-2013", "error")


def test_another_workbook_is_not_a_form(tmp_path):
    form = read_form(write_other_workbook(tmp_path / "inventaire.xlsx"))
    assert _only_problem(form) == ("not-mds2", "not-mds2", "error")
    assert form.problems[0].message.startswith("This workbook is not an MDS2 form: no sheet holds")


def test_a_form_with_a_vba_project_is_refused_unread(tmp_path):
    src = write_form(tmp_path / "f.xlsx", {"AUTH-1": "No"})
    path = rebuild(src, tmp_path / "f.xlsm", vba_project)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    form = read_form(path)
    assert _only_problem(form) == ("unreadable", "active-content", "error")
    assert form.problems[0].message.startswith(
        "The workbook holds macros or other active content: it is refused"
    )
    assert form.answers == {} and form.manufacturer is None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_an_empty_or_cut_file_is_unreadable(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    full = write_form(tmp_path / "full.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(full[: len(full) // 2])
    for name, reason in (("empty.xlsx", "empty-file"), ("cut.xlsx", "truncated")):
        form = read_form(tmp_path / name)
        assert _only_problem(form) == ("unreadable", "unreadable", "error")
        assert (
            f"({reason})" in form.problems[0].message
            and "ask the department" not in form.problems[0].message.lower()
        )
