"""Printing for people: page setup of every sheet, header heights, and what LibreOffice prints.

The LibreOffice tests print generated workbooks to PDF and read the PDF itself (tests/support/pdfread.py):
the size every text run is drawn at, the page sizes, and which sheet each page belongs to.
Body text is 10 pt and titles 14 pt, so a sheet's print scale is its title's size / 14.
"""

from __future__ import annotations

import json
import re
import shutil
import zlib
from pathlib import Path

import openpyxl
import pytest
from support.pdfread import Page, Pdf
from support.wbtools import codes_of, column_width, fill_forms, open_book

from medrisk_xl import load_pack
from medrisk_xl.engines.libreoffice import convert
from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.method.scorer import score_indexes
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.lists import item_actions_text, status_texts
from medrisk_xl.workbook.write.printing import footer_text
from medrisk_xl.workbook.write.styles import grid_template
from medrisk_xl.workbook.write.text import LINE_HEIGHT, wrapped_lines

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "inventory.csv"

MIN_PT = 7.0  # the smallest readable glyph size on paper
TITLE_PT = 14  # styles.title
# Characters of bold 10 pt text per unit of column width, deliberately conservative: Excel
# (Calibri) fits about 0.9 once words wrap, LibreOffice without Calibri (DejaVu Sans) about 1.1.
HEADER_CHARS_PER_WIDTH = 0.85
# The same for regular 10 pt text, as conservative: LibreOffice (DejaVu Sans) fits about 1.45.
BODY_CHARS_PER_WIDTH = 1.1
# Units of column width that one 7 pt capital letter or underscore takes, conservatively (Calibri
# about 0.77, DejaVu Sans in LibreOffice about 0.7), plus one unit of cell padding.
CODE_UNITS_PER_CHAR = 0.8
A4 = (595.3, 841.9)  # points


def build(tmp: Path, **options) -> tuple[Path, dict]:
    """Generate the sample campaign; return its folder and manifest."""
    result = generate(SAMPLE, tmp, Options(campaign="print", password="pw", **options))
    return tmp, result.manifest


def largest(out: Path, manifest: dict) -> tuple[Path, dict]:
    entry = max(manifest["workbooks"], key=lambda w: len(w["device_ids"]))
    return out / entry["file"], entry


# --- Without LibreOffice: the settings written in the workbook ---------------------------------


def test_wrapped_lines_wraps_at_spaces_and_cuts_long_words() -> None:
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("aaa bbb ccc", 7) == 2  # "aaa bbb" / "ccc"
    assert wrapped_lines("aaa bbb ccc", 6) == 3
    assert wrapped_lines("a" * 20, 8) == 3  # a word longer than the line is cut
    assert wrapped_lines("ab cd\nef", 10) == 2


def test_footer_escapes_ampersands_and_cuts_long_scopes() -> None:
    assert footer_text("R&D") == "&LR&&D&C&A&RPage &P / &N"
    long = footer_text("Service " * 40)
    scope = long[2 : long.index("&C")]
    assert len(scope) <= grid_template()["print"]["footer_scope_chars"] and scope.endswith("…")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_header_row_holds_the_longest_header(tmp_path: Path, lang: str) -> None:
    out, manifest = build(tmp_path / "c", lang=lang, split_by="none")
    wb = openpyxl.load_workbook(out / manifest["workbooks"][0]["file"])
    ws = wb.worksheets[1]
    status = codes_of(ws)["STATUS"]
    height = ws.row_dimensions[contract.HEADER_ROW].height
    needed = {}
    for col in range(1, status + 1):
        text = ws.cell(contract.HEADER_ROW, col).value
        per_line = column_width(ws, col) * HEADER_CHARS_PER_WIDTH
        needed[text] = wrapped_lines(text, per_line) * LINE_HEIGHT + 4
    too_tall = {text: h for text, h in needed.items() if h > height}
    assert not too_tall, f"header row {height} pt: {too_tall}"
    assert any(text.startswith("V8 – ") for text in needed)


