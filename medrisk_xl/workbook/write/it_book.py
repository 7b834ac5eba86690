"""Write the IT workbook (issue 25): the vulnerability items the IT team answers once per group of
devices, from an :class:`ItPlan` (see :mod:`medrisk_xl.workbook.it_contract`).

Its sheets, in tab order: start (opens first), answers, the hidden list sheet the answer dropdowns
read (the department workbook's, so labels and their order are the same), and the very hidden
``_meta``. Structure protected; the bytes depend on the plan alone.
"""

from __future__ import annotations

import io

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.method.pack import ContentPack, Language
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import make_lists, write_lists
from medrisk_xl.workbook.write.build import protected_workbook
from medrisk_xl.workbook.write.it_meta import it_meta_pairs, write_it_meta
from medrisk_xl.workbook.write.it_plan import ItPlan
from medrisk_xl.workbook.write.it_sheet import write_answer_sheet
from medrisk_xl.workbook.write.it_start import write_it_start
from medrisk_xl.workbook.write.styles import Styles

IT_TEXTS = ("it_workbook", "confirm")  # ui.yaml sections an IT workbook needs (optional in a pack)


def check_it_texts(language: Language) -> None:
    """Refuse a language (an older site pack) without the IT workbook's texts, clearly."""
    for key in IT_TEXTS:
        if key not in language.ui:
            raise MedriskError(
                [
                    Problem(
                        "missing-key",
                        f"the content pack has no {key!r} texts for the IT workbook: add them "
                        "(see the shipped pack's ui.yaml)",
                        file=f"{language.code}/ui.yaml",
                        path=key,
                    )
                ]
            )


def build_it_workbook(plan: ItPlan, pack: ContentPack) -> bytes:
    """The .xlsx bytes of the IT workbook of ``plan``."""
    language = pack.language(plan.language)
    check_it_texts(language)
    texts = language.ui["it_workbook"]
    buffer = io.BytesIO()
    wb = protected_workbook(
        buffer, plan.password, f"{texts['title']} — {plan.campaign}", plan.campaign, plan.created
    )
    styles = Styles(wb, language)
    answer_name, lists_name = texts["sheets"]["answers"], language.ui["sheets"]["lists"]
    start = wb.add_worksheet(texts["sheets"]["start"])
    answers = wb.add_worksheet(answer_name)
    ws_lists = wb.add_worksheet(lists_name)
    ws_meta = wb.add_worksheet(contract.META_SHEET)
    lists = make_lists(pack, lists_name)
    write_it_start(start, plan, language, styles, answer_name)
    write_answer_sheet(answers, plan, language, lists, styles)
    write_lists(ws_lists, lists, pack, language, styles.bold)
    ws_lists.protect(plan.password)
    ws_lists.hide()
    write_it_meta(ws_meta, plan, it_meta_pairs(plan, pack, lists_name, answer_name))
    start.activate()
    wb.close()
    return buffer.getvalue()
