"""Every formula and conditional-format rule of a workbook, as pure functions of layout and pack.

Portability rules (each engine — Excel, LibreOffice, Gnumeric, ``formulas`` — computes these the
same way; ``tests/workbook/test_formula_lint.py`` enforces them on generated workbooks):

- only functions of :data:`contract.ALLOWED_FUNCTIONS`; a range goes only to a function of
  :data:`contract.RANGE_FUNCTIONS`; no scalar function is applied element-wise over a range;
- ranges are combined with operators (``=``, ``<>``, ``*``) inside SUMPRODUCT only;
- ``*1`` turns booleans into numbers (never ``--``);
- no text criterion in COUNTIF/COUNTIFS/MATCH (a user's text could hold a wildcard): answers are
  matched with ``=``, the matching rule of :mod:`medrisk_xl.core.matching`;
- conditional formats read only their own sheet and workbook-level names.

Each answer has a points helper (hidden column ``<code>_POINTS`` in the grid, column H of a form)
that shows the answer's points, "" when empty, or the invalid marker; results are built on them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import Lists, RegisterLists

_STRINGS = re.compile(r'("(?:[^"]|"")*")')


def normalise(text: str) -> str:
    """A formula's text as compared with the generator's: without case, spaces or a leading "="
    outside string literals (applications respell formulas when they save)."""
    parts = _STRINGS.split(text.lstrip("="))
    return "".join(p if p.startswith('"') else re.sub(r"\s+", "", p).upper() for p in parts)


@dataclass(frozen=True)
class Terms:
    """Cell references of one assessed row (a grid row or a form sheet).

    ``answers`` and ``points`` map each answer code to its answer cell and its points helper;
    ``prefill`` maps pre-filled codes to the helper holding their pre-filled points; ``free_id``
    is the id cell of a free row (which shows nothing until it holds an id or an answer).
    """

    answers: Mapping[str, str]
    points: Mapping[str, str]
    crit_points: str  # range of the criticality points helpers
    vuln_points: str | None  # range of the vulnerability points helpers (None: no item asked)
    vuln_answers: str | None  # range of the vulnerability answer cells (None: no item asked)
    prefill: Mapping[str, str]
    free_id: str | None = None
    review: Review | None = None  # year two: the row's REVIEWED cell and its texts
    device: DeviceStatus | None = None  # the row's device status cell and its texts


@dataclass(frozen=True)
class Review:
    """Year two (``contract.Meta.PREVIOUS``): the row's REVIEWED cell, the one choice that confirms
    it, and the status text of a row not yet confirmed (both from ui.yaml ``prefill.review``)."""

    cell: str
    confirmed: str
    status: str
    carried: str  # the row's hidden count of carried-over answers


@dataclass(frozen=True)
class DeviceStatus:
    """The row's DEVICE_STATUS cell, the labels that put a device out of the fleet (retired,
    missing: ui.yaml ``device_status.options``) and the status its row then shows."""

    cell: str
    out_labels: tuple[str, ...]
    status: str


def text_literal(text: str) -> str:
    """``text`` as a formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


def answer_points(answer: str, labels: str, points: str, marker: str) -> str:
    """Points helper of one answer: its points when it matches one label (ignoring case), "" when
    empty (blank or empty text), the invalid marker otherwise (numbers and errors included)."""
    match = f"({answer}={labels})"
    return (
        f'=IF(ISTEXT({answer}),IF({answer}="","",'
        f"IF(SUMPRODUCT({match}*1)=1,SUMPRODUCT({match}*{points}),{marker})),"
        f'IF(ISBLANK({answer}),"",{marker}))'
    )


def answer_points_of(code: str, answer: str, lists: Lists) -> str:
    return answer_points(answer, lists.labels_of(code), lists.points_of(code), lists.marker)


def _sum(parts: Sequence[str]) -> str:
    """The sum of ``parts`` as one operand: in parentheses when there are several (it is
    subtracted: ``a-(b+c)``, never ``a-b+c``)."""
    return "(" + "+".join(parts) + ")" if len(parts) > 1 else parts[0]


