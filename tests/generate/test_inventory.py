"""Reading CMMS inventories as hospitals really export them."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medrisk_xl import MedriskError
from medrisk_xl.core.textsafe import CELL_MAX, clean_text
from medrisk_xl.generate.inventory import ce_answer, read_inventory


def test_windows_1252_comma_english_headers(tmp_path):
    text = "Inventory number,Designation,Department,CE class,Manufacturer\r\nA-01,Échographe,Réanimation,IIb,Hélios\r\n"
    path = tmp_path / "inv.csv"
    path.write_bytes(text.encode("cp1252"))
    inv = read_inventory(path)
    (device,) = inv.devices
    assert device.id == "A-01" and device.get("designation") == "Échographe"
    assert device.get("department") == "Réanimation" and device.get("brand") == "Hélios"
    assert device.ce_answer == 3


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom_semicolon(tmp_path, bom):
    text = "N° INVENTAIRE;designation;SERVICE;Date de mise en service;Commentaire\n007;Pompe;Néonat;01/02/2020;à voir\n"
    path = tmp_path / "inv.csv"
    path.write_bytes(bom + text.encode("utf-8"))
    inv = read_inventory(path)
    assert inv.devices[0].id == "007"  # leading zeros kept: ids are text
    assert inv.fields == ["device_id", "designation", "department", "commissioning_date"]
    assert inv.extra_columns == ["Commentaire"] and inv.devices[0].extra == {"Commentaire": "à voir"}


def test_xlsx_inventory(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["N° d'inventaire", "Libellé", "Service", "Date MES", "Classe"])
    ws.append([12, "Scanner", "Imagerie", dt.datetime(2019, 5, 3), "III"])
    ws.append([None, None, None, None, None])
    ws.append(["X9", "IRM", "Imagerie", None, "Classe IIa"])
    wb.save(tmp_path / "inv.xlsx")
    inv = read_inventory(tmp_path / "inv.xlsx")  # the table ends at its first empty row
    assert [d.id for d in inv.devices] == ["12"] and inv.sheet == "Sheet" and inv.header_row == 1
    assert [(w.code, w.row) for w in inv.warnings] == [("rows-after-blank", None), ("numeric-ids", None)]
    assert "row 4 after the empty row 3 ignored: « X9 » « IRM » « Imagerie » …" in (inv.warnings[0].message)
    inv = read_inventory(tmp_path / "inv.xlsx", include_after_blank=True)
    assert [d.id for d in inv.devices] == ["12", "X9"]
    assert inv.devices[0].get("commissioning_date") == "03/05/2019"
    assert inv.devices[0].date("commissioning_date") == dt.date(2019, 5, 3)
    assert [d.ce_answer for d in inv.devices] == [4, 2]
    assert [d.row for d in inv.devices] == [2, 4]


def test_undecodable_bytes_named_with_their_row(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_bytes(b"N\xb0 inventaire;Service\nA;R\xe9a\nB;\x81\x8d\n")
    with pytest.raises(MedriskError) as err:
        read_inventory(path)
    (problem,) = err.value.problems
    assert problem.code == "undecodable-bytes" and problem.row == 3 and problem.file == "inv.csv"


def test_not_an_inventory(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 nope")
    for name, code in (
        ("x.pdf", "bad-format"),
        ("broken.xlsx", "unreadable"),
        ("missing.csv", "missing-file"),
    ):
        with pytest.raises(MedriskError) as err:
            read_inventory(tmp_path / name)
        assert err.value.problems[0].code == code


def test_map_unknown_field_or_column(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("Num;Lieu\n1;A\n", encoding="utf-8")
    with pytest.raises(MedriskError) as err:
        read_inventory(path, mapping={"Num": "serial", "Nope": "site"})
    messages = " ".join(p.message for p in err.value.problems)
    assert "unknown field" in messages and "no column named 'Nope'" in messages
    assert "device_id is missing" in messages


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("I", 1),
        ("Is", 1),
        ("classe I", 1),
        ("IIa", 2),
        ("IIA", 2),
        ("2a", 2),
        ("Classe IIb", 3),
        ("2 b", 3),
        ("III", 4),
        ("classe 3", 4),
        ("II", None),
        ("IV", None),
        ("A", None),
    ],
)
def test_ce_classes(text, points):
    assert ce_answer(text) == points


def test_repeated_headers_are_kept_apart(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("N° inventaire;Commentaire;Commentaire;Service\nA;x;y;R\n", encoding="utf-8")
    inv = read_inventory(path)
    assert inv.extra_columns == ["Commentaire", "Commentaire (2)"]
    assert inv.devices[0].extra == {"Commentaire": "x", "Commentaire (2)": "y"}


@given(st.text(max_size=300))
def test_clean_text_never_leaves_control_characters(text):
    cleaned, cut = clean_text(text)
    assert not cut and len(cleaned) <= len(text)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned)
    assert cleaned == cleaned.strip()


def test_clean_text_cuts_at_the_cell_limit():
    cleaned, cut = clean_text("é" * (CELL_MAX + 5))
    assert cut and len(cleaned) == CELL_MAX


def test_rows_with_more_or_fewer_fields_than_the_header(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text(
        "N° inventaire;Désignation;Service;Site\n"
        "A1;IRM 1;5 T;Imagerie;Nord\n"  # the case: an unquoted ';' in the designation
        "A2;Scanner;Imagerie;Nord\n"
        "A3;Pompe;Réa\n"
        'A4;"IRM 1;5 T";Imagerie;Nord\n',  # quoted: fine
        encoding="utf-8",
    )
    with pytest.raises(MedriskError) as err:
        read_inventory(path)
    problems = err.value.problems
    assert [(p.code, p.row) for p in problems] == [("field-count", 2), ("field-count", 4)]
    assert "row has 5 fields but the header has 4" in problems[0].message
    assert "separator inside a value" in problems[0].message and "designation" in problems[0].message
    assert problems[0].to_text().startswith("inv.csv, row 2: ")


def test_a_folder_given_as_inventory(tmp_path):
    with pytest.raises(MedriskError) as err:
        read_inventory(tmp_path)
    (problem,) = err.value.problems
    assert problem.code == "not-a-file" and "is a folder" in problem.message


@pytest.mark.parametrize(
    ("data", "code", "said"),
    [  # recognised by their bytes, whatever the name says
        (b"PK\x03\x04" + bytes(range(256)) * 4, "unreadable", "damaged or incomplete"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "unreadable", "damaged or incomplete"),
        (bytes(range(256)) * 12, "bad-format", "it looks like binary data"),
        (b"%PDF-1.7" + bytes(range(256)) * 4, "bad-format", "it looks like a PDF document"),
    ],
)
def test_a_binary_file_renamed_csv(tmp_path, data, code, said):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with pytest.raises(MedriskError) as err:
        read_inventory(path)
    (problem,) = err.value.problems
    assert problem.code == code and said in problem.message and problem.file == "export.csv"
    assert "CSV" in problem.message and "XLSX, XLS or ODS" in problem.message


def test_utf16_csv_from_excel_unicode_text(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_bytes("N° inventaire\tService\r\nA1\tRéa\r\n".encode("utf-16"))
    assert read_inventory(path).devices[0].get("department") == "Réa"


def test_missing_split_column_suggests_another_split(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("N° inventaire;Site\nA1;Nord\n", encoding="utf-8")
    with pytest.raises(MedriskError) as err:
        read_inventory(path, require_columns=("department",), require_values=("department",))
    (problem,) = err.value.problems
    assert problem.code == "missing-column" and "or use --split-by site|none" in problem.message
    path.write_text("N° inventaire\nA1\n", encoding="utf-8")
    with pytest.raises(MedriskError) as err:
        read_inventory(path, require_columns=("department",), require_values=("department",))
    assert "or use --split-by none" in err.value.problems[0].message  # no Site column to offer


def test_several_department_columns_say_which_was_read_and_how_to_choose(tmp_path):
    """An export with Pôle, UF and Service: the department is read from the first name in
    inventory.yaml's order of preference (Service), and a warning names the others and --map;
    with --map the chosen column is read and nothing is said."""
    path = tmp_path / "inv.csv"
    path.write_text(
        "N° inventaire;Désignation;Pôle;UF;Service\nDM-1;Pompe;Pôle A;UF 12;Réa\nDM-2;Pompe;Pôle A;UF 13;Bloc\n",
        encoding="utf-8",
    )
    inv = read_inventory(path)
    (w,) = [w for w in inv.warnings if w.code == "column-choice"]
    assert w.severity == "warning" and w.row == 1 and w.file == "inv.csv"
    assert "'Service'" in w.message and "Pôle, UF" in w.message and '--map "Pôle=department"' in w.message
    assert [d.fields["department"] for d in inv.devices] == ["Réa", "Bloc"]
    chosen = read_inventory(path, mapping={"UF": "department"})
    assert not [w for w in chosen.warnings if w.code == "column-choice"]
    assert [d.fields["department"] for d in chosen.devices] == ["UF 12", "UF 13"]
    single = tmp_path / "one.csv"
    single.write_text("N° inventaire;Désignation;Service\nDM-1;Pompe;Réa\n", encoding="utf-8")
    assert not [w for w in read_inventory(single).warnings if w.code == "column-choice"]
