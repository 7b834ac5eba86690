"""Cell formats built from ``templates/grid.yaml``."""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any

from medrisk_xl.core.resources import templates_dir
from medrisk_xl.core.yaml_files import read_yaml_file
from medrisk_xl.method.pack import Language


@cache
def grid_template() -> dict[str, Any]:
    return read_yaml_file(templates_dir() / "grid.yaml")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def level_number_format(labels: dict[int, str]) -> str:
    """Number format showing a level as "symbol n – label" while the cell holds n."""
    sym = {int(k): v["symbol"] for k, v in grid_template()["levels"].items()}
    part = {n: _quoted(f"{sym[n]} {n} – {labels[n]}") for n in (1, 2, 3)}
    return f"[=1]{part[1]};[=2]{part[2]};{part[3]}"


class Styles:
    """The formats of one workbook (XlsxWriter formats belong to one workbook)."""

    def __init__(self, wb, language: Language):
        t = grid_template()
        c = t["colors"]
        self.t = t
        self.wb = wb
        self.base = {"font_name": t["font"], "font_size": t["font_size"], "valign": "top"}
        self.border = {"border": 1, "border_color": c["border"]}
        # XlsxWriter numbers the formats in the order they are added: keep this order.
        self.add_text_formats(language)
        self.add_grid_formats(language)
        self.register_level = self.risk_level  # set by set_register_levels
        self.add_level_formats()
        self.add_table_formats()

    def new_format(self, **kw: Any):
        """A format of this workbook: the template's font, top-aligned, with ``kw`` on top."""
        return self.wb.add_format({**self.base, **kw})

    def add_text_formats(self, language: Language) -> None:
        """Titles, text, dates, help and links."""
        c = self.t["colors"]
        border = self.border
        fmt = self.new_format
        self.title = fmt(bold=True, font_size=14, font_color=c["title"], valign="vcenter")
        self.title_wrap = fmt(
            bold=True, font_size=14, font_color=c["title"], valign="vcenter", text_wrap=True
        )
        self.subtitle = fmt(bold=True, font_size=11, font_color=c["title"])
        self.text = fmt(text_wrap=True)
        self.plain = fmt()
        self.date = fmt(num_format=language.ui.get("date_format", "yyyy-mm-dd"), align="left")
        self.bold = fmt(bold=True)
        self.bold_wrap = fmt(bold=True, text_wrap=True)
        self.small = fmt(font_size=8, font_color=c["code_font"], text_wrap=True)
        self.help = fmt(italic=True, font_color=c["help_font"], text_wrap=True, indent=1, **border)
        self.link = fmt(font_color="#0563C1", underline=1)

    def add_grid_formats(self, language: Language) -> None:
        """The input grid: codes, groups, headers, identity, answers, scores and results."""
        c = self.t["colors"]
        border = self.border
        fmt = self.new_format
        self.code = fmt(  # shrinks a code longer than its column rather than cutting it
            font_size=7, font_color=c["code_font"], align="center", valign="vcenter", shrink=True
        )
        self.group = fmt(  # left: a group spanning printed pages starts readable on its first page
            bold=True, bg_color=c["group_fill"], align="left", indent=1, valign="vcenter", **border
        )
        self.header = fmt(
            bold=True,
            text_wrap=True,
            bg_color=c["header_fill"],
            font_color=c["header_font"],
            align="center",
            valign="vcenter",
            **border,
        )
        self.identity = fmt(bg_color=c["locked_fill"], text_wrap=True, num_format="@", **border)
        self.spare_identity = fmt(bg_color=c["spare_fill"], num_format="@", locked=False, **border)
        self.answer = fmt(bg_color=c["answer_fill"], text_wrap=True, locked=False, **border)
        self.answer_date = fmt(
            bg_color=c["answer_fill"],
            locked=False,
            num_format=language.ui.get("date_format", "yyyy-mm-dd") + " hh:mm",
            align="left",
            **border,
        )
        self.score = fmt(bg_color=c["result_fill"], align="center", num_format="0", **border)
        lab = language.labels
        self.crit_level = fmt(
            bg_color=c["result_fill"],
            align="left",
            num_format=level_number_format(lab["criticality"]["levels"]),
            **border,
        )
        self.vuln_level = fmt(
            bg_color=c["result_fill"],
            align="left",
            num_format=level_number_format(lab["vulnerability"]["levels"]),
            **border,
        )
        self.risk_level = fmt(
            bg_color=c["result_fill"],
            bold=True,
            align="left",
            num_format=level_number_format(lab["risk"]["short_levels"]),
            **border,
        )
        self.status = fmt(bg_color=c["result_fill"], text_wrap=True, **border)

    def add_level_formats(self) -> None:
        """The colours of the three levels, the chosen answer, invalid and unknown answers."""
        t = self.t
        c = self.t["colors"]
        border = self.border
        fmt = self.new_format
        self.level_fill = {
            int(n): self.wb.add_format({"bg_color": v["fill"], "font_color": v["font"]})
            for n, v in t["levels"].items()
        }
        self.level_box = {
            int(n): fmt(
                bg_color=v["fill"],
                font_color=v["font"],
                bold=True,
                font_size=16,
                align="center",
                valign="vcenter",
                num_format=f'"{v["symbol"]}  "0',
                **border,
            )
            for n, v in t["levels"].items()
        }
        self.level_box_text = {
            int(n): fmt(
                bg_color=v["fill"],
                font_color=v["font"],
                bold=True,
                align="center",
                valign="vcenter",
                **border,
            )
            for n, v in t["levels"].items()
        }
        self.chosen = self.wb.add_format(
            {"bg_color": c["chosen_fill"], "bold": True, "border": 2, "border_color": c["chosen_border"]}
        )
        self.level_label = {
            int(n): fmt(bg_color=v["fill"], font_color=v["font"], bold=True, text_wrap=True, **border)
            for n, v in t["levels"].items()
        }
        self.invalid = self.wb.add_format(
            {"bg_color": c["invalid_fill"], "font_color": c["invalid_font"], "bold": True, "pattern": 1}
        )
        self.unknown = self.wb.add_format({"bg_color": c["unknown_fill"], "italic": True})

    @cached_property
    def prefilled_answer(self):
        """An answer cell pre-filled centrally, with a note saying from where: shaded, editable.
        Added on first use, so that a workbook without one keeps its bytes."""
        return self.new_format(
            bg_color=self.t["colors"]["prefilled_fill"], text_wrap=True, locked=False, **self.border
        )

    @cached_property
    def prefilled_locked(self):
        """A pre-filled criterion answer the department may not change (``--lock-prefilled``)."""
        return self.new_format(
            bg_color=self.t["colors"]["prefilled_fill"], text_wrap=True, locked=True, **self.border
        )

    def answer_format(self, row, code: str, lock_prefilled: bool, criteria: tuple[str, ...]):
        """The format of an answer cell: plain, shaded when pre-filled centrally (a note says
        from where), locked as well when pre-filled criteria are read-only."""
        if lock_prefilled and row.locks(code, criteria):
            return self.prefilled_locked
        return self.prefilled_answer if code in row.notes else self.answer

    def add_table_formats(self) -> None:
        """The matrix cells and the tables of the reading sheets."""
        c = self.t["colors"]
        border = self.border
        fmt = self.new_format
        self.cell_box = fmt(align="center", valign="vcenter", bold=True, **border)
        self.cell_label = fmt(
            bold=True, text_wrap=True, align="center", valign="vcenter", bg_color=c["group_fill"], **border
        )
        self.table_head = fmt(bold=True, text_wrap=True, bg_color=c["group_fill"], **border)
        self.table_cell = fmt(text_wrap=True, **border)
        self.number_cell = fmt(align="center", **border)

    def set_register_levels(self, labels: dict[int, str]) -> None:
        """The format of the register's risk levels (``labels``: level number -> label)."""
        self.register_level = self.new_format(
            bg_color=self.t["colors"]["result_fill"],
            bold=True,
            align="left",
            num_format=level_number_format(labels),
            **self.border,
        )