def result_formulas(cell: Mapping[str, str], t: Terms, lists: Lists, n_answers: int) -> dict[str, str]:
    """The computed cells (by result code), given where each result cell is: all six, or
    criticality and status when the row asks no vulnerability item (``t.vuln_points`` None)."""
    status = cell["STATUS"]
    scored = f"OR({status}={lists.status('complete')},{status}={lists.status('to_confirm')})"
    otherwise = f'IF({status}={lists.status("invalid")},{lists.marker},"")'
    crit_score, crit_level = cell["CRIT_SCORE"], cell["CRIT_LEVEL"]
    filled = _filled(t)
    valid = f"(COUNT({t.crit_points})+COUNT({t.vuln_points}))" if t.vuln_points else f"COUNT({t.crit_points})"
    untouched = [f"ISNUMBER({pre})*({t.points[code]}={pre})" for code, pre in t.prefill.items()]
    not_started = lists.status("empty")
    if t.review and untouched:
        # Confirmed in its REVIEWED cell, every pre-filled answer counts as given.
        untouched = [f"{_sum(untouched)}*({t.review.cell}<>{text_literal(t.review.confirmed)})"]
    if t.review:
        not_started = f"IF({filled}*{t.review.carried}>0,{text_literal(t.review.status)},{not_started})"
    started = f"({filled}-{_sum(untouched)})" if untouched else filled
    done = lists.status("complete")
    if t.vuln_answers:
        done = f"IF(SUMPRODUCT(({t.vuln_answers}={lists.unknown})*1)>0,{lists.status('to_confirm')},{done})"
    body = (
        f"IF({started}=0,{not_started},"
        f"IF({valid}<{filled},{lists.status('invalid')},"
        f"IF({filled}<{n_answers},{lists.status('incomplete')},"
        f"{done})))"
    )
    if t.device:
        gone = ",".join(f"{t.device.cell}={text_literal(label)}" for label in t.device.out_labels)
        body = f"IF(OR({gone}),{text_literal(t.device.status)},{body})"
    if t.free_id:
        body = f'IF(AND({t.free_id}="",{filled}=0),"",{body})'
    out = {
        "CRIT_SCORE": f"=IF({scored},SUM({t.crit_points}),{otherwise})",
        "CRIT_LEVEL": f"=IF(ISNUMBER({crit_score}),INDEX({lists.crit_levels},MATCH({crit_score},{lists.crit_mins},1)),{crit_score})",
    }
    if t.vuln_points:
        vuln_score, vuln_level = cell["VULN_SCORE"], cell["VULN_LEVEL"]
        out |= {
            "VULN_SCORE": f"=IF({scored},SUM({t.vuln_points}),{otherwise})",
            "VULN_LEVEL": f"=IF(ISNUMBER({vuln_score}),INDEX({lists.vuln_levels},MATCH({vuln_score},{lists.vuln_mins},1)),{vuln_score})",
            "RISK_LEVEL": f"=IF(AND(ISNUMBER({crit_level}),ISNUMBER({vuln_level})),INDEX({lists.matrix},{vuln_level},{crit_level}),{crit_level})",
        }
    return out | {"STATUS": "=" + body}


def _filled(t: Terms) -> str:
    """Number of answers given: points helpers that are not "" (numbers or the invalid marker)."""
    crit = f'SUMPRODUCT(({t.crit_points}<>"")*1)'
    if not t.vuln_points:
        return crit
    return f'({crit}+SUMPRODUCT(({t.vuln_points}<>"")*1))'


# Conditional-format rules: relative to the top-left cell of the range they apply to.


def invalid_answer_rule(points_cell: str) -> str:
    """The answer is neither empty nor one of its options (its points helper shows the marker)."""
    return f'=AND(ISTEXT({points_cell}),{points_cell}<>"")'


def unknown_answer_rule(answer_cell: str) -> str:
    """The answer is "don't know" (by the matching rule)."""
    return f"={answer_cell}={contract.NAME_UNKNOWN}"


def status_rule(status_cell: str, key: str) -> str:
    """The row's status is ``key`` (invalid, to_confirm or complete)."""
    return f"={status_cell}={contract.STATUS_NAMES[key]}"


def chosen_option_rule(option_cell: str, answer_cell: str) -> str:
    """Form layout: this option is the one the answer cell holds."""
    return f'=AND(ISTEXT({answer_cell}),{answer_cell}<>"",{option_cell}={answer_cell})'


def defined_names(lists: Lists) -> dict[str, str]:
    """Workbook-level names read by conditional formats (name -> absolute reference)."""
    names = {contract.NAME_UNKNOWN: lists.unknown}
    names |= {name: lists.status(key) for key, name in contract.STATUS_NAMES.items()}
    return names


# Matrix sheet (grid layout): counts over the input sheet's result columns.


def level_count(level_range: str, level: int) -> str:
    return f"=COUNTIF({level_range},{level})"


def matrix_count(crit_range: str, vuln_range: str, crit: int, vuln: int) -> str:
    return f"=COUNTIFS({crit_range},{crit},{vuln_range},{vuln})"


def status_count(status_range: str, status_cell: str) -> str:
    return f"=SUMPRODUCT(({status_range}={status_cell})*1)"


