"""Every sentence medrisk-xl says, rendered from one catalogue of templates per language.

The templates live in the content pack beside ``ui.yaml`` (``<language>/messages.yaml``), so that
a site pack adds or rewords a language the way it adds its texts. They are not among the pack's
hashed files: rewording a message never makes a running campaign's returns "other content".

A template names its fields (``{cell}``, ``{value}``, ``{device}``). ``{count:n}`` writes a number
the language's way (``3 027`` / ``3,027``), ``{day:date}`` a date (``18/12/2026`` / ``2026-12-18``),
``{at:time}`` a moment in local time, and a template given as ``{one: …, other: …}`` is chosen by its ``count`` field, with the
language's plural rule (French: 0 and 1 are singular).
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from medrisk_xl.core.resources import shipped_content_dir
from medrisk_xl.core.yaml_files import read_yaml_file

MESSAGES_FILE = "messages.yaml"
FALLBACK = "en"  # the language of a template a pack's language lacks (and of Problem.message)
PLURAL_FORMS = ("one", "other")

Template = str | dict[str, str]
Catalogue = dict[str, dict[str, Template]]  # language -> key -> template

_DATE = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}
_TIME = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
_site_roots: list[Path] = []  # site packs loaded in this process (their templates win)


def read_catalogue(root: Path) -> Catalogue:
    """The templates of every language folder of the pack at ``root`` (raw, unchecked)."""
    catalogue: Catalogue = {}
    for path in sorted(root.glob(f"*/{MESSAGES_FILE}")):
        data = read_yaml_file(path) or {}
        catalogue[path.parent.name] = {k: v for k, v in data.items() if k != "language"}
    return catalogue


@cache
def _catalogue(roots: tuple[Path, ...]) -> Catalogue:
    merged: Catalogue = {}
    for root in (shipped_content_dir(), *roots):
        try:
            found = read_catalogue(root)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
            if root == shipped_content_dir():
                raise
            continue  # a site pack's broken templates: the shipped ones speak (content check says why)
        for lang, templates in found.items():
            merged.setdefault(lang, {}).update(t for t in templates.items() if _well_formed(t[1]))
    return merged


def use_pack(root: Path) -> None:
    """Let the templates of a site pack (``--content DIR``) add or reword languages."""
    root = root.resolve()
    if root != shipped_content_dir().resolve() and root not in _site_roots:
        _site_roots.append(root)


def catalogue() -> Catalogue:
    """The shipped templates, with those of the site packs in use on top."""
    return _catalogue(tuple(_site_roots))


def languages() -> tuple[str, ...]:
    """The languages that have templates."""
    return tuple(sorted(catalogue()))


class Message(NamedTuple):
    """A sentence not yet rendered: its template key and its named fields (a field may itself be
    a Message or a :class:`Joined` list of them, rendered in the same language)."""

    key: str
    params: tuple[tuple[str, Any], ...]

    def text(self, lang: str | None = None) -> str:
        return render(self.key, lang, **dict(self.params))


class Joined(NamedTuple):
    """Messages written one after the other, ``sep`` between them."""

    items: tuple[Message, ...]
    sep: str = "; "

    def text(self, lang: str | None = None) -> str:
        return self.sep.join(m.text(lang) for m in self.items)


def msg(key: str, /, **params: Any) -> Message:
    """The message of template ``key`` with ``params`` (rendered later, in the chosen language)."""
    return Message(key, tuple(params.items()))


def text_in(value: Any, lang: str | None) -> str:
    """A message rendered in ``lang`` (a Message, a Joined list, or anything with such a
    ``text(lang)`` method), or a text already written (kept as it is)."""
    said = getattr(value, "text", None)
    return said(lang) if callable(said) else value


class _Formatter(string.Formatter):
    """``str.format`` with the ``n`` (number) and ``date`` format specs of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "n":
            return format_number(value, self.lang)
        if format_spec == "date":
            return format_date(value, self.lang)
        if format_spec == "time":
            return format_time(value, self.lang)
        return super().format_field(value, format_spec)


def format_number(value: int | float, lang: str) -> str:
    """``value`` the language's way: ``3 027,5`` in French (no-break space), ``3,027.5`` in English."""
    if not isinstance(value, int | float):
        return str(value)  # a count not known ("?"): written as given
    text = f"{value:,}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "fr" else text


def format_date(value: dt.date | str, lang: str) -> str:
    """A date the language's way (``18/12/2026`` in French, ISO in English)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value[:10]  # not an ISO date: shown as written
    return value.strftime(_DATE.get(lang, _DATE[FALLBACK]))


def local_moment(value: dt.datetime | str) -> dt.datetime | None:
    """A moment in local time, without its zone (a spreadsheet's date-time has none); an ISO text
    ending in Z (the history's UTC times) is read as UTC; None when ``value`` is no ISO time."""
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def format_time(value: dt.datetime | str, lang: str) -> str:
    """A moment in local time, the language's way (``04/12/2026 16:17`` / ``2026-12-04 16:17``)."""
    moment = local_moment(value)
    if moment is None:
        return str(value)  # not an ISO time: shown as written
    return moment.strftime(_TIME.get(lang, _TIME[FALLBACK]))


def plural_form(count: int, lang: str) -> str:
    """``one`` or ``other``: French counts 0 and 1 as singular, English only 1."""
    return "one" if (count in (0, 1) if lang == "fr" else count == 1) else "other"


def template(key: str, lang: str) -> Template:
    """The template of ``key`` in ``lang``, else in English (KeyError for an unknown key)."""
    cat = catalogue()
    found = cat.get(lang, {}).get(key)
    return found if found is not None else cat[FALLBACK][key]


def render(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The sentence of ``key`` in ``lang`` (English by default) with its named fields."""
    lang = lang or FALLBACK
    tpl = template(key, lang)
    if isinstance(tpl, dict):
        tpl = tpl[plural_form(int(params["count"]), lang)]
    params = {k: text_in(v, lang) for k, v in params.items()}
    return _Formatter(lang).format(tpl, **params)


def fields(tpl: Template) -> frozenset[str]:
    """The named fields of a template (every plural form's)."""
    texts = tpl.values() if isinstance(tpl, dict) else [tpl]
    return frozenset(
        name.split(".")[0].split("[")[0]
        for text in texts
        for _, name, _, _ in string.Formatter().parse(str(text))
        if name
    )


def catalogue_faults(cat: Catalogue, reference: dict[str, Template]) -> list[tuple[str, str, str]]:
    """(language, key, fault) for every template missing, unknown, malformed or with other
    fields than ``reference``'s (the shipped English templates)."""
    faults: list[tuple[str, str, str]] = []
    for lang, templates in sorted(cat.items()):
        for key in sorted(set(reference) - set(templates)):
            faults.append((lang, key, "missing"))
        for key, tpl in sorted(templates.items()):
            if key not in reference:
                faults.append((lang, key, "unknown"))
            elif not _well_formed(tpl):
                faults.append((lang, key, "malformed"))
            elif fields(tpl) != fields(reference[key]):
                faults.append(
                    (lang, key, f"fields {sorted(fields(tpl))}, expected {sorted(fields(reference[key]))}")
                )
    return faults


def _well_formed(tpl: Any) -> bool:
    """A text, or exactly the plural forms, each of whose braces parse."""
    if isinstance(tpl, dict):
        return set(tpl) == set(PLURAL_FORMS) and all(_well_formed(t) for t in tpl.values())
    if not isinstance(tpl, str):
        return False
    try:
        list(string.Formatter().parse(tpl))
    except ValueError:
        return False
    return True
