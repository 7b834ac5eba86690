"""The risk register sheet (IEC/TR 80001-2-1, ``generate --register``): one row per hazardous
situation, from the hazard to the residual risk and its follow-up.

Rows as on the input sheet: title, groups, code row (:data:`contract.CODE_ROW`), header, then at
least :data:`contract.REGISTER_MIN_ROWS` rows, each with a locked id. Severity and probability
are picked from dropdowns in scale order; hidden rank helpers and the risk levels are formulas
(:func:`formulas.register_formulas`) reading the grid on the list sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.formulas import register_formulas
from medrisk_xl.workbook.lists import RegisterLists, register_options
from medrisk_xl.workbook.shown import register_shown
from medrisk_xl.workbook.write.input_sheet import (
    TABLE_PROTECTION,
    TEMPLATE_REF,
    TEMPLATE_ROW,
    colour_levels,
    mark_invalid,
    span,
)
from medrisk_xl.workbook.write.plan import WorkbookPlan
from medrisk_xl.workbook.write.printing import footer_text
from medrisk_xl.workbook.write.styles import Styles
from medrisk_xl.workbook.write.text import fit_height

R0 = contract.FIRST_ROW - 1  # 0-based first register row
CODES = contract.register_codes()
COMPUTED = frozenset(contract.REGISTER_LEVELS) | {contract.points_code(c) for c in contract.REGISTER_SCALES}
# Column groups (row 2): group -> (first code, last code).
GROUPS = {
    "situation": ("REG_ID", "PROPERTY"),
    "initial": ("SEVERITY", "RISK_INITIAL"),
    "control": ("CONTROL", "CONTROL_TYPE"),
    "residual": ("RES_SEVERITY", "RISK_RESIDUAL"),
    "follow_up": ("IMPLEMENTATION", "STATUS"),
}


@dataclass(frozen=True)
class RegisterLayout:
    """Columns (0-based, by code) and rows of the register sheet."""

    n_rows: int

    @staticmethod
    def col(code: str) -> int:
        return CODES.index(code)

    def cell(self, row: int, code: str) -> str:
        return xl_rowcol_to_cell(row, self.col(code), col_abs=True)

    @property
    def last_row(self) -> int:
        return R0 + self.n_rows - 1

    @property
    def last_visible(self) -> int:
        return self.col(contract.REGISTER_CODES[-1])


def register_rows(plan: WorkbookPlan, n_devices: int) -> int:
    """Rows of the register sheet: the filled rows given, and at least one per device and
    :data:`contract.REGISTER_MIN_ROWS`."""
    return max(contract.REGISTER_MIN_ROWS, n_devices, len(plan.register_rows))


def row_formulas(layout: RegisterLayout, rl: RegisterLists, row: int) -> dict[str, str]:
    """Every formula of one register row (0-based ``row``), by column code."""
    return register_formulas({code: layout.cell(row, code) for code in CODES}, rl)


def _comments(pack: ContentPack, language: Language) -> dict[str, str]:
    """Help notes of the headers: the scales (Annex D), the levels and the types of control."""
    t, reg = language.register, pack.register
    severity = "\n".join(
        f"{t['severity'][s]['label']} — "
        + " / ".join(t["severity"][s][k] for k in ("safety", "effectiveness", "security"))
        for s in reversed(reg.severities)
    )
    probability = "\n".join(
        f"{t['probability'][p]['label']} — {t['probability'][p]['definition']}"
        for p in reversed(reg.probabilities)
    )
    levels = "\n".join(
        f"{t['levels'][c]['label']} — {t['levels'][c]['meaning']}" for c, _ in reversed(reg.levels)
    )
    controls = "\n".join(
        f"{i}. {t['control_types'][e.code]['label']} — {t['control_types'][e.code]['description']}"
        for i, e in enumerate(reg.control_types, start=1)
    )
    properties = " / ".join(t["key_properties"].values())
    return {
        "SEVERITY": severity,
        "RES_SEVERITY": severity,
        "PROBABILITY": probability,
        "RES_PROBABILITY": probability,
        "RISK_INITIAL": levels,
        "RISK_RESIDUAL": levels,
        "CONTROL_TYPE": controls,
        "PROPERTY": properties,
    }


def write_register_sheet(
    ws,
    plan: WorkbookPlan,
    pack: ContentPack,
    language: Language,
    rl: RegisterLists,
    styles: Styles,
    layout: RegisterLayout,
    device_ids: str | None,
) -> None:
    """Write the register sheet. ``device_ids``: absolute reference to the workbook's device ids
    (the DEVICE dropdown, any other text accepted), or None."""
    scope = plan.scope or plan.campaign
    _write_heads(ws, pack, language, styles, layout, scope)
    _write_rows(ws, plan, pack, language, rl, styles, layout)
    first, last = R0, layout.last_row
    _add_dropdowns(ws, language, rl, layout, device_ids)
    colour_levels(ws, styles, first, last, [layout.col(code) for code in contract.REGISTER_LEVELS])
    scales = contract.REGISTER_SCALES
    mark_invalid(
        ws, styles, first, last, {layout.col(c): layout.cell(first, contract.points_code(c)) for c in scales}
    )
    ws.freeze_panes(contract.HEADER_ROW, 2)
    ws.autofilter(contract.HEADER_ROW - 1, 0, last, layout.last_visible)
    _print_setup(ws, scope, layout)
    ws.protect(plan.password, TABLE_PROTECTION)


def _write_heads(
    ws, pack: ContentPack, language: Language, styles: Styles, layout: RegisterLayout, scope: str
) -> None:
    """Title and intro, column groups, code row and header row (with help notes); column widths."""
    texts = language.register["sheet"]
    widths = styles.t["widths"]
    heads = texts["columns"]
    title_end = layout.col("PROPERTY")
    span(ws, 0, 0, title_end, texts["title"].format(scope=scope), styles.title)
    span(ws, 0, title_end + 1, layout.last_visible, texts["intro"], styles.small)
    ws.set_row(0, 30)
    for group, (first, last) in GROUPS.items():
        span(ws, 1, layout.col(first), layout.col(last), texts["groups"][group], styles.group)
    ws.set_row(1, 20)
    ws.set_row(contract.CODE_ROW - 1, styles.t["heights"]["code"])
    comments = _comments(pack, language)
    header_cells = []
    for col, code in enumerate(CODES):
        ws.write_string(contract.CODE_ROW - 1, col, code, styles.code)
        if col > layout.last_visible:  # hidden rank helpers
            answer = code.removesuffix(contract.POINTS_SUFFIX)
            ws.write_string(
                contract.HEADER_ROW - 1, col, texts["helper_header"].format(code=answer), styles.header
            )
            ws.set_column(col, col, widths["score"], None, {"hidden": True})
            continue
        ws.write_string(contract.HEADER_ROW - 1, col, heads[code], styles.header)
        if code in comments:
            ws.write_comment(
                contract.HEADER_ROW - 1,
                col,
                comments[code],
                {"x_scale": 4, "y_scale": 3, "author": "medrisk-xl"},
            )
        width = widths["register"].get(code, widths["register_text"])
        ws.set_column(col, col, width)
        header_cells.append((heads[code], width))
    ws.set_row(
        contract.HEADER_ROW - 1,
        fit_height(
            header_cells, styles.t["wrap"]["header_chars_per_width"], styles.t["heights"]["header_min"]
        ),
    )


def _write_rows(
    ws,
    plan: WorkbookPlan,
    pack: ContentPack,
    language: Language,
    rl: RegisterLists,
    styles: Styles,
    layout: RegisterLayout,
) -> None:
    """Every register row: its id, what the plan holds, the formulas with their cached values."""
    widths = styles.t["widths"]
    template = row_formulas(layout, rl, TEMPLATE_ROW)
    # Every row as tall as the longest label its dropdowns offer (LibreOffice does not fit a row to
    # the text picked in it), a filled row as tall as what it holds.
    chars = styles.t["wrap"]["body_chars_per_width"]
    col_width = {
        code: widths["register"].get(code, widths["register_text"]) for code in contract.REGISTER_CODES
    }
    listed = {**contract.REGISTER_SCALES, **contract.REGISTER_CHOICES, **contract.REGISTER_SUGGESTIONS}
    options = register_options(pack, language)
    longest = [(max(options[name], key=len), col_width[code]) for code, name in listed.items()]
    height = fit_height(longest, chars, styles.t["heights"]["row"])
    for i in range(layout.n_rows):
        r = R0 + i
        values: dict[str, Any] = plan.register_rows[i] if i < len(plan.register_rows) else {}
        held = [(str(v), col_width[c]) for c, v in values.items() if c in col_width and v not in (None, "")]
        ws.set_row(r, max(height, fit_height(held, chars)) if held else height)
        ws.write_string(r, 0, contract.REGISTER_ID_FORMAT.format(i + 1), styles.identity)
        for code in contract.REGISTER_CODES[1:]:
            if code in COMPUTED:
                continue
            _write_answer(ws, r, layout.col(code), values.get(code), styles.answer)
        cached = register_shown(values, pack, language)
        for code, formula in template.items():
            fmt = styles.register_level if code in contract.REGISTER_LEVELS else styles.score
            ws.write_formula(
                r, layout.col(code), formula.replace(TEMPLATE_REF, str(r + 1)), fmt, cached[code]
            )


def _add_dropdowns(
    ws, language: Language, rl: RegisterLists, layout: RegisterLayout, device_ids: str | None
) -> None:
    """Strict dropdowns on the scales and choices; suggestions (any text accepted) elsewhere."""
    first, last = R0, layout.last_row
    sheet = language.register["sheet"]
    strict = {
        "input_title": sheet["input_title"],
        "input_message": sheet["input_message"],
        "error_title": sheet["error_title"],
        "error_message": sheet["error_message"],
        "error_type": "stop",
    }
    sources = {code: rl.labels(scale) for code, scale in contract.REGISTER_SCALES.items()}
    sources |= {code: rl.labels(name) for code, name in contract.REGISTER_CHOICES.items()}
    for code, source in sources.items():
        col = layout.col(code)
        ws.data_validation(first, col, last, col, {"validate": "list", "source": "=" + source, **strict})
    suggestions = {code: rl.labels(name) for code, name in contract.REGISTER_SUGGESTIONS.items()}
    if device_ids:
        suggestions["DEVICE"] = device_ids
    for code, source in suggestions.items():
        col = layout.col(code)
        ws.data_validation(
            first,
            col,
            last,
            col,
            {
                "validate": "list",
                "source": "=" + source,
                "input_title": sheet["input_title"],
                "input_message": sheet["suggest_message"],
                "show_error": False,  # any other text is accepted
            },
        )


def _write_answer(ws, r: int, col: int, value: Any, fmt) -> None:
    """An answer cell of the register: what it holds, text as text."""
    if value is None:
        ws.write_blank(r, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, col, value, fmt)
    else:
        ws.write_string(r, col, str(value), fmt)


def _print_setup(ws, scope: str, layout: RegisterLayout) -> None:
    """Landscape A4, fitted to two pages wide, header rows repeated, helpers never printed."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(footer_text(scope), {"margin": 0.3})
    ws.repeat_rows(contract.GROUP_ROW - 1, contract.HEADER_ROW - 1)
    ws.repeat_columns(0, 1)
    ws.fit_to_pages(2, 0)
    ws.print_area(0, 0, layout.last_row, layout.last_visible)


def grid_meta(name: str, layout: RegisterLayout) -> list[tuple[str, str]]:
    """The register's _meta pairs."""
    return [
        (contract.Meta.REGISTER_SHEET, name),
        (contract.Meta.REGISTER_FIRST_ROW, str(contract.FIRST_ROW)),
        (contract.Meta.REGISTER_LAST_ROW, str(layout.last_row + 1)),
        (contract.Meta.REGISTER_COLUMNS, ",".join(CODES)),
    ]
