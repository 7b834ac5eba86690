"""What a problem code's catalogue entry is made of: the severities, the scopes (the commands
that report codes) and one entry (severity and meaning in a scope). Its own module so that the
catalogue's parts (:mod:`.problem_catalogue`, :mod:`.problem_catalogue_content`) share it."""

from __future__ import annotations

from typing import NamedTuple

ERROR, WARNING, INFO = "error", "warning", "info"

# Scopes: the commands (or the shared opening of a returned workbook) that report a code.
OPENING = "opening"  # refused or warned about before a returned workbook is read
VALIDATE = "validate"
AUDIT = "audit"
ACTIONS_IMPORT = "actions-import"
HISTORY = "history"  # recording in and reading from the history database
COMPARE = "compare"
GENERATE = "generate"  # the inventory, the options and the output folder
CONSOLIDATE = "consolidate"
CONTENT_CHECK = "content-check"  # a content pack's files and texts
SCORE = "score"
COMMAND_LINE = "command-line"  # arguments refused before any file is checked (exit code 2)
MDS2 = "mds2"  # a manufacturer's MDS2 form read (medrisk-xl mds2 read)
SCOPES = (
    OPENING,
    VALIDATE,
    AUDIT,
    ACTIONS_IMPORT,
    HISTORY,
    COMPARE,
    GENERATE,
    CONSOLIDATE,
    CONTENT_CHECK,
    SCORE,
    COMMAND_LINE,
    MDS2,
)


class Entry(NamedTuple):
    """How one scope reports a code: its severity and what it means there (README wording)."""

    severity: str
    meaning: str
