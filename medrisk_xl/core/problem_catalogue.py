"""Every problem code medrisk-xl reports, once, as data: which commands report it (its scopes),
with which severity, and what it means.

One catalogue so that a code means one thing across the commands, so that the README's code
tables are generated from and tested against one source, and so that a new code cannot be
emitted without being documented (``tests/core/test_problem_catalogue.py`` scans the package).
A code keeps, per scope, the severity and meaning that command has always given it: ``sheet-missing``
means another sheet to ``validate`` than to ``actions import``, and the inventory reader only warns
about ``active-content`` that the opening of a return refuses.
"""

from __future__ import annotations

from medrisk_xl.core.problem_catalogue_content import CONTENT_CHECK_CODES
from medrisk_xl.core.problem_entry import (
    ACTIONS_IMPORT,
    AUDIT,
    COMMAND_LINE,
    COMPARE,
    CONSOLIDATE,
    CONTENT_CHECK,
    ERROR,
    GENERATE,
    HISTORY,
    INFO,
    MDS2,
    OPENING,
    SCOPES,
    SCORE,
    VALIDATE,
    WARNING,
    Entry,
)

# Re-exported: the catalogue's users import the severities, scopes and Entry from here.
__all__ = [
    "ACTIONS_IMPORT",
    "AUDIT",
    "CATALOGUE",
    "COMMAND_LINE",
    "COMPARE",
    "CONSOLIDATE",
    "CONTENT_CHECK",
    "ERROR",
    "GENERATE",
    "HISTORY",
    "INFO",
    "MDS2",
    "OPENING",
    "SCOPES",
    "SCORE",
    "VALIDATE",
    "WARNING",
    "Entry",
    "codes_of",
    "readme_table",
    "severity_of",
]

_ACTIVE = Entry(ERROR, "the file holds macros, ActiveX controls, embedded objects or a custom ribbon")
_OUTWARD = Entry(
    ERROR, "the file links to other files or fetches data from outside (external links, connections)"
)
_HYPERLINK = Entry(WARNING, "a hyperlink to a file or network share (file:, UNC path), not a web page")
_FORMULA_CHANGED = "a computed cell holds another formula than the generator's"
_OUTPUT = (GENERATE, CONSOLIDATE)

