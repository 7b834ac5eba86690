"""The structure of ``mds2.yaml``: which MDS2 questions (ANSI/NEMA HN 1-2019) bear on each
vulnerability item, and the rules turning their answers into a suggestion.

The file is optional in a pack and never enters the content hash: rewording a rationale or
refining a rule changes no department workbook.
"""

from __future__ import annotations

import re

from medrisk_xl.method.schema import INT, TEXT, Keys, ListOf, MapOf

MDS2_FILE = "mds2.yaml"
# A question id of the 2019 form: a section of 3 or 4 letters, then numbers (DOC-1, CONN-1.1.1).
QUESTION_ID = re.compile(r"[A-Z]{3,4}-\d{1,2}(?:\.\d{1,2}){0,3}")
# The answers a rule may test: N/A is never scored, and "not answered" never matches.
RULE_ANSWERS = ("yes", "no")
# Kinds of rule; the kind is the basis of the suggestion it gives.
BY_DESIGN = "by-design"  # a rule that settles the item by the device's design, whatever the site does
RULE_KINDS = (BY_DESIGN,)

_RULE = Keys({"kind": TEXT, "when": MapOf(TEXT), "suggest": TEXT})
_RATIONALE = Keys({"cite": TEXT, "text": TEXT})
MDS2_SPEC = Keys(
    {
        "schema": INT,
        "source": Keys({"id": TEXT, "title": TEXT, "reference": TEXT}),
        "items": MapOf(
            Keys(
                {
                    "questions": ListOf(TEXT, min_len=0),
                    "rules": ListOf(_RULE, min_len=0),
                    "rationale": MapOf(_RATIONALE),
                }
            )
        ),
    }
)
