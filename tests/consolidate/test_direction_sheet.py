"""The one-page summary for management (issue 27): first sheet of the map, its figures on the
shipped samples written out, and LibreOffice printing it on one A4 page (French, English, and a
campaign of 30 departments)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support.pdfread import Pdf

from medrisk_xl.consolidate import consolidate
from medrisk_xl.consolidate.workbook import write_consolidated
from medrisk_xl.consolidate.workbook.direction_figures import (
    confirmation,
    coverage_figures,
    item_actions,
    risk_groups,
    top_devices,
)

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "samples" / "returns"
IT = ROOT / "samples" / "it"
MANIFEST = ROOT / "samples" / "campaign" / "campaign.json"
MIN_PT = 7.0
EPOCH = 1_796_000_000  # 2026-11-30 (UTC)


@pytest.fixture(scope="module")
def result(pack):
    return consolidate([RETURNS], manifest=MANIFEST, pack=pack)


@pytest.fixture(scope="module")
def maps(result, pack, tmp_path_factory) -> dict[str, Path]:
    """The samples' map in French and English, and a campaign of 30 departments on 7 sites (the
    samples' devices spread over them), written under SOURCE_DATE_EPOCH."""
    tmp = tmp_path_factory.mktemp("direction")
    register = result.register.copy()
    register["department"] = [f"Médecine {i % 30 + 1:02d}" for i in range(len(register))]
    register["site"] = [f"Site {i % 7 + 1}" for i in range(len(register))]
    many = dataclasses.replace(result, register=register, coverage=None)
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        for key, res in (("fr", result), ("en", dataclasses.replace(result, language="en")), ("30", many)):
            out[key] = tmp / f"map-{key}.xlsx"
            write_consolidated(res, out[key], pack)
    return out


