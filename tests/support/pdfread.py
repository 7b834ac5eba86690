"""A small pure-Python reader for the PDFs LibreOffice prints: pages, sizes, text runs, outline.

It reads what was really printed: every text-showing operator of each page's content stream, with
the glyph size it is drawn at (``Tf`` size times the text and transformation matrices' vertical
scale), decoded through the fonts' ToUnicode maps. Enough for LibreOffice's output (no object
streams, no encryption); anything else raises ``ValueError``.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

_WS = b" \t\r\n\f\x00"
_DELIM = b"()<>[]{}/%"
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")


@dataclass(frozen=True)
class Ref:
    num: int


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Op:
    op: str


class _Lexer:
    """Tokens and objects of PDF syntax (file bodies and content streams alike)."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def _skip(self) -> None:
        d = self.data
        while self.pos < len(d):
            c = d[self.pos : self.pos + 1]
            if c in _WS and c:
                self.pos += 1
            elif c == b"%":
                while self.pos < len(d) and d[self.pos : self.pos + 1] not in (b"\n", b"\r"):
                    self.pos += 1
            else:
                return

    def _literal(self) -> bytes:
        d, out, depth = self.data, bytearray(), 1
        self.pos += 1
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
        while depth:
            c = d[self.pos : self.pos + 1]
            self.pos += 1
            if c == b"\\":
                n = d[self.pos : self.pos + 1]
                self.pos += 1
                if n in escapes:
                    out += escapes[n]
                elif n.isdigit():
                    digits = n
                    while len(digits) < 3 and d[self.pos : self.pos + 1].isdigit():
                        digits += d[self.pos : self.pos + 1]
                        self.pos += 1
                    out.append(int(digits, 8) & 0xFF)
                elif n in (b"\n", b"\r"):
                    pass
                else:
                    out += n
            elif c == b"(":
                depth += 1
                out += c
            elif c == b")":
                depth -= 1
                if depth:
                    out += c
            elif not c:
                raise ValueError("unterminated string")
            else:
                out += c
        return bytes(out)

    def next(self) -> object:
        """The next object or operator; raises EOFError at the end."""
        self._skip()
        d = self.data
        if self.pos >= len(d):
            raise EOFError
        c = d[self.pos : self.pos + 1]
        if c == b"(":
            return self._literal()
        if c == b"<" and d[self.pos : self.pos + 2] == b"<<":
            self.pos += 2
            out: dict[str, object] = {}
            while True:
                key = self.next()
                if key == Op(">>"):
                    return out
                if not isinstance(key, Name):
                    raise ValueError(f"dictionary key {key!r}")
                out[key.name] = self.next()
        if c == b"<":
            end = d.index(b">", self.pos)
            hexa = re.sub(rb"\s", b"", d[self.pos + 1 : end])
            self.pos = end + 1
            return bytes.fromhex((hexa + b"0" * (len(hexa) % 2)).decode())
        if c == b">" and d[self.pos : self.pos + 2] == b">>":
            self.pos += 2
            return Op(">>")
        if c == b"[":
            self.pos += 1
            items = []
            while (item := self.next()) != Op("]"):
                items.append(item)
            return items
        if c in (b"]", b"{", b"}"):
            self.pos += 1
            return Op(c.decode())
        if c == b"/":
            end = self.pos + 1
            while end < len(d) and d[end : end + 1] not in _WS and d[end : end + 1] not in _DELIM:
                end += 1
            name = d[self.pos + 1 : end].decode("latin-1")
            self.pos = end
            return Name(re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), name))
        m = _NUMBER.match(d, self.pos)
        if m:
            self.pos = m.end()
            text = m.group()
            ref = re.compile(rb"\s+(\d+)\s+R(?![A-Za-z])").match(d, self.pos)
            if ref and text.isdigit():
                self.pos = ref.end()
                return Ref(int(text))
            return float(text) if b"." in text else int(text)
        end = self.pos
        while end < len(d) and d[end : end + 1] not in _WS and d[end : end + 1] not in _DELIM:
            end += 1
        word = d[self.pos : max(end, self.pos + 1)].decode("latin-1")
        self.pos = max(end, self.pos + 1)
        return {"true": True, "false": False, "null": None}.get(word, Op(word))


