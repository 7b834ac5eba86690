"""The department's input sheet on a common hospital screen (1366 x 768): the code row hidden,
headers of a few lines, the identity columns past id, designation, brand and model collapsed, a
zoom that shows at least ``screen.rows`` device rows and ``screen.answer_columns`` answer columns,
and the printed rows (the devices and a few free rows).

The screen itself is checked in a real LibreOffice window on a virtual X screen (Xvfb), driven
through LibreOffice's own Python bridge by tests/support/lo_window.py: what its panes show, not
what the file asks for.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from support.wbtools import codes_of, column_width, hidden_columns

from medrisk_xl.generate.campaign import Options, generate
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.styles import grid_template
from medrisk_xl.workbook.write.text import LINE_HEIGHT, PIXEL, wrapped_lines

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "inventory.csv"
WINDOW = ROOT / "tests" / "support" / "lo_window.py"
SCREEN = (1366, 768)
INPUT_SHEET = 1  # the input sheet's index: after the start sheet


def campaign(tmp: Path, **options) -> tuple[Path, dict]:
    """The largest department of the sample campaign: its path and manifest entry."""
    result = generate(SAMPLE, tmp, Options(campaign="screen", password="pw", **options))
    entry = max(result.manifest["workbooks"], key=lambda w: len(w["device_ids"]))
    return tmp / entry["file"], entry


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_input_sheet_hides_the_code_row_and_clips_long_headers(tmp_path, pack, lang) -> None:
    path, _ = campaign(tmp_path, lang=lang)
    ws = openpyxl.load_workbook(path).worksheets[INPUT_SHEET]
    t = grid_template()
    assert ws.row_dimensions[contract.CODE_ROW].hidden
    assert not any(ws.row_dimensions[r].hidden for r in (contract.GROUP_ROW, contract.HEADER_ROW))
    language, codes = pack.language(lang), codes_of(ws)
    clipped = 0
    for code in pack.method.codes:
        cell = ws.cell(contract.HEADER_ROW, codes[code])
        per_line = column_width(ws, codes[code]) * t["wrap"]["header_chars_per_width"]
        lines = wrapped_lines(cell.value, per_line)
        assert lines <= t["heights"]["header_lines"], (code, cell.value)
        assert language.title(code) in cell.comment.text  # the whole statement in the note
        if cell.value.endswith("…"):  # cut at a word: a prefix of the whole header
            clipped += 1
            assert f"{code} – {language.title(code)}".startswith(cell.value[:-1].rstrip(" ,;:–-"))
    assert clipped >= 3  # the long vulnerability statements (V2, V7, V8...)
    most = t["heights"]["header_lines"] * LINE_HEIGHT + 4 + PIXEL  # files store whole pixels
    assert ws.row_dimensions[contract.HEADER_ROW].height <= most


def test_identity_columns_past_the_first_four_are_grouped_and_collapsed(tmp_path) -> None:
    path, _ = campaign(tmp_path)
    ws = openpyxl.load_workbook(path).worksheets[INPUT_SHEET]
    codes = codes_of(ws)
    shown = grid_template()["screen"]["shown_identity"]
    identity = [c for c, col in sorted(codes.items(), key=lambda kv: kv[1]) if col < codes["C1"]]
    assert identity[:4] == shown[:4] == ["ID", "DESIGNATION", "BRAND", "MODEL"] and len(identity) > 4
    dims = {get_column_letter(codes[c]): c for c in identity}
    grouped = {
        get_column_letter(col)
        for dim in ws.column_dimensions.values()  # openpyxl keeps a run of equal columns once
        if dim.outlineLevel == 1 and dim.hidden
        for col in range(dim.min, dim.max + 1)
    }
    assert {dims[letter] for letter in grouped} == set(identity) - set(shown)
    # A row standing for a device type (--per cneh) keeps its device count and ids in sight.
    per_type = generate(SAMPLE, tmp_path / "cneh", Options(campaign="t", password="pw", per="cneh"))
    ws = openpyxl.load_workbook(tmp_path / "cneh" / per_type.manifest["workbooks"][0]["file"]).worksheets[
        INPUT_SHEET
    ]
    codes = codes_of(ws)
    hidden = {c for c, col in codes.items() if col in hidden_columns(ws)}
    assert {"DEVICE_COUNT", "DEVICE_IDS", "ID", "DESIGNATION"}.isdisjoint(hidden) and "SITE" in hidden
    assert ws.column_dimensions[get_column_letter(codes["C1"])].collapsed  # the group's "+"
    low, high = grid_template()["screen"]["zoom"]
    assert low <= (ws.sheet_view.zoomScale or 100) <= high and ws.sheet_view.zoomScale % 5 == 0


def test_printing_stops_after_the_devices_and_a_few_free_rows(tmp_path) -> None:
    path, entry = campaign(tmp_path)
    ws = openpyxl.load_workbook(path).worksheets[INPUT_SHEET]
    free = grid_template()["print"]["input"]["free_rows"]
    devices = len(entry["device_ids"])
    last = contract.FIRST_ROW + devices + free - 1
    assert ws.print_area.endswith(f"${last}")
    assert ws.cell(last, 1).value is None and ws.cell(last - free, 1).value == max(entry["device_ids"])
    assert ws.max_row > last  # the free rows not printed are still there to fill
    blank = generate(None, tmp_path / "blank", Options(campaign="b", password="pw"))
    ws = openpyxl.load_workbook(tmp_path / "blank" / blank.manifest["workbooks"][0]["file"])
    ws = ws.worksheets[INPUT_SHEET]
    rows = contract.FIRST_ROW + grid_template()["rows"]["blank"] - 1
    assert ws.print_area.endswith(f"${rows}")  # no devices: every row prints, to fill by hand


# --- In a real LibreOffice window ----------------------------------------------------------------


def _uno_python() -> str | None:
    """A Python that imports LibreOffice's UNO bridge (Debian: python3-uno for /usr/bin/python3)."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        usable = candidate and os.path.exists(candidate)
        if usable and subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    return None