# code -> scope -> (severity, meaning). Validate's codes first, in the README's order.
CATALOGUE: dict[str, dict[str, Entry]] = {
    "unreadable": {
        VALIDATE: Entry(
            ERROR, "the file cannot be read as a spreadsheet (empty, damaged, encrypted, old .xls…)"
        ),
        AUDIT: Entry(ERROR, "the file cannot be read as a spreadsheet"),
        ACTIONS_IMPORT: Entry(
            ERROR, "the file cannot be read as a spreadsheet (missing, empty, damaged, not a spreadsheet…)"
        ),
        GENERATE: Entry(ERROR, "the inventory cannot be read"),
        CONTENT_CHECK: Entry(ERROR, "a content pack file cannot be read"),
        MDS2: Entry(ERROR, "the file cannot be read as a spreadsheet (damaged, encrypted, too large…)"),
    },
    "active-content": {
        OPENING: _ACTIVE,
        VALIDATE: _ACTIVE,
        AUDIT: _ACTIVE,
        ACTIONS_IMPORT: _ACTIVE,
        GENERATE: Entry(WARNING, "the inventory holds active content: only its cell values were read"),
        MDS2: Entry(ERROR, "the form holds macros or other active content: refused unread"),
    },
    "external-link": {
        OPENING: _OUTWARD,
        VALIDATE: _OUTWARD,
        AUDIT: Entry(ERROR, "a link or a defined name pointing outside the workbook"),
        ACTIONS_IMPORT: _OUTWARD,
        MDS2: Entry(ERROR, "the form links to other files or fetches data from outside: refused unread"),
    },
    "unsafe-hyperlink": {OPENING: _HYPERLINK, VALIDATE: _HYPERLINK, AUDIT: _HYPERLINK},
    "not-medrisk": {
        VALIDATE: Entry(ERROR, "a spreadsheet but no department workbook (a map or comparison is named)"),
        AUDIT: Entry(ERROR, "not a medrisk-xl workbook (no _meta sheet), or a map or a comparison"),
    },
    "unknown-schema": {
        VALIDATE: Entry(ERROR, "made by another medrisk-xl version whose workbook contract is not this one"),
        AUDIT: Entry(ERROR, "made by a medrisk-xl version with another workbook contract"),
        ACTIONS_IMPORT: Entry(
            ERROR, "written by a newer medrisk-xl whose action plan this version cannot read"
        ),
    },
    "other-content": {
        VALIDATE: Entry(ERROR, "generated with another content pack (method) than the one validating it"),
        AUDIT: Entry(ERROR, "generated with another content pack: audit it with --content and that pack"),
        ACTIONS_IMPORT: Entry(
            ERROR, "written with another content pack than the one importing it (`--content`)"
        ),
    },
    "other-campaign": {VALIDATE: Entry(ERROR, "belongs to another campaign than the manifest's")},
    "sheet-missing": {
        VALIDATE: Entry(
            ERROR,
            "a sheet of the contract (input, lists, a form, the risk register, the change form) is missing "
            "or its codes are damaged",
        ),
        AUDIT: Entry(ERROR, "a sheet of the generator is missing"),
        ACTIONS_IMPORT: Entry(ERROR, "an action sheet of the plan is missing"),
    },
    "relabelled-options": {
        VALIDATE: Entry(ERROR, "the list sheet no longer holds the pack's options in the pack's order")
    },
    "invalid-answer": {
        VALIDATE: Entry(ERROR, "an answer cell holds something that is not one of its options")
    },
    "missing-answers": {VALIDATE: Entry(WARNING, "a started device has unanswered questions")},
    "not-started": {VALIDATE: Entry(WARNING, "a device has no answer yet (a pre-filled C1 does not count)")},
    "to-confirm": {VALIDATE: Entry(INFO, "answered NE SAIT PAS: to confirm with the IT team")},
    "to-review": {VALIDATE: Entry(WARNING, "year two: carried-over answers not checked yet")},
    "device-status": {VALIDATE: Entry(INFO, "a device reported retired, moved, lent or missing")},
    "wrong-cached-value": {
        VALIDATE: Entry(ERROR, "the department was shown a figure that is not what the method computes")
    },
    "formula-changed": {
        VALIDATE: Entry(ERROR, _FORMULA_CHANGED),
        AUDIT: Entry(ERROR, "a formula differs from the generator's"),
    },
    "formula-replaced": {
        VALIDATE: Entry(ERROR, "a computed cell holds a constant instead of its formula"),
        AUDIT: Entry(ERROR, "a constant or an empty cell where the generator writes a formula"),
    },
    "device-missing": {
        VALIDATE: Entry(ERROR, "a device of the workbook is no longer in it (row deleted or id changed)")
    },
    "device-moved": {
        VALIDATE: Entry(ERROR, "a device is not on its row any more (rows inserted, deleted or sorted)"),
        ACTIONS_IMPORT: Entry(ERROR, "a device taken off one row of a grouped plan and put on another"),
    },
    "device-duplicated": {VALIDATE: Entry(ERROR, "a device id appears on more than one row")},
    "identity-changed": {
        VALIDATE: Entry(ERROR, "a locked identity cell no longer holds what the inventory gave")
    },
    "unexpected-row": {VALIDATE: Entry(ERROR, "a row among the device rows holds an unknown device")},
    "added-device": {VALIDATE: Entry(INFO, "a device added in a free row")},
    "not-in-manifest": {
        VALIDATE: Entry(ERROR, "a device id that the manifest does not list for this workbook")
    },
    "missing-from-return": {
        VALIDATE: Entry(ERROR, "a device the manifest lists for this workbook is not in the return")
    },
    "protection-removed": {
        VALIDATE: Entry(WARNING, "a sheet's protection was removed"),
        AUDIT: Entry(WARNING, "a sheet the generator protects is not protected"),
    },
    "password-changed": {VALIDATE: Entry(WARNING, "a sheet's protection password is not the campaign's")},
    "register-id-changed": {
        VALIDATE: Entry(
            ERROR,
            "a risk register row no longer holds the id generated on it (consolidation follows rows by id)",
        )
    },
    "register-not-assessed": {
        VALIDATE: Entry(
            WARNING,
            "a filled risk register row without both a severity and a probability (initial or residual)",
        )
    },
    "register-residual-only": {
        VALIDATE: Entry(WARNING, "a risk register row gives a residual risk but no initial risk")
    },
    "register-needs-decision": {
        VALIDATE: Entry(
            INFO, "a high residual risk: needs a documented risk/benefit decision (IEC 80001-2-1 7.4.6)"
        )
    },
    "register-row-added": {
        VALIDATE: Entry(
            WARNING,
            "a risk register row written below the generated rows (kept; it has no id, dropdown or formula)",
        )
    },
    "change-form-value": {
        VALIDATE: Entry(
            WARNING, "a change form value that is not one of its options, not a date or not a number"
        )
    },
    # An IT workbook's own codes (medrisk-xl confirm, generate --vulnerability-by it)
    "it-row-changed": {
        VALIDATE: Entry(ERROR, "an IT workbook row no longer holds the group and item it was generated with")
    },
    "it-row-missing": {VALIDATE: Entry(ERROR, "an IT workbook row was deleted or emptied")},
    "it-row-added": {VALIDATE: Entry(ERROR, "a row written below an IT workbook's generated rows")},
    "it-conflict": {
        CONSOLIDATE: Entry(ERROR, "two IT workbooks answer the same device and item differently")
    },
    "it-not-applied": {
        CONSOLIDATE: Entry(
            WARNING,
            "an IT answer left out: its device is gone, moved to another model, or its department answered since",
        )
    },
    "sheet-too-long": {CONSOLIDATE: Entry(ERROR, "a table would run past a sheet's 1,048,576 rows")},
    # The audit's own codes (the README's audit table)
    "rebuild-failed": {
        AUDIT: Entry(
            ERROR, "the generator cannot write the workbook again from its _meta (structure changed)"
        )
    },
    "formula-added": {AUDIT: Entry(ERROR, "a formula where the generator writes none")},
    "function-not-allowed": {
        AUDIT: Entry(ERROR, "a formula breaks the portability rules (function, range or criterion)")
    },
    "volatile-function": {AUDIT: Entry(ERROR, "a volatile function (NOW, RAND, OFFSET, INDIRECT…)")},
    "unexpected-name": {AUDIT: Entry(ERROR, "a defined name the generator did not create")},
    "name-changed": {AUDIT: Entry(ERROR, "a defined name of the generator is missing or points elsewhere")},
    "unexpected-sheet": {
        AUDIT: Entry(ERROR, "a hidden sheet (or a chart sheet) the generator did not create")
    },
    "added-sheet": {AUDIT: Entry(WARNING, "a visible sheet the generator did not create")},
    "sheet-state": {AUDIT: Entry(WARNING, "a sheet is shown or hidden otherwise than the generator left it")},
    "dropdown-missing": {AUDIT: Entry(ERROR, "an answer cell lost its dropdown")},
    "dropdown-changed": {
        AUDIT: Entry(
            ERROR,
            "an answer cell's dropdown offers another list than the generator's, or accepts values the "
            "generator's refuses",
        )
    },
    "answer-locked": {AUDIT: Entry(ERROR, "an answer cell is locked")},
    "formula-unlocked": {AUDIT: Entry(ERROR, "a formula cell is unlocked")},
    "cell-unlocked": {
        AUDIT: Entry(WARNING, "another cell the generator locks (identity, label) is unlocked")
    },
    "list-data-changed": {
        AUDIT: Entry(ERROR, "the list sheet (labels, points, thresholds, matrix) differs from the pack's")
    },
    "engine-mismatch": {AUDIT: Entry(ERROR, "an engine computed another value than the reference scorer")},
    "engine-failed": {AUDIT: Entry(ERROR, "an engine could not recalculate the probe workbooks")},
    "engine-missing": {AUDIT: Entry(WARNING, "an engine asked for is not installed")},
    # Arguments refused before any file is checked (audit, generate, score; the manifest)
    "no-workbook": {COMMAND_LINE: Entry(ERROR, "audit: no .xlsx workbook in the paths given")},
    "bad-argument": {COMMAND_LINE: Entry(ERROR, "an argument that is not of the expected form")},
    "bad-manifest": {
        COMMAND_LINE: Entry(
            ERROR, "--manifest is not a medrisk-xl campaign.json (validate, consolidate, history)"
        )
    },
    # actions import (the README's table)
    "not-a-plan": {
        ACTIONS_IMPORT: Entry(
            ERROR,
            "a spreadsheet, but not a medrisk-xl consolidated workbook (or its `_meta` sheet is damaged)",
        )
    },
    "unknown-campaign": {
        ACTIONS_IMPORT: Entry(
            ERROR, "the plan's campaign is not in the history (record it with `consolidate --db`)"
        ),
        HISTORY: Entry(ERROR, "the campaign is not in the history"),
    },
    "column-missing": {
        VALIDATE: Entry(ERROR, "an IT workbook's code row above the headers lacks a column code"),
        ACTIONS_IMPORT: Entry(ERROR, "the code row above the headers lacks a column code"),
    },
    "formula-in-plan": {ACTIONS_IMPORT: Entry(ERROR, "a cell holds a formula: the plan holds values only")},
    "invented-action": {
        ACTIONS_IMPORT: Entry(ERROR, "a row that is not an action the recorded campaign implies")
    },
    "team-action-incomplete": {ACTIONS_IMPORT: Entry(ERROR, "a row the team added lacks a text or devices")},
    "unknown-device": {ACTIONS_IMPORT: Entry(ERROR, "a team row names a device that is not in the campaign")},
    "action-changed": {
        ACTIONS_IMPORT: Entry(
            ERROR,
            "an identity cell (department, designation, risk level, source, topic, action; a group's "
            "devices, their count, highest risk and criticality) was changed",
        )
    },
    "duplicate-action": {ACTIONS_IMPORT: Entry(ERROR, "the same action on two rows")},
    "bad-due-date": {ACTIONS_IMPORT: Entry(ERROR, "a due date that is not a date between 2000 and 2099")},
    "bad-status": {ACTIONS_IMPORT: Entry(ERROR, "a status that is not one of the dropdown's texts")},
    "action-missing": {
        ACTIONS_IMPORT: Entry(WARNING, "an action of the plan is no longer in the file (not imported)")
    },
    "more-problems": {
        ACTIONS_IMPORT: Entry(INFO, "past 200 problems, how many more were found and not listed")
    },
    # The history database
    "bad-history": {HISTORY: Entry(ERROR, "the history path is a folder, or its folder does not exist")},
    "bad-history-url": {HISTORY: Entry(ERROR, "a history address medrisk-xl cannot use")},
    "no-history": {HISTORY: Entry(ERROR, "no history database at the address given")},
    "history-error": {HISTORY: Entry(ERROR, "the history database refused an operation")},
    "history-too-new": {HISTORY: Entry(ERROR, "the history was written by a newer medrisk-xl")},
    "missing-driver": {
        HISTORY: Entry(ERROR, "the database driver the history address needs is not installed")
    },
    "campaign-recorded-again": {
        HISTORY: Entry(ERROR, "the campaign was recorded again since the plan was checked against it")
    },
    "no-campaign": {HISTORY: Entry(ERROR, "no campaign of that name in the history")},
    "several-campaigns": {HISTORY: Entry(ERROR, "a name that several campaigns of the history match")},
    # Output files and folders
    "bad-output": {
        **dict.fromkeys(_OUTPUT, Entry(ERROR, "the output path is not a folder that can be created")),
        COMPARE: Entry(ERROR, "the comparison workbook must end in .xlsx"),
    },
    "cannot-write": {
        **dict.fromkeys(_OUTPUT, Entry(ERROR, "an output file cannot be written")),
        COMPARE: Entry(ERROR, "the comparison workbook cannot be written"),
    },
    "output-not-empty": {
        scope: Entry(ERROR, "the output folder is not empty (--force)") for scope in _OUTPUT
    },
    "unsafe-force": {
        scope: Entry(ERROR, "--force would empty a folder that holds the inputs or the current folder")
        for scope in _OUTPUT
    },
    "missing-pyarrow": {CONSOLIDATE: Entry(ERROR, "writing Parquet needs pyarrow")},
    # generate: the campaign's options and the inventory (generate/inventory/messages.py)
    "bad-option": {GENERATE: Entry(ERROR, "an option value that is not one of those allowed")},
    "bad-deadline": {GENERATE: Entry(ERROR, "a --deadline that is not a date")},
    "not-a-file": {GENERATE: Entry(ERROR, "the inventory path is a folder")},
    "missing-file": {
        GENERATE: Entry(ERROR, "the inventory file is not found"),
        CONTENT_CHECK: Entry(ERROR, "a file of the content pack is missing"),
    },
    "bad-format": {GENERATE: Entry(ERROR, "the inventory is neither a spreadsheet nor a text CSV")},
    "not-text": {GENERATE: Entry(ERROR, "the inventory is not a text CSV")},
    "undecodable-bytes": {GENERATE: Entry(ERROR, "inventory bytes that are neither UTF-8 nor Windows-1252")},
    "bad-csv": {GENERATE: Entry(ERROR, "a malformed CSV inventory")},
    "no-sheet": {GENERATE: Entry(ERROR, "the inventory workbook has no sheet of that name")},
    "bad-header-row": {GENERATE: Entry(ERROR, "a --header-row beyond the sheet's rows")},
    "no-header": {GENERATE: Entry(ERROR, "no header row with a device id column")},
    "bad-map": {GENERATE: Entry(ERROR, "a --map naming an unknown field or column, or a bad answer")},
    "bad-answers-file": {GENERATE: Entry(ERROR, "a row of the --answers file that cannot be read")},
    "missing-column": {GENERATE: Entry(ERROR, "a required inventory column is missing")},
    "empty-inventory": {GENERATE: Entry(ERROR, "the inventory has no header row or no device")},
    "field-count": {GENERATE: Entry(ERROR, "an inventory row has more or fewer fields than the header")},
    "text-truncated": {GENERATE: Entry(WARNING, "an inventory value cut to Excel's cell limit")},
    "empty-id": {GENERATE: Entry(ERROR, "an inventory row without a device id")},
    "duplicate-id": {GENERATE: Entry(ERROR, "a device id on two inventory rows")},
    "empty-field": {GENERATE: Entry(ERROR, "a field the campaign is split by is empty")},
    "unknown-ce-class": {GENERATE: Entry(ERROR, "a CE class that is not I, IIa, IIb or III")},
    "bad-date": {GENERATE: Entry(WARNING, "an inventory date that is not a date: kept as text")},
    "rows-after-blank": {GENERATE: Entry(WARNING, "inventory rows after an empty row, ignored")},
    "column-choice": {
        GENERATE: Entry(
            WARNING, "several inventory columns could hold the department (or site): which one was read"
        )
    },
    "subtotal-row": {GENERATE: Entry(WARNING, "an inventory row with only its id (a subtotal?): left out")},
    "hidden-rows": {GENERATE: Entry(WARNING, "hidden or filtered-out inventory rows")},
    "numeric-ids": {GENERATE: Entry(WARNING, "device ids stored as numbers (leading zeros may be lost)")},
    # content check: a content pack's files and texts (method/)
    "unknown-code": {
        CONTENT_CHECK: Entry(ERROR, "a code that the pack does not define"),
        SCORE: Entry(ERROR, "a criterion code that the pack does not define"),
    },
    "duplicate-code": {
        CONTENT_CHECK: Entry(ERROR, "a code defined more than once"),
        SCORE: Entry(ERROR, "a criterion given twice"),
    },
    "bad-answer": {SCORE: Entry(ERROR, "an answer that is not one of the criterion's")},
    "duplicate-label": {
        CONTENT_CHECK: Entry(ERROR, "two labels that must differ are equal"),
        GENERATE: Entry(ERROR, "status labels that must differ are equal"),
    },
    **CONTENT_CHECK_CODES,
    # mds2 read: a manufacturer's MDS2 form (the README's table)
    "pdf-form": {MDS2: Entry(ERROR, "a PDF: ask the manufacturer for the MDS2 form as an Excel workbook")},
    "form-2013": {MDS2: Entry(ERROR, "the older 2013 MDS2 form: ask the manufacturer for the 2019 form")},
    "not-mds2": {MDS2: Entry(ERROR, "a spreadsheet, but not an MDS2 form (no question ids such as AUTH-1)")},
    "corrected-id": {MDS2: Entry(INFO, "a known slip of the form's question ids, read as meant (SHAD-15)")},
    "duplicate-question": {MDS2: Entry(WARNING, "a question id on two rows: the first answer is kept")},
    "free-text-answer": {MDS2: Entry(INFO, "an answer other than Yes, No, N/A: unscored, kept as evidence")},
    "missing-note": {MDS2: Entry(WARNING, "an answer refers to a note the form does not hold")},
    "bad-mds2-map": {MDS2: Entry(ERROR, "the --mds2-map CSV cannot be read or lacks a brand, model or form")},
    "no-form": {COMMAND_LINE: Entry(ERROR, "mds2 read: no .xlsx, .xlsm, .xls, .ods or .pdf file found")},
}


def codes_of(scope: str) -> dict[str, tuple[str, str]]:
    """The codes ``scope`` reports, each with its severity and meaning there: the per-command
    tables (validate's ``CATALOGUE``, the audit's, the opening's) are these views."""
    return {code: tuple(scopes[scope]) for code, scopes in CATALOGUE.items() if scope in scopes}  # type: ignore[misc]


def severity_of(code: str, scope: str) -> str:
    """The severity ``scope`` gives ``code`` (KeyError for a code it does not report)."""
    return CATALOGUE[code][scope].severity


def readme_table(scope: str) -> list[str]:
    """The README's table rows of ``scope``'s codes: ``| `code` | severity | meaning |``."""
    return [f"| `{code}` | {severity} | {meaning} |" for code, (severity, meaning) in codes_of(scope).items()]
