"""The language the command line speaks in: one choice per command run, remembered on the click
context so that an error raised deep in the library is listed in the same language."""

from __future__ import annotations

import click

from medrisk_xl.core.language_choice import choose_language
from medrisk_xl.core.message_templates import languages, use_pack
from medrisk_xl.method.pack import ContentPack

LANG_META = "medrisk_xl.lang"


def speech_language(option: str | None, pack: ContentPack | None = None) -> str:
    """``--lang`` when given, else ``MEDRISK_LANG``, else the locale, else English (a site pack's
    languages count once its templates are in use)."""
    if pack is not None:
        use_pack(pack.root)
    lang = choose_language(option, languages())
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[LANG_META] = lang
    return lang


def current_language() -> str:
    """The language chosen for this run (:func:`speech_language`), else chosen from the environment."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(LANG_META) if ctx is not None else None
    return found or choose_language(None, languages())