def _gui_plugin(soffice: str) -> bool:
    program = Path(os.path.realpath(soffice)).parent
    return any(program.glob("libvclplug_*"))


# Carlito, the metric twin of Calibri (the workbooks' font, on every Windows PC), unpacked out
# of the system's fonts by .ci/run (apt-get download fonts-crosextra-carlito; dpkg -x): the screen
# is measured as people see it, while the printing tests keep the wider fallback font.
TEST_FONTS = Path(os.environ.get("MEDRISK_TEST_FONTS", "/opt/medrisk-test-fonts"))
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture(scope="module")
def x_screen(soffice: str, tmp_path_factory):
    """A virtual X screen of SCREEN's size, the Python that drives LibreOffice on it and the
    environment that gives Calibri's metrics; skip locally when something is missing, fail when
    CI=true."""
    python, xvfb = _uno_python(), shutil.which("Xvfb")
    carlito = any(TEST_FONTS.rglob("Carlito-Regular.ttf")) if TEST_FONTS.is_dir() else False
    needs = (
        ("Xvfb", xvfb),
        ("python3-uno", python),
        ("a LibreOffice GUI (libreoffice-calc)", _gui_plugin(soffice)),
        (f"Carlito unpacked in {TEST_FONTS}", carlito),
    )
    missing = [name for name, ok in needs if not ok]
    if missing:
        why = f"needs {', '.join(missing)} (see .ci/run)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why)
        pytest.skip(why)
    conf = tmp_path_factory.mktemp("fonts") / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=TEST_FONTS, cache=conf.parent / "cache"), encoding="utf-8")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        display = f.readline().strip()
    try:
        yield python, {**os.environ, "DISPLAY": f":{display}", "FONTCONFIG_FILE": str(conf)}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.libreoffice
def test_a_common_screen_shows_enough_rows_and_answer_columns(x_screen, tmp_path, pack) -> None:
    python, env = x_screen
    books = {lang: campaign(tmp_path / lang, lang=lang)[0] for lang in ("fr", "en")}
    run = subprocess.run(
        [python, str(WINDOW), *map(str, SCREEN), str(INPUT_SHEET), *map(str, books.values())],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = [json.loads(line) for line in run.stdout.splitlines()]
    s = grid_template()["screen"]
    for (lang, path), view in zip(books.items(), seen):
        assert view["window"] == list(SCREEN), view
        ws = openpyxl.load_workbook(path).worksheets[INPUT_SHEET]
        assert view["zoom"] == (ws.sheet_view.zoomScale or 100)
        col_of = {col - 1: code for code, col in codes_of(ws).items()}
        first_col, first_row, last_col, last_row = view["panes"][-1]  # the scrolling pane
        assert first_row == contract.FIRST_ROW - 1 and last_row - first_row + 1 >= s["rows"], (lang, view)
        answers = [col_of[c] for c in range(first_col, last_col + 1) if col_of.get(c) in pack.method.codes]
        assert answers[: s["answer_columns"]] == list(pack.method.codes[: s["answer_columns"]]), (lang, view)
        frozen = view["panes"][0]
        assert frozen[2] == 1 and frozen[3] == contract.HEADER_ROW - 1  # ID, designation; rows 1-4
