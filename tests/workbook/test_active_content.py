"""Returns carrying macros, embedded objects, external links, data connections or a DTD are never
valid, in any command that opens them (issue 22).

Each kind of active content is built into a clean filled return the way Excel writes it: the
content types, relationship types and part names below are those of Excel-made files (XlsxWriter's
Excel-made .xlsm test files, [MS-OFFMACRO2], ECMA-376 Part 1). Each test checks the code, the part
named, the exit code of the CLI and that the input file's bytes are unchanged.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.package_edits import (
    SHEET1_RELS,
    Edit,
    R,
    activex,
    connections,
    custom_ui,
    dialog_sheet,
    external_link,
    macro_sheet,
    ole_object,
    query_table,
    rebuild,
    relate,
    vba_project,
)

from medrisk_xl.cli import cli
from medrisk_xl.validate import CATALOGUE, validate_file
from medrisk_xl.workbook.read.opening import Unreadable, open_package
from medrisk_xl.workbook.read.part_kinds import CODES, refused_table
from medrisk_xl.workbook.read.parts import ActiveContent, safe_link

CASES = {
    "vba": (vba_project, {("active-content", "xl/vbaProject.bin"), ("active-content", "xl/workbook.xml")}),
    "xlm macro sheet": (macro_sheet, {("active-content", "xl/macrosheets/sheet1.xml")}),
    "dialog sheet": (dialog_sheet, {("active-content", "xl/dialogsheets/sheet1.xml")}),
    "activex": (
        activex,
        {("active-content", "xl/activeX/activeX1.xml"), ("active-content", "xl/activeX/activeX1.bin")},
    ),
    "ole object": (ole_object, {("active-content", "xl/embeddings/oleObject1.bin")}),
    "external link": (external_link, {("external-link", "xl/externalLinks/externalLink1.xml")}),
    "connections": (connections, {("external-link", "xl/connections.xml")}),
    "query table": (query_table, {("external-link", "xl/queryTables/queryTable1.xml")}),
    "custom ui": (custom_ui, {("active-content", "customUI/customUI14.xml")}),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", list(CASES))
def test_active_content_is_never_valid(case, campaign, pack, tmp_path):
    build, expected = CASES[case]
    bad = rebuild(campaign["filled"], tmp_path / f"{case}.xlsx", build)
    before = digest(bad)
    report = validate_file(bad, pack)
    assert report.status == "invalid"
    found = {
        (p.code, part)
        for p in report.problems
        for part in re.findall(r"\(([^(),]+?)(?:, to [^)]*)?\)", p.message)
    }
    assert expected <= found, report.problems
    assert all(p.severity == "error" for p in report.problems)
    assert all("saved as .xlsx" in p.message and "e-mailed" in p.message for p in report.problems)
    res = CliRunner().invoke(cli, ["validate", str(bad)])
    assert res.exit_code == 1, res.output
    assert "INVALID" in res.output and {f"[{code}]" for code, _ in expected} <= set(
        re.findall(r"\[[a-z-]+\]", res.output)
    )
    assert digest(bad) == before


def test_the_external_link_names_its_target(campaign, pack, tmp_path):
    bad = rebuild(campaign["filled"], tmp_path / "ext.xlsx", external_link)
    with pytest.raises(ActiveContent) as err:
        open_package(bad)
    (found,) = err.value.findings
    assert (found.code, found.part, found.target) == (
        "external-link",
        "xl/externalLinks/externalLink1.xml",
        "file://host/share/x.xlsx",
    )
    assert "a link to another workbook" in found.message


def test_a_macro_return_is_refused_by_consolidate_audit_and_actions_import(campaign, pack, tmp_path):
    bad = rebuild(campaign["filled"], tmp_path / "macro.xlsx", vba_project)
    before = digest(bad)
    runner = CliRunner()
    out = tmp_path / "carto.xlsx"
    # consolidate lists the return's errors (exit 0, as for any invalid return) and maps nothing of it
    res = runner.invoke(cli, ["consolidate", str(bad), "-o", str(out), "--include-invalid"])
    assert res.exit_code == 0 and "0 in the register" in res.output and "2 error(s)" in res.output, res.output
    from medrisk_xl.consolidate import consolidate

    result = consolidate([bad], pack=pack, include_invalid=True)
    assert set(result.problems["code"]) == {"active-content"}
    assert any("xl/vbaProject.bin" in m for m in result.problems["message"])
    assert result.register.empty and result.files["used"].tolist() == [False]
    from medrisk_xl.audit.run import audit_file

    audited = audit_file(bad, pack, static_only=True)
    assert {f.code for f in audited.findings} == {"active-content"}
    res = runner.invoke(cli, ["actions", "import", str(bad), "--db", str(tmp_path / "h.sqlite")])
    assert res.exit_code == 1 and "[active-content]" in res.output, res.output
    assert digest(bad) == before


DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;"><!ENTITY lol9 "&lol2;&lol2;">]>'
)


@pytest.mark.parametrize(
    "part, encoding",
    [
        ("xl/worksheets/sheet2.xml", "utf-8"),  # the input sheet, with &lol9; in a cell
        ("docProps/app.xml", "utf-8"),  # a part no reader parses
        ("xl/theme/theme1.xml", "utf-16"),  # UTF-16, where a byte scan for ASCII would miss it
        ("docProps/core.xml", "utf-16-le"),  # UTF-16 with no byte-order mark
    ],
)
def test_a_dtd_in_any_xml_part_is_hostile(part, encoding, campaign, pack, tmp_path):
    def edit(parts: dict[str, bytes]) -> None:
        text = parts[part].decode("utf-8")
        text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
        if part.endswith("sheet2.xml"):
            text = text.replace("<v>", "<v>&lol9;", 1)
        head = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
        parts[part] = (head + DTD + text).encode(encoding)

    bad = rebuild(campaign["filled"], tmp_path / "dtd.xlsx", edit)
    before = digest(bad)
    with pytest.raises(Unreadable) as err:
        open_package(bad)
    assert err.value.code == "hostile-xml" and part in err.value.message
    report = validate_file(bad, pack)
    assert [p.code for p in report.problems] == ["unreadable"] and "(hostile-xml)" in report.problems[
        0
    ].message
    res = CliRunner().invoke(cli, ["validate", str(bad)])
    assert res.exit_code == 1 and "hostile-xml" in res.output
    assert digest(bad) == before


def hyperlinks(*targets: str) -> Edit:
    """The start sheet (sheet1, which holds internal hyperlinks) given external ones."""

    def edit(parts: dict[str, bytes]) -> None:
        sheet = parts["xl/worksheets/sheet1.xml"].decode()
        sheet = sheet.replace("<worksheet ", f'<worksheet xmlns:r="{R}" ', 1)
        links = "".join(f'<hyperlink ref="B{30 + i}" r:id="rIdH{i}"/>' for i in range(len(targets)))
        parts["xl/worksheets/sheet1.xml"] = sheet.replace("</hyperlinks>", links + "</hyperlinks>").encode()
        for i, target in enumerate(targets):
            relate(parts, SHEET1_RELS, f"rIdH{i}", f"{R}/hyperlink", target, external=True)

    return edit


def test_a_hyperlink_to_a_file_or_share_is_a_warning(campaign, pack, tmp_path):
    unsafe = ["file://host/share/x.xlsx", "\\\\host\\share\\x.xlsx"]
    safe = ["https://intranet.example/guide", "mailto:biomed@example.org"]
    ret = rebuild(campaign["filled"], tmp_path / "links.xlsx", hyperlinks(*unsafe, *safe))
    before = digest(ret)
    report = validate_file(ret, pack)
    warned = [p for p in report.problems if p.code == "unsafe-hyperlink"]
    assert len(warned) == 2 and all(p.severity == "warning" for p in warned)
    for p, target in zip(warned, unsafe, strict=True):
        assert target in p.message and "xl/worksheets/sheet1.xml" in p.message
    assert report.status == "valid"  # a warning: the answers are still read and checked
    res = CliRunner().invoke(cli, ["validate", str(ret)])
    assert res.exit_code == 0 and res.output.count("[unsafe-hyperlink]") == 2
    assert digest(ret) == before


@pytest.mark.parametrize(
    "target, safe",
    [
        ("https://x.example/a", True),
        ("HTTP://x.example", True),
        ("mailto:a@b.c", True),
        ("#Saisie!A1", True),
        ("file:///C:/x.xlsx", False),
        ("\\\\server\\share\\x", False),
        ("//server/share/x", False),
        ("C:\\Users\\x.xlsx", False),
        ("..\\x.xlsx", False),
        ("smb://server/x", False),
    ],
)
def test_which_hyperlinks_are_safe(target, safe):
    assert safe_link(target) is safe


def test_a_clean_return_has_no_active_part(campaign):
    with open_package(campaign["filled"]) as package:
        kinds = {m.kind for m in package.inventory.members}
        assert "active" not in kinds and package.inventory.warnings == ()
        assert {m.name for m in package.inventory.members if m.kind == "generator"} >= {
            "xl/workbook.xml",
            "[Content_Types].xml",
        }


def test_the_codes_are_in_every_catalogue():
    from medrisk_xl.audit.finding_codes import CATALOGUE as AUDIT
    from medrisk_xl.history.actions import PROBLEM_CODES

    for code, (severity, _) in CODES.items():
        assert CATALOGUE[code][0] == severity
    assert AUDIT["active-content"][0] == AUDIT["external-link"][0] == "error"
    assert AUDIT["unsafe-hyperlink"][0] == "warning"
    assert PROBLEM_CODES["active-content"] == PROBLEM_CODES["external-link"] == "error"


def test_the_readme_lists_what_validate_refuses():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("What `validate` refuses", 1)[1].split("\n\n", 2)[1]
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    shown = [(what.lstrip("| "), code.strip("`"), why.rstrip(" |")) for what, code, why in rows]
    assert shown == refused_table()


# --------------------------------------------------------------------------------------------
# .ods, as LibreOffice saves it
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_ods(campaign, soffice, tmp_path_factory) -> Path:
    """The filled return saved as .ods by LibreOffice."""
    from medrisk_xl.engines.libreoffice import convert

    base = tmp_path_factory.mktemp("active_ods")
    (converted,) = convert([campaign["filled"]], base, "ods")
    return converted


def manifest_entry(parts: dict[str, bytes], path: str, media_type: str) -> None:
    text = parts["META-INF/manifest.xml"].decode()
    entry = f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{media_type}"/>'
    parts["META-INF/manifest.xml"] = text.replace(
        "</manifest:manifest>", entry + "</manifest:manifest>"
    ).encode()


def basic_library(parts: dict[str, bytes]) -> None:
    parts["Basic/script-lc.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<library:libraries xmlns:library="http://openoffice.org/2000/library" '
        b'xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" '
        b'library:link="false"/></library:libraries>'
    )
    parts["Basic/Standard/Module1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<script:module xmlns:script="http://openoffice.org/2000/script" '
        b'script:name="Module1" script:language="StarBasic">Sub Main\n Shell("calc")\nEnd Sub</script:module>'
    )
    for path in ("Basic/", "Basic/Standard/", "Basic/script-lc.xml", "Basic/Standard/Module1.xml"):
        manifest_entry(parts, path, "text/xml" if path.endswith(".xml") else "")


def python_script(parts: dict[str, bytes]) -> None:
    parts["Scripts/python/run.py"] = b"import os\nos.system('calc')\n"
    manifest_entry(parts, "Scripts/python/run.py", "")


def embedded_object(parts: dict[str, bytes]) -> None:
    parts["Object 1/content.xml"] = b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content/>'
    parts["Object 1/mimetype"] = b"application/vnd.oasis.opendocument.text"
    manifest_entry(parts, "Object 1/", "application/vnd.oasis.opendocument.text")
    manifest_entry(parts, "Object 1/content.xml", "text/xml")


def content(insert: str) -> Edit:
    """content.xml given ``insert`` just after <office:spreadsheet>."""

    def edit(parts: dict[str, bytes]) -> None:
        text = parts["content.xml"].decode()
        parts["content.xml"] = text.replace(
            "<office:spreadsheet>", "<office:spreadsheet>" + insert, 1
        ).encode()

    return edit


SCRIPT_EVENT = (
    '<office:event-listeners><script:event-listener script:language="ooo:script" '
    'script:event-name="dom:load" xlink:type="simple" '
    'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
    "</office:event-listeners>"
)
LINKED_SHEET = (
    '<table:table table:name="Lien"><table:table-source xlink:type="simple" '
    'xlink:href="file:///server/share/autre.ods" table:table-name="Feuille1" table:mode="copy-results-only"/>'
    "<table:table-row><table:table-cell/></table:table-row></table:table>"
)

ODS_CASES = {
    "basic": (basic_library, ("active-content", "Basic/Standard/Module1.xml")),
    "python script": (python_script, ("active-content", "Scripts/python/run.py")),
    "embedded object": (embedded_object, ("active-content", "Object 1/content.xml")),
    "script event": (content(SCRIPT_EVENT), ("active-content", "content.xml")),
    "linked sheet": (content(LINKED_SHEET), ("external-link", "content.xml")),
}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(ODS_CASES))
def test_active_content_in_an_ods_is_never_valid(case, clean_ods, pack, tmp_path):
    build, (code, part) = ODS_CASES[case]
    bad = rebuild(clean_ods, tmp_path / f"{case}.ods", build)
    before = digest(bad)
    with pytest.raises(ActiveContent) as err:
        open_package(bad)
    assert (code, part) in {(f.code, f.part) for f in err.value.findings}
    report = validate_file(bad, pack)
    assert report.status == "invalid" and code in {p.code for p in report.problems}
    assert any(part in p.message for p in report.problems)
    res = CliRunner().invoke(cli, ["validate", str(bad)])
    assert res.exit_code == 1 and f"[{code}]" in res.output
    assert digest(bad) == before


@pytest.mark.libreoffice
def test_an_ods_saved_by_libreoffice_has_no_active_part_and_validates_clean(clean_ods, pack):
    with open_package(clean_ods) as package:
        assert package.kind == "ods"
        assert {m.kind for m in package.inventory.members} <= {"generator", "office"}
        assert package.inventory.warnings == ()
    report = validate_file(clean_ods, pack)
    assert report.status == "valid", report.problems