def rows_of(ws) -> list[list[object]]:
    rows = [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
    return [r for r in rows if r]


def test_the_samples_figures_are_written_out(result, pack):
    assert coverage_figures(result) == {"expected": 120, "returned": 105, "mapped": 90}
    assert confirmation(result.register) == {1: (8, 0), 2: (43, 0), 3: (39, 8)}  # (mapped, provisional)
    actions = item_actions(pack.language("fr"), result.register, {"plan": "{level}", "item": "{code}"})
    got = [(a.code, a.strong, a.devices) for a in actions[:5]]
    assert got == [("V4", 27, 45), ("V3", 25, 35), ("V10", 23, 40), ("V9", 20, 41), ("V7", 19, 34)]
    # The same counts by hand from the register: devices of the map at risk 2 or 3 whose
    # non-compliant items hold the code.
    mapped = result.scored
    for code, strong, devices in got:
        has = mapped["non_compliant_items"].fillna("").map(lambda s, c=code: c in s.split(", "))
        assert int((has & (mapped["risk_level"] == 3)).sum()) == strong
        assert int((has & mapped["risk_level"].isin([2, 3])).sum()) == devices


def test_without_a_manifest_returned_and_mapped_only(pack):
    res = consolidate([RETURNS], pack=pack)
    assert coverage_figures(res) == {"returned": 105, "mapped": 90}


def test_with_the_it_workbook_the_confirmed_devices_are_counted(pack):
    res = consolidate([RETURNS, IT], manifest=MANIFEST, pack=pack)
    assert coverage_figures(res) == {"expected": 120, "returned": 105, "mapped": 90, "confirmed": 88}
    # the IT answers lowered 6 devices from strong to moderate risk; 2 still rest on NE SAIT PAS
    assert confirmation(res.register) == {1: (8, 0), 2: (49, 0), 3: (33, 2)}


def test_long_department_lists_are_capped(result):
    register = result.register.copy()
    register["department"] = [f"D{i % 30:02d}" for i in range(len(register))]
    groups = risk_groups(register, "department", "?", 8)
    assert len(groups.rows) == 8 and groups.others is not None and groups.others[0] == 22
    strong = [r[3] for r in groups.rows]
    assert strong == sorted(strong, reverse=True) and min(strong) >= 0
    mapped = result.scored["risk_level"].value_counts()
    total = [sum(r[i] for r in groups.rows) + groups.others[i] for i in (1, 2, 3)]
    assert total == [mapped[1], mapped[2], mapped[3]]  # nothing lost in "others"


def test_the_sheet_comes_first_with_the_coverage_and_the_reasons(maps, result):
    wb = openpyxl.load_workbook(maps["fr"])
    assert wb.sheetnames[:2] == ["Synthèse direction", "Synthèse"]
    assert wb.active.title == "Synthèse direction"
    rows = rows_of(wb["Synthèse direction"])
    assert rows[0] == ["Synthèse pour la direction"]
    assert rows[1] == ["Campagne", "demo-2026", "Consolidée le", dt.datetime(2026, 11, 30)]
    assert rows[2][:4] == ["Couverture (dispositifs)", "Attendus", "Retournés", "Cartographiés"]
    assert rows[3][:4] == ["Parc", 120, 105, 90]
    # DM-033833, a monitoring station of neonatology, answered by hand in its return: V2, V4, V6
    # and V8 NON, V7 NE SAIT PAS, the others OUI.
    device = result.register.set_index("device_id").loc["DM-033833"]
    answers = {f"V{i}": device[f"V{i}_answer"] for i in range(1, 11)}
    assert answers == {
        **{f"V{i}": "OUI" for i in (1, 3, 5, 9, 10)},
        **{f"V{i}": "NON" for i in (2, 4, 6, 8)},
        "V7": "NE SAIT PAS",
    }
    row = next(r for r in rows if "DM-033833" in r)
    assert row[-1] == "V2 OS à jour, V4 Wi-Fi, V6 Ports, V7 Interfaces (NSP), V8 Fiche SI"
    assert row[:5] == ["Centrale de surveillance", "DM-033833", 3, 28, "Néonatologie"]
    assert [t.device_id for t in top_devices(result)] == result.scored["device_id"].head(10).tolist()
    core = zipfile.ZipFile(maps["fr"]).read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-30T' in core  # the same date


def test_english_texts(maps):
    wb = openpyxl.load_workbook(maps["en"])
    assert wb.sheetnames[:2] == ["Management summary", "Summary"]
    rows = rows_of(wb["Management summary"])
    assert rows[3][:4] == ["Fleet", 120, 105, 90]
    assert any("V2 OS updates, V4 Wi-Fi, V6 Ports, V7 Interfaces (DK), V8 IS sheet" in r for r in rows)


def test_thirty_departments_fold_into_others(maps):
    rows = rows_of(openpyxl.load_workbook(maps["30"])["Synthèse direction"])
    assert ["Autres (22)", 8, 35, 23, 66] in rows
    assert ["Les 8 services aux plus de DM à risque fort ; 22 autres regroupés."] in rows
    assert any(r[-1] == "Les 4 sites aux plus de DM à risque fort ; 3 autres regroupés." for r in rows)
    assert any(r[-5:] == ["Autres (3)", 4, 19, 15, 38] for r in rows)  # 7 sites: 4 shown


@pytest.fixture(scope="module")
def printed(soffice, maps, tmp_path_factory) -> dict[str, Pdf]:
    from medrisk_xl.engines.libreoffice import convert

    tmp = tmp_path_factory.mktemp("direction-pdf")
    pdfs = convert(list(maps.values()), tmp, "pdf")
    return {key: Pdf(pdf) for key, pdf in zip(maps, pdfs)}


@pytest.mark.libreoffice
@pytest.mark.parametrize(("key", "sheet"), [("fr", "Synthèse direction"), ("en", "Management summary")])
def test_printed_on_one_a4_page_readably(printed, key, sheet):
    pages = printed[key].sheets()[sheet]
    assert len(pages) == 1
    (page,) = pages
    assert abs(page.width - 841.9) < 1 and abs(page.height - 595.3) < 1  # A4 landscape
    small = sorted({(r.text, r.size) for r in page.runs if r.size < MIN_PT})
    assert not small, small[:5]


@pytest.mark.libreoffice
def test_thirty_departments_still_print_on_one_page(printed):
    (page,) = printed["30"].sheets()["Synthèse direction"]
    assert "Autres (22)" in page.text
    small = sorted({(r.text, r.size) for r in page.runs if r.size < MIN_PT})
    assert not small, small[:5]


def test_a_page_too_tall_shows_fewer_departments(result, pack, tmp_path):
    """Long department names (two lines each), every item non-compliant on every device: fewer
    departments before "Autres", so that the rows fit a landscape A4 page at 72 % (the page's
    height, margins of grid.yaml taken off: 6.97 in)."""
    register = result.register.copy()
    register["department"] = [f"Chirurgie orthopédique {i % 30 + 1:02d}" for i in range(len(register))]
    register["non_compliant_items"] = ", ".join(f"V{i}" for i in range(1, 11))
    path = tmp_path / "tall.xlsx"
    write_consolidated(dataclasses.replace(result, register=register, coverage=None), path, pack)
    ws = openpyxl.load_workbook(path)["Synthèse direction"]
    heights = [ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)]
    assert sum(heights) <= 6.97 * 72 / 0.72
    notes = [r[-1] for r in rows_of(ws) if str(r[-1]).endswith("autres regroupés.")]
    assert notes[-1] == "Les 2 services aux plus de DM à risque fort ; 28 autres regroupés."


def test_content_check_names_a_bad_direction_template(pack):
    import copy

    from medrisk_xl.method.checks.ui import check_consolidated

    data = copy.deepcopy(pack.language("fr").ui["consolidated"])
    assert check_consolidated(data, "ui.yaml") == []
    data["direction"]["others"] = "Autres ({count})"
    (problem,) = check_consolidated(data, "ui.yaml")
    assert (problem.code, problem.path) == ("bad-template", "consolidated.direction.others")
