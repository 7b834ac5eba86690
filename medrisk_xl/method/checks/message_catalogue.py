"""The message templates of a pack (``<language>/messages.yaml``): each language a pack ships
messages for has every template of the shipped English catalogue, with the same fields, so that
no command can fail or say less in one language than in another."""

from __future__ import annotations

from pathlib import Path

import yaml

from medrisk_xl.core.message_templates import FALLBACK, MESSAGES_FILE, catalogue_faults, read_catalogue
from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.core.resources import shipped_content_dir

_CODES = {"missing": "missing-text", "unknown": "unknown-key", "malformed": "bad-template"}


def check_messages(root: Path) -> list[Problem]:
    """Every missing, unknown or malformed template of the pack at ``root``, and every template
    whose fields differ from the English one's."""
    try:
        cat = read_catalogue(root)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as exc:
        return [Problem("bad-yaml", msg("content.messages-unreadable", error=str(exc)), file=str(root))]
    reference = read_catalogue(shipped_content_dir())[FALLBACK]
    problems = []
    for lang, key, fault in catalogue_faults(cat, reference):
        code = _CODES.get(fault, "bad-template")
        said = (
            msg(f"content.template-{fault}", key=key)
            if fault in ("missing", "unknown", "malformed")
            else msg("content.template-fields", key=key, fault=fault)
        )
        problems.append(Problem(code, said, f"{lang}/{MESSAGES_FILE}", key))
    return problems