def device_total(status_range: str) -> str:
    """Rows that hold a device (a free row shows no status until it does)."""
    return f'=SUMPRODUCT(({status_range}<>"")*1)'


# Form layout: the device's position in the matrix, its plan, and its item actions.


def position_marker(cell: Mapping[str, str], vuln: int, crit: int, marker: str) -> str:
    return (
        f"=IF(AND(ISNUMBER({cell['RISK_LEVEL']}),{cell['VULN_LEVEL']}={vuln},{cell['CRIT_LEVEL']}={crit}),"
        f'"{marker}","")'
    )


def plan_text(risk_cell: str, texts: str) -> str:
    return f'=IF(ISNUMBER({risk_cell}),INDEX({texts},{risk_cell}),"")'


def item_actions(points_cell: str, answer_cell: str, lists: Lists, code: str) -> str:
    """The item's specific actions when its (valid) answer is non-compliant."""
    non_compliant = "OR(" + ",".join(f"{answer_cell}={c}" for c in lists.non_compliant_labels(code)) + ")"
    return f'=IF(ISNUMBER({points_cell}),IF({non_compliant},{lists.item_actions(code)},""),"")'


def form_formulas(
    answer_rows: Mapping[str, int],
    result_rows: Mapping[str, int],
    lists: Lists,
    criteria: Sequence[str],
    items: Sequence[str],
    prefill: Sequence[str],
) -> dict[tuple[int, int], str]:
    """Form layout: the points helper of every answer and the six results, by 0-based (row, col).

    ``answer_rows`` and ``result_rows`` give the row of each code (column A of the form);
    ``prefill`` the codes pre-filled on this form (their pre-filled points are in column J).
    """
    value, points, pre = contract.FORM_VALUE_COL, contract.FORM_POINTS_COL, contract.FORM_PREFILL_COL

    def ref(row: int, col: int) -> str:
        return xl_rowcol_to_cell(row, col, True, True)

    def span(col: int, codes: Sequence[str]) -> str:
        return f"{ref(answer_rows[codes[0]], col)}:{ref(answer_rows[codes[-1]], col)}"

    terms = Terms(
        answers={c: ref(r, value) for c, r in answer_rows.items()},
        points={c: ref(r, points) for c, r in answer_rows.items()},
        crit_points=span(points, criteria),
        vuln_points=span(points, items),
        vuln_answers=span(value, items),
        prefill={c: ref(answer_rows[c], pre) for c in prefill},
    )
    out = {
        (r, points): answer_points_of(c, xl_rowcol_to_cell(r, value, col_abs=True), lists)
        for c, r in answer_rows.items()
    }
    cell = {code: ref(r, value) for code, r in result_rows.items()}
    for code, formula in result_formulas(cell, terms, lists, len(answer_rows)).items():
        out[(result_rows[code], value)] = formula
    return out


# Risk register sheet (IEC/TR 80001-2-1): each scale answer has a rank helper (its step on the
# scale, 1 = lowest), the risk levels read the grid with both ranks.


def register_level(sev_rank: str, prob_rank: str, grid: str, marker: str) -> str:
    """A register row's risk level: the grid's level when both ranks are numbers, the invalid
    marker when either answer is invalid, "" otherwise (not assessed yet)."""
    return (
        f"=IF(AND(ISNUMBER({sev_rank}),ISNUMBER({prob_rank})),INDEX({grid},{sev_rank},{prob_rank}),"
        f'IF(OR({sev_rank}={marker},{prob_rank}={marker}),{marker},""))'
    )


def register_formulas(cell: Mapping[str, str], rl: RegisterLists) -> dict[str, str]:
    """Every formula of one register row, by column code (``cell``: code -> cell reference)."""
    marker = rl.lists.marker
    out = {
        contract.points_code(code): answer_points(cell[code], rl.labels(scale), rl.ranks(scale), marker)
        for code, scale in contract.REGISTER_SCALES.items()
    }
    for level, (sev, prob) in contract.REGISTER_LEVELS.items():
        ranks = cell[contract.points_code(sev)], cell[contract.points_code(prob)]
        out[level] = register_level(*ranks, rl.grid, marker)
    return out


def seed_proposal(points_cell: str, answer_cell: str, lists: Lists, rl: RegisterLists, code: str) -> str:
    """Form layout: the register row a (valid) non-compliant answer to item ``code`` proposes."""
    non_compliant = "OR(" + ",".join(f"{answer_cell}={c}" for c in lists.non_compliant_labels(code)) + ")"
    return f'=IF(ISNUMBER({points_cell}),IF({non_compliant},{rl.seed(code)},""),"")'
