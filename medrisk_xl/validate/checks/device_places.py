"""Each device of the input grid is still on the row it was generated on, once, with the identity
the inventory gave (the contract rows of ``_meta`` say where each device was written)."""

from __future__ import annotations

from medrisk_xl.core.problems import msg
from medrisk_xl.validate.problem_codes import problem
from medrisk_xl.validate.validation_report import FileReport
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.cell_names import column_letter
from medrisk_xl.workbook.read.reader import Sheet

# device id -> its contract row: code -> value as generated, and META_ROWS_PLACE -> its row
GeneratedDevices = dict[str, dict[str, str]]


def rows_by_device(sheet: Sheet, id_col: int, first: int, last: int) -> dict[str, list[int]]:
    """Every device id of the grid (from ``first`` down) -> the rows it is on."""
    where_is: dict[str, list[int]] = {}
    for r in range(first, max(last, sheet.n_rows) + 1):
        ident = sheet.value(r, id_col)
        if ident != "":
            where_is.setdefault(str(ident), []).append(r)
    return where_is


def check_device_places(
    sheet: Sheet,
    where_is: dict[str, list[int]],
    expected: GeneratedDevices,
    cols: dict[str, int],
    report: FileReport,
) -> None:
    """device-duplicated, then device-missing, device-moved or identity-changed per device (a
    moved device's identity checked on the row where it now stands)."""
    for device_id, rows in where_is.items():
        if len(rows) > 1:
            report.add(
                problem(
                    "device-duplicated",
                    msg("validate.device-duplicated", device=device_id, rows=", ".join(map(str, rows))),
                    sheet=sheet.name,
                    device_id=device_id,
                )
            )
    for device_id, gen in expected.items():
        place = int(gen[contract.META_ROWS_PLACE])
        rows = where_is.get(device_id, [])
        if not rows:
            report.add(
                problem(
                    "device-missing",
                    msg("validate.device-missing", device=device_id, row=place),
                    sheet=sheet.name,
                    row=place,
                    device_id=device_id,
                )
            )
        elif place not in rows:
            report.add(
                problem(
                    "device-moved",
                    msg("validate.device-moved", device=device_id, row=place, now=rows[0]),
                    sheet=sheet.name,
                    row=rows[0],
                    device_id=device_id,
                )
            )
            if len(rows) == 1:  # sorted rows are read where they stand: the identity is checked there
                _identity_problems(sheet, device_id, gen, rows[0], cols, report)
        else:
            _identity_problems(sheet, device_id, gen, place, cols, report)


def _identity_problems(
    sheet: Sheet, device_id: str, gen: dict[str, str], place: int, cols: dict[str, int], report: FileReport
) -> None:
    """identity-changed for each identity cell of a device that no longer holds the inventory's value."""
    for code, value in gen.items():
        if code == contract.META_ROWS_PLACE or code not in cols:
            continue
        got = sheet.value(place, cols[code])
        if str(got) != value:
            report.add(
                problem(
                    "identity-changed",
                    msg("validate.identity-changed", code=code, value=got, expected=value),
                    sheet=sheet.name,
                    cell=f"{column_letter(cols[code])}{place}",
                    row=place,
                    device_id=device_id,
                )
            )
