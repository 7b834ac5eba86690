"""A shared formula as each cell of its group holds it: the reader's own translation against
openpyxl's Translator (the oracle), on every formula the generator writes and on the reference
shapes a spreadsheet may hold; a reference moved off the sheet reads #REF! instead of raising."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils.cell import coordinate_to_tuple

from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.workbook.read.shared_formula import SharedFormula

ROOT = Path(__file__).resolve().parents[2]
OFFSETS = [(0, 1), (1, 0), (7, 0), (250, 0), (0, -1), (3, 2), (-1, 0), (-3, -1)]


def openpyxl_at(formula: str, origin: str, rows: int, columns: int) -> str | None:
    """openpyxl's text of the formula moved by the offset (without its "="); None where it raises."""
    try:
        return Translator("=" + formula, origin).translate_formula(row_delta=rows, col_delta=columns)[1:]
    except TranslatorError:
        return None


@pytest.fixture(scope="module")
def written_formulas(tmp_path_factory, pack) -> list[tuple[str, str]]:
    """(formula, cell) of every formula cell of a generated campaign's first workbook, with a
    register (its formulas are the longest)."""
    out = tmp_path_factory.mktemp("shared") / "c"
    generate(ROOT / "samples" / "inventory.csv", out, Options(campaign="c", register=True), pack)
    book = openpyxl.load_workbook(sorted(out.glob("*.xlsx"))[0])
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    found.setdefault(cell.value[1:], cell.coordinate)  # one cell per distinct formula
    return sorted(found.items())


def test_every_written_formula_moves_as_openpyxl_moves_it(written_formulas):
    assert len(written_formulas) > 50
    for formula, cell in written_formulas:
        shared = SharedFormula(formula, coordinate_to_tuple(cell))
        row, column = coordinate_to_tuple(cell)
        for rows, columns in OFFSETS:
            want = openpyxl_at(formula, cell, rows, columns)
            if want is not None:
                assert shared.at(row + rows, column + columns) == want, (formula, cell, rows, columns)


@pytest.mark.parametrize(
    "formula",
    [
        "A1+$B2+C$3+$D$4",
        "SUM(A1:B5)+SUM($A$1:A2)",
        "SUM(A:A)+COUNT($B:C)+SUM(3:4)+SUM($5:6)",
        "'Liste ''x'' {1}'!$B$2:$B$5&'Liste ''x'' {1}'!C3",
        'IF(A1="B2",Listes!A1,"{C3}")',
        "SUM(Sheet1!A1:B2:C3)",
        "my_name+A1",
        "INDEX($Z$1:$Z$9,MATCH(B2,$Y$1:$Y$9,0))",
    ],
)
def test_reference_shapes_move_as_openpyxl_moves_them(formula):
    shared = SharedFormula(formula, (10, 5))
    for rows, columns in OFFSETS:
        want = openpyxl_at(formula, "E10", rows, columns)
        if want is not None:
            assert shared.at(10 + rows, 5 + columns) == want, (formula, rows, columns)


def test_a_reference_moved_off_the_sheet_reads_ref_error():
    """Excel shows #REF! where a shared formula's reference would leave the sheet: above row 1
    or left of column A, where openpyxl raises (which the reader must never let through), and
    right of column XFD, where openpyxl writes a column that does not exist."""
    shared = SharedFormula("A2+$B$1+SUM(C1:C3)", (2, 2))
    assert openpyxl_at("A2+$B$1+SUM(C1:C3)", "B2", -2, 0) is None
    assert shared.at(0, 2) == "#REF!+$B$1+SUM(#REF!)"
    assert shared.at(2, 1) == "#REF!+$B$1+SUM(B1:B3)"
    assert shared.at(2, 2) == "A2+$B$1+SUM(C1:C3)"
    assert openpyxl_at("XFC1+XFD$1", "E10", 0, 1) == "XFD1+XFE$1"
    assert SharedFormula("XFC1+XFD$1", (10, 5)).at(10, 6) == "XFD1+#REF!"


def test_a_defined_name_of_another_sheet_keeps_its_sheet():
    """A sheet-qualified defined name is not a cell: it stays as written (openpyxl drops the
    sheet's name), while the cells around it move."""
    assert openpyxl_at("Other!my_name+A1", "E10", 1, 0) == "my_name+A2"
    assert SharedFormula("Other!my_name+A1", (10, 5)).at(11, 5) == "Other!my_name+A2"
