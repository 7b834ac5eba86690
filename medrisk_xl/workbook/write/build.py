"""Write one protected assessment workbook from a :class:`WorkbookPlan`."""

from __future__ import annotations

import datetime as dt
import io
import json

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.core.xlsx_text import SafeTextWorksheet
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import defined_names
from medrisk_xl.workbook.lists import (
    make_lists,
    make_register_lists,
    status_texts,
    write_lists,
    write_register_lists,
)
from medrisk_xl.workbook.questions import asked_pack
from medrisk_xl.workbook.write.change_form import write_change_form
from medrisk_xl.workbook.write.form_sheet import write_form
from medrisk_xl.workbook.write.guide_sheet import write_guide
from medrisk_xl.workbook.write.input_sheet import make_layout, prefilled_codes, write_input_sheet
from medrisk_xl.workbook.write.matrix_sheet import write_matrix
from medrisk_xl.workbook.write.meta_sheet import grid_meta, meta_pairs, write_meta
from medrisk_xl.workbook.write.plan import WorkbookPlan, form_sheet_names
from medrisk_xl.workbook.write.plans_sheet import write_items, write_plans
from medrisk_xl.workbook.write.register_sheet import RegisterLayout, register_rows, write_register_sheet
from medrisk_xl.workbook.write.register_sheet import grid_meta as register_meta
from medrisk_xl.workbook.write.start_sheet import write_start
from medrisk_xl.workbook.write.styles import Styles


def legacy_password_hash(password: str) -> str:
    """The 16-bit password verifier of sheet and workbook protection (ECMA-376 Part 4, 14.7.1)."""
    digest = 0
    for char in reversed(password):
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


class PortableWorksheet(SafeTextWorksheet):
    """A worksheet for formulas restricted to :data:`contract.ALLOWED_FUNCTIONS`.

    XlsxWriter rewrites every formula through ~30 regular expressions to prefix Excel 365
    functions with ``_xlfn.``; none of those functions is allowed here (the test suite proves
    it), so the rewrite is skipped: it was a third of the generation time.
    """

    def _prepare_formula(self, formula, expand_future_functions=False):  # XlsxWriter hook
        formula = formula[1:] if formula.startswith("=") else formula
        return formula


class ProtectedWorkbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose structure (sheet order, hiding, renaming) is protected."""

    structure_password: str = ""
    worksheet_class = PortableWorksheet

    def _write_workbook_pr(self) -> None:  # XlsxWriter hook: workbookProtection follows workbookPr
        super()._write_workbook_pr()
        attributes = [("lockStructure", 1)]
        if self.structure_password:
            attributes.insert(0, ("workbookPassword", legacy_password_hash(self.structure_password)))
        self._xml_empty_tag("workbookProtection", attributes)


def build_workbook(plan: WorkbookPlan, pack: ContentPack) -> bytes:
    """The .xlsx bytes of one workbook."""
    language = pack.language(plan.language)
    check_status_labels(language)
    buffer = io.BytesIO()
    wb = new_workbook(buffer, plan, language)
    BookWriter(wb, plan, pack, language).write()
    wb.close()
    return buffer.getvalue()


def check_status_labels(language: Language) -> None:
    """Refuse a language whose status labels repeat: a status is read back by its label."""
    texts = list(status_texts(language).values())
    if len(set(texts)) != len(texts):
        raise MedriskError(
            [
                Problem(
                    "duplicate-label",
                    "status labels and the invalid-answer status must all differ",
                    file=f"{language.code}/ui.yaml",
                    path="invalid_status",
                )
            ]
        )


def new_workbook(buffer: io.BytesIO, plan: WorkbookPlan, language: Language) -> ProtectedWorkbook:
    """An empty protected workbook writing to ``buffer``, text kept as text, with its properties."""
    title = f"{language.ui['start']['title']} — {plan.scope or plan.campaign}"
    return protected_workbook(buffer, plan.password, title, plan.campaign, plan.created)


def protected_workbook(
    buffer: io.BytesIO, password: str, title: str, campaign: str, created: dt.datetime
) -> ProtectedWorkbook:
    """An empty workbook with its structure protected by ``password``, text kept as text (never
    turned into a formula, number or link), and the document properties of every workbook we write:
    the same for a given ``created``, so that the output is reproducible."""
    wb = ProtectedWorkbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    wb.structure_password = password
    wb.set_properties(
        {
            "title": title,
            "subject": campaign,
            "author": "medrisk-xl",
            "comments": "Generated by medrisk-xl; method IDS213 (DOI 10.34746/ids213)",
            "created": created,
        }
    )
    return wb


def share_left(plan: WorkbookPlan, asked: ContentPack) -> float:
    """The share of the questions the departments still answer: 1, or less when the pre-filled
    criteria are read-only (``--lock-prefilled``), for the start sheet's time estimate."""
    rows = [row for row in plan.rows if not row.spare]
    if not plan.lock_prefilled or not rows:
        return 1.0
    criteria = asked.method.criterion_codes
    locked = sum(1 for row in rows for code in row.answers if row.locks(code, criteria))
    return 1 - locked / (len(asked.method.codes) * len(rows))


