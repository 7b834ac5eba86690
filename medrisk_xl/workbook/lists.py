"""The hidden list sheet: dropdown labels, points, thresholds, matrix and status texts.

Formulas of the input and matrix sheets read the method from here, so a workbook carries
its own copy of the content pack it was generated with.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import quote_sheetname, xl_range_abs, xl_rowcol_to_cell

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.method.specs import KEY_PROPERTIES
from medrisk_xl.workbook import contract

LABEL_ROW = 1  # 0-based: labels start on row 2, in points order
POINTS_ROW = 6  # 0-based: points start on row 7
STATUS_KEYS = contract.STATUS_KEYS


@dataclass(frozen=True)
class Lists:
    """Where each piece of the method sits on the list sheet (0-based rows and columns)."""

    sheet: str
    criteria: tuple[str, ...]
    items: tuple[str, ...]
    n_crit_answers: int
    n_vuln_answers: int
    non_compliant: tuple[int, ...] = ()  # indexes of the non-compliant vulnerability answers

    @property
    def ref(self) -> str:
        return quote_sheetname(self.sheet)

    def col(self, code: str) -> int:
        return 1 + (self.criteria + self.items).index(code)

    def labels_of(self, code: str) -> str:
        """Dropdown source of ``code`` (one column of labels)."""
        n = self.n_crit_answers if code in self.criteria else self.n_vuln_answers
        c = self.col(code)
        return f"{self.ref}!{xl_range_abs(LABEL_ROW, c, LABEL_ROW + n - 1, c)}"

    def points_of(self, code: str) -> str:
        """Points of ``code``'s answers, aligned with :meth:`labels_of`."""
        n = self.n_crit_answers if code in self.criteria else self.n_vuln_answers
        c = self.col(code)
        return f"{self.ref}!{xl_range_abs(POINTS_ROW, c, POINTS_ROW + n - 1, c)}"

    def non_compliant_labels(self, code: str) -> list[str]:
        """Cells of the labels of ``code``'s non-compliant answers."""
        return [self._cell(LABEL_ROW + i, self.col(code)) for i in self.non_compliant]

    @property
    def plan_titles(self) -> str:
        c = self._extra_col + 11
        return f"{self.ref}!{xl_range_abs(1, c, 3, c)}"

    @property
    def plan_summaries(self) -> str:
        c = self._extra_col + 12
        return f"{self.ref}!{xl_range_abs(1, c, 3, c)}"

    def item_actions(self, code: str) -> str:
        return self._cell(1 + self.items.index(code), self._extra_col + 14)

    @property
    def _extra_col(self) -> int:
        return len(self.criteria) + len(self.items) + 2

    def _cell(self, row: int, col: int) -> str:
        return f"{self.ref}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"

    @property
    def crit_mins(self) -> str:
        return f"{self.ref}!{xl_range_abs(1, self._extra_col, 3, self._extra_col)}"

    @property
    def crit_levels(self) -> str:
        return f"{self.ref}!{xl_range_abs(1, self._extra_col + 1, 3, self._extra_col + 1)}"

    @property
    def vuln_mins(self) -> str:
        return f"{self.ref}!{xl_range_abs(1, self._extra_col + 2, 3, self._extra_col + 2)}"

    @property
    def vuln_levels(self) -> str:
        return f"{self.ref}!{xl_range_abs(1, self._extra_col + 3, 3, self._extra_col + 3)}"

    @property
    def matrix(self) -> str:
        c = self._extra_col + 5
        return f"{self.ref}!{xl_range_abs(1, c, 3, c + 2)}"

    def status(self, key: str) -> str:
        return self._cell(1 + STATUS_KEYS.index(key), self._extra_col + 9)

    @property
    def marker(self) -> str:
        return self._cell(1 + len(STATUS_KEYS), self._extra_col + 9)

    @property
    def unknown(self) -> str:
        return self._cell(2 + len(STATUS_KEYS), self._extra_col + 9)


def make_lists(pack: ContentPack, sheet: str) -> Lists:
    m = pack.method
    non_compliant = tuple(i for i, a in enumerate(m.vuln_answers) if not a.compliant)
    return Lists(
        sheet, m.criterion_codes, m.items, len(m.criteria[0].points), len(m.vuln_answers), non_compliant
    )


def status_texts(language: Language) -> dict[str, str]:
    texts = {k: language.status_label(k) for k in STATUS_KEYS if k != contract.STATUS_INVALID}
    texts[contract.STATUS_INVALID] = language.ui["invalid_status"]
    return texts


