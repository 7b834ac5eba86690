"""validate catches tampering at every position, not only the first: the first, a middle and the
last option of every answer list relabelled; the first, a middle and the last device row deleted;
one formula changed in every computed column. Positions are found in the workbook with openpyxl
(the list sheet's code row, the input sheet's code row), not with the package's own layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from support.wbtools import open_book

from medrisk_xl.validate import validate_file

CRIT = [f"C{i}" for i in range(1, 10)]
VULN = [f"V{i}" for i in range(1, 11)]
# Options per answer list (README: criticality 4 answers, vulnerability OUI, NON, NE SAIT PAS);
# the labels start on row 2 of the list sheet, below its code row.
OPTION_ROWS = {**{c: (2, 3, 5) for c in CRIT}, **{v: (2, 3, 4) for v in VULN}}  # first, middle, last
COMPUTED = [
    "CRIT_SCORE",
    "CRIT_LEVEL",
    "VULN_SCORE",
    "VULN_LEVEL",
    "RISK_LEVEL",
    "STATUS",
    *(f"{c}_POINTS" for c in CRIT + VULN),
]


def variants(campaign, tmp_path: Path, changes) -> dict[str, Path]:
    """One copy of the filled return per (name, change); the workbook is loaded once."""
    wb = openpyxl.load_workbook(campaign["filled"])
    out = {}
    for name, change in changes:
        undo = change(wb)
        tmp_path.mkdir(parents=True, exist_ok=True)
        out[name] = tmp_path / f"{len(out)}.xlsx"
        wb.save(out[name])
        undo()
    return out


def set_cell(ws, coordinate: str, value):
    old = ws[coordinate].value
    ws[coordinate] = value
    return lambda: ws.__setitem__(coordinate, old)


def test_every_option_relabelled_at_first_middle_and_last(campaign, pack, tmp_path):
    book = open_book(campaign["book"])
    lists_name = book.meta["lists_sheet"]
    header: dict[str, str] = {}
    for c in book.lists[1]:  # the first column headed by each code (the matrix reuses C1-C3 further on)
        if c.value:
            header.setdefault(c.value, c.column_letter)
    assert set(OPTION_ROWS) <= set(header)
    changes = []
    for code, rows in OPTION_ROWS.items():
        for r in rows:
            cell = f"{header[code]}{r}"
            assert book.lists[cell].value, cell  # an option is there
            changes.append(((code, r), lambda wb, cell=cell: set_cell(wb[lists_name], cell, "Autre réponse")))
    missed = []
    for (code, r), path in variants(campaign, tmp_path, changes).items():
        problems = [p for p in validate_file(path, pack).problems if p.code == "relabelled-options"]
        if [p.severity for p in problems] != ["error"] or code not in problems[0].message:
            missed.append((code, r))
    assert missed == []


def test_device_row_deleted_at_first_middle_and_last(campaign, pack, tmp_path):
    book = open_book(campaign["book"])
    first, spare = int(book.meta["first_row"]), int(book.meta["first_spare_row"])
    id_col = book.columns["ID"]
    positions = (first, (first + spare - 1) // 2, spare - 1)
    ids = {r: book.input.cell(r, id_col).value for r in positions}
    assert len(set(ids.values())) == 3 and all(ids.values())
    sheet = book.meta["input_sheet"]

    def delete(r):
        def change(wb):
            wb[sheet].delete_rows(r)
            return lambda: None

        return change

    # delete_rows cannot be undone: one load per variant.
    for r in positions:
        path = next(iter(variants(campaign, tmp_path / str(r), [(r, delete(r))]).values()))
        report = validate_file(path, pack)
        missing = [p.device_id for p in report.problems if p.code == "device-missing"]
        assert missing == [ids[r]], (r, missing)
        assert report.status == "invalid"


def test_one_formula_changed_in_every_computed_column(campaign, pack, tmp_path):
    book = open_book(campaign["book"])
    cols = book.columns
    first, spare = int(book.meta["first_row"]), int(book.meta["first_spare_row"])
    sheet = book.meta["input_sheet"]
    changes, where = [], {}
    for i, code in enumerate(COMPUTED):
        r = (first, (first + spare - 1) // 2, spare - 1)[i % 3]
        cell = book.input.cell(r, cols[code])
        assert isinstance(cell.value, str) and cell.value.startswith("="), (code, cell.value)
        # A small, plausible edit: one more term at the end of the formula.
        edited = cell.value + "+0" if code != "STATUS" else cell.value + '&""'
        where[code] = cell.coordinate
        changes.append((code, lambda wb, c=cell.coordinate, v=edited: set_cell(wb[sheet], c, v)))
    missed = []
    for code, path in variants(campaign, tmp_path, changes).items():
        cells = [p.cell for p in validate_file(path, pack).problems if p.code == "formula-changed"]
        if cells != [where[code]]:
            missed.append((code, cells))
    assert missed == []
