"""What the opening of a returned workbook refuses, as data: every kind of active or
outward-pointing content and how it is recognised, and the parts the generator, Excel and
LibreOffice write. :mod:`medrisk_xl.workbook.read.parts` applies it; its codes are in
:mod:`medrisk_xl.core.problem_catalogue`, and the README's table of what is refused is built from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medrisk_xl.core.problem_catalogue import OPENING, codes_of

# code -> (severity, meaning): the opening's view of the one catalogue, which validate, audit and
# actions import report too.
CODES: dict[str, tuple[str, str]] = codes_of(OPENING)

ASK = (
    "Do not open the file in Excel or LibreOffice; ask the department to send back the workbook that was "
    "e-mailed to them, filled in and saved as .xlsx (Excel Workbook)."
)


def kind_key(what: str) -> str:
    """The template key of a kind's plain words (``a VBA macro project`` -> ``a-vba-macro-project``)."""
    return re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")


@dataclass(frozen=True)
class Kind:
    """One kind of active or outward-pointing content, and how to recognise it (case-insensitive)."""

    code: str
    what: str  # plain words, used in messages and in the README's table
    why: str
    parts: tuple[str, ...] = ()  # regular expressions on the member name
    content_types: tuple[str, ...] = ()  # substrings of its content type
    relationships: tuple[str, ...] = ()  # last segment of a relationship type reaching it


_RUNS = "it runs code on the computer that opens the file"
_REACHES = "it reaches out to other files or servers when the file is opened"

ACTIVE_KINDS: tuple[Kind, ...] = (
    Kind(
        "active-content",
        "a VBA macro project",
        _RUNS,
        parts=(r"(^|/)vbaproject(signature)?\.bin$", r"(^|/)vbadata\.xml$"),
        content_types=("vbaproject", "vbadata"),
        relationships=("vbaproject", "vbaprojectsignature"),
    ),
    Kind(
        "active-content",
        "a macro-enabled workbook (.xlsm, .xltm, .xlam)",
        "it is saved to run macros",
        content_types=("macroenabled",),
    ),
    Kind(
        "active-content",
        "an Excel 4.0 (XLM) macro sheet",
        _RUNS + " (the oldest macro-malware vector)",
        parts=(r"(^|/)macrosheets/",),
        content_types=("macrosheet",),
        relationships=("xlmacrosheet", "xlintlmacrosheet", "macrosheet"),
    ),
    Kind(
        "active-content",
        "a dialog sheet (Excel 5 macro dialog)",
        "it only exists to drive macros",
        parts=(r"(^|/)dialogsheets/",),
        content_types=("dialogsheet",),
        relationships=("dialogsheet",),
    ),
    Kind(
        "active-content",
        "an ActiveX control",
        _RUNS,
        parts=(r"(^|/)activex/",),
        content_types=("activex",),
        relationships=("control", "activexcontrolbinary"),
    ),
    Kind(
        "active-content",
        "an embedded object (OLE object or embedded file)",
        "opening it runs another program on its content",
        parts=(r"(^|/)embeddings/",),
        content_types=("oleobject",),
        relationships=("oleobject", "package"),
    ),
    Kind(
        "active-content",
        "a custom ribbon (custom UI that calls macros)",
        _RUNS,
        parts=(r"^customui/",),
        relationships=("extensibility",),
    ),
    Kind(
        "active-content",
        "an Office add-in (web extension)",
        _REACHES,
        parts=(r"(^|/)webextensions/",),
        content_types=("webextension",),
        relationships=("webextension", "webextensiontaskpanes"),
    ),
    Kind(
        "active-content",
        "a LibreOffice Basic or script library",
        _RUNS,
        parts=(r"^basic/", r"^scripts/", r"^dialogs/", r"/basic/", r"/scripts/"),
    ),
    Kind(
        "external-link",
        "a link to another workbook (external link)",
        _REACHES + " (a link to a file share can send Windows credentials)",
        parts=(r"(^|/)externallinks/",),
        content_types=("externallink",),
        relationships=("externallink", "externallinkpath", "xlpathmissing"),
    ),
    Kind(
        "external-link",
        "a data connection (connections.xml)",
        "it fetches data from outside when the file is opened or refreshed",
        parts=(r"(^|/)connections\.xml$",),
        content_types=("spreadsheetml.connections",),
        relationships=("connections",),
    ),
    Kind(
        "external-link",
        "a query table (data fetched from outside)",
        "it fetches data from outside when the file is opened or refreshed",
        parts=(r"(^|/)querytables/",),
        content_types=("querytable",),
        relationships=("querytable",),
    ),
)

# Outward pointers found inside an .ods's XML (xlink:href), and what else the scan refuses.
ODS_SCRIPT = Kind("active-content", "a macro call (an event bound to a script)", _RUNS)
ODS_OBJECT = Kind(
    "active-content", "an embedded object (not a chart)", "opening it runs another program on its content"
)
ODS_LINK = Kind("external-link", "a link to another file (xlink:href) or a DDE link", _REACHES)
OTHER_EXTERNAL = Kind("external-link", "a reference to a file or address outside the workbook", _REACHES)
HYPERLINK = Kind(
    "unsafe-hyperlink",
    "a hyperlink to a file or a network share (file:, UNC path)",
    "clicking it can send the user's Windows credentials to that machine (a warning: the file is still read)",
)
DTD = Kind(
    "hostile-xml",
    "a DTD or an entity declaration in any XML part",
    "it is how 'XML bomb' and external-entity attacks work; Excel and LibreOffice never write one "
    "(validate reports it as unreadable)",
)


def refused_table() -> list[tuple[str, str, str]]:
    """(what, code, why) of everything the opening refuses or warns about: the README's table."""
    kinds = (*ACTIVE_KINDS, ODS_SCRIPT, ODS_OBJECT, ODS_LINK, OTHER_EXTERNAL, DTD, HYPERLINK)
    return [(k.what, k.code, k.why) for k in kinds]


# Parts the generator writes, and parts Excel or LibreOffice add when saving: listed, accepted.
GENERATOR_PARTS = (
    r"^\[content_types\]\.xml$",
    r"(^|/)_rels/[^/]*\.rels$",
    r"^docprops/(app|core)\.xml$",
    r"^xl/(workbook|styles|sharedstrings)\.xml$",
    r"^xl/worksheets/sheet\d+\.xml$",
    r"^xl/theme/theme\d+\.xml$",
    r"^xl/comments/?[^/]*\.xml$",
    r"^xl/drawings/",
)
OFFICE_PARTS = (
    r"^xl/calcchain\.xml$",
    r"^xl/comments\d*\.xml$",
    r"^xl/threadedcomments/",
    r"^xl/persons/",
    r"^xl/printersettings/",
    r"^xl/worksheets/_rels/",
    r"^xl/(media|charts|tables|pivottables|pivotcache|slicers|slicercaches|timelines|timelinecaches)/",
    r"^xl/(metadata|volatiledependencies|richdata/.*|featurepropertybag/.*)\.xml$",
    r"^xl/chartsheets/",
    r"^xl/ctrlprops/",
    r"^docprops/(custom\.xml|thumbnail\.\w+)$",
    r"^customxml/",
    r"^mimetype$",
    r"^(content|styles|meta|settings|manifest\.rdf)\.xml$|^manifest\.rdf$",
    r"^meta-inf/",
    r"^configurations2/",
    r"^thumbnails/",
    r"^pictures/",
    r"^objectreplacements/",
)