def register_status_texts(language: Language) -> dict[str, str]:
    """The text of each status a consolidated register holds: a row's statuses, "not started"
    as the register names it, and year two's "to review" (a site pack without the texts of
    ``generate --previous`` shows it as not started)."""
    review = language.ui.get("prefill", {}).get("review", {})
    not_started = language.status_label("empty")
    texts = {**status_texts(language), "not_started": not_started}
    out = language.ui.get("device_status", {}).get("row_status", contract.STATUS_OUT)
    return texts | {contract.STATUS_TO_REVIEW: review.get("status", not_started), contract.STATUS_OUT: out}


def write_lists(ws, lists: Lists, pack: ContentPack, language: Language, fmt_head) -> None:
    """Fill the list sheet (called once per workbook)."""
    m = pack.method
    ws.write_string(0, 0, "code", fmt_head)
    ws.write_string(LABEL_ROW, 0, "labels")
    ws.write_string(POINTS_ROW, 0, "points")
    for code in m.codes:
        c = lists.col(code)
        ws.write_string(0, c, code, fmt_head)
        points = m.answer_points(code)
        for i, label in enumerate(language.answer_labels(code)):
            ws.write_string(LABEL_ROW + i, c, label)
            ws.write_number(POINTS_ROW + i, c, points[i])
    x = lists._extra_col
    for j, head in enumerate(("CRIT_MIN", "CRIT_LEVEL", "VULN_MIN", "VULN_LEVEL")):
        ws.write_string(0, x + j, head, fmt_head)
    for i, band in enumerate(m.criticality_levels):
        ws.write_number(1 + i, x, band.min)
        ws.write_number(1 + i, x + 1, band.level)
    for i, band in enumerate(m.vulnerability_levels):
        ws.write_number(1 + i, x + 2, band.min)
        ws.write_number(1 + i, x + 3, band.level)
    ws.write_string(0, x + 4, "MATRIX", fmt_head)
    for v in (1, 2, 3):
        ws.write_string(v, x + 4, f"V{v}")
        for c in (1, 2, 3):
            ws.write_string(0, x + 4 + c, f"C{c}", fmt_head)
            ws.write_number(v, x + 4 + c, m.risk_level(v, c))
    ws.write_string(0, x + 9, "STATUS", fmt_head)
    for key, text in status_texts(language).items():
        ws.write_string(1 + STATUS_KEYS.index(key), x + 8, key)
        ws.write_string(1 + STATUS_KEYS.index(key), x + 9, text)
    ws.write_string(1 + len(STATUS_KEYS), x + 8, "marker")
    ws.write_string(1 + len(STATUS_KEYS), x + 9, language.ui["invalid_marker"])
    ws.write_string(2 + len(STATUS_KEYS), x + 8, "unknown")
    ws.write_string(2 + len(STATUS_KEYS), x + 9, language.answer_labels(m.items[0])[m.unknown_answer])
    ws.write_string(0, x + 11, "PLAN_TITLE", fmt_head)
    ws.write_string(0, x + 12, "PLAN_SUMMARY", fmt_head)
    for level in (1, 2, 3):
        plan = language.actions["plans"][level]
        ws.write_string(level, x + 11, f"{language.labels['risk']['levels'][level]} — {plan['title']}")
        ws.write_string(level, x + 12, plan["summary"])
    ws.write_string(0, x + 13, "ITEM", fmt_head)
    ws.write_string(0, x + 14, "ITEM_ACTIONS", fmt_head)
    for i, code in enumerate(m.items):
        ws.write_string(1 + i, x + 13, code)
        ws.write_string(1 + i, x + 14, item_actions_text(language, code))


def theme_actions_text(language: Language, level: int, theme: str) -> str:
    """The actions of one theme of level ``level``'s plan, one per line ("" when it has none)."""
    return "\n".join(f"• {a}" for a in language.actions["plans"][level]["themes"].get(theme, []))


def item_actions_text(language: Language, code: str) -> str:
    """The point to settle and the specific actions of vulnerability item ``code``, as one text."""
    item = language.actions["items"][code]
    ui = language.ui["plans"]
    lines = [f"{ui['discuss']} — {item['discuss']}", *(f"• {a}" for a in item["actions"])]
    return "\n".join(lines)


# The risk register's block of the list sheet (written when the workbook has a register sheet):
# one column of labels per list, the rank (1..5) of each scale step, the severity × probability
# grid (rows: severities, columns: probabilities, both in scale order) and, per vulnerability
# item, the register row a non-compliant answer proposes.
REGISTER_LISTS = (
    "severity",
    "probability",
    "key_properties",
    "control_types",
    "statuses",
    "hazards",
    "causes",
    "situations",
)
_RANK_COL = {"severity": len(REGISTER_LISTS), "probability": len(REGISTER_LISTS) + 1}
_GRID_COL = len(REGISTER_LISTS) + 2


