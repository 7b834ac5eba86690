"""Hand-written expected results: the independent oracle of the scoring and the register grid.

Every expected value below was written by hand from the method (IDS213, DOI 10.34746/ids213;
README "Content packs"), never computed with the project's code, so that a bug in the scorer, the
matching rule or the workbook formulas cannot also move the expectation:

- a criticality answer is worth 1 to 4 points (the 1st option of its dropdown 1, the 4th 4); the
  score is their sum over C1-C9 (9-36); levels: 1 up to 12, 2 from 13 to 24, 3 from 25;
- a vulnerability answer OUI is worth 0, NON 1 and NE SAIT PAS 1 (counted as NON, and the row is
  "to confirm"); the score is their sum over V1-V10 (0-10); levels: 1 up to 2, 2 from 3 to 5, 3 from 6;
- the shipped risk matrix (rows: vulnerability level, columns: criticality level)
  1 1 2 / 1 2 3 / 2 3 3; the asymmetric site matrix of :data:`SITE_MATRIX_YAML`: risk = the
  vulnerability level, whatever the criticality (reading it transposed changes 6 of its 9 cells);
- an answer cell holds an option only when it holds text equal to the label ignoring case; any other
  non-empty content is invalid; an empty cell or empty text is no answer (README "How an answer is
  read").

Notation of a case: ``crit`` is 9 characters, the points of C1..C9 (``1``-``4``) or ``.`` for no
answer; ``vuln`` is 10 characters for V1..V10: ``O`` OUI, ``N`` NON, ``S`` NE SAIT PAS, ``.`` none.
``paste`` puts one value in one answer cell instead (code, value, what its points helper shows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from support.wbtools import Raw

# The French texts a row shows, written out (content/fr/labels.yaml, content/fr/ui.yaml).
NOT_STARTED = "Non commencé"
INCOMPLETE = "Incomplet"
INVALID = "Réponse invalide (hors liste)"
TO_CONFIRM = "À confirmer (réponses « ne sait pas »)"
COMPLETE = "Complet"
MARK = "⚠ invalide"  # what the result cells and a points helper show for an invalid answer

VULN_LABELS = {"O": "OUI", "N": "NON", "S": "NE SAIT PAS"}
VULN_POINTS = {"O": 0, "N": 1, "S": 1}
VULN_OPTION = {"O": 0, "N": 1, "S": 2}  # position in the dropdown (points order)

LONG_TEXT = "OUI " + "x" * 3000
NBSP = "\u00a0"


@dataclass(frozen=True)
class Case:
    """One device row: its answers and what every computed cell must show."""

    name: str
    crit: str
    vuln: str
    # CRIT_SCORE, CRIT_LEVEL, VULN_SCORE, VULN_LEVEL, RISK_LEVEL, STATUS
    expected: tuple[Any, Any, Any, Any, Any, str]
    site_risk: Any = None  # RISK_LEVEL with the asymmetric site matrix (None: same as expected)
    paste: tuple[str, Any, Any] | None = None  # (code, value held, points helper shows)

    def shown(self, site: bool = False) -> dict[str, Any]:
        """Expected computed cells by code (results and points helpers)."""
        crit_score, crit_level, vuln_score, vuln_level, risk, status = self.expected
        if site and self.site_risk is not None:
            risk = self.site_risk
        out: dict[str, Any] = {
            "CRIT_SCORE": crit_score,
            "CRIT_LEVEL": crit_level,
            "VULN_SCORE": vuln_score,
            "VULN_LEVEL": vuln_level,
            "RISK_LEVEL": risk,
            "STATUS": status,
        }
        for i, ch in enumerate(self.crit, 1):
            out[f"C{i}_POINTS"] = "" if ch == "." else int(ch)
        for i, ch in enumerate(self.vuln, 1):
            out[f"V{i}_POINTS"] = "" if ch == "." else VULN_POINTS[ch]
        if self.paste:
            code, _, points = self.paste
            out[f"{code}_POINTS"] = points
        return out


def _blank(status: str) -> tuple[Any, Any, Any, Any, Any, str]:
    return ("", "", "", "", "", status)


def _invalid() -> tuple[Any, Any, Any, Any, Any, str]:
    return (MARK, MARK, MARK, MARK, MARK, INVALID)


BASE_CRIT, BASE_VULN = "222222222", "OOOOOOOOOO"  # 18 (level 2) and 0 (level 1): risk 1


def _pasted(name: str, code: str, value: Any, points: Any = MARK, expected=None) -> Case:
    return Case(name, BASE_CRIT, BASE_VULN, expected or _invalid(), paste=(code, value, points))


CASES: list[Case] = [
    # Extremes.
    Case("all lowest", "111111111", "OOOOOOOOOO", (9, 1, 0, 1, 1, COMPLETE), site_risk=1),
    Case("all highest", "444444444", "NNNNNNNNNN", (36, 3, 10, 3, 3, COMPLETE), site_risk=3),
    # Every matrix cell (vulnerability level, criticality level), each threshold on both sides:
    # criticality 12|13 and 24|25, vulnerability 2|3 and 5|6.
    Case("v1 c1: crit 12, vuln 2", "222111111", "NNOOOOOOOO", (12, 1, 2, 1, 1, COMPLETE), site_risk=1),
    Case("v1 c2: crit 13, vuln 0", "322111111", "OOOOOOOOOO", (13, 2, 0, 1, 1, COMPLETE), site_risk=1),
    Case("v1 c3: crit 25, vuln 2", "444433111", "OOOOOOOONN", (25, 3, 2, 1, 2, COMPLETE), site_risk=1),
    Case("v2 c1: crit 9, vuln 3", "111111111", "NNNOOOOOOO", (9, 1, 3, 2, 1, COMPLETE), site_risk=2),
    Case("v2 c2: crit 24, vuln 5", "444333111", "NNNNNOOOOO", (24, 2, 5, 2, 2, COMPLETE), site_risk=2),
    Case("v2 c3: crit 36, vuln 3", "444444444", "OOOOOOONNN", (36, 3, 3, 2, 3, COMPLETE), site_risk=2),
    Case("v3 c1: crit 12, vuln 6", "222111111", "NNNNNNOOOO", (12, 1, 6, 3, 2, COMPLETE), site_risk=3),
    Case("v3 c2: crit 13, vuln 10", "322111111", "NNNNNNNNNN", (13, 2, 10, 3, 3, COMPLETE), site_risk=3),
    Case("v3 c3: crit 25, vuln 6", "444433111", "OOOONNNNNN", (25, 3, 6, 3, 3, COMPLETE), site_risk=3),
    Case("crit 24 | 25 with vuln 0", "444333111", "OOOOOOOOOO", (24, 2, 0, 1, 1, COMPLETE), site_risk=1),
    # NE SAIT PAS: 1 point, and one is enough to make the row "to confirm".
    Case("one NE SAIT PAS", "222222222", "SOOOOOOOOO", (18, 2, 1, 1, 1, TO_CONFIRM), site_risk=1),
    Case("three NE SAIT PAS = 3", "222222222", "SSSOOOOOOO", (18, 2, 3, 2, 2, TO_CONFIRM), site_risk=2),
    Case("NSP last, with NON", "444433111", "NNNNNOOOOS", (25, 3, 6, 3, 3, TO_CONFIRM), site_risk=3),
    Case("one NON: complete", "222222222", "OOOOOOOOON", (18, 2, 1, 1, 1, COMPLETE), site_risk=1),
    # Statuses without a score.
    Case("not started", ".........", "..........", _blank(NOT_STARTED)),
    Case("last criterion missing", "22222222.", "OOOOOOOOOO", _blank(INCOMPLETE)),
    Case("last item missing", "222222222", "OOOOOOOOO.", _blank(INCOMPLETE)),
    Case("one answer only", "3........", "..........", _blank(INCOMPLETE)),
    _pasted("the English label", "V4", "NO"),
    Case("invalid beats incomplete", "2........", "..........", _invalid(), paste=("C2", "Neuf", MARK)),
    # What people type or paste into an answer cell (complete row otherwise: 18, 2, 0, 1, 1).
    _pasted("number 0", "V3", Raw(0)),
    _pasted("number 1 (NON's points)", "V3", Raw(1)),
    _pasted("number 1 (an option's points)", "C2", Raw(1)),
    _pasted("number 0.0", "V3", Raw(0.0)),
    _pasted("TRUE", "V3", Raw(True)),
    _pasted("FALSE", "V3", Raw(False)),
    _pasted("a date", "C5", Raw(dt.datetime(2026, 3, 1))),
    _pasted("an error value", "V3", Raw("#N/A")),
    _pasted("text 0", "V3", "0"),
    _pasted("a very long text", "V3", LONG_TEXT),
    _pasted("non-breaking space inside", "V3", f"NE{NBSP}SAIT PAS"),
    _pasted("non-breaking space after", "V3", f"OUI{NBSP}"),
    _pasted("lower case counts", "V3", "non", 1, (18, 2, 1, 1, 1, COMPLETE)),
    _pasted("empty text: no answer", "V3", "", "", _blank(INCOMPLETE)),
]

# Known engine divergences from the rule, by case name: what the engine shows instead. Gnumeric
# compares texts after Unicode compatibility normalisation (U+00A0 and U+2009 read as a space), so
# "NE<nbsp>SAIT PAS" matches "NE SAIT PAS" there, but not in LibreOffice, ``formulas`` or Excel.
# The workbook formula would need EXACT(UPPER(answer), UPPER(label)) (the same in all three
# engines) to close it; until then the test asserts the divergence, so a fix shows up.
GNUMERIC_DIVERGES = {
    "non-breaking space inside": Case(
        "read as NE SAIT PAS", BASE_CRIT, "OOSOOOOOOO", (18, 2, 1, 1, 1, TO_CONFIRM)
    )
}

# The asymmetric site matrix (risk = vulnerability level), as method.yaml writes it.
SITE_MATRIX_YAML = {1: {1: 1, 2: 1, 3: 1}, 2: {1: 2, 2: 2, 3: 2}, 3: {1: 3, 2: 3, 3: 3}}

# The register's severity x probability grid, written out from README "Content packs" (the
# shipped default) and for the asymmetric site grid (level by probability only). Rows: severity
# negligible..catastrophic; columns: probability improbable..frequent (the dropdowns' order).
SEVERITIES = ("negligible", "low", "medium", "high", "catastrophic")
PROBABILITIES = ("improbable", "remote", "occasional", "probable", "frequent")
SHIPPED_GRID = {
    "negligible": (1, 1, 1, 1, 2),
    "low": (1, 1, 2, 2, 2),
    "medium": (1, 2, 2, 3, 3),
    "high": (2, 2, 2, 3, 3),
    "catastrophic": (2, 3, 3, 3, 3),
}
SITE_GRID = {
    "negligible": (1, 1, 2, 2, 3),
    "low": (1, 1, 2, 2, 3),
    "medium": (1, 1, 2, 2, 3),
    "high": (1, 1, 2, 2, 3),
    "catastrophic": (1, 1, 2, 2, 3),
}


def grid_cells(grid: dict[str, tuple[int, ...]]) -> list[tuple[str, str, int]]:
    """The 25 (severity, probability, level) cells of a hand-written grid."""
    return [(sev, prob, grid[sev][j]) for sev in SEVERITIES for j, prob in enumerate(PROBABILITIES)]


# Register rows holding a pasted value in a scale cell: the level shows the invalid marker.
REGISTER_PASTES: list[tuple[dict[str, Any], str]] = [
    ({"SEVERITY": Raw(0), "PROBABILITY": 2}, MARK),
    ({"SEVERITY": Raw(False), "PROBABILITY": 2}, MARK),
    ({"SEVERITY": 2, "PROBABILITY": Raw(dt.datetime(2026, 3, 1))}, MARK),
    ({"SEVERITY": 2, "PROBABILITY": ""}, ""),
]
