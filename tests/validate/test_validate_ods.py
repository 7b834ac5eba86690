"""validate on .ods returns: a return saved as .ods by LibreOffice is read with the checks the
format allows (answers, recomputation, formulas, cached values, rows, protection but not its
password); tampering gives the same problem codes as in an .xlsx; inputs are never modified."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from support.wbtools import fill, open_book

from medrisk_xl.cli import cli
from medrisk_xl.validate import validate, validate_file
from medrisk_xl.workbook.read.opening import Unreadable
from medrisk_xl.workbook.read.reader import read_workbook
from medrisk_xl.workbook.read.reader_ods import MAX_REPEATED_FORMULA_CELLS, openformula_to_a1

# ------------------------------------------------------------------------------------------------
# OpenFormula -> A1 (no LibreOffice needed)
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "formula, a1",
    [
        (
            'of:=IF(ISTEXT([.$K5]);IF([.$K5]="";"";1);[$Listes.$B$2:.$B$5])',
            'IF(ISTEXT($K5),IF($K5="","",1),Listes!$B$2:$B$5)',
        ),
        ("of:=SUM([Listes.A1:Listes.B2])", "SUM(Listes!A1:B2)"),
        ("of:=[$'Plans d''action'.A1]", "'Plans d''action'!A1"),
        ("of:=SUM([$'Saisie 2'.$A:.$A])+SUM([.1:.3])", "SUM('Saisie 2'!$A:$A)+SUM(1:3)"),
        ("of:=[$Réa.B2]", "Réa!B2"),
        ("of:=[$A1.B2]", "'A1'!B2"),  # a sheet named like a cell is quoted, as XlsxWriter does
        ('of:=IF([.A1]="a;b";"";"x""y")', 'IF(A1="a;b","","x""y")'),
        ("of:=SUM({1;2|3;4})", "SUM({1,2;3,4})"),
        ("of:=IF(TRUE();0.5*1E+3;#N/A)", "IF(TRUE,0.5*1E+3,#N/A)"),
        ("of:=[.A1]:[.B2]", "A1:B2"),
        ("of:=[.#REF!]+1", "#REF!+1"),
        ("msoxl:=SUM(A1,B1)", "SUM(A1,B1)"),
    ],
)
def test_openformula_is_converted_to_a1(formula, a1):
    assert openformula_to_a1(formula) == a1


@pytest.mark.parametrize(
    "formula",
    [
        "of:=SUM([.A1]~[.B1])",  # union
        "of:=SUM([.A1:.B2]![.B1:.C2])",  # intersection
        "of:=COM.MICROSOFT.IFS([.A1]=1;2)",  # a namespaced function
        "of:=SUM([$S1.A1:$S3.A1])",  # across sheets
        "of:=['file:///tmp/x.ods'#$Sheet1.A1]",  # another file
        'of:="open',
        "of:=[.A1",
        "xyz:=1",
    ],
)
def test_formulas_without_a_reliable_a1_spelling(formula):
    assert openformula_to_a1(formula) is None


# ------------------------------------------------------------------------------------------------
# Hostile .ods (no LibreOffice needed)
# ------------------------------------------------------------------------------------------------

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:spreadsheet>"
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ONE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def write_ods(path: Path, rows: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        content = f'{_HEAD}<table:table table:name="S">{rows}</table:table>'
        z.writestr("content.xml", content + "</office:spreadsheet></office:body></office:document-content>")
    return path


def test_repeated_empty_rows_and_cells_are_never_expanded(tmp_path):
    path = write_ods(
        tmp_path / "r.ods",
        f'<table:table-row>{ONE}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    )
    start = time.perf_counter()
    book = read_workbook(path)
    assert book.kind == "ods" and book.sheets["S"].values == [[1.0]]
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    "rows",
    [
        # something on the last row, after a million repeated empty ones
        f'<table:table-row table:number-rows-repeated="1048575"><table:table-cell/></table:table-row>'
        f"<table:table-row>{ONE}</table:table-row>",
        # something in the last column
        f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{ONE}</table:table-row>',
        # one value repeated over 150,000 x 1,999 cells (each within the row and column limits)
        '<table:table-row table:number-rows-repeated="150000"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="1999"><text:p>1</text:p></table:table-cell>'
        "</table:table-row>",
        # one formula repeated over more cells than a sheet may expand
        f'<table:table-row table:number-rows-repeated="{MAX_REPEATED_FORMULA_CELLS}">'
        '<table:table-cell table:formula="of:=1" table:number-columns-repeated="2"/></table:table-row>',
    ],
)
def test_repeats_that_stand_for_too_much_are_refused_quickly(tmp_path, pack, rows):
    path = write_ods(tmp_path / "hostile.ods", rows)
    start = time.perf_counter()
    with pytest.raises(Unreadable) as info:
        read_workbook(path)
    assert info.value.code == "too-large" and time.perf_counter() - start < 2
    report = validate_file(path, pack)
    assert report.status == "unreadable" and "too-large" in report.problems[0].message


# ------------------------------------------------------------------------------------------------
# Returns saved as .ods by LibreOffice
# ------------------------------------------------------------------------------------------------


def cell_of(campaign, code: str) -> str:
    book = open_book(campaign["book"])
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(book.columns[code])}{int(book.meta['first_row'])}"


def typed_over(campaign, out: Path, code: str, value) -> Path:
    """The filled return with ``value`` typed into ``code``'s cell of the first device row."""
    wb = openpyxl.load_workbook(campaign["filled"])
    wb["Saisie"][cell_of(campaign, code)] = value
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def ods(campaign, soffice, tmp_path_factory):
    """The filled return (conftest's session ``campaign``) and tampered copies, made as .xlsx,
    converted to .ods by one LibreOffice run."""
    from medrisk_xl.engines.libreoffice import convert

    base = tmp_path_factory.mktemp("validate_ods")
    src = base / "xlsx"
    src.mkdir()
    shutil.copy(campaign["filled"], src / "clean.xlsx")
    first = int(open_book(campaign["book"]).meta["first_row"])
    fill(campaign["filled"], src / "invalid.xlsx", {first: {"V3": "peut-être"}})  # pasted, not chosen
    typed_over(campaign, src / "replaced.xlsx", "CRIT_SCORE", 12)
    typed_over(campaign, src / "changed.xlsx", "CRIT_SCORE", "=1+1")
    names = ["clean", "invalid", "replaced", "changed"]
    converted = convert([src / f"{n}.xlsx" for n in names], base / "ods", "ods")
    return dict(zip(names, converted, strict=True))


