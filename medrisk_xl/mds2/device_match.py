"""Which MDS2 form describes which inventory device: the form's manufacturer and model (DOC-1,
DOC-3) against the device's brand and model, both normalised (case, accents, spaces,
punctuation), or an explicit map (``--mds2-map FILE.csv``: brand, model, form) that wins.

A brand matches when one normalised name starts the other ("Medivia" and "Medivia SAS"); a
model must match exactly once normalised ("PS-1200" and "ps 1200"). A device that several forms
describe gets the one with the latest release date (DOC-7).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medrisk_xl.core.problems import MedriskError, Message, Problem, msg
from medrisk_xl.mds2.mds2_form import Mds2Form

# Headers of the map's columns, English and French, compared normalised.
MAP_COLUMNS = {
    "brand": ("brand", "manufacturer", "marque", "fabricant"),
    "model": ("model", "modele"),
    "form": ("form", "file", "formulaire", "fichier"),
}


def match_key(text: str | None) -> str:
    """``text`` without case, accents, spaces or punctuation: "Modèle PS-1200" -> "modeleps1200"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def brands_match(one: str | None, other: str | None) -> bool:
    a, b = match_key(one), match_key(other)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


@dataclass(frozen=True)
class DeviceRef:
    """An inventory device, as much as matching needs."""

    device_id: str
    brand: str | None
    model: str | None


@dataclass(frozen=True)
class MapRow:
    brand: str
    model: str
    form: str  # a file name, or a path relative to the map


@dataclass
class MatchReport:
    """Forms matched (form path -> device ids), forms matching no device, devices without form,
    and the form chosen per device."""

    by_device: dict[str, Path] = field(default_factory=dict)
    matched: dict[Path, list[str]] = field(default_factory=dict)
    unmatched_forms: list[Path] = field(default_factory=list)
    devices_without_form: list[str] = field(default_factory=list)


def read_map(path: str | Path) -> list[MapRow]:
    """The rows of an --mds2-map CSV (comma or semicolon, UTF-8 or Windows-1252); MedriskError
    ``bad-mds2-map`` when it cannot be read or lacks a column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad_map(path, msg("mds2.map-unreadable", reason=str(exc.strerror or exc))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))
    if not rows:
        raise _bad_map(path, msg("mds2.map-empty"))
    header = [match_key(h) for h in rows[0]]
    cols = {
        name: next((header.index(h) for h in names if h in header), None)
        for name, names in MAP_COLUMNS.items()
    }
    missing = [name for name, col in cols.items() if col is None]
    if missing:
        raise _bad_map(path, msg("mds2.map-columns", columns=", ".join(missing)))
    out = []
    for row in rows[1:]:
        values = {name: row[col].strip() if col < len(row) else "" for name, col in cols.items()}  # type: ignore[operator]
        if any(values.values()):
            out.append(MapRow(values["brand"], values["model"], values["form"]))
    return out


def _bad_map(path: Path, why: Message) -> MedriskError:
    return MedriskError([Problem("bad-mds2-map", why, file=str(path))], exit_code=2)


def _mapped_form(row: MapRow, forms: Sequence[Mds2Form]) -> Mds2Form | None:
    wanted = Path(row.form)
    return next((f for f in forms if f.path.name == wanted.name or f.path == wanted), None)


def match_forms(
    forms: Sequence[Mds2Form], devices: Iterable[DeviceRef], rows: Sequence[MapRow] = ()
) -> MatchReport:
    """Match the forms read (refused ones are left out) to ``devices``; ``rows`` of a map first."""
    usable = [f for f in forms if not f.refused]
    report = MatchReport()
    for device in devices:
        chosen = _by_map(device, usable, rows) or _by_identity(device, usable)
        if chosen is None:
            report.devices_without_form.append(device.device_id)
            continue
        report.by_device[device.device_id] = chosen.path
        report.matched.setdefault(chosen.path, []).append(device.device_id)
    report.unmatched_forms = [f.path for f in usable if f.path not in report.matched]
    return report


def _by_map(device: DeviceRef, forms: Sequence[Mds2Form], rows: Sequence[MapRow]) -> Mds2Form | None:
    for row in rows:
        if match_key(row.model) == match_key(device.model) and brands_match(row.brand, device.brand):
            return _mapped_form(row, forms)
    return None


def _by_identity(device: DeviceRef, forms: Sequence[Mds2Form]) -> Mds2Form | None:
    found = [
        f
        for f in forms
        if match_key(f.model)
        and match_key(f.model) == match_key(device.model)
        and brands_match(f.manufacturer, device.brand)
    ]
    return max(found, key=lambda f: f.date or "", default=None)