def test_a_longer_header_is_cut_at_a_word_not_made_taller(tmp_path: Path, edit_pack) -> None:
    """A site pack's longer statement: the header row keeps its height (at most
    ``heights.header_lines`` lines); the header is cut at a word with "…", the note holds it whole."""
    long = "Un énoncé bien plus long que tous les autres " * 4
    site = edit_pack("fr/labels.yaml", lambda d: d["vulnerability"]["items"].update({"V8": long}))
    wb_default = build(tmp_path / "a", split_by="none")
    result = generate(
        SAMPLE, tmp_path / "b", Options(campaign="p", password="pw", split_by="none"), load_pack(site)
    )
    heights, headers = [], []
    for out, manifest in (wb_default, (tmp_path / "b", result.manifest)):
        ws = openpyxl.load_workbook(out / manifest["workbooks"][0]["file"]).worksheets[1]
        heights.append(ws.row_dimensions[contract.HEADER_ROW].height)
        v8 = codes_of(ws)["V8"]
        cell = ws.cell(contract.HEADER_ROW, v8)
        per_line = column_width(ws, v8) * HEADER_CHARS_PER_WIDTH
        assert wrapped_lines(cell.value, per_line) * LINE_HEIGHT + 4 <= heights[-1]
        headers.append(cell)
    assert heights[1] == heights[0]
    assert headers[1].value.endswith("…") and long.strip() in headers[1].comment.text
    assert ("V8 – " + long).startswith(headers[1].value.removesuffix("…"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_setup_of_every_sheet(tmp_path: Path, pack, lang: str) -> None:
    out, manifest = build(tmp_path / "c", lang=lang)
    path, entry = largest(out, manifest)
    wb = openpyxl.load_workbook(path)
    p = grid_template()["print"]
    names = pack.language(lang).ui["sheets"]

    ws = wb[names["input"]]
    codes = codes_of(ws)
    status = openpyxl.utils.get_column_letter(codes["STATUS"])
    assert ws.page_setup.paperSize == p["paper"] and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.scale) == p["input"]["scale"] >= 70
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${contract.GROUP_ROW}:${contract.HEADER_ROW}"
    assert ws.print_title_cols == "$A:$B"
    last = contract.FIRST_ROW + len(entry["device_ids"]) + p["input"]["free_rows"] - 1  # not every free row
    assert ws.print_area == f"'{ws.title}'!$A$1:${status}${min(last, contract.FIRST_ROW + entry['rows'] - 1)}"
    assert ws.oddFooter.left.text == entry["department"]
    assert ws.oddFooter.right.text == "Page &P / &N"

    for key, kind in (
        ("start", "reading"),
        ("matrix", "matrix"),
        ("plans", "text"),
        ("items", "text"),
        ("guide", "reading"),
    ):
        ws = wb[names[key]]
        s = p["sheets"][kind]
        assert ws.page_setup.paperSize == p["paper"], key
        assert ws.page_setup.orientation == ("landscape" if s["landscape"] else "portrait"), key
        assert ws.sheet_properties.pageSetUpPr.fitToPage, key
        fit = [1 if v is None else int(v) for v in (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)]
        assert fit == [1, s["pages_tall"]], key  # an absent attribute means 1
        assert ws.oddFooter.left.text == entry["department"], key


def test_form_code_column_shows_every_code(tmp_path: Path) -> None:
    out, manifest = build(tmp_path / "f", layout="form")
    entry = manifest["workbooks"][0]
    wb = openpyxl.load_workbook(out / entry["file"])
    ws = wb.worksheets[1]
    width = column_width(ws, 1)
    codes = [c for c in ws["A"] if isinstance(c.value, str) and c.value]
    assert "COMMISSIONING_DATE" in {c.value for c in codes}
    for cell in codes:
        assert cell.alignment.shrink_to_fit, cell.coordinate  # a code too long shrinks, never cut
        if not cell.value.startswith("X_"):  # extra inventory columns have codes of any length
            assert len(cell.value) * CODE_UNITS_PER_CHAR + 1 <= width, cell.value
    p = grid_template()["print"]
    s = p["sheets"]["form"]
    assert ws.page_setup.paperSize == p["paper"] and ws.page_setup.orientation == "landscape"
    assert s["landscape"] and ws.sheet_properties.pageSetUpPr.fitToPage
    fit = [1 if v is None else int(v) for v in (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)]
    assert fit == [1, s["pages_tall"]]  # one page wide
    assert ws.oddFooter.left.text == entry["department"]
    assert re.search(r"!\$A\$1:\$H\$\d+$", ws.print_area), ws.print_area  # not the hidden helpers
    assert ws.column_dimensions["J"].hidden


def form_texts(ws, pack, language) -> list[tuple[object, str, bool]]:
    """(cell, text, bold) of every text a form sheet can show: its strings, any option in the
    answer cell (G), an option turned bold once chosen, and every text its formulas compute."""
    out = [(c, c.value, bool(c.font.b)) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    out = [(c, text, bold) for c, text, bold in out if text and not text.startswith("=")]
    rows = {c.value: c.row for c in ws["A"] if isinstance(c.value, str) and c.value}
    for code in pack.method.codes:
        labels = language.answer_labels(code)
        out += [(ws.cell(rows[code], 7), label, False) for label in labels]
        out += [(ws.cell(rows[code], 3 + i), label, True) for i, label in enumerate(labels)]
    for code in pack.method.items:
        out.append((ws.cell(rows[f"{code}_ACTIONS"], 3), item_actions_text(language, code), False))
    out += [(ws.cell(rows["STATUS"], 7), text, False) for text in status_texts(language).values()]
    plan = next(c.row for c in ws["B"] if c.value == language.ui["form"]["plan"])
    levels, plans = language.labels["risk"]["levels"], language.actions["plans"]
    for k, p in plans.items():
        out += [(ws.cell(plan + 1, 2), f"{levels[k]} — {p['title']}", True)]
        out += [(ws.cell(plan + 2, 2), p["summary"], False)]
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_form_rows_hold_their_wrapped_texts(tmp_path: Path, pack, lang: str) -> None:
    """Nothing cut on a form: a wrapped text fits its row's height (at the widths of its merged
    columns), a text that does not wrap fits one line, whatever the answers and results."""
    out, manifest = build(tmp_path / "f", layout="form", lang=lang)
    wb = openpyxl.load_workbook(out / manifest["workbooks"][0]["file"])
    language = pack.language(lang)
    for ws in wb.worksheets[1:4]:  # the first forms
        last = {(m.min_row, m.min_col): m.max_col for m in ws.merged_cells.ranges}
        checked, too_big = 0, []
        for cell, text, bold in form_texts(ws, pack, language):
            if cell.column == 1:
                continue  # codes shrink to fit (test_form_code_column_shows_every_code)
            cols = range(cell.column, last.get((cell.row, cell.column), cell.column) + 1)
            width = sum(round(column_width(ws, c), 2) for c in cols) - (cell.alignment.indent or 0)
            zoom = (cell.font.sz or 10) / 10
            per_line = width * (HEADER_CHARS_PER_WIDTH if bold else BODY_CHARS_PER_WIDTH) / zoom
            lines = wrapped_lines(text, per_line)
            height = ws.row_dimensions[cell.row].height or 15
            needed = (lines * LINE_HEIGHT + 4 if lines > 1 else 15) * zoom  # 15: one line of 10 pt
            checked += 1
            if cell.alignment.wrap_text and needed > height:
                too_big.append((cell.coordinate, height, text[:40]))
            elif not cell.alignment.wrap_text and lines > 1:
                too_big.append((cell.coordinate, "one line", text[:40]))
        assert not too_big, (ws.title, too_big)
        assert checked > 150


def test_pdf_reader_sizes_text_through_both_matrices(tmp_path: Path) -> None:
    content = b"q 0.5 0 0 0.5 0 0 cm BT /F1 20 Tf 2 0 0 1.5 10 10 Tm (Hello) Tj ET Q"
    stream = zlib.compress(content)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>",
        b"<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<<>>>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    body = b"%PDF-1.4\n" + b"".join(
        b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n" for i, o in enumerate(objects)
    )
    path = tmp_path / "t.pdf"
    path.write_bytes(body + b"trailer\n<</Root 1 0 R/Size 5>>\n%%EOF\n")
    (page,) = Pdf(path).pages
    assert (page.width, page.height) == (595.0, 842.0)
    assert [(r.text, r.size) for r in page.runs] == [("Hello", 15.0)]  # 20 x 1.5 x 0.5


# --- With LibreOffice: what is really printed --------------------------------------------------


def filled_answers(pack) -> dict[str, int]:
    """Answers (option indexes) that fill a form with its longest texts: every criterion at its
    last option, every item non-compliant, so the plan and every item's actions show."""
    crit = {c.code: len(c.points) - 1 for c in pack.method.criteria}
    return crit | {code: 1 for code in pack.method.items}  # 1: no


@pytest.fixture(scope="module")
def printed(
    soffice: str, pack, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Pdf, dict, Path]]:
    """The largest department of the sample (grid fr, grid en) and the smallest in the form
    layout (fr, en; its first form filled in with :func:`filled_answers`), as PDF."""
    tmp = tmp_path_factory.mktemp("print")
    books: dict[str, tuple[Path, dict]] = {}
    for key, options in (
        ("grid-fr", {}),
        ("grid-en", {"lang": "en"}),
        ("form-fr", {"layout": "form"}),
        ("form-en", {"layout": "form", "lang": "en"}),
    ):
        out, manifest = build(tmp / key, **options)
        if key.startswith("form"):
            entry = min(manifest["workbooks"], key=lambda w: len(w["device_ids"]))
            first = json.loads(open_book(out / entry["file"]).meta["forms"])[0]
            fill_forms(out / entry["file"], tmp / f"{key}-filled.xlsx", {first: filled_answers(pack)})
            books[key] = (tmp / f"{key}-filled.xlsx", entry)
        else:
            books[key] = largest(out, manifest)
    folder = tmp / "xlsx"
    folder.mkdir()
    for key, (path, _) in books.items():
        shutil.copy(path, folder / f"{key}.xlsx")
    pdfs = convert([folder / f"{key}.xlsx" for key in books], tmp / "pdf", "pdf")
    return {key: (Pdf(pdf), books[key][1], books[key][0]) for key, pdf in zip(books, pdfs)}


