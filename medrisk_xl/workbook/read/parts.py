"""Inventory every part of a returned package and refuse active or outward-pointing content.

:func:`~medrisk_xl.workbook.read.opening.open_package` calls :func:`inspect_package` on every file
before any parser reads it, so every command that opens a returned or edited workbook
(``validate``, ``consolidate``, ``audit``, ``actions import``) refuses the same things the same way.
A department return is the workbook that was e-mailed, filled in and saved: it never needs
macros, embedded objects, links to other files or data connections, and a file that holds one
is exactly what a phishing campaign against a hospital would send. So:

* each member is sorted into a :data:`Member` kind: written by the generator, added by Excel or
  LibreOffice when saving (theme, calcChain, printer settings, custom properties, sensitivity
  labels, thumbnails…), active (:data:`ACTIVE_KINDS`), or other (accepted, listed);
* active or outward-pointing content raises :class:`ActiveContent` (codes ``active-content`` and
  ``external-link``, one :class:`Finding` per part);
* a DTD or entity declaration in any XML member is ``hostile-xml``, whether or not a parser would
  ever read that member (its bytes are scanned, within the package's size limits);
* a hyperlink to a file or a network share is kept as an ``unsafe-hyperlink`` warning.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from medrisk_xl.core.problem_catalogue import WARNING
from medrisk_xl.workbook.read.package import KEEP_MEMBER_BYTES, Package
from medrisk_xl.workbook.read.part_findings import ActiveContent, Finding, Inventory, Member
from medrisk_xl.workbook.read.part_kinds import (
    ACTIVE_KINDS,
    GENERATOR_PARTS,
    HYPERLINK,
    ODS_LINK,
    ODS_OBJECT,
    ODS_SCRIPT,
    OFFICE_PARTS,
    OTHER_EXTERNAL,
    Kind,
)
from medrisk_xl.workbook.read.safe_xml import hostile_xml, iterparse

# --------------------------------------------------------------------------------------------


_REL_MAX = 16 * 1024 * 1024
_CHUNK = 256 * 1024
_OVERLAP = 8 * 1024
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!doctype", "<!entity") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_DTD_MARKS_ASCII = tuple(mark for mark in _DTD_MARKS if b"\x00" not in mark)
assert all(b"<!" in mark or b"<\x00!" in mark for mark in _DTD_MARKS)  # the window's first test
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SCRIPT_SCHEMES = ("vnd.sun.star.script:", "vnd.sun.star.basic:", "macro:", "javascript:", "vbscript:")
_HREF = re.compile(
    rb"<(?:[\w.-]+:)?([\w.-]+)\s[^<]{0,4000}?\b[\w.-]+:href\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')"
)
_DDE = (b"office:dde-source", b"table:dde-link", b"<table:dde-links")


def safe_link(target: str) -> bool:
    """Whether a hyperlink target is a web page, an e-mail address or a place in the workbook."""
    text = target.strip()
    if not text or text.startswith("#"):
        return True
    scheme = _SCHEME.match(text)
    return bool(scheme) and scheme.group(1).lower() in _SAFE_SCHEMES


@functools.cache
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled expression matching where any of ``patterns`` does (None: no pattern)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _kind_of(name: str, content_type: str, rel_types: tuple[str, ...]) -> Kind | None:
    low, ctype = name.lower(), content_type.lower()
    segments = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in rel_types}
    for kind in ACTIVE_KINDS:
        parts = _any_of(kind.parts)
        if (
            (parts is not None and parts.search(low))
            or any(c in ctype for c in kind.content_types)
            or segments.intersection(kind.relationships)
        ):
            return kind
    return None


def _matches(patterns: tuple[str, ...], name: str) -> bool:
    found = _any_of(patterns)
    return found is not None and found.search(name.lower()) is not None


@dataclass
class _Scan:
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    warnings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, kind: Kind, part: str, target: str | None = None) -> None:
        """One finding per part and kind (the first target named); one warning per link."""
        finding = Finding(kind.code, part, kind.what, target)
        if finding.severity == WARNING:
            self.warnings.setdefault((part, target or ""), finding)
            return
        known = self.findings.get((part, kind.what))
        if known is None or (known.target is None and target):
            self.findings[(part, kind.what)] = finding


def inspect_package(package: Package, *, refuse_active: bool = True) -> Inventory:
    """Sort every member of ``package``; raise ``hostile-xml``, and :class:`ActiveContent` unless
    ``refuse_active`` is false (then the findings are in :attr:`Inventory.active`)."""
    scan = _Scan()
    _scan_bytes(package, scan)  # first: hostile XML is refused before any member is parsed
    types = _content_types(package) if package.kind == "xlsx" else _ods_manifest(package)
    reached: dict[str, list[str]] = {}
    if package.kind == "xlsx":
        _relationships(package, reached, scan)
    members = []
    for name in package.names:
        if name.endswith("/"):
            continue
        ctype = types.get(name, "")
        rels = tuple(reached.get(name, ()))
        # A .rels member is judged by what it points to (above), not by the folder it sits in.
        kind = None if name.lower().endswith(".rels") else _kind_of(name, ctype, rels)
        if package.kind == "ods" and kind is None:
            kind = _ods_object(name, types)
        if kind is not None:
            scan.add(kind, name)
            sort = "active"
        elif _matches(GENERATOR_PARTS, name):
            sort = "generator"
        elif _matches(OFFICE_PARTS, name):
            sort = "office"
        else:
            sort = "other"
        members.append(Member(name, ctype, rels, sort))  # type: ignore[arg-type]
    active = sorted(scan.findings.values(), key=lambda f: (f.part, f.target or ""))
    if active and refuse_active:
        raise ActiveContent(active)
    return Inventory(tuple(members), tuple(scan.warnings.values()), tuple(active))


def _content_types(package: Package) -> dict[str, str]:
    """Member name -> content type, from ``[Content_Types].xml`` (overrides, then defaults)."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    with package.open("[Content_Types].xml") as stream:
        for _event, el in iterparse(stream):
            local = el.tag.rsplit("}", 1)[-1]
            if local == "Override":
                overrides[el.get("PartName", "").lstrip("/").lower()] = el.get("ContentType", "")
            elif local == "Default":
                defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            el.clear()
    out = {}
    for name in package.names:
        ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
        out[name] = overrides.get(name.lower()) or defaults.get(ext, "")
    return out


