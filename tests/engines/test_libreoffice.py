"""LibreOffice headless conversion and recalculation, against the real soffice (no mocks).

Each soffice start costs seconds, so conversions are batched in module-scoped fixtures.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from medrisk_xl.engines.libreoffice import LibreOfficeError, convert, error_cells, find_soffice, recalculate

needs_lo = pytest.mark.libreoffice

# A1:C1 labels broadcast against the 4x3 block E1:G4; points in E6:G9. EXACT is case-sensitive.
LABELS = ["a", "b", "c"]
LABEL_BLOCK = [["a", "x", "c"], ["x", "b", "x"], ["A", "b", "c"], ["x", "x", "x"]]
POINTS_BLOCK = [[1, 2, 4], [8, 16, 32], [64, 128, 256], [512, 1024, 2048]]
EXPECTED_SUM = sum(
    points
    for label_row, points_row in zip(LABEL_BLOCK, POINTS_BLOCK)
    for label, cell, points in zip(LABELS, label_row, points_row)
    if label == cell
)  # 1 + 4 + 16 + 128 + 256 = 405


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _value(path: Path, cell: str, sheet: str | None = None) -> object:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return ws[cell].value
    finally:
        wb.close()


def _write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    paths: dict[str, Path] = {}

    paths["stale"] = folder / "stale.xlsx"
    with xlsxwriter.Workbook(paths["stale"]) as wb:
        ws = wb.add_worksheet("Calc")
        ws.write_number("A1", 21)
        ws.write_formula("B1", "=A1*2", None, 999)  # deliberately wrong cached value

    paths["sumproduct"] = folder / "sumproduct.xlsx"
    with xlsxwriter.Workbook(paths["sumproduct"]) as wb:
        ws = wb.add_worksheet("Calc")
        ws.write_row("A1", LABELS)
        for i, row in enumerate(LABEL_BLOCK):
            ws.write_row(i, 4, row)  # E1:G4
        for i, row in enumerate(POINTS_BLOCK):
            ws.write_row(5 + i, 4, row)  # E6:G9
        ws.write_formula("I1", "=SUMPRODUCT(EXACT(A1:C1,E1:G4)*E6:G9)", None, -1)

    paths["errors"] = folder / "errors.xlsx"
    with xlsxwriter.Workbook(paths["errors"]) as wb:
        ws = wb.add_worksheet("Visible")
        ws.write_formula("A1", "=1/0")
        ws.write_formula("A2", "=1+1")
        hidden = wb.add_worksheet("Hidden")
        hidden.hide()
        hidden.write_formula("C3", "=NOSUCHFUNC(1)")

    paths["clean"] = folder / "clean name é.xlsx"  # a space and a non-ASCII letter on purpose
    with xlsxwriter.Workbook(paths["clean"]) as wb:
        ws = wb.add_worksheet("Calc")
        ws.write_number("A1", 1)
        ws.write_formula("A2", "=A1/2")
        ws.write_formula("A3", '=IFERROR(1/0,"ok")')
        wb.add_worksheet("Hidden").hide()

    paths["garbage"] = folder / "garbage.xlsx"
    paths["garbage"].write_bytes(b"this is not a spreadsheet")
    return paths


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _write_inputs(tmp_path_factory.mktemp("lo") / "in")


@pytest.fixture(scope="module")
def input_hashes(inputs: dict[str, Path]) -> dict[str, str]:
    return {name: _sha256(path) for name, path in inputs.items()}


@pytest.fixture(scope="module")
def recalculated(soffice: str, inputs: dict[str, Path], input_hashes: dict[str, str]) -> dict[str, Path]:
    """One soffice run: every good input recalculated to xlsx."""
    names = ["stale", "sumproduct", "errors", "clean"]
    outputs = convert([inputs[n] for n in names], inputs["stale"].parent.parent / "xlsx")
    return dict(zip(names, outputs))


@pytest.fixture(scope="module")
def not_recalculated(soffice: str, inputs: dict[str, Path], input_hashes: dict[str, str]) -> Path:
    return convert([inputs["stale"]], inputs["stale"].parent.parent / "norecalc", recalc=False)[0]


@pytest.fixture(scope="module")
def as_ods(soffice: str, inputs: dict[str, Path], input_hashes: dict[str, str]) -> list[Path]:
    names = ["clean", "stale", "sumproduct"]
    return convert([inputs[n] for n in names], inputs["stale"].parent.parent / "ods", "ods")


@pytest.fixture(scope="module")
def as_pdf(soffice: str, inputs: dict[str, Path], input_hashes: dict[str, str]) -> Path:
    return convert([inputs["stale"]], inputs["stale"].parent.parent / "pdf", "pdf")[0]


@needs_lo
def test_find_soffice_agrees_with_fixture(soffice: str) -> None:
    assert find_soffice() == soffice


@needs_lo
def test_recalculation_replaces_wrong_cached_value(recalculated: dict[str, Path]) -> None:
    assert _value(recalculated["stale"], "B1") == 42


@needs_lo
def test_without_recalc_the_cached_value_survives(not_recalculated: Path) -> None:
    assert _value(not_recalculated, "B1") == 999


@needs_lo
def test_recalculate_single_file(soffice: str, inputs: dict[str, Path], tmp_path: Path) -> None:
    out = recalculate(inputs["stale"], tmp_path)
    assert out == tmp_path.resolve() / "stale.xlsx"
    assert _value(out, "B1") == 42


@needs_lo
def test_sumproduct_exact_broadcasts_row_against_block(recalculated: dict[str, Path]) -> None:
    assert _value(recalculated["sumproduct"], "I1") == EXPECTED_SUM


@needs_lo
def test_batch_outputs_follow_input_order(as_ods: list[Path], inputs: dict[str, Path]) -> None:
    assert [p.name for p in as_ods] == ["clean name é.ods", "stale.ods", "sumproduct.ods"]
    for path in as_ods:
        assert path.stat().st_size > 0
        with zipfile.ZipFile(path) as zf:
            assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"


@needs_lo
def test_recalculated_batch_outputs_follow_input_order(recalculated: dict[str, Path]) -> None:
    assert [p.name for p in recalculated.values()] == [
        "stale.xlsx",
        "sumproduct.xlsx",
        "errors.xlsx",
        "clean name é.xlsx",
    ]


@needs_lo
def test_pdf_conversion(as_pdf: Path) -> None:
    assert as_pdf.suffix == ".pdf"
    assert as_pdf.stat().st_size > 0
    assert as_pdf.read_bytes().startswith(b"%PDF")


@needs_lo
def test_error_cells_finds_errors_including_hidden_sheets(recalculated: dict[str, Path]) -> None:
    assert error_cells(recalculated["errors"]) == [
        ("Visible", "A1", "#DIV/0!"),
        ("Hidden", "C3", "#NAME?"),
    ]


@needs_lo
def test_error_cells_empty_on_clean_file(recalculated: dict[str, Path]) -> None:
    assert error_cells(recalculated["clean"]) == []
    assert _value(recalculated["clean"], "A3") == "ok"


@needs_lo
def test_inputs_are_not_modified(
    inputs: dict[str, Path],
    input_hashes: dict[str, str],
    recalculated: dict[str, Path],
    not_recalculated: Path,
    as_ods: list[Path],
    as_pdf: Path,
) -> None:
    assert {name: _sha256(path) for name, path in inputs.items()} == input_hashes


def test_missing_input_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "absent.xlsx"
    with pytest.raises(LibreOfficeError, match=re.escape(str(missing))):
        convert([missing], tmp_path / "out")


@needs_lo
def test_unloadable_input_names_the_file_and_reports_stderr(
    soffice: str, inputs: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(LibreOfficeError, match=r"garbage\.xlsx.*stderr") as info:
        convert([inputs["stale"], inputs["garbage"]], tmp_path)
    assert "could not be loaded" in str(info.value)


def test_outdir_holding_an_input_is_refused(inputs: dict[str, Path], input_hashes: dict[str, str]) -> None:
    with pytest.raises(LibreOfficeError, match=r"contains input stale\.xlsx"):
        convert([inputs["stale"]], inputs["stale"].parent)
    assert _sha256(inputs["stale"]) == input_hashes["stale"]


def test_two_inputs_with_the_same_output_are_refused(inputs: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    twin = other / "stale.xlsx"
    twin.write_bytes(inputs["stale"].read_bytes())
    with pytest.raises(LibreOfficeError, match="would both be converted"):
        convert([inputs["stale"], twin], tmp_path / "out")


def test_unknown_format_is_refused(inputs: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported format"):
        convert([inputs["stale"]], tmp_path, "docx")


@needs_lo
def test_csv_conversion(soffice: str, inputs: dict[str, Path], tmp_path: Path) -> None:
    out = convert([inputs["stale"]], tmp_path, "csv")[0]
    assert out.read_text(encoding="utf-8").splitlines() == ["21,42"]


@needs_lo
def test_timeout_kills_soffice_and_removes_profile(
    soffice: str, inputs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(LibreOfficeError, match=r"within 0\.05 s and was killed"):
        convert([inputs["stale"]], tmp_path / "out", timeout=0.05)
    assert list(scratch.iterdir()) == []
