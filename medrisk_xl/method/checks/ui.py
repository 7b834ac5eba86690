"""Semantic checks of a language's ui.yaml: sheet names, templates and dropdown texts fit the
spreadsheet's limits, in the assessment, consolidated and comparison workbooks."""

from __future__ import annotations

from medrisk_xl.core.problems import Problem, msg
from medrisk_xl.method.specs_history_ui import COMPARE_CAMPAIGN_COLUMNS

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = set("[]:*?/\\")
INPUT_TITLE_MAX = 32  # spreadsheet limits of data-validation messages
INPUT_MESSAGE_MAX = 255
LIST_SOURCE_MAX = 255  # characters of a dropdown's literal list, separators included


def _sheet_names(names: dict[str, str], file: str, path: str) -> list[Problem]:
    """Sheet names must fit the spreadsheet's rules and differ from each other and from _meta."""
    out: list[Problem] = []
    for key, name in names.items():
        if len(name) > SHEET_NAME_MAX or set(name) & _SHEET_FORBIDDEN or name.startswith("'"):
            out.append(
                Problem(
                    "bad-sheet-name",
                    msg("ui.sheet-name", name=name, max=SHEET_NAME_MAX),
                    file,
                    f"{path}.{key}",
                )
            )
    folded = [n.casefold() for n in names.values()]
    if len(set(folded)) != len(folded) or "_meta" in folded:
        out.append(Problem("bad-sheet-name", msg("ui.sheet-names-distinct"), file, path))
    return out


def _template(text: str, file: str, path: str, /, **fields: object) -> tuple[str | None, list[Problem]]:
    """``text.format(**fields)``, or a problem naming the placeholders it may use."""
    try:
        return text.format(**fields), []
    except (KeyError, IndexError, ValueError):
        allowed = ", ".join("{" + k + "}" for k in fields)
        return None, [Problem("bad-template", msg("ui.braces", allowed=allowed), file, path)]


def check_consolidated(data: dict, file: str) -> list[Problem]:
    """The consolidated workbook's sheet names, templates and status dropdown fit the limits."""
    path = "consolidated"
    out = _sheet_names(data["sheets"], file, f"{path}.sheets")
    for key, name in data["sheets"].items():
        text, probs = _template(data["continued"], file, f"{path}.continued", sheet=name, n=99)
        out += probs
        if text is not None and not probs:
            out += _sheet_names({key: text}, file, f"{path}.continued")
    for key, fields in (("criterion", ("code", "short")), ("item", ("code",)), ("answer", ("code",))):
        out += _template(
            data["answer_columns"][key], file, f"{path}.answer_columns.{key}", **dict.fromkeys(fields, "")
        )[1]
    out += _template(data["action_source"]["plan"], file, f"{path}.action_source.plan", level=1)[1]
    plan = data["summary"]["plan_follow_up"]
    out += _template(plan, file, f"{path}.summary.plan_follow_up", campaign="demo-2026", date="18/12/2026")[1]
    out += _template(data["action_source"]["item"], file, f"{path}.action_source.item", code="")[1]
    direction = data["direction"]
    for key, fields in (
        ("others", ("n",)),
        ("capped", ("shown", "rest")),
        ("capped_sites", ("shown", "rest")),
        ("strong_plan", ("themes", "n")),
        ("unknown_item", ("item",)),
    ):
        out += _template(direction[key], file, f"{path}.direction.{key}", **dict.fromkeys(fields, 1))[1]
    status = data["action_status"]
    for key, text in data["action_follow_up"].items():
        out += _template(text, file, f"{path}.action_follow_up.{key}", campaign="demo-2026")[1]
    if len(status) != 4:  # read back by position: to do, in progress, done, not applicable
        out.append(
            Problem(
                "bad-list",
                msg("ui.four-statuses"),
                file,
                f"{path}.action_status",
            )
        )
    if any("," in s for s in status) or len({s.casefold() for s in status}) != len(status):
        out.append(Problem("bad-list", msg("ui.statuses-differ"), file, f"{path}.action_status"))
    if len(",".join(status)) > LIST_SOURCE_MAX:
        out.append(
            Problem(
                "text-too-long",
                msg("ui.statuses-length", max=LIST_SOURCE_MAX),
                file,
                f"{path}.action_status",
            )
        )
    return out


def check_compare(data: dict, file: str) -> list[Problem]:
    """The comparison workbook's sheet names fit the limits; its templates name known fields."""
    path = "compare"
    out = _sheet_names(data["sheets"], file, f"{path}.sheets")
    for key in ("title", "intro", "like_title", "like_intro"):
        out += _template(data[key], file, f"{path}.{key}", a="demo-2026", b="demo-2027")[1]
    out += _template(data["like_devices"], file, f"{path}.like_devices", n=85)[1]
    out += _template(data["level"], file, f"{path}.level", level=1, name="")[1]
    for key in COMPARE_CAMPAIGN_COLUMNS:
        out += _template(data["columns"][key], file, f"{path}.columns.{key}", campaign="demo-2026")[1]
    for key, text in data["in_b"].items():
        out += _template(text, file, f"{path}.in_b.{key}", campaign="demo-2027")[1]
    out += _template(data["team_action"], file, f"{path}.team_action", ref="TEAM-0", text="")[1]
    return out