@dataclass(frozen=True)
class TextRun:
    """One string drawn by a text operator, at ``size`` points (the glyph height on paper)."""

    text: str
    size: float
    x: float
    y: float


@dataclass
class Page:
    number: int  # 1-based
    width: float  # points
    height: float
    runs: list[TextRun] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text(self) -> str:
        return "\n".join(run.text for run in self.runs)


def _mul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """Product of two PDF matrices [a b c d e f] (a applied first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _CMap:
    """A ToUnicode map: character codes (1 or 2 bytes) to text."""

    def __init__(self, data: bytes):
        self.map: dict[bytes, str] = {}
        self.width = 1
        span = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
        if span:
            self.width = len(span.group(1)) // 2
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                self.map[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                n = len(lo) // 2
                first = int(dst, 16)
                for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    self.map[code.to_bytes(n, "big")] = chr(first + i)

    def decode(self, raw: bytes) -> str:
        w = self.width
        return "".join(self.map.get(raw[i : i + w], "?") for i in range(0, len(raw), w))


class Pdf:
    """The pages (in order) and the outline of one PDF file."""

    def __init__(self, path: Path):
        self.data = Path(path).read_bytes()
        if not self.data.startswith(b"%PDF"):
            raise ValueError(f"{path} is not a PDF")
        self.offsets = {
            int(m.group(1)): m.end() for m in re.finditer(rb"(?<![0-9])(\d+)\s+\d+\s+obj\b", self.data)
        }
        self._cache: dict[int, object] = {}
        trailer = self.data.rindex(b"trailer")
        root = _Lexer(self.data, trailer + len(b"trailer")).next()
        if not isinstance(root, dict) or "Encrypt" in root:
            raise ValueError("unsupported PDF trailer (encrypted or cross-reference stream)")
        self.catalog = self.get(root["Root"])
        self._fonts: dict[int, _CMap | None] = {}
        page_dicts = self._page_dicts(self.get(self.catalog["Pages"]), {})
        self.page_ids = [num for num, _ in page_dicts]
        self.pages = [self._page(i + 1, d) for i, (_, d) in enumerate(page_dicts)]

    def get(self, obj: object) -> object:
        """Resolve an indirect reference (once)."""
        if not isinstance(obj, Ref):
            return obj
        if obj.num not in self._cache:
            lexer = _Lexer(self.data, self.offsets[obj.num])
            value = lexer.next()
            lexer._skip()
            if isinstance(value, dict) and self.data.startswith(b"stream", lexer.pos):
                start = lexer.pos + len(b"stream")
                start += 2 if self.data[start : start + 2] == b"\r\n" else 1
                raw = self.data[start : start + int(self.get(value["Length"]))]
                filters = self.get(value.get("Filter", []))
                filters = filters if isinstance(filters, list) else [filters]
                for f in filters:
                    if f != Name("FlateDecode"):
                        raise ValueError(f"unsupported stream filter {f}")
                    raw = zlib.decompress(raw)
                value = {**value, "_stream": raw}
            if isinstance(value, dict) and value.get("Type") == Name("ObjStm"):
                raise ValueError("object streams are not supported")
            self._cache[obj.num] = value
        return self._cache[obj.num]

    def _page_dicts(self, node: dict, inherited: dict) -> list[tuple[int, dict]]:
        inherited = {**inherited, **{k: node[k] for k in ("MediaBox", "Resources") if k in node}}
        out = []
        for kid in self.get(node["Kids"]):
            d = self.get(kid)
            if d.get("Type") == Name("Pages"):
                out += self._page_dicts(d, inherited)
            else:
                out.append((kid.num, {**inherited, **d}))
        return out

    def _cmap(self, font_ref: object) -> _CMap | None:
        key = font_ref.num if isinstance(font_ref, Ref) else id(font_ref)
        if key not in self._fonts:
            font = self.get(font_ref)
            to_unicode = font.get("ToUnicode")
            self._fonts[key] = _CMap(self.get(to_unicode)["_stream"]) if to_unicode else None
        return self._fonts[key]

    def _page(self, number: int, d: dict) -> Page:
        box = [float(self.get(v)) for v in self.get(d["MediaBox"])]
        page = Page(number, box[2] - box[0], box[3] - box[1])
        resources = self.get(d.get("Resources", {}))
        fonts = self.get(resources.get("Font", {}))
        contents = self.get(d.get("Contents", []))
        parts = contents if isinstance(contents, list) else [d["Contents"]]
        stream = b"\n".join(self.get(p)["_stream"] for p in parts)
        self._run(stream, fonts, page)
        return page

    def _run(self, stream: bytes, fonts: dict, page: Page) -> None:
        """Interpret the graphics and text state operators that place and size text."""
        lexer, args = _Lexer(stream), []
        ctm, stack = _IDENTITY, []
        tm = tlm = _IDENTITY
        size, leading, cmap = 0.0, 0.0, None

        def show(raw_parts: list[object]) -> None:
            text = "".join(
                (cmap.decode(p) if cmap else p.decode("latin-1")) for p in raw_parts if isinstance(p, bytes)
            )
            m = _mul(tm, ctm)
            scale = math.hypot(m[2], m[3])  # vertical scale of text space on the page
            if text.strip():
                page.runs.append(TextRun(text, round(size * scale, 3), m[4], m[5]))

        while True:
            try:
                tok = lexer.next()
            except EOFError:
                break
            if not isinstance(tok, Op):
                args.append(tok)
                continue
            op = tok.op
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else _IDENTITY
            elif op == "cm":
                ctm = _mul(tuple(float(a) for a in args[-6:]), ctm)
            elif op == "BT":
                tm = tlm = _IDENTITY
            elif op == "Tf":
                font = fonts.get(args[-2].name) if isinstance(args[-2], Name) else None
                cmap = self._cmap(font) if font is not None else None
                size = float(args[-1])
            elif op == "TL":
                leading = float(args[-1])
            elif op in ("Td", "TD"):
                tx, ty = float(args[-2]), float(args[-1])
                if op == "TD":
                    leading = -ty
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
            elif op == "Tm":
                tm = tlm = tuple(float(a) for a in args[-6:])
            elif op == "T*":
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
            elif op == "Tj":
                show([args[-1]])
            elif op == "TJ":
                show(args[-1])
            elif op in ("'", '"'):
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
                show([args[-1]])
            elif op == "BI":  # inline image: skip to its end
                end = stream.index(b"EI", lexer.pos)
                lexer.pos = end + 2
            args = []

    def outline(self) -> list[tuple[str, int]]:
        """(title, 1-based page) of the top-level bookmarks; LibreOffice writes one per sheet."""
        root = self.get(self.catalog.get("Outlines"))
        out: list[tuple[str, int]] = []
        node = self.get(root.get("First")) if isinstance(root, dict) else None
        while isinstance(node, dict):
            title = self.get(node["Title"])
            text = title[2:].decode("utf-16-be") if title.startswith(b"\xfe\xff") else title.decode("latin-1")
            dest = self.get(node.get("Dest")) or self.get(self.get(node.get("A", {})).get("D"))
            out.append((text, self.page_ids.index(dest[0].num) + 1))
            node = self.get(node.get("Next"))
        return out

    def sheets(self) -> dict[str, list[Page]]:
        """Sheet name -> its printed pages, from the outline (every printed sheet starts a bookmark)."""
        marks = self.outline()
        out: dict[str, list[Page]] = {}
        for i, (title, first) in enumerate(marks):
            last = marks[i + 1][1] - 1 if i + 1 < len(marks) else len(self.pages)
            out[title] = self.pages[first - 1 : last]
        return out
