"""Formulas of the input sheet: the method computed by the spreadsheet itself.

Every formula uses only functions of :data:`contract.ALLOWED_FUNCTIONS`. An answer counts
when it is exactly one of its dropdown labels (EXACT: no wildcard, no case folding), so a
pasted value that is not in the list is caught and shown with an explicit marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.workbook.lists import Lists


@dataclass(frozen=True)
class RowRefs:
    """Cell references of one device row (0-based row, column indexes of the input sheet)."""

    row: int
    crit_first: int
    crit_last: int
    vuln_first: int
    vuln_last: int
    cols: dict[str, int]  # result code -> column

    def cell(self, code: str) -> str:
        return xl_rowcol_to_cell(self.row, self.cols[code], col_abs=True)

    @property
    def crit(self) -> str:
        return f"{xl_rowcol_to_cell(self.row, self.crit_first, col_abs=True)}:{xl_rowcol_to_cell(self.row, self.crit_last, col_abs=True)}"

    @property
    def vuln(self) -> str:
        return f"{xl_rowcol_to_cell(self.row, self.vuln_first, col_abs=True)}:{xl_rowcol_to_cell(self.row, self.vuln_last, col_abs=True)}"


@dataclass(frozen=True)
class Terms:
    """The sub-expressions that differ between layouts; the result logic is shared."""

    filled: str  # number of non-empty answer cells
    valid: str  # number of answers that are exactly one of their dropdown labels
    crit_points: str  # criticality total of the valid answers
    vuln_points: str  # vulnerability total of the valid answers
    vuln_answers: str  # range of the vulnerability answer cells


def result_formulas(cell: dict[str, str], terms: Terms, lists: Lists, n_answers: int) -> dict[str, str]:
    """The six computed cells (by result code), given where each result cell is."""
    status = cell["STATUS"]
    scored = f"OR({status}={lists.status('complete')},{status}={lists.status('to_confirm')})"
    otherwise = f'IF({status}={lists.status("invalid")},{lists.marker},"")'
    crit_score, vuln_score = cell["CRIT_SCORE"], cell["VULN_SCORE"]
    crit_level, vuln_level = cell["CRIT_LEVEL"], cell["VULN_LEVEL"]
    filled, valid = terms.filled, terms.valid
    return {
        "CRIT_SCORE": f"=IF({scored},{terms.crit_points},{otherwise})",
        "CRIT_LEVEL": f"=IF(ISNUMBER({crit_score}),INDEX({lists.crit_levels},MATCH({crit_score},{lists.crit_mins},1)),{crit_score})",
        "VULN_SCORE": f"=IF({scored},{terms.vuln_points},{otherwise})",
        "VULN_LEVEL": f"=IF(ISNUMBER({vuln_score}),INDEX({lists.vuln_levels},MATCH({vuln_score},{lists.vuln_mins},1)),{vuln_score})",
        "RISK_LEVEL": f"=IF(AND(ISNUMBER({crit_level}),ISNUMBER({vuln_level})),INDEX({lists.matrix},{vuln_level},{crit_level}),{crit_level})",
        "STATUS": (
            f"=IF({filled}=0,{lists.status('empty')},"
            f"IF({valid}<{filled},{lists.status('invalid')},"
            f"IF({filled}<{n_answers},{lists.status('incomplete')},"
            f"IF(SUMPRODUCT(EXACT({terms.vuln_answers},{lists.unknown})*1)>0,{lists.status('to_confirm')},"
            f"{lists.status('complete')}))))"
        ),
    }


def row_formulas(r: RowRefs, lists: Lists, n_answers: int) -> dict[str, str]:
    """Grid layout: the computed cells of one device row. Answers are matched against the 2-D
    label block of the list sheet (the row is broadcast over the block's rows)."""
    terms = Terms(
        filled=f"(COUNTA({r.crit})+COUNTA({r.vuln}))",
        valid=f"(SUMPRODUCT(EXACT({r.crit},{lists.crit_labels})*1)+SUMPRODUCT(EXACT({r.vuln},{lists.vuln_labels})*1))",
        crit_points=f"SUMPRODUCT(EXACT({r.crit},{lists.crit_labels})*{lists.crit_points})",
        vuln_points=f"SUMPRODUCT(EXACT({r.vuln},{lists.vuln_labels})*{lists.vuln_points})",
        vuln_answers=r.vuln,
    )
    return result_formulas({code: r.cell(code) for code in r.cols}, terms, lists, n_answers)


def invalid_answer_rule(first_cell: str, lists: Lists, code: str) -> str:
    """Conditional-format formula: the answer cell holds something not in its list."""
    return f'=AND({first_cell}<>"",SUMPRODUCT(EXACT({first_cell},{lists.labels_of(code, absolute_col=False)})*1)=0)'


def level_count(level_range: str, level: int) -> str:
    return f"=COUNTIF({level_range},{level})"


def matrix_count(crit_range: str, vuln_range: str, crit: int, vuln: int) -> str:
    return f"=COUNTIFS({crit_range},{crit},{vuln_range},{vuln})"