def prefill_kinds(plan: WorkbookPlan, pack: ContentPack) -> dict[str, tuple[tuple[str, ...], int]]:
    """What was pre-filled, by where from (the start sheet's facts): ``inventory`` (C1 from the CE
    class: no note), ``central`` (criteria the biomedical service answered: a note), ``mds2``
    (items a form settles by design); each with its codes and how many rows have one; and
    ``previous`` (answers carried over from the previous campaign: its name, and the rows)."""
    criteria, items = pack.method.criterion_codes, pack.method.items
    kinds = {
        "inventory": lambda row, c: c in criteria and c in row.answers and c not in row.notes,
        "central": lambda row, c: c in criteria and c in row.notes and c not in row.carried,
        "mds2": lambda row, c: c in items and c in row.answers and c not in row.carried,
    }
    out = {}
    for kind, holds in kinds.items():
        codes = tuple(c for c in prefilled_codes(plan, pack) if any(holds(row, c) for row in plan.rows))
        out[kind] = (codes, sum(1 for row in plan.rows if any(holds(row, c) for c in codes)))
    if plan.previous:
        out["previous"] = ((plan.previous,), sum(1 for row in plan.rows if row.carried))
    return out


class BookWriter:
    """Adds the sheets of one workbook in their tab order, then writes them; holds what the sheets
    share (styles, dropdown lists, sheet names, the input layout, the _meta pairs)."""

    def __init__(self, wb: ProtectedWorkbook, plan: WorkbookPlan, pack: ContentPack, language: Language):
        self.wb = wb
        self.plan = plan
        self.pack = pack
        self.language = language
        self.names = language.ui["sheets"]
        self.styles = Styles(wb, language)
        self.lists = make_lists(pack, self.names["lists"])
        for name, ref in defined_names(self.lists).items():
            wb.define_name(name, "=" + ref)
        self.n_devices = sum(1 for row in plan.rows if not row.spare)
        self.register_lists = None
        self.layout = None
        self.layout_pairs: list[tuple[str, str]] = []

    def write(self) -> None:
        """Every sheet; the start sheet is the one that opens."""
        self.add_sheets()
        self.write_lists()
        if self.plan.layout == "form":
            for ws, row in zip(self.forms, self.plan.rows):
                write_form(
                    ws, self.plan, row, self.pack, self.language, self.lists, self.styles, self.register_lists
                )
        else:
            self.write_grid()
        if self.plan.register:
            self.write_register()
        self.write_reading()
        self.write_meta()
        self.start.activate()

    def add_sheets(self) -> None:
        """Every sheet, in tab order: start, input (forms, or grid and matrix), register, reading, lists, _meta."""
        plan, names, wb = self.plan, self.names, self.wb
        self.start = wb.add_worksheet(names["start"])
        if plan.layout == "form":
            used = {n.casefold() for n in names.values()}
            self.form_names = form_sheet_names(plan, self.language.ui["form"]["sheet"], used)
            self.forms = [wb.add_worksheet(name) for name in self.form_names]
            self.targets = {
                "input": self.form_names[0],
                "plans": names["plans"],
                "items": names["items"],
                "guide": names["guide"],
            }
            self.layout_pairs = [
                (contract.Meta.FORMS, json.dumps(self.form_names, ensure_ascii=False)),
                (contract.Meta.FORM_CODE_COL, xl_col_to_name(contract.FORM_CODE_COL)),
                (contract.Meta.FORM_VALUE_COL, xl_col_to_name(contract.FORM_VALUE_COL)),
                (contract.Meta.FORM_POINTS_COL, xl_col_to_name(contract.FORM_POINTS_COL)),
                (contract.Meta.FORM_PREFILL_COL, xl_col_to_name(contract.FORM_PREFILL_COL)),
            ]
        else:
            self.ws_input = wb.add_worksheet(names["input"])
            self.ws_matrix = wb.add_worksheet(names["matrix"])
            self.targets = {key: names[key] for key in ("input", "matrix", "plans", "items", "guide")}
        if plan.register:
            self.add_register_sheets()
        self.ws_plans = wb.add_worksheet(names["plans"])
        self.ws_items = wb.add_worksheet(names["items"])
        self.ws_guide = wb.add_worksheet(names["guide"])
        self.ws_lists = wb.add_worksheet(names["lists"])
        self.ws_meta = wb.add_worksheet(contract.META_SHEET)

    def add_register_sheets(self) -> None:
        """The risk register and its change form, their dropdown lists and level styles."""
        reg_texts = self.language.register
        self.ws_register = self.wb.add_worksheet(reg_texts["sheet"]["name"])
        self.ws_change = self.wb.add_worksheet(reg_texts["change_form"]["sheet"])
        self.register_lists = make_register_lists(self.lists, self.pack, self.language)
        levels = {number: reg_texts["levels"][code]["label"] for code, number in self.pack.register.levels}
        self.styles.set_register_levels(levels)

    def write_lists(self) -> None:
        """The hidden, protected sheet of dropdown lists."""
        write_lists(self.ws_lists, self.lists, self.pack, self.language, self.styles.bold)
        if self.plan.register:
            write_register_lists(
                self.ws_lists, self.register_lists, self.pack, self.language, self.styles.bold
            )
        self.ws_lists.protect(self.plan.password)
        self.ws_lists.hide()

    def write_grid(self) -> None:
        """The input sheet and the matrix over it, drawn with the questions the workbook asks."""
        plan, language, names = self.plan, self.language, self.names
        pack = asked_pack(self.pack, plan.vulnerability_by)
        self.layout = make_layout(plan, pack)
        views = write_input_sheet(self.ws_input, plan, pack, language, self.lists, self.styles, self.layout)
        write_matrix(
            self.ws_matrix, plan, pack, language, self.styles, self.layout, names["input"], self.lists, views
        )
        self.layout_pairs = grid_meta(plan, names["input"], self.layout)

    def write_register(self) -> None:
        """The risk register (its IDs from the input sheet in the grid layout) and the change form."""
        plan = self.plan
        reg_layout = RegisterLayout(register_rows(plan, self.n_devices))
        ids = (
            self.layout.range_abs(quote_sheetname(self.names["input"]), "ID")
            if plan.layout == "grid"
            else None
        )
        write_register_sheet(
            self.ws_register,
            plan,
            self.pack,
            self.language,
            self.register_lists,
            self.styles,
            reg_layout,
            ids,
        )
        write_change_form(self.ws_change, plan, self.pack, self.language, self.styles)
        self.layout_pairs += register_meta(self.ws_register.name, reg_layout)
        self.layout_pairs.append((contract.Meta.CHANGE_SHEET, self.ws_change.name))
        self.targets |= {"register": self.ws_register.name, "change": self.ws_change.name}

    def write_reading(self) -> None:
        """Start, action plans, actions per item, guide."""
        plan, pack, language, styles = self.plan, self.pack, self.language, self.styles
        write_start(
            self.start,
            plan,
            language,
            styles,
            self.n_devices or len(plan.rows),
            self.targets,
            prefill_kinds(plan, pack),
            share_left(plan, asked_pack(pack, plan.vulnerability_by)),
        )
        write_plans(self.ws_plans, plan, language, styles)
        write_items(self.ws_items, plan, pack, language, styles)
        write_guide(self.ws_guide, plan, pack, language, styles)

    def write_meta(self) -> None:
        """The very hidden _meta sheet, with where each device row stands."""
        plan = self.plan
        if plan.layout == "form":
            places = [name for name, row in zip(self.form_names, plan.rows) if not row.spare]
        else:
            places = [str(contract.FIRST_ROW + i) for i, row in enumerate(plan.rows) if not row.spare]
        pairs = meta_pairs(plan, self.pack, self.names["lists"], self.layout_pairs, self.n_devices)
        if plan.vulnerability_by != contract.VULNERABILITY_BYS[0]:  # the default is left unwritten
            pairs.append((contract.Meta.VULNERABILITY_BY, plan.vulnerability_by))
        if plan.lock_prefilled:
            pairs.append((contract.Meta.LOCK_PREFILLED, "1"))
        if plan.previous:
            pairs.append((contract.Meta.PREVIOUS, plan.previous))
        write_meta(self.ws_meta, pairs, plan, places)
        self.ws_meta.very_hidden()
