"""MDS2 forms built with openpyxl in the layout of NEMA's example (ANSI/NEMA HN 1-2019): a banner,
a header row (Question ID, Question, See note, the three references), DOC-1 to DOC-11, the answer
header ("Yes, No, N/A, or See Note", "Note #"), then per section a title row, a description row
and the question rows (A id, B question, C answer, D note, E-G references), the notes at the
bottom. Variations real forms show are options: rows moved down, columns moved right, an extra
column, a renamed sheet. Also the 2013 form's shape and a workbook that is no form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

# The questions a test form holds, with a short wording (the real form's meaning, condensed).
DOC = {
    "DOC-1": "Manufacturer Name",
    "DOC-2": "Device Description",
    "DOC-3": "Device Model",
    "DOC-4": "Document ID",
    "DOC-5": "Manufacturer Contact Information",
    "DOC-6": "Intended use of device in network-connected environment",
    "DOC-7": "Document Release Date",
    "DOC-8": "Coordinated Vulnerability Disclosure program?",
    "DOC-9": "Part of an ISAO?",
    "DOC-10": "Network or data flow diagram available?",
    "DOC-11": "Is the device Software as a Medical Device?",
}
SECTIONS = {
    "MANAGEMENT OF PERSONALLY IDENTIFIABLE INFORMATION": {
        "MPII-1": "Can this device display, transmit, store, or modify PII?",
        "MPII-2": "Does the device maintain PII?",
        "MPII-2.2": "Does the device store PII persistently on internal media?",
        "MPII-2.6": "Does the device import/export PII with other systems?",
    },
    "AUTHORIZATION (AUTH)": {"AUTH-1": "Does the device prevent access to unauthorized users?"},
    "CYBER SECURITY PRODUCT UPGRADES (CSUP)": {
        "CSUP-1": "Does the device contain software or firmware which may require security updates?",
        "CSUP-2": "Does the device contain an Operating System?",
        "CSUP-2.1": "Instructions for owner/operator installation of patches?",
        "CSUP-2.2": "Vendor-authorized service required to install patches?",
        "CSUP-2.3": "Remote installation of patches?",
        "CSUP-2.4": "Third-party security updates allowed without approval?",
        "CSUP-7": "Does the manufacturer notify the customer when updates are approved?",
        "CSUP-11": "Does the manufacturer assess device vulnerabilities and updates?",
    },
    "DATA BACKUP AND DISASTER RECOVERY (DTBK)": {
        "DTBK-3": "Integral data backup capability to removable media?",
        "DTBK-4": "Integral data backup capability to remote storage?",
    },
    "NODE AUTHENTICATION (NAUT)": {"NAUT-2": "Are network access control mechanisms supported?"},
    "CONNECTIVITY CAPABILITIES (CONN)": {
        "CONN-1": "Does the device have hardware connectivity capabilities?",
        "CONN-1.1": "Does the device support wireless connections?",
        "CONN-1.1.1": "Does the device support Wi-Fi?",
        "CONN-1.2": "Does the device support physical connections?",
        "CONN-1.2.1": "Does the device have available RJ45 Ethernet ports?",
        "CONN-1.2.2": "Does the device have available USB ports?",
        "CONN-2": "Does the manufacturer provide a list of network ports and protocols?",
        "CONN-3": "Can the device communicate with other systems within the customer environment?",
        "CONN-4": "Can the device communicate with other systems external to the customer environment?",
    },
    "PERSON AUTHENTICATION (PAUT)": {
        "PAUT-1": "Unique IDs and passwords for all users and roles?",
        "PAUT-5": "Can all passwords be changed?",
        "PAUT-6": "Password complexity rules enforced?",
    },
    "PHYSICAL LOCKS (PLOK)": {"PLOK-4": "Physical lock option for removable media?"},
    "ROADMAP FOR THIRD PARTY COMPONENTS IN DEVICE LIFE CYCLE (RDMP)": {
        "RDMP-3": "Source of information on software support dates and updates?",
        "RDMP-4": "Plan for managing third-party component end-of-life?",
    },
    "SOFTWARE BILL OF MATERIALS (SBoM)": {
        "SBOM-1": "Is the SBoM for this product available?",
        "SBOM-4": "Is there an update process for the SBoM?",
    },
    "SYSTEM AND APPLICATION HARDENING (SAHD)": {
        "SAHD-8": "Are unneeded communication ports and protocols disabled?",
        "SAHD-9": "Are unneeded services deleted/disabled?",
        "SHAD-15": "Can the system prevent access to BIOS or other bootloaders during boot?",
    },
    "TRANSMISSION CONFIDENTIALITY (TXCF)": {"TXCF-2": "Is PII encrypted prior to transmission?"},
    "TRANSMISSION INTEGRITY (TXIG)": {"TXIG-1": "Mechanism ensuring data is not modified in transmission?"},
}
QUESTIONS = [q for section in SECTIONS.values() for q in section]
IDENTITY = {
    "DOC-1": "Medivia",
    "DOC-2": "Syringe pump",
    "DOC-3": "PS-1200",
    "DOC-4": "MDS2-PS1200-03",
    "DOC-5": "security@medivia.example",
    "DOC-6": "Infusion history sent to the patient record",
    "DOC-7": dt.datetime(2025, 3, 14),
}
ANSWER_HEADER = "Yes, No, \nN/A, or \nSee Note"
REFERENCES = ("IEC TR 80001-2-2:2012", "NIST SP 800-53 Rev. 4", "ISO 27002:2013")


def write_form(
    path: Path,
    answers: dict[str, Any] | None = None,
    *,
    refs: dict[str, Any] | None = None,
    notes: dict[int, str] | None = None,
    identity: dict[str, Any] | None = None,
    sheet: str = "mds2-form",
    top: int = 0,
    left: int = 0,
    extra_column: bool = False,
) -> Path:
    """A form answering ``answers`` (question -> cell value; the others left empty), with note
    references ``refs`` (question -> the Note # cell), ``notes`` at the bottom, and ``identity``
    over the default DOC-1 to DOC-7. ``top`` blank rows and ``left`` blank columns push the form
    down and right; ``extra_column`` inserts a comment column between question and answer."""
    answers, refs = answers or {}, refs or {}
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    gap = 1 if extra_column else 0
    rows: list[list[Any]] = [
        ["THIS WORKSHEET IS A TEST FORM. THE PRODUCT DESCRIBED IS FICTIONAL."],
        ["Manufacturer Disclosure Statement for Medical Device Security -- MDS2"],
        [],
        ["Question ID", "Question", *([""] * gap), "", "See note", *REFERENCES],
    ]
    for qid, wording in DOC.items():
        value = {**IDENTITY, **(identity or {})}.get(qid, answers.get(qid))
        rows.append([qid, wording, *([""] * gap), value, refs.get(qid, "__")])
    rows += [[], ["", "", *(["Comments"] * gap), ANSWER_HEADER, "Note #"]]
    for title, questions in SECTIONS.items():
        rows += [["", title, *([""] * gap), "", "", *REFERENCES], ["", f"What {title.lower()} covers."]]
        for qid, wording in questions.items():
            refs_ = ["Section 5.x", "AC-12", "A.9.2.1"]
            rows.append([qid, wording, *(["—"] * gap), answers.get(qid), refs.get(qid, "__"), *refs_])
        rows += [[], []]
    rows += [["", "Notes:"], [" "]]
    rows += [[f"Note {n}", text] for n, text in (notes or {}).items()]
    for _ in range(top):
        ws.append([])
    for row in rows:
        ws.append([None] * left + [v if v != "" else None for v in row])
    book.save(path)
    return path


def write_2013_form(path: Path) -> Path:
    """The 2013 form's shape: numbered sections and questions ("1 AUTOMATIC LOGOFF (ALOF)", "1-1")."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "MDS2"
    ws.append(["Manufacturer Disclosure Statement for Medical Device Security – MDS2"])
    ws.append(["Device Category", "Manufacturer", "Document ID", "Document Release Date"])
    ws.append(["Infusion pump", "Medivia", "MDS2-2013-01", "2014-02-01"])
    ws.append(["", "", "Yes, No, N/A, or See Note", "Note #"])
    for number, title in enumerate(
        ("AUTOMATIC LOGOFF (ALOF)", "AUDIT CONTROLS (AUDT)", "AUTHORIZATION (AUTH)"), 1
    ):
        ws.append([f"{number}", title])
        for question in range(1, 4):
            ws.append([f"{number}-{question}", "A question of the 2013 form?", "Yes", "__"])
    book.save(path)
    return path


def write_other_workbook(path: Path) -> Path:
    """A spreadsheet that is no form: an inventory extract."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["N° inventaire", "Désignation", "Marque", "Modèle"])
    for i in range(30):
        ws.append([f"DM-{i:06d}", "Pousse-seringue", "Medivia", "PS-1200"])
    book.save(path)
    return path
