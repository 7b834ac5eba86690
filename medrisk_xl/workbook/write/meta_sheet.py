"""The very hidden _meta sheet: the machine contract a reader relies on, and the rows as generated."""

from __future__ import annotations

from medrisk_xl.core.version import __version__
from medrisk_xl.method.pack import ContentPack
from medrisk_xl.workbook import contract
from medrisk_xl.workbook.write.input_layout import InputLayout
from medrisk_xl.workbook.write.plan import WorkbookPlan


def meta_pairs(
    plan: WorkbookPlan,
    pack: ContentPack,
    lists_name: str,
    layout_pairs: list[tuple[str, str]],
    n_devices: int,
) -> list[tuple[str, str]]:
    """Key/value pairs of the very hidden _meta sheet (the machine contract)."""
    return [
        (contract.Meta.SCHEMA_VERSION, str(contract.SCHEMA_VERSION)),
        (contract.Meta.GENERATOR, f"medrisk-xl {__version__}"),
        (contract.Meta.CAMPAIGN, plan.campaign),
        (contract.Meta.CREATED, plan.created.isoformat(timespec="seconds")),
        (contract.Meta.SPLIT_BY, plan.split_by),
        (contract.Meta.SCOPE, plan.scope),
        (contract.Meta.DEPARTMENT, plan.department or ""),
        (contract.Meta.SITE, plan.site or ""),
        (contract.Meta.PER, plan.per),
        (contract.Meta.LAYOUT, plan.layout),
        (contract.Meta.LANGUAGE, plan.language),
        (contract.Meta.CONTENT_ID, pack.method.id),
        (contract.Meta.CONTENT_VERSION, pack.method.version),
        (contract.Meta.CONTENT_HASH, pack.hash),
        (contract.Meta.LISTS_SHEET, lists_name),
        (contract.Meta.DEVICE_ROWS, str(n_devices)),
        *layout_pairs,
    ]


def grid_meta(plan: WorkbookPlan, input_name: str, layout: InputLayout) -> list[tuple[str, str]]:
    """The _meta pairs of the grid layout: where the input sheet's rows and columns are."""
    spare = [i for i, row in enumerate(plan.rows) if row.spare]
    return [
        (contract.Meta.INPUT_SHEET, input_name),
        (contract.Meta.CODE_ROW, str(contract.CODE_ROW)),
        (contract.Meta.HEADER_ROW, str(contract.HEADER_ROW)),
        (contract.Meta.FIRST_ROW, str(contract.FIRST_ROW)),
        (contract.Meta.LAST_ROW, str(layout.last_row + 1)),
        (contract.Meta.FIRST_SPARE_ROW, str(contract.FIRST_ROW + spare[0]) if spare else ""),
        (contract.Meta.COLUMNS, ",".join(layout.codes)),
    ]


def write_meta(ws, pairs: list[tuple[str, str]], plan: WorkbookPlan, places: list[str]) -> None:
    """Key/value pairs in columns A:B; from column D, the rows as generated: where each device
    row stands (``places``: sheet row number, or form sheet name) and its identity values."""
    write_pairs(ws, pairs)
    codes = [code for code, _ in plan.identity]
    c0 = contract.META_ROWS_COL
    carried = [contract.META_ROWS_CARRIED] if plan.previous else []  # year two only
    for c, head in enumerate((contract.META_ROWS_PLACE, *codes, *carried)):
        ws.write_string(0, c0 + c, head)
    devices = [row for row in plan.rows if not row.spare]
    for r, (place, row) in enumerate(zip(places, devices), start=1):
        ws.write_string(r, c0, place)
        for c, code in enumerate(codes, start=1):
            if row.identity.get(code):
                ws.write_string(r, c0 + c, row.identity[code])
        if carried and row.carried:
            ws.write_string(r, c0 + len(codes) + 1, contract.CARRIED_JOIN.join(row.carried))
    ws.protect(plan.password)


def write_pairs(ws, pairs: list[tuple[str, str]]) -> None:
    """The _meta key/value pairs in columns A:B, as text (a reader compares them as written)."""
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    for r, (key, value) in enumerate(pairs):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