def list_codes(pack: ContentPack, name: str) -> list[str]:
    """The pack's codes of register list ``name`` (one of :data:`REGISTER_LISTS`), in order: the
    scales from the lowest step, the control types in order of preference."""
    reg = pack.register
    return {
        "severity": list(reg.severities),
        "probability": list(reg.probabilities),
        "key_properties": list(KEY_PROPERTIES),
        "control_types": [e.code for e in reg.control_types],
        "statuses": list(reg.statuses),
        "hazards": [h.code for h in reg.hazards],
        "causes": [c.code for c in reg.causes],
        "situations": [s.code for s in reg.situations],
    }[name]


def register_options(pack: ContentPack, language: Language) -> dict[str, list[str]]:
    """The labels of every register list, aligned with :func:`list_codes`."""
    texts = language.register
    label = {
        "severity": lambda c: texts["severity"][c]["label"],
        "probability": lambda c: texts["probability"][c]["label"],
        "key_properties": lambda c: texts["key_properties"][c],
        "control_types": lambda c: texts["control_types"][c]["label"],
        "statuses": lambda c: texts["sheet"]["statuses"][c],
        "hazards": lambda c: texts["hazards"][c]["label"],
        "causes": lambda c: texts["causes"][c]["label"],
        "situations": lambda c: texts["situations"][c],
    }
    return {name: [label[name](c) for c in list_codes(pack, name)] for name in REGISTER_LISTS}


def seed_text(pack: ContentPack, language: Language, item: str) -> str:
    """What vulnerability item ``item`` proposes for the register: its hazard and cause."""
    seed, texts = pack.register.seeding[item], language.register
    return texts["sheet"]["seed"].format(
        hazard=texts["hazards"][seed.hazard]["label"], cause=texts["causes"][seed.cause]["label"]
    )


@dataclass(frozen=True)
class RegisterLists:
    """Where the register's lists sit on the list sheet (after the method's block)."""

    lists: Lists
    sizes: tuple[int, ...]  # number of labels of each of REGISTER_LISTS

    @property
    def _base(self) -> int:
        return self.lists._extra_col + 16

    def _column(self, col: int, n: int) -> str:
        return f"{self.lists.ref}!{xl_range_abs(1, col, n, col)}"

    def labels(self, name: str) -> str:
        """The labels of list ``name`` (dropdown source)."""
        i = REGISTER_LISTS.index(name)
        return self._column(self._base + i, self.sizes[i])

    def ranks(self, scale: str) -> str:
        """The ranks 1..n of the steps of ``scale`` (severity or probability), aligned with its labels."""
        return self._column(self._base + _RANK_COL[scale], self.sizes[REGISTER_LISTS.index(scale)])

    @property
    def grid(self) -> str:
        """The level of each (severity, probability): severities down, probabilities across."""
        rows, cols = self.sizes[0], self.sizes[1]
        c = self._base + _GRID_COL
        return f"{self.lists.ref}!{xl_range_abs(1, c, rows, c + cols - 1)}"

    def seed(self, item: str) -> str:
        """The register row proposed by a non-compliant answer to ``item``."""
        return self.lists._cell(1 + self.lists.items.index(item), self._base + _GRID_COL + self.sizes[1] + 1)


def make_register_lists(lists: Lists, pack: ContentPack, language: Language) -> RegisterLists:
    options = register_options(pack, language)
    return RegisterLists(lists, tuple(len(options[name]) for name in REGISTER_LISTS))


def write_register_lists(ws, rl: RegisterLists, pack: ContentPack, language: Language, fmt_head) -> None:
    """Fill the register's block of the list sheet."""
    reg = pack.register
    for i, (name, labels) in enumerate(register_options(pack, language).items()):
        ws.write_string(0, rl._base + i, name.upper(), fmt_head)
        for r, label in enumerate(labels, start=1):
            ws.write_string(r, rl._base + i, label)
    for scale, steps in (("severity", reg.severities), ("probability", reg.probabilities)):
        col = rl._base + _RANK_COL[scale]
        ws.write_string(0, col, f"{scale.upper()}_RANK", fmt_head)
        for r in range(1, len(steps) + 1):
            ws.write_number(r, col, r)
    g = rl._base + _GRID_COL
    for j, prob in enumerate(reg.probabilities):
        ws.write_string(0, g + j, prob, fmt_head)
        for i, sev in enumerate(reg.severities):
            ws.write_number(1 + i, g + j, reg.level(sev, prob))
    s = g + len(reg.probabilities) + 1
    ws.write_string(0, s, "REGISTER_SEED", fmt_head)
    for i, item in enumerate(rl.lists.items):
        if item in reg.seeding:
            ws.write_string(1 + i, s, seed_text(pack, language, item))
