"""The list sheet still holds the pack's answer options, in the pack's order: the dropdowns and
the formulas that match answers read them."""

from __future__ import annotations

from medrisk_xl.core.problems import msg
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.lists import LABEL_ROW, make_lists
from medrisk_xl.workbook.read.reader import Sheet


def check_list_labels(sheet: Sheet, pack: ContentPack, language: Language, report: FileReport) -> None:
    """relabelled-options for each question whose options on the list sheet are not the method's."""
    lists = make_lists(pack, sheet.name)
    for code in pack.method.codes:
        col = lists.col(code) + 1
        labels = language.answer_labels(code)
        found = [sheet.value(LABEL_ROW + 1 + i, col) for i in range(len(labels))]
        if found != labels:
            report.add(
                problem(
                    "relabelled-options",
                    msg("validate.relabelled-options", code=code, found=found, expected=labels),
                    sheet=sheet.name,
                    cell=f"{column_letter(col)}{LABEL_ROW + 1}",
                )
            )
