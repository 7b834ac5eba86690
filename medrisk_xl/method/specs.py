"""The structure of a content pack's files: names, shared codes and the spec each file must match.

method.yaml and register.yaml sit at the pack's root; each language folder holds labels.yaml,
help.yaml, actions.yaml, ui.yaml (its spec in :mod:`medrisk_xl.method.specs_ui`) and register.yaml.
"""

from __future__ import annotations

from medrisk_xl.method.output_columns import REGISTER_CODES
from medrisk_xl.method.schema import BOOL, INT, TEXT, Keys, ListOf, MapOf

METHOD_FILE = "method.yaml"
REGISTER_FILE = "register.yaml"  # the risk register (IEC/TR 80001-2-1), next to method.yaml
LANGUAGE_FILES = ("labels.yaml", "help.yaml", "actions.yaml", "ui.yaml", "register.yaml")
LEVELS = (1, 2, 3)
VULN_ANSWER_CODES = ("YES", "NO", "UNKNOWN")
STATUSES = ("empty", "incomplete", "to_confirm", "complete")
TERMS = ("level", "status", "missing", "unknown_items", "non_compliant_items")

_LEVEL = Keys({"level": INT, "min": INT, "max": INT})
_LEVEL_LABELS = MapOf(TEXT, key=int)

METHOD_SPEC = Keys(
    {
        "schema": INT,
        "id": TEXT,
        "version": TEXT,
        "default_language": TEXT,
        "sources": ListOf(Keys({"id": TEXT, "title": TEXT, "reference": TEXT})),
        "criticality": Keys(
            {
                "groups": ListOf(Keys({"code": TEXT, "criteria": ListOf(TEXT)})),
                "criteria": ListOf(Keys({"code": TEXT, "points": ListOf(INT)})),
                "levels": ListOf(_LEVEL),
            }
        ),
        "vulnerability": Keys(
            {
                "items": ListOf(TEXT),
                "answers": ListOf(Keys({"code": TEXT, "points": INT, "compliant": BOOL, "flag": BOOL})),
                "levels": ListOf(_LEVEL),
            }
        ),
        "risk": Keys({"matrix": MapOf(MapOf(INT, key=int), key=int)}),
    }
)


def labels_spec() -> Keys:
    return Keys(
        {
            "language": TEXT,
            "name": TEXT,
            "method": Keys({"title": TEXT, "subtitle": TEXT}),
            "criticality": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "score_unit": TEXT,
                    "groups": MapOf(TEXT),
                    "criteria": MapOf(Keys({"title": TEXT, "short": TEXT, "answers": ListOf(TEXT)})),
                    "levels": _LEVEL_LABELS,
                }
            ),
            "vulnerability": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "score_unit": TEXT,
                    "items": MapOf(TEXT),
                    "answers": MapOf(TEXT),
                    "aliases": MapOf(ListOf(TEXT, min_len=0)),
                    "levels": _LEVEL_LABELS,
                }
            ),
            "risk": Keys(
                {
                    "title": TEXT,
                    "short": TEXT,
                    "levels": _LEVEL_LABELS,
                    "short_levels": _LEVEL_LABELS,
                }
            ),
            "status": Keys({s: TEXT for s in STATUSES}),
            "terms": Keys({t: TEXT for t in TERMS}),
        },
        optional=frozenset({"vulnerability.aliases"}),
    )


_HELP = Keys({"short": TEXT, "long": TEXT})
HELP_SPEC = Keys(
    {
        "language": TEXT,
        "criticality": MapOf(_HELP),
        "vulnerability": MapOf(_HELP),
        "scales": Keys({"criticality": TEXT, "vulnerability": TEXT, "risk": TEXT, "how_to_fill": TEXT}),
    }
)


def text_keys(*keys: str) -> Keys:
    """A mapping of exactly ``keys``, each holding a text."""
    return Keys({k: TEXT for k in keys})


ACTIONS_SPEC = Keys(
    {
        "language": TEXT,
        "themes": MapOf(TEXT),
        "plans": MapOf(Keys({"title": TEXT, "summary": TEXT, "themes": MapOf(ListOf(TEXT))}), key=int),
        "items": MapOf(Keys({"discuss": TEXT, "actions": ListOf(TEXT)})),
    }
)


