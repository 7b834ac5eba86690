"""The consolidated workbook's action plan as a team fills it in, and read back as a table."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from medrisk_xl.consolidate.tables import ACTION_COLUMNS, ACTION_STATUS_CODES


def _sheet(wb: openpyxl.Workbook):
    names = json.loads(dict(wb["_meta"].iter_rows(values_only=True))["action_sheets"])
    assert len(names) == 1
    return wb[names[0]]


def plan_table(path: Path) -> list[dict]:
    """The action rows of a plan: {code: value} plus ``_row``, by the code row."""
    wb = openpyxl.load_workbook(path)
    ws = _sheet(wb)
    codes = [c.value for c in ws[1]]
    assert codes == list(ACTION_COLUMNS)
    rows = []
    for r, values in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        if any(v is not None for v in values):
            rows.append({**dict(zip(codes, values)), "_row": r})
    return rows


def fill(src: Path, dst: Path, changes: dict[tuple[str, str], dict], edit=None) -> Path:
    """Fill owner, due date and status (a code, written as the workbook's own label) of the rows
    named by (device_id, ref); ``edit(ws, cols)`` then changes anything else."""
    wb = openpyxl.load_workbook(src)
    ws = _sheet(wb)
    labels = dict(
        zip(ACTION_STATUS_CODES, json.loads(dict(wb["_meta"].iter_rows(values_only=True))["action_status"]))
    )
    cols = {c.value: c.column for c in ws[1]}
    found = set()
    for r in range(3, ws.max_row + 1):
        key = (ws.cell(r, cols["device_id"]).value, ws.cell(r, cols["ref"]).value)
        if key in changes:
            found.add(key)
            change = changes[key]
            for code in ("owner", "due"):
                if code in change:
                    ws.cell(r, cols[code]).value = change[code]
            if "status" in change:
                ws.cell(r, cols["status"]).value = labels[change["status"]] if change["status"] else None
    assert found == set(changes)
    if edit:
        edit(ws, cols)
    wb.save(dst)
    return dst