def _relationships(package: Package, reached: dict[str, list[str]], scan: _Scan) -> None:
    """Read every ``.rels`` member: who reaches what, external targets, hyperlinks."""
    for rels in package.names:
        if not rels.lower().endswith(".rels"):
            continue
        folder, file = posixpath.split(rels)
        source = posixpath.join(posixpath.dirname(folder), file[: -len(".rels")])
        for rel_type, target, external in _read_rels(package, rels):
            segment = rel_type.rstrip("/").rsplit("/", 1)[-1].lower()
            if external:
                if segment == "hyperlink":
                    if not safe_link(target):
                        scan.add(HYPERLINK, source, target)
                    continue
                scan.add(_kind_of("", "", (rel_type,)) or OTHER_EXTERNAL, source, target)
                continue
            if target.startswith("/"):
                resolved = posixpath.normpath(target.lstrip("/"))
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            reached.setdefault(resolved, []).append(rel_type)
            kind = _kind_of("", "", (rel_type,))
            if kind is not None:
                scan.add(kind, resolved)


def _read_rels(package: Package, name: str) -> Iterator[tuple[str, str, bool]]:
    if package.size(name) > _REL_MAX:
        return
    with package.open(name) as stream:
        for _event, el in iterparse(stream):
            if el.tag.rsplit("}", 1)[-1] == "Relationship":
                external = el.get("TargetMode", "").strip().lower() == "external"
                yield el.get("Type", "").strip(), el.get("Target", "").strip(), external
            el.clear()


def _ods_manifest(package: Package) -> dict[str, str]:
    """Member or folder name -> media type, from ``META-INF/manifest.xml``."""
    out: dict[str, str] = {}
    if "META-INF/manifest.xml" not in package.names or package.size("META-INF/manifest.xml") > _REL_MAX:
        return out
    with package.open("META-INF/manifest.xml") as stream:
        for _event, el in iterparse(stream):
            attrs = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
            if "full-path" in attrs:
                out[attrs["full-path"]] = attrs.get("media-type", "")
            el.clear()
    return out


