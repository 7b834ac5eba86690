"""Test helpers: a small IT workbook plan (issue 25) built by hand, with hostile inventory text."""

from __future__ import annotations

import datetime as dt

from medrisk_xl.workbook.write.it_plan import ItDevice, ItGroup, ItPlan, ItRow

HOSTILE = '=HYPERLINK("http://evil.invalid","clic")'
RICH = "<r>x</r>"
# The vulnerability answers as content/<lang>/labels.yaml gives them, in scale order.
LABELS = {"fr": ["OUI", "NON", "NE SAIT PAS"], "en": ["YES", "NO", "DON'T KNOW"]}
CREATED = dt.datetime(2026, 3, 2, 9, 30, 15)


def small_plan(lang: str, big: int = 0) -> ItPlan:
    """Two groups, three devices; the first group's model is hostile, the second's brand looks like
    rich text; ``big`` more devices in the second group."""
    g1 = ItGroup(
        "G0001",
        "Nord",
        "Acme",
        HOSTILE,
        [ItDevice("INV-1", "Réanimation", ("V1", "V2")), ItDevice("INV-2", "Urgences", ("V1",))],
    )
    more = [ItDevice(f"BIG-{i:05d}", "Bloc") for i in range(big)]
    g2 = ItGroup("G0002", "Sud", RICH, "M-200", [ItDevice("INV-3", "Bloc", ("V4",)), *more])
    rows = [
        ItRow(g1, "V1", department_answers="2 NE SAIT PAS"),
        ItRow(g1, "V2", evidence="MDS2 2024: Windows 10 IoT", previous="NON"),
        ItRow(g2, "V4", filled={"IT_ANSWER": LABELS[lang][0], "COMMENT": "sans réseau"}),
        ItRow(g2, "V1", filled={"CONFIRMED_BY": "DSI", "CONFIRMED_ON": dt.date(2026, 3, 5)}),
    ]
    return ItPlan(
        campaign="camp-2026",
        language=lang,
        password="pw",
        created=CREATED,
        mode="confirm",
        group_by="model",
        groups=[g1, g2],
        rows=rows,
        returns=[("reanimation.xlsx", "ab" * 32), ("urgences.xlsx", "cd" * 32)],
        contact="biomed@example.invalid",
        deadline=dt.date(2026, 4, 1),
    )