def errors(report) -> set[str]:
    return {p.code for p in report.problems if p.severity == "error"}


def rewrite_content(src: Path, out: Path, change) -> Path:
    """A copy of the .ods ``src`` whose content.xml text is ``change(text)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():  # the same order and compression: mimetype first, stored
            data = zin.read(item.filename)
            if item.filename == "content.xml":
                data = change(data.decode()).encode()
            zout.writestr(item, data)
    return out


def rewrite_cell(src: Path, out: Path, a1_formula: str, change) -> Path:
    """A copy of the .ods ``src`` whose cell holding ``a1_formula`` is rewritten by ``change(tag)``."""

    def one_cell(text: str) -> str:
        cells = [
            m
            for m in re.finditer(r'<table:table-cell [^>]*table:formula="([^"]*)"[^>]*>', text)
            if openformula_to_a1(html.unescape(m.group(1))) == a1_formula
        ]
        assert len(cells) == 1
        m = cells[0]
        return text[: m.start()] + change(m.group(0)) + text[m.end() :]

    return rewrite_content(src, out, one_cell)


@pytest.mark.libreoffice
def test_an_ods_return_validates_clean_like_the_xlsx(campaign, ods, pack):
    xlsx = validate_file(campaign["filled"], pack)
    report = validate_file(ods["clean"], pack)
    assert report.status == "valid" and errors(report) == set(), report.problems
    assert {p.code for p in report.problems} <= {"to-confirm"}
    assert report.devices == xlsx.devices and report.devices["total"] == 12
    assert (report.campaign, report.department) == (xlsx.campaign, xlsx.department)
    (with_manifest,) = validate([ods["clean"]], manifest=campaign["manifest"], pack=pack).files
    assert with_manifest.status == "valid" and errors(with_manifest) == set()
    assert not {"protection-removed", "password-changed"} & {p.code for p in with_manifest.problems}

    book, source = read_workbook(ods["clean"]), read_workbook(campaign["filled"])
    assert book.kind == "ods" and book.meta == source.meta and book.meta_rows == source.meta_rows
    assert list(book.sheets) == list(source.sheets)
    # Every formula converts to the generator's exact text, and every result is a cached value.
    saisie = book.sheets["Saisie"].xml
    assert saisie.formulas == source.sheets["Saisie"].xml.formulas and not saisie.unconverted
    assert saisie.cached == set(saisie.formulas) and len(saisie.cached) >= 12 * 25
    # Every sheet still protected; ODS keeps another password hash, which is not compared.
    assert all(s.xml.protected and s.xml.password_hash is None for s in book.sheets.values())
    # _meta (very hidden as generated) and the lists come back hidden; LibreOffice drops the structure lock.
    assert book.sheets["_meta"].state == book.sheets["Listes"].state == "hidden"
    assert book.sheets["Saisie"].state == "visible" and not book.structure_locked


@pytest.mark.libreoffice
def test_an_ods_renamed_xlsx_and_its_protection_removed(campaign, ods, pack, tmp_path):
    renamed = tmp_path / "retour.xlsx"  # recognised by its bytes, read by its bytes
    shutil.copy(ods["clean"], renamed)
    assert validate_file(renamed, pack).status == "valid"

    def unprotect(text: str) -> str:
        text, n = re.subn(r'(<table:table table:name="Saisie"[^>]*?) table:protected="true"', r"\1", text)
        assert n == 1
        return text

    report = validate_file(rewrite_content(ods["clean"], tmp_path / "unprotected.ods", unprotect), pack)
    assert [p.sheet for p in report.problems if p.code == "protection-removed"] == ["Saisie"]
    assert report.status == "valid"  # a warning


@pytest.mark.libreoffice
def test_pasted_invalid_answer_in_an_ods(campaign, ods, pack):
    report = validate_file(ods["invalid"], pack)
    bad = [p for p in report.problems if p.code == "invalid-answer"]
    assert [p.cell for p in bad] == [cell_of(campaign, "V3")] and "peut-être" in bad[0].message
    assert bad[0].device_id == "DM-000001" and bad[0].sheet == "Saisie" and report.status == "invalid"


@pytest.mark.libreoffice
@pytest.mark.parametrize("name, code", [("replaced", "formula-replaced"), ("changed", "formula-changed")])
def test_formulas_typed_over_in_an_ods(campaign, ods, pack, name, code):
    report = validate_file(ods[name], pack)
    target = cell_of(campaign, "CRIT_SCORE")
    assert [p.cell for p in report.problems if p.code == code] == [target]
    # LibreOffice recalculated the row from the typed score: the level and risk it then showed are
    # wrong figures too (an .xlsx saved by LibreOffice reports the same).
    assert errors(report) == {code, "wrong-cached-value"}
    wrong = [p.cell for p in report.problems if p.code == "wrong-cached-value"]
    assert sorted(wrong) == sorted(cell_of(campaign, c) for c in ("CRIT_LEVEL", "RISK_LEVEL"))


@pytest.mark.libreoffice
def test_wrong_cached_value_in_an_ods(campaign, ods, pack, tmp_path):
    target = cell_of(campaign, "CRIT_SCORE")
    formula = read_workbook(campaign["filled"]).sheets["Saisie"].formula(*_rowcol(target))

    def shown_999(tag: str) -> str:
        assert 'office:value-type="float"' in tag
        return re.sub(r'office:value="[^"]*"', 'office:value="999"', tag)

    path = rewrite_cell(ods["clean"], tmp_path / "cached.ods", formula, shown_999)
    report = validate_file(path, pack)
    wrong = [p for p in report.problems if p.code == "wrong-cached-value"]
    assert [p.cell for p in wrong] == [target] and "999" in wrong[0].message
    assert errors(report) == {"wrong-cached-value"}


@pytest.mark.libreoffice
def test_a_formula_without_a1_spelling_is_not_reported_as_changed(campaign, ods, pack, tmp_path):
    """A computed cell whose formula cannot be converted reliably: its formula is not compared (no
    false formula-changed, nor formula-replaced), its cached value still is."""
    target = cell_of(campaign, "CRIT_SCORE")
    formula = read_workbook(campaign["filled"]).sheets["Saisie"].formula(*_rowcol(target))

    def namespaced(tag: str) -> str:
        return re.sub(r'table:formula="[^"]*"', 'table:formula="of:=ORG.LIBREOFFICE.SOMETHING()"', tag)

    path = rewrite_cell(ods["clean"], tmp_path / "unconverted.ods", formula, namespaced)
    book = read_workbook(path)
    assert book.sheets["Saisie"].xml.unconverted == {_rowcol(target)}
    report = validate_file(path, pack)  # the cell kept LibreOffice's cached result, the right one
    assert report.status == "valid" and errors(report) == set(), report.problems
    wrong = rewrite_cell(
        ods["clean"],
        tmp_path / "unconverted_wrong.ods",
        formula,
        lambda tag: re.sub(r'office:value="[^"]*"', 'office:value="999"', namespaced(tag)),
    )
    assert [p.code for p in validate_file(wrong, pack).problems if p.severity == "error"] == [
        "wrong-cached-value"
    ]


def _rowcol(cell: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(cell)
    return row, column_index_from_string(letters)


@pytest.mark.libreoffice
def test_ods_inputs_are_never_modified(campaign, ods, pack):
    paths = list(ods.values())
    before = [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths]
    validate(paths, manifest=campaign["manifest"], pack=pack)
    validate(paths, manifest=campaign["manifest"], pack=pack, jobs=2)
    assert [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths] == before


@pytest.mark.libreoffice
def test_cli_on_a_folder_of_xlsx_and_ods_returns(campaign, ods, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(campaign["filled"], folder / "Réanimation.xlsx")
    shutil.copy(ods["clean"], folder / "Réanimation (LibreOffice).ods")
    runner = CliRunner()
    res = runner.invoke(cli, ["validate", str(folder), "--manifest", str(campaign["manifest"])])
    assert res.exit_code == 0, res.output
    assert "Réanimation.xlsx: VALID" in res.output and "Réanimation (LibreOffice).ods: VALID" in res.output
    shutil.copy(ods["invalid"], folder / "Réanimation (2).ods")
    res = runner.invoke(cli, ["validate", str(folder), "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    status = {Path(f["path"]).name: f["status"] for f in data["files"]}
    assert status == {
        "Réanimation (2).ods": "invalid",
        "Réanimation (LibreOffice).ods": "valid",
        "Réanimation.xlsx": "valid",
    }
    assert data["skipped"] == [] and data["summary"]["devices"]["total"] == 36


def test_a_damaged_repeat_count_is_unreadable(tmp_path, pack):
    path = write_ods(
        tmp_path / "r.ods", f'<table:table-row table:number-rows-repeated="-3">{ONE}</table:table-row>'
    )
    report = validate_file(path, pack)
    assert report.status == "unreadable" and "malformed-xml" in report.problems[0].message


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.libreoffice
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_ods_content_never_tracebacks_nor_hangs(ods, pack, tmp_path, data):
    """Mutated content.xml of a valid .ods return (repeat counts included): a report every time,
    quickly, the file untouched."""
    digits = st.sampled_from(["0", "7", "99999", "1048576", "-1", "x", ""])

    def mutate(text: str) -> str:
        raw = bytearray(text.encode())
        for _ in range(data.draw(st.integers(1, 6))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
        text = raw.decode(errors="replace")
        repeats = [m.start(1) for m in re.finditer(r'repeated="(\d+)"', text)]
        if repeats and data.draw(st.booleans()):
            i = data.draw(st.sampled_from(repeats))
            end = text.index('"', i)
            text = text[:i] + data.draw(digits) + text[end:]
        return text

    path = rewrite_content(ods["clean"], tmp_path / "fuzzed.ods", mutate)
    before = path.read_bytes()
    start = time.perf_counter()
    report = validate_file(path, pack)
    assert report.status in ("valid", "invalid", "unreadable") and time.perf_counter() - start < 10
    assert path.read_bytes() == before