def _ods_object(name: str, types: dict[str, str]) -> Kind | None:
    """An embedded object of an .ods (``Object 1/``): a chart is fine, anything else is not."""
    top = name.split("/", 1)[0]
    if "/" not in name or not re.fullmatch(r"object \d+", top, re.IGNORECASE):
        return None
    media = types.get(top + "/", "")
    return None if media.endswith(("opendocument.chart", "opendocument.formula")) else ODS_OBJECT


def _scan_bytes(package: Package, scan: _Scan) -> None:
    """Refuse a DTD anywhere; in an .ods's XML, find what ``xlink:href`` points to. A small member
    is read whole (and kept by the package for the readers that follow), a large one in chunks."""
    names = set(package.names)
    for name in package.names:
        if name.endswith("/"):
            continue
        ods_xml = package.kind == "ods" and name.lower().endswith(".xml")
        if package.size(name) <= KEEP_MEMBER_BYTES:
            data = package.read(name)
            if _looks_like_xml(data[:_CHUNK]):
                _scan_window(data, _marks(data), name, ods_xml, names, scan)
            continue
        tail = b""
        with package.open(name) as stream:
            marks = None
            while chunk := stream.read(_CHUNK):
                if marks is None:
                    if not _looks_like_xml(chunk):
                        break  # an image or a binary part: no XML parser reads it
                    marks = _marks(chunk)
                window = tail + chunk
                _scan_window(window, marks, name, ods_xml, names, scan)
                tail = window[-_OVERLAP:]


def _marks(head: bytes) -> tuple[bytes, ...]:
    """The DTD marks to look for in a member starting with ``head``: in UTF-16 too when its first
    bytes say UTF-16 (a byte-order mark, or a zero byte beside its first "<"); a parser reads any
    other XML member as single bytes, where a UTF-16 mark is no declaration."""
    wide = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]
    return _DTD_MARKS if wide else _DTD_MARKS_ASCII


def _scan_window(
    window: bytes, marks: tuple[bytes, ...], name: str, ods_xml: bool, names: set[str], scan: _Scan
) -> None:
    """One window of a member's bytes: a DTD mark refuses it; an .ods's links are listed."""
    # Every mark opens with "<!" in ASCII or UTF-16: most windows hold neither, and are not
    # lowered (a copy of the window) to look further.
    declares = b"<!" in window or (marks is _DTD_MARKS and b"<\x00!" in window)
    lowered = window.lower() if declares or ods_xml else window
    if declares and any(mark in lowered for mark in marks):
        raise hostile_xml(name)
    if ods_xml:
        _ods_links(window, lowered, name, names, scan)


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"<", b"\xff\xfe", b"\xfe\xff")) or head[:4] in (b"\x00<\x00?", b"<\x00?\x00")


def _ods_links(data: bytes, low: bytes, part: str, names: set[str], scan: _Scan) -> None:
    if any(mark in low for mark in _DDE):
        scan.add(ODS_LINK, part, "DDE")
    if b"href" not in low:
        return
    for match in _HREF.finditer(data):
        element = match.group(1).decode("ascii", "replace").lower()
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        href = raw.decode("utf-8", "replace").strip()
        kind = _ods_href(element, href, names)
        if kind is not None:
            scan.add(kind, part, href)


def _ods_href(element: str, href: str, names: set[str]) -> Kind | None:
    """What an ``xlink:href`` on ``element`` points to: None when it stays in the file or the web."""
    low = href.lower()
    if low.startswith(_SCRIPT_SCHEMES) or element in ("applet", "plugin"):
        return ODS_SCRIPT
    if element == "a":
        return None if safe_link(href) else HYPERLINK
    if not href or href.startswith("#") or href == ".." or href.startswith("..#"):
        return None  # a place in the file; ".." is a chart's own document (its data ranges)
    inside = href[2:] if href.startswith("./") else href
    local = not _SCHEME.match(inside) and not inside.startswith(("/", "\\", ".."))
    if local and (inside in names or any(n.startswith(inside.rstrip("/") + "/") for n in names)):
        return None
    return ODS_LINK
