"""The IT workbook's writer (issue 25): what its answer sheet, list sheet and ``_meta`` hold, read
back with openpyxl (and with the project's own ``_meta`` reader), and that LibreOffice keeps it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from support.it_plans import HOSTILE, LABELS, RICH, small_plan

from medrisk_xl.core.version import __version__
from medrisk_xl.method.output_columns import IT_COLUMNS
from medrisk_xl.workbook import contract, it_contract
from medrisk_xl.workbook.read.read_model import Sheet, SheetXml, read_meta
from medrisk_xl.workbook.write.it_book import build_it_workbook
from medrisk_xl.workbook.write.it_plan import ItPlan

SHEETS = {"fr": ("Accueil", "Réponses informatique", "Listes"), "en": ("Start", "IT answers", "Lists")}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module", params=["fr", "en"])
def built(request, pack) -> tuple[str, ItPlan, bytes]:
    plan = small_plan(request.param)
    return request.param, plan, build_it_workbook(plan, pack)


def header_cols(ws) -> dict[str, int]:
    return {ws.cell(contract.CODE_ROW, c).value: c for c in range(1, ws.max_column + 1)}


def test_sheets_in_tab_order_with_their_states(built):
    lang, _, data = built
    wb = load(data)
    start, answers, lists = SHEETS[lang]
    assert wb.sheetnames == [start, answers, lists, contract.META_SHEET]
    states = [wb[name].sheet_state for name in wb.sheetnames]
    assert states == ["visible", "visible", "hidden", "veryHidden"]
    assert wb.active.title == start
    assert wb.security.lockStructure and wb.security.workbookPassword
    assert all(wb[name].protection.sheet for name in wb.sheetnames)


def test_code_row_headers_and_rows(built, pack):
    lang, _, data = built
    ws = load(data)[SHEETS[lang][1]]
    assert it_contract.COLUMNS == IT_COLUMNS
    codes = [ws.cell(contract.CODE_ROW, c).value for c in range(1, len(IT_COLUMNS) + 1)]
    assert (
        codes == list(it_contract.COLUMNS) and ws.cell(contract.CODE_ROW, len(IT_COLUMNS) + 1).value is None
    )
    heads = pack.language(lang).ui["it_workbook"]["columns"]
    assert [ws.cell(contract.HEADER_ROW, c).value for c in range(1, len(codes) + 1)] == [
        heads[c] for c in codes
    ]
    language = pack.language(lang)
    expected = [
        ["G0001", "Nord", "Acme", HOSTILE, 2, "INV-1, INV-2", "V1", None, None, "2 NE SAIT PAS", None],
        [
            "G0001",
            "Nord",
            "Acme",
            HOSTILE,
            2,
            "INV-1, INV-2",
            "V2",
            None,
            None,
            None,
            "MDS2 2024: Windows 10 IoT",
        ],
        ["G0002", "Sud", RICH, "M-200", 1, "INV-3", "V4", None, None, None, None],
        ["G0002", "Sud", RICH, "M-200", 1, "INV-3", "V1", None, None, None, None],
    ]
    col = header_cols(ws)
    for i, want in enumerate(expected):
        r = contract.FIRST_ROW + i
        item = want[6]
        want[7], want[8] = language.title(item), language.long_help(item)
        got = [ws.cell(r, col[c]).value for c in it_contract.COLUMNS[:11]]
        assert got == want
        assert isinstance(ws.cell(r, col["DEVICE_COUNT"]).value, int)
        assert ws.cell(r, col["DEVICE_COUNT"]).data_type == "n"
    assert ws.cell(contract.FIRST_ROW + 1, col["PREVIOUS"]).value == "NON"
    assert ws.cell(contract.FIRST_ROW + len(expected), 1).value is None


def test_hostile_inventory_text_stays_literal(built):
    lang, _, data = built
    ws = load(data)[SHEETS[lang][1]]
    col = header_cols(ws)
    model, brand = ws.cell(contract.FIRST_ROW, col["MODEL"]), ws.cell(contract.FIRST_ROW + 2, col["BRAND"])
    assert model.value == HOSTILE and model.data_type == "s"
    assert brand.value == RICH and brand.data_type == "s"


def test_filled_cells_and_only_the_it_columns_unlocked(built):
    lang, _, data = built
    ws = load(data)[SHEETS[lang][1]]
    col = header_cols(ws)
    # OOXML protection attributes say what is locked: sorting stays locked, filtering is allowed
    assert ws.protection.sheet and ws.protection.sort and not ws.protection.autoFilter
    for r in range(contract.FIRST_ROW, contract.FIRST_ROW + 4):
        unlocked = {code for code, c in col.items() if not ws.cell(r, c).protection.locked}
        assert unlocked == set(it_contract.INPUT_COLUMNS)
    third, fourth = contract.FIRST_ROW + 2, contract.FIRST_ROW + 3
    assert ws.cell(third, col["IT_ANSWER"]).value == LABELS[lang][0]
    assert ws.cell(third, col["COMMENT"]).value == "sans réseau"
    assert ws.cell(fourth, col["CONFIRMED_BY"]).value == "DSI"
    assert ws.cell(fourth, col["CONFIRMED_ON"]).value == dt.datetime(2026, 3, 5)
    assert ws.cell(fourth, col["CONFIRMED_ON"]).is_date
    assert ws.cell(contract.FIRST_ROW, col["IT_ANSWER"]).value is None
    assert ws.auto_filter.ref == f"A{contract.HEADER_ROW}:P{contract.FIRST_ROW + 3}"
    assert ws.freeze_panes == f"E{contract.FIRST_ROW}"


def cells_of(sqref) -> set[str]:
    out = set()
    for part in str(sqref).split():
        c1, r1, c2, r2 = range_boundaries(part)
        out |= {
            f"{openpyxl.utils.get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)
        }
    return out


def raw_validations(data: bytes, sheet: str) -> list[str]:
    """The opening tags of the ``<dataValidation>`` elements of ``sheet``, as written."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" r:id="(rId\d+)"', workbook).group(1)
        target = re.search(rf'<Relationship Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
        xml = z.read("xl/" + target.removeprefix("/xl/")).decode()
    return re.findall(r"<dataValidation [^>]*>", xml)


def list_source(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The cell values of a dropdown's list source ``'Sheet'!$B$2:$B$4``."""
    sheet, ref = formula.lstrip("=").rsplit("!", 1)
    ws = wb[sheet.strip("'").replace("''", "'")]
    return [cell.value for row in ws[ref.replace("$", "")] for cell in row]


def test_answer_dropdown_lists_the_items_labels_in_scale_order(built):
    lang, plan, data = built
    wb = load(data)
    ws = wb[SHEETS[lang][1]]
    letter = openpyxl.utils.get_column_letter(header_cols(ws)["IT_ANSWER"])
    validations = ws.data_validations.dataValidation
    covered: dict[str, str] = {}
    # A blank cell is allowed: read from the sheet's XML (openpyxl 3.1.0 does not read allowBlank).
    assert raw_validations(data, ws.title) and all(
        'allowBlank="1"' in v for v in raw_validations(data, ws.title)
    )
    for dv in validations:
        assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle in (None, "stop")
        assert dv.error and dv.errorTitle
        assert list_source(wb, dv.formula1) == LABELS[lang]
        item_col = wb[SHEETS[lang][2]].cell(
            1, range_boundaries(dv.formula1.rsplit("!", 1)[1].replace("$", ""))[0]
        )
        for cell in cells_of(dv.sqref):
            covered[cell] = item_col.value
    expected = {f"{letter}{contract.FIRST_ROW + i}": row.item for i, row in enumerate(plan.rows)}
    assert covered == expected


def test_meta_pairs_and_tables(built, pack):
    lang, _, data = built
    ws = load(data)[contract.META_SHEET]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    meta, rows = read_meta(Sheet(contract.META_SHEET, "veryHidden", values, SheetXml()))
    M = it_contract.ItMeta
    assert meta == {
        M.KIND: it_contract.KIND,
        M.SCHEMA_VERSION: str(it_contract.SCHEMA_VERSION),
        M.GENERATOR: f"medrisk-xl {__version__}",
        M.CAMPAIGN: "camp-2026",
        M.CREATED: "2026-03-02T09:30:15",
        M.LANGUAGE: lang,
        M.CONTENT_ID: pack.method.id,
        M.CONTENT_VERSION: pack.method.version,
        M.CONTENT_HASH: pack.hash,
        M.LISTS_SHEET: SHEETS[lang][2],
        M.MODE: "confirm",
        M.GROUP_BY: "model",
        M.RETURNS: json.dumps([["reanimation.xlsx", "ab" * 32], ["urgences.xlsx", "cd" * 32]]),
        M.ANSWER_SHEET: SHEETS[lang][1],
        M.CODE_ROW: "3",
        M.HEADER_ROW: "4",
        M.FIRST_ROW: "5",
        M.LAST_ROW: "8",
        M.COLUMNS: ",".join(it_contract.COLUMNS),
        M.ROWS: "4",
        M.DEVICES: "3",
    }
    assert it_contract.is_it_meta(meta) and it_contract.reads_it_schema(meta)
    assert rows == [
        dict(zip(it_contract.ROW_FIELDS, ("5", "G0001", "V1", "Nord", "Acme", HOSTILE))),
        dict(zip(it_contract.ROW_FIELDS, ("6", "G0001", "V2", "Nord", "Acme", HOSTILE))),
        dict(zip(it_contract.ROW_FIELDS, ("7", "G0002", "V4", "Sud", RICH, "M-200"))),
        dict(zip(it_contract.ROW_FIELDS, ("8", "G0002", "V1", "Sud", RICH, "M-200"))),
    ]
    c0 = it_contract.DEVICE_TABLE_COL + 1
    table = [[ws.cell(r, c0 + c).value for c in range(len(it_contract.DEVICE_FIELDS))] for r in range(1, 6)]
    assert table == [
        list(it_contract.DEVICE_FIELDS),
        ["G0001", "INV-1", "Réanimation", "V1 V2"],
        ["G0001", "INV-2", "Urgences", "V1"],
        ["G0002", "INV-3", "Bloc", "V4"],
        [None, None, None, None],
    ]
    assert all(
        ws.cell(r, c).data_type == "s" for r in range(1, 5) for c in range(1, c0 + 4) if ws.cell(r, c).value
    )


def test_start_sheet_states_the_facts(built, pack):
    lang, _, data = built
    ws = load(data)[SHEETS[lang][0]]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "camp-2026" in texts and "biomed@example.invalid" in texts and dt.datetime(2026, 4, 1) in texts
    assert [t for t in texts if t in ("2", "3", "4")] == ["2", "4", "3"]  # groups, rows, devices
    yes, unknown = LABELS[lang][0], LABELS[lang][2]
    assert any(unknown in str(t) for t in texts) and any(f"{yes}" in str(t) and "V7" in str(t) for t in texts)
    assert any(c.hyperlink and c.hyperlink.location.endswith("!A1") for row in ws.iter_rows() for c in row)
    assert ws.protection.sheet


def test_not_set_contact_and_deadline(pack):
    plan = small_plan("en")
    plan.contact, plan.deadline = None, None
    ws = load(build_it_workbook(plan, pack))["Start"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert texts.count(pack.language("en").ui["it_workbook"]["facts"]["not_set"]) == 2


def test_output_is_deterministic(built, pack):
    lang, _, data = built
    assert build_it_workbook(small_plan(lang), pack) == data


def test_many_device_ids_fit_a_cell(pack):
    data = build_it_workbook(small_plan("fr", big=5000), pack)
    wb = load(data)
    ws = wb[SHEETS["fr"][1]]
    ids = ws.cell(contract.FIRST_ROW + 2, header_cols(ws)["DEVICE_IDS"]).value
    assert (
        len(ids) <= it_contract.CELL_TEXT_LIMIT and ids.startswith("INV-3, BIG-00000") and ids.endswith(")")
    )
    assert ws.cell(contract.FIRST_ROW + 2, header_cols(ws)["DEVICE_COUNT"]).value == 5001
    assert ws.row_dimensions[contract.FIRST_ROW + 2].height <= 150
    meta = wb[contract.META_SHEET]
    devices = [meta.cell(r, it_contract.DEVICE_TABLE_COL + 2).value for r in range(2, meta.max_row + 1)]
    assert len(devices) == 5003 and devices[-1] == "BIG-04999"


def test_a_plan_without_rows(pack):
    plan = small_plan("fr")
    plan.rows = []
    wb = load(build_it_workbook(plan, pack))
    values = [list(row) for row in wb[contract.META_SHEET].iter_rows(values_only=True)]
    meta, rows = read_meta(Sheet(contract.META_SHEET, "veryHidden", values, SheetXml()))
    assert meta[it_contract.ItMeta.LAST_ROW] == str(contract.FIRST_ROW - 1) and rows == []


@pytest.mark.libreoffice
def test_libreoffice_keeps_rows_and_the_dropdown(soffice, pack, tmp_path: Path):
    from medrisk_xl.engines.libreoffice import convert
    from medrisk_xl.workbook.read.reader import read_workbook

    plan = small_plan("fr")
    src = tmp_path / "it.xlsx"
    src.write_bytes(build_it_workbook(plan, pack))
    answer_sheet = SHEETS["fr"][1]
    for fmt in ("xlsx", "ods"):
        (converted,) = convert([src], tmp_path / fmt, fmt, recalc=False)
        book = read_workbook(converted, also_read=lambda meta: [meta[it_contract.ItMeta.ANSWER_SHEET]])
        sheet = book.sheets[answer_sheet]
        assert book.meta[it_contract.ItMeta.KIND] == it_contract.KIND and len(book.meta_rows) == 4
        assert sheet.row(contract.CODE_ROW)[: len(IT_COLUMNS)] == list(IT_COLUMNS)
        for i, row in enumerate(plan.rows):
            values = sheet.row(contract.FIRST_ROW + i)
            assert values[:7] == [
                row.group.group,
                row.group.site,
                row.group.brand,
                row.group.model,
                len(row.group.devices),
                it_contract.device_ids_text(row.group.device_ids),
                row.item,
            ]
        assert sheet.row(contract.FIRST_ROW + 2)[IT_COLUMNS.index("IT_ANSWER")] == "OUI"
    wb = openpyxl.load_workbook(tmp_path / "xlsx" / "it.xlsx")
    ws = wb[answer_sheet]
    letter = openpyxl.utils.get_column_letter(IT_COLUMNS.index("IT_ANSWER") + 1)
    covered = set()
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            assert list_source(wb, dv.formula1) == LABELS["fr"]
            covered |= cells_of(dv.sqref)
    assert covered == {f"{letter}{contract.FIRST_ROW + i}" for i in range(len(plan.rows))}