# The risk register of a medical IT-network (GOST R 56839-2015 / IEC/TR 80001-2-1:2012):
# register.yaml next to method.yaml holds the codes, scales, levels and the severity ×
# probability grid; <language>/register.yaml holds their texts.
KEY_PROPERTIES = ("safety", "effectiveness", "security")  # 3.16: severity is described for each
STAGES = ("initial", "residual")  # a register row's risk before and after its controls
FIELD_KINDS = ("text", "choice", "yes_no", "number", "date")  # change-form fields
REGISTER_GROUPS = ("situation", "initial", "control", "residual", "follow_up")  # register sheet
SCALE_SIZE = 5  # Annex D: five probabilities (D.1), five severities (D.2)
REGISTER_SECTIONS = ("key_properties", "severity", "probability", "levels", "grid", "stages")
# list key in register.yaml -> what one entry is called in problems
REGISTER_LISTS = {
    "steps": "step",
    "control_types": "control type",
    "hazards": "hazard",
    "causes": "cause",
    "situations": "situation",
    "questions": "question",
    "change_form": "change-form field",
}

_ENTRY = Keys({"code": TEXT, "section": TEXT})
REGISTER_SPEC = Keys(
    {
        "schema": INT,
        "sources": ListOf(Keys({"id": TEXT, "title": TEXT, "reference": TEXT})),
        "sections": text_keys(*REGISTER_SECTIONS),
        "steps": ListOf(_ENTRY),
        "severity": ListOf(TEXT),
        "probability": ListOf(TEXT),
        "levels": ListOf(Keys({"code": TEXT, "level": INT})),
        "grid": MapOf(MapOf(INT)),
        # The seed's worked examples; a site that departs from them removes the key.
        "examples": ListOf(
            Keys(
                {
                    "section": TEXT,
                    "situation": TEXT,
                    "stage": TEXT,
                    "severity": TEXT,
                    "probability": TEXT,
                    "level": INT,
                }
            ),
            min_len=0,
        ),
        "control_types": ListOf(_ENTRY),
        "hazards": ListOf(
            Keys({"code": TEXT, "section": TEXT, "parent": TEXT}, optional=frozenset({"parent"}))
        ),
        "causes": ListOf(Keys({"code": TEXT, "section": TEXT, "hazards": ListOf(TEXT, min_len=0)})),
        "situations": ListOf(_ENTRY),
        "questions": ListOf(_ENTRY),
        "seeding": MapOf(Keys({"hazard": TEXT, "cause": TEXT})),
        "statuses": ListOf(TEXT),
        "change_form": ListOf(
            Keys(
                {"code": TEXT, "section": TEXT, "kind": TEXT, "options": ListOf(TEXT)},
                optional=frozenset({"options"}),
            )
        ),
    },
    optional=frozenset({"examples"}),
)

_LABELLED = Keys({"label": TEXT, "description": TEXT})
REGISTER_TEXT_SPEC = Keys(
    {
        "language": TEXT,
        "title": TEXT,
        "key_properties": text_keys(*KEY_PROPERTIES),
        "stages": text_keys(*STAGES),
        "steps": MapOf(Keys({"title": TEXT, "produces": TEXT})),
        "severity": MapOf(Keys({"label": TEXT, **{k: TEXT for k in KEY_PROPERTIES}})),
        "probability": MapOf(Keys({"label": TEXT, "definition": TEXT})),
        "levels": MapOf(Keys({"label": TEXT, "meaning": TEXT})),
        "control_types": MapOf(_LABELLED),
        "hazards": MapOf(_LABELLED),
        "causes": MapOf(_LABELLED),
        "situations": MapOf(TEXT),
        "questions": MapOf(Keys({"topic": TEXT, "question": TEXT})),
        "sheet": Keys(
            {
                "name": TEXT,
                "link": TEXT,
                "title": TEXT,
                "intro": TEXT,
                "groups": text_keys(*REGISTER_GROUPS),
                "columns": text_keys(*REGISTER_CODES),
                "helper_header": TEXT,
                "statuses": MapOf(TEXT),
                "input_title": TEXT,
                "input_message": TEXT,
                "suggest_message": TEXT,
                "error_title": TEXT,
                "error_message": TEXT,
                "decision": TEXT,
                "seed": TEXT,
                "seed_section": TEXT,
            }
        ),
        "change_form": Keys(
            {
                "sheet": TEXT,
                "link": TEXT,
                "intro": TEXT,
                "title": TEXT,
                "yes": TEXT,
                "no": TEXT,
                "fields": MapOf(
                    Keys({"label": TEXT, "options": MapOf(TEXT)}, optional=frozenset({"options"}))
                ),
            }
        ),
    }
)
