"""The language medrisk-xl speaks in, chosen in one place so that every command agrees.

``--lang`` (where the command has it) wins; then ``MEDRISK_LANG``, which overrides the locale;
then the locale as gettext reads it (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first one set);
English when none names a language medrisk-xl has templates for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

LANG_ENV = "MEDRISK_LANG"
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order: the first one set decides
DEFAULT = "en"


def _language_of(value: str) -> str:
    """``fr_FR.UTF-8`` -> ``fr``; ``C``, ``POSIX`` -> ``c``."""
    return value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()


def choose_language(
    option: str | None = None,
    available: Iterable[str] = ("en", "fr"),
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language of messages: ``option``, else ``MEDRISK_LANG``, else the locale, else English.

    ``option`` is returned as given (the command refuses an unknown one with the pack's list);
    a variable naming a language without templates falls through to the next source.
    """
    if option:
        return option
    env = os.environ if environ is None else environ
    known = set(available)
    override = _language_of(env.get(LANG_ENV, ""))
    if override in known:
        return override
    for name in LOCALE_ENVS:
        value = env.get(name, "")
        if value:  # gettext stops at the first variable set, even on a language it lacks
            lang = _language_of(value)
            return lang if lang in known else DEFAULT
    return DEFAULT
