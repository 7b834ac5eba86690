"""A comparison of two campaigns as an xlsx workbook (XlsxWriter).

One sheet per list (:mod:`~medrisk_xl.history.compare.compare_sheets`): the risk distribution
(fleet, then each department, each change in its risk and coverage parts, with a native column
chart of the fleet's distribution in A and in B side by side), the like-for-like distribution,
devices whose risk rose, whose risk fell, new devices, removed devices, changed answers, and the
actions completed between A and B (from the imported action plans). Its texts are the chosen language's (ui.yaml
``compare``; level names, statuses and answer labels from labels.yaml), French by default.
Values only, no formulas; text is always written as text (:func:`~medrisk_xl.core.textsafe.clean_text`),
so a designation ``=HYPERLINK(...)`` stays inert. The file is written beside its destination and
moved into place: an existing file is replaced whole or not at all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from medrisk_xl.core.problems import MedriskError, Problem, msg
from medrisk_xl.core.version import __version__
from medrisk_xl.core.xlsx_text import SafeTextWorksheet
from medrisk_xl.history.compare.compare_sheets import (
    SheetWriter,
    actions_sheet,
    answers_sheet,
    device_sheets,
    distribution_sheet,
    like_for_like_sheet,
)
from medrisk_xl.history.compare.comparison import Comparison
from medrisk_xl.method.checks.pack_files import COMPARE_SHEETS
from medrisk_xl.method.pack import ContentPack, Language, load_pack
from medrisk_xl.workbook.contract import META_SHEET, Meta
from medrisk_xl.workbook.kinds import COMPARE_KIND, KIND_KEY


def sheet_names(language: Language) -> tuple[str, ...]:
    """The workbook's sheet names in ``language``, in order."""
    return tuple(language.ui["compare"]["sheets"][key] for key in COMPARE_SHEETS)


def write_comparison(
    comparison: Comparison,
    path: str | os.PathLike[str],
    lang: str | None = None,
    pack: ContentPack | None = None,
) -> Path:
    """Write ``comparison`` to ``path`` (an ``.xlsx``) in language ``lang`` of ``pack`` (default:
    the shipped pack's default language, fr), atomically; return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MedriskError([Problem("bad-output", msg("compare.bad_output"), file=str(path))], 2)
    pack = pack or load_pack()
    language = pack.language(lang)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        _build(comparison.in_language(pack, language.code), tmp, language)
        os.replace(tmp, path)
    except FileCreateError as exc:
        raise MedriskError(
            [Problem("cannot-write", msg("compare.cannot_write", error=str(exc)), file=str(path))]
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _build(c: Comparison, path: Path, language: Language) -> None:
    """Write the comparison's sheets, in :func:`sheet_names`' order, to ``path``."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.worksheet_class = SafeTextWorksheet  # texts from the returns, escaped
    w = SheetWriter(wb)
    names = dict(zip(COMPARE_SHEETS, sheet_names(language)))
    distribution_sheet(w, c, language, names["distribution"])
    like_for_like_sheet(w, c, language, names["like_for_like"])
    device_sheets(w, c, language, names)
    answers_sheet(w, c, language, names["answers_changed"])
    actions_sheet(w, c, language, names["actions_completed"])
    _meta_sheet(wb, c)
    wb.close()


def _meta_sheet(wb: xlsxwriter.Workbook, c: Comparison) -> None:
    """A very hidden ``_meta`` naming the file's kind: a comparison given where a return or a plan
    is expected is named for what it is (:mod:`medrisk_xl.workbook.read.output_kind`)."""
    ws = wb.add_worksheet(META_SHEET)
    pairs = (
        (KIND_KEY, COMPARE_KIND),
        (Meta.GENERATOR, f"medrisk-xl {__version__}"),
        ("campaign_a", c.a.campaign),
        ("campaign_b", c.b.campaign),
    )
    for r, (key, value) in enumerate(pairs):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, str(value))
    ws.very_hidden()
