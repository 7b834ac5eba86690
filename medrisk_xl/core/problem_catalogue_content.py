"""The codes only ``content check`` reports (a content pack's files and texts): part of
:data:`medrisk_xl.core.problem_catalogue.CATALOGUE`, in a module of their own for its size."""

from __future__ import annotations

from medrisk_xl.core.problem_entry import CONTENT_CHECK, ERROR, Entry

CONTENT_CHECK_CODES: dict[str, dict[str, Entry]] = {
    "bad-encoding": {CONTENT_CHECK: Entry(ERROR, "a pack file that is not UTF-8")},
    "bad-yaml": {CONTENT_CHECK: Entry(ERROR, "a pack file that is not valid YAML")},
    "missing-key": {CONTENT_CHECK: Entry(ERROR, "a key the pack's schema requires is missing")},
    "unknown-key": {CONTENT_CHECK: Entry(ERROR, "a key the pack's schema does not know")},
    "wrong-type": {CONTENT_CHECK: Entry(ERROR, "a value of another type than the pack's schema gives")},
    "missing-text": {CONTENT_CHECK: Entry(ERROR, "a text the pack's schema requires is empty")},
    "missing-code": {CONTENT_CHECK: Entry(ERROR, "an expected code is missing")},
    "ambiguous-label": {CONTENT_CHECK: Entry(ERROR, "a label that reads as another one")},
    "bad-levels": {CONTENT_CHECK: Entry(ERROR, "levels that are not exactly 1, 2, 3 in order")},
    "bad-threshold": {CONTENT_CHECK: Entry(ERROR, "a level whose min is above its max")},
    "threshold-gap": {CONTENT_CHECK: Entry(ERROR, "a score that no level covers")},
    "threshold-overlap": {CONTENT_CHECK: Entry(ERROR, "a score that two levels cover")},
    "bad-matrix": {CONTENT_CHECK: Entry(ERROR, "a risk matrix that is incomplete or not monotonic")},
    "bad-answers": {CONTENT_CHECK: Entry(ERROR, "a criterion's answers or points that the method refuses")},
    "bad-groups": {CONTENT_CHECK: Entry(ERROR, "criteria groups that do not cover the criteria once")},
    "bad-grid": {CONTENT_CHECK: Entry(ERROR, "a risk register grid that is incomplete or unknown")},
    "grid-falls": {CONTENT_CHECK: Entry(ERROR, "a risk register grid whose level falls as severity rises")},
    "grid-contradicts-example": {CONTENT_CHECK: Entry(ERROR, "a register example the grid contradicts")},
    "bad-scale": {CONTENT_CHECK: Entry(ERROR, "a risk register scale that is not as the method needs")},
    "bad-parent": {CONTENT_CHECK: Entry(ERROR, "a hazard parent that is not as the register needs")},
    "bad-field": {CONTENT_CHECK: Entry(ERROR, "a change form field whose options do not fit its type")},
    "bad-language": {CONTENT_CHECK: Entry(ERROR, "a language folder of the pack that is not as expected")},
    "missing-language": {CONTENT_CHECK: Entry(ERROR, "the pack has no language")},
    "unknown-language": {CONTENT_CHECK: Entry(ERROR, "a language that is not in the content pack")},
    "bad-list": {CONTENT_CHECK: Entry(ERROR, "a list text that a dropdown cannot hold")},
    "bad-sheet-name": {CONTENT_CHECK: Entry(ERROR, "a sheet name Excel refuses")},
    "bad-template": {CONTENT_CHECK: Entry(ERROR, "a text template with unknown or missing fields")},
    "text-too-long": {CONTENT_CHECK: Entry(ERROR, "a text longer than its cell or dropdown allows")},
    "bad-question": {CONTENT_CHECK: Entry(ERROR, "an MDS2 question id not of the form's pattern (CONN-1.1)")},
    "unknown-rule": {CONTENT_CHECK: Entry(ERROR, "an MDS2 rule of a kind medrisk-xl does not know")},
    "bad-rule": {CONTENT_CHECK: Entry(ERROR, "an MDS2 rule the reader cannot apply (condition, suggestion)")},
    "bad-citation": {CONTENT_CHECK: Entry(ERROR, "an MDS2 rationale citing what its item's help lacks")},
    "bad-edition": {
        CONTENT_CHECK: Entry(ERROR, "an earlier edition in editions.yaml not named by a content hash")
    },
}