def scale_of(pages: list[Page], title: str) -> float:
    """Print scale of a sheet: the size its 14 pt title is printed at, / 14."""
    sizes = [r.size for r in pages[0].runs if len(r.text) >= 8 and title.startswith(r.text)]
    assert sizes, f"title {title!r} not printed on {[r.text for r in pages[0].runs][:10]}"
    return max(sizes) / TITLE_PT  # the footer (11 pt) may hold the sheet name, a prefix of the title


def footer_ok(page: Page, scope: str) -> bool:
    flat = "".join(r.text for r in page.runs)
    return scope in page.text.split("\n") and re.search(r"Page \d+ / \d+", flat) is not None


def is_a4(page: Page, landscape: bool) -> bool:
    size = (page.height, page.width) if landscape else (page.width, page.height)
    return abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1 and page.landscape == landscape


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", ["grid-fr", "grid-en"])
def test_printed_input_sheet_is_readable(printed, pack, key: str) -> None:
    pdf, entry, xlsx = printed[key]
    language = pack.language(key[-2:])
    ui = language.ui
    pages = pdf.sheets()[ui["sheets"]["input"]]
    scope = entry["department"]
    scale = scale_of(pages, ui["input"]["title"].format(department=scope))
    assert scale == pytest.approx(grid_template()["print"]["input"]["scale"] / 100, abs=0.01)
    ws = openpyxl.load_workbook(xlsx).worksheets[1]
    codes = codes_of(ws)
    status = codes["STATUS"]
    for page in pages:
        assert is_a4(page, landscape=True), page.number
        assert footer_ok(page, scope), page.number
        small = {r.text for r in page.runs if r.size < MIN_PT}
        assert small <= set(codes), (page.number, small - set(codes))  # only the tiny code row
        assert ui["fields"]["ID"] in page.text.split("\n"), page.number  # header rows repeated
    on_pages = {i: sum(i in page.text.split("\n") for page in pages) for i in entry["device_ids"]}
    bands = set(on_pages.values())
    assert len(bands) == 1 and bands.pop() >= 2, on_pages  # the ID column is on every page
    printed_text = "\n".join(page.text for page in pages)
    assert ws.cell(contract.HEADER_ROW, status).value in printed_text
    hidden = [ws.cell(contract.HEADER_ROW, c).value for c in range(status + 1, ws.max_column + 1)]
    visible = [ws.cell(contract.HEADER_ROW, c).value for c in range(1, status + 1)]
    for text in hidden:
        if text and not any(text in v for v in visible):
            assert text not in printed_text  # hidden helper columns never print


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", ["grid-fr", "grid-en"])
def test_printed_reading_sheets_fit_their_width_readably(printed, pack, key: str) -> None:
    pdf, entry, _ = printed[key]
    ui = pack.language(key[-2:]).ui
    names = ui["sheets"]
    sheets = pdf.sheets()
    kinds = grid_template()["print"]["sheets"]
    scope = entry["department"]
    for key_, kind, title, max_pages in (
        ("start", "reading", ui["start"]["title"], 1),
        ("matrix", "matrix", ui["matrix"]["title"].format(department=scope), 1),
        ("plans", "text", ui["plans"]["title"], None),
        ("items", "text", ui["plans"]["items_title"], None),
        ("guide", "reading", ui["guide"]["title"], None),
    ):
        pages = sheets[names[key_]]
        assert scale_of(pages, title) >= MIN_PT / 10, key_
        if max_pages:
            assert len(pages) <= max_pages, key_
        for page in pages:
            assert is_a4(page, kinds[kind]["landscape"]), (key_, page.number)
            assert footer_ok(page, scope), (key_, page.number)
            small = sorted({(r.text, r.size) for r in page.runs if r.size < MIN_PT})
            assert not small, (key_, page.number, small[:5])


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", ["form-fr", "form-en"])
def test_printed_forms_fit_one_page_wide_readably(printed, pack, key: str) -> None:
    """Each form prints on landscape A4 one page wide at 70 % or more: nothing under 7 pt but the
    codes of column A, and every text whole (the first form filled in: its plan and actions)."""
    pdf, entry, xlsx = printed[key]
    language = pack.language(key[-2:])
    ui = language.ui["form"]
    book = open_book(xlsx)
    forms = json.loads(book.meta["forms"])
    sheets = pdf.sheets()
    assert len(forms) == len(entry["device_ids"]) and set(forms) <= set(sheets)
    result = score_indexes(filled_answers(pack), pack)
    assert result.risk_level == 3 and result.non_compliant_items == tuple(pack.method.items)
    for name in forms:
        ws, pages = book.wb[name], sheets[name]
        codes = {c.value for c in ws["A"] if isinstance(c.value, str)}
        assert scale_of(pages, ws["B1"].value) >= MIN_PT / 10, name
        for page in pages:
            assert is_a4(page, landscape=True) and footer_ok(page, entry["department"]), (name, page.number)
            small = {r.text for r in page.runs if r.size < MIN_PT}
            assert small <= codes, (name, page.number, small - codes)  # only the tiny codes
        # One page wide: a table's header, from the question to the points, on one page.
        heads = {ui["criterion"], ui["answer"], ui["points"]}
        assert any(heads <= set(page.text.split("\n")) for page in pages), name
        # Nothing cut: every text of the sheet printed whole, on one page.
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        texts = [text for text in texts if text and not text.startswith("=")]
        if name == forms[0]:
            plan = language.actions["plans"][result.risk_level]
            texts += [plan["title"], plan["summary"], ui["marker"]]
            texts += [item_actions_text(language, code) for code in result.non_compliant_items]
        on_pages = [squeezed(page.text) for page in pages]
        cut = [text for text in texts if not any(squeezed(text) in p for p in on_pages)]
        assert not cut, (name, cut[:3])
    text = sheets[forms[0]][0].text.split("\n")
    assert "COMMISSIONING_DATE" in text and "ID" in text