def check_trend(data: dict, file: str) -> list[Problem]:
    """The trend workbook's sheet names fit the limits; its templates name known fields."""
    out = _sheet_names(data["sheets"], file, "trend.sheets")
    out += _template(data["like_title"], file, "trend.like_title", n=85)[1]
    out += _template(data["like_level"], file, "trend.like_level", level="Niveau 3 – Fort")[1]
    return out + _template(data["actions_intro"], file, "trend.actions_intro", date="18/12/2026")[1]


def _dropdown_messages(texts: dict, file: str, path: str) -> list[Problem]:
    """The titles and messages of a dropdown (``texts``: input_title, input_message, error_title,
    error_message) must fit the spreadsheet's limits."""
    out = []
    for key, limit in (
        ("input_title", INPUT_TITLE_MAX),
        ("error_title", INPUT_TITLE_MAX),
        ("input_message", INPUT_MESSAGE_MAX),
        ("error_message", INPUT_MESSAGE_MAX),
    ):
        if len(texts[key]) > limit:
            out.append(
                Problem(
                    "text-too-long",
                    msg("ui.dropdown-message", max=limit),
                    file,
                    f"{path}.{key}",
                )
            )
    return out


def check_it_workbook(data: dict, lists_sheet: str, file: str) -> list[Problem]:
    """The IT workbook's sheet names (with the list sheet it shares), dropdown messages and
    templates fit the limits and name known fields."""
    path = "it_workbook"
    out = _sheet_names({**data["sheets"], "lists": lists_sheet}, file, f"{path}.sheets")
    out += _dropdown_messages(data, file, path)
    out += _template(data["intro"], file, f"{path}.intro", unknown="")[1]
    for key, text in data["modes"].items():
        out += _template(text, file, f"{path}.modes.{key}", unknown="")[1]
    out += _template(data["network"], file, f"{path}.network", yes="", comment="")[1]
    fields = dict.fromkeys(("sheet", "answer", "comment", "by", "on"), "")
    for i, step in enumerate(data["steps"]):
        out += _template(step, file, f"{path}.steps.{i}", **fields)[1]
    department = data["department"]  # the department workbooks of a --vulnerability-by it campaign
    out += _template(department["time_value"], file, f"{path}.department.time_value", low=1, high=2)[1]
    for i, step in enumerate(department["steps"]):
        out += _template(step, file, f"{path}.department.steps.{i}", input="", guide="")[1]
    return out


def check_ui(data: dict, method: dict, file: str) -> list[Problem]:
    """Sheet names and dropdown messages must fit the spreadsheet's limits."""
    out = _sheet_names(data["sheets"], file, "sheets") + _dropdown_messages(data["input"], file, "input")
    if "it_workbook" in data:  # optional in a site pack (confirm and --vulnerability-by it refuse it)
        out += check_it_workbook(data["it_workbook"], data["sheets"]["lists"], file)
    if "confirm" in data:
        out += check_confirm(data["confirm"], file)
    if "prefill" in data:
        out += check_prefill_texts(data["prefill"], file)
    if "device_status" in data:  # its consolidated sheet, its dropdown
        texts = data["device_status"]
        out += _sheet_names({"sheet": texts["sheet"]}, file, "device_status")
        out += _dropdown_messages(texts, file, "device_status")
    out += check_trend(data["trend"], file) if "trend" in data else []
    return out + check_consolidated(data["consolidated"], file) + check_compare(data["compare"], file)


# The templates of ui.yaml ``confirm`` and the fields each may name.
CONFIRM_FIELDS = {
    "answer_count": ("n", "answer"),
    "previous": ("answers", "campaign"),
    "mds2_source": ("file", "model"),
    "mds2_by_design": ("answer",),
    "mds2_prefilled_value": ("codes", "n"),
    "mds2_note": ("answer",),
}


PREFILL_NOTE_FIELDS = {
    "file": ("answer", "file", "end"),
    "column": ("answer", "column", "value", "end"),
    "age": ("answer", "date", "years", "end"),
    "count": ("answer", "column", "value", "end"),
    "previous": ("answer", "campaign"),
}


def check_prefill_texts(data: dict, file: str) -> list[Problem]:
    """The notes of centrally pre-filled answers and the start sheet's fact name known fields."""
    out: list[Problem] = []
    for key, fields in PREFILL_NOTE_FIELDS.items():
        out += _template(data["notes"][key], file, f"prefill.notes.{key}", **dict.fromkeys(fields, ""))[1]
    out += _template(data["review"]["fact_value"], file, "prefill.review.fact_value", n=1, campaign="")[1]
    out += _dropdown_messages(data["review"], file, "prefill.review")
    for key in ("fact_value", "locked_fact_value", "locked_inventory_value"):
        out += _template(data[key], file, f"prefill.{key}", codes="", n=1)[1]
    return out


def check_confirm(data: dict, file: str) -> list[Problem]:
    """The templates of the IT workbook's evidence and of the MDS2 pre-fills name known fields."""
    out: list[Problem] = []
    for key, fields in CONFIRM_FIELDS.items():
        out += _template(data[key], file, f"confirm.{key}", **dict.fromkeys(fields, ""))[1]
    return out
