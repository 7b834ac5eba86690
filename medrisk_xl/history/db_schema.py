"""The history's tables, one definition for SQLite and PostgreSQL (SQLAlchemy Core), its
version, and the migrations that bring an older history forward.

Every table name starts with ``medrisk_`` so that a history can share a PostgreSQL database
with other applications. A campaign is keyed by its id (``campaign.json``'s ``campaign``), which
stays the same when it is recorded again. Device, file and problem rows are keyed by their
position in the consolidation's tables: the register may hold the same device id twice (a device
returned by two departments is an error, and both rows are kept).

Schema 2 adds the action follow-up (``actions import``): ``medrisk_actions``, one row per action
of a campaign's plan that the team filled in, keyed by ``(campaign, device_id, ref)`` (``ref``: a
plan theme code such as ``BACKUP`` or an item code such as ``V3``, the same in every language),
with the status as a stable code (``ACTION_STATUS_CODES``), never a label; and
``medrisk_action_imports``, which plan file was imported for a campaign, when. Re-recording a
campaign keeps its actions (its campaign row is updated, not deleted). Schema 5 adds the team's own
actions (rows the team added to the plan): ``team`` true, ``text`` their text, ``ref`` made from it
(``TEAM-...``, :mod:`medrisk_xl.consolidate.team_actions`).

Dates are ISO 8601 text (``recorded_at`` in UTC), the same in both databases.

A migration is a function ``(connection) -> None`` registered in :data:`MIGRATIONS` under the
version it upgrades from; :func:`medrisk_xl.history.store.History` runs the missing ones in one
transaction when it opens an older history, and refuses a history of a newer version.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    false,
    inspect,
)

from medrisk_xl.consolidate.tables import FILE_COLUMNS, PROBLEM_COLUMNS, REGISTER_COLUMNS

# 2: the action follow-up (medrisk_actions, medrisk_action_imports); 3: answer sources; 4: year two;
# 5: the team's own actions
SCHEMA_VERSION = 5
PREFIX = "medrisk_"

metadata = MetaData()

schema_info = Table(
    f"{PREFIX}schema",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one row
    Column("version", Integer, nullable=False),
    Column("written_by", Text),  # the medrisk-xl version that created or last migrated it
)

campaigns = Table(
    f"{PREFIX}campaigns",
    metadata,
    Column("campaign", Text, primary_key=True),
    Column("created", Text),  # campaign.json: when the workbooks were generated
    Column("deadline", Text),  # campaign.json: the return deadline (yyyy-mm-dd)
    Column("recorded_at", Text, nullable=False),  # UTC, ISO 8601
    Column("recorded_by", Text, nullable=False),  # medrisk-xl version
    Column("language", Text),
    Column("content_id", Text),
    Column("content_version", Text),
    Column("content_hash", Text),
    Column("generator_version", Text),  # campaign.json: the medrisk-xl that generated it
    Column("devices", Integer, nullable=False),  # rows of the register
    Column("devices_in_map", Integer, nullable=False),
    Column("files", Integer, nullable=False),
    Column("problems", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("accounting", Text),  # Consolidation.accounting as JSON, with COVERAGE_KEY
)
# The accounting JSON's key for the coverage against the manifest (consolidate/coverage records).
COVERAGE_KEY = "coverage"


def _campaign_key() -> Column:
    return Column(
        "campaign",
        Text,
        ForeignKey(campaigns.c.campaign, ondelete="CASCADE"),
        primary_key=True,
    )


# Register column -> database column: lower case, so that hand-written SQL needs no quotes.
DEVICE_COLUMN_NAMES = {c: ("sheet_row" if c == "row" else c.lower()) for c in REGISTER_COLUMNS}
INT_REGISTER_COLUMNS = (
    *(f"C{i}" for i in range(1, 10)),
    *(f"V{i}" for i in range(1, 11)),
    "criticality_score",
    "criticality_level",
    "vulnerability_score",
    "vulnerability_level",
    "risk_level",
    "priority",
    "row",
)
BOOL_REGISTER_COLUMNS = ("added", "included")
# Empty for a device with no risk level; for a device of a workbook without a REVIEWED column.
OPTIONAL_BOOL_REGISTER_COLUMNS = ("risk_provisional", "reviewed")


def _device_column(register_column: str) -> Column:
    name = DEVICE_COLUMN_NAMES[register_column]
    if register_column in INT_REGISTER_COLUMNS:
        return Column(name, Integer)
    if register_column in BOOL_REGISTER_COLUMNS:
        return Column(name, Boolean, nullable=False)
    if register_column in OPTIONAL_BOOL_REGISTER_COLUMNS:
        return Column(name, Boolean)
    return Column(name, Text, nullable=register_column != "device_id")


devices = Table(
    f"{PREFIX}devices",
    metadata,
    _campaign_key(),
    Column("position", Integer, primary_key=True),  # row of the register (priority order), from 0
    *(_device_column(c) for c in REGISTER_COLUMNS),
)
Index(f"{PREFIX}devices_by_id", devices.c.campaign, devices.c.device_id)

# File table: FILE_COLUMNS plus what the history adds to identify the bytes that were read.
FILE_INT_COLUMNS = FILE_COLUMNS[7:]  # total, complete, to_confirm... (device counts)
files = Table(
    f"{PREFIX}files",
    metadata,
    _campaign_key(),
    Column("position", Integer, primary_key=True),
    Column("file", Text, nullable=False),
    Column("sha256", Text),  # of the bytes when recorded; empty when the file was gone by then
    Column("size", BigInteger),
    Column("file_campaign", Text),  # the campaign the workbook says it belongs to
    Column("department", Text),
    Column("status", Text),
    Column("used", Boolean, nullable=False),
    Column("superseded_by", Text),
    Column("saved", Text),
    *(Column(c, Integer) for c in FILE_INT_COLUMNS),
)
FILE_COLUMN_NAMES = {c: ("file_campaign" if c == "campaign" else c) for c in FILE_COLUMNS}

PROBLEM_COLUMN_NAMES = {c: ("sheet_row" if c == "row" else c) for c in PROBLEM_COLUMNS}
problems = Table(
    f"{PREFIX}problems",
    metadata,
    _campaign_key(),
    Column("position", Integer, primary_key=True),
    *(Column(PROBLEM_COLUMN_NAMES[c], Integer if c == "row" else Text) for c in PROBLEM_COLUMNS),
)

# A campaign's rows, children first (the order to delete them in).
CAMPAIGN_TABLES = (problems, devices, files, campaigns)
# What a recording replaces: the campaign row is updated in place, so its actions stay.
RECORDED_TABLES = (problems, devices, files)

# The action follow-up (schema 2). Dates are ISO text: due (yyyy-mm-dd), imported_at and
# status_since (UTC, the first import that found the action in its current status).
actions = Table(
    f"{PREFIX}actions",
    metadata,
    _campaign_key(),
    Column("device_id", Text, primary_key=True),
    Column("ref", Text, primary_key=True),
    Column("department", Text),  # as the plan showed it (the register's)
    Column("owner", Text),
    Column("due", Text),
    Column("status", Text),  # ACTION_STATUS_CODES; empty: owner or due date set, no status yet
    Column("imported_at", Text, nullable=False),
    Column("status_since", Text, nullable=False),
    Column("text", Text),  # a team's own action: its text (schema 5); empty for a generated action
    Column("team", Boolean, nullable=False, server_default=false()),  # the team's own action
)
action_imports = Table(
    f"{PREFIX}action_imports",
    metadata,
    _campaign_key(),
    Column("imported_at", Text, nullable=False),  # UTC, ISO 8601
    Column("imported_by", Text, nullable=False),  # medrisk-xl version
    Column("file", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("rows", Integer, nullable=False),  # action rows in the plan
    Column("actions", Integer, nullable=False),  # rows the team filled in (stored in medrisk_actions)
)
ACTION_TABLES = (actions, action_imports)


def _add_actions(conn: Connection) -> None:
    """1 -> 2: the action follow-up tables."""
    for table in ACTION_TABLES:
        table.create(conn)


# Schema 3: who answered each vulnerability item (IT workbook) and whether the risk is provisional.
SOURCE_REGISTER_COLUMNS = (*(f"V{i}_source" for i in range(1, 11)), "risk_provisional")


def _add_sources(conn: Connection) -> None:
    """2 -> 3: the devices' answer sources and provisional risk (empty for earlier campaigns)."""
    _add_device_columns(conn, SOURCE_REGISTER_COLUMNS)


# Schema 4 (issue 26): each device's status as its department gave it, with the comment; the
# answers carried over from the previous campaign, and the row's review.
CARRIED_REGISTER_COLUMNS = ("device_status", "device_note", "carried_over", "reviewed")


def _add_carried(conn: Connection) -> None:
    """3 -> 4: the device statuses, carried-over answers and reviews (empty for earlier campaigns)."""
    _add_device_columns(conn, CARRIED_REGISTER_COLUMNS)


def _add_team_actions(conn: Connection) -> None:
    """4 -> 5: the team's own actions (the actions imported before are generated ones: not the team's)."""
    _add_columns(conn, actions, (actions.c.text, actions.c.team))


def _add_device_columns(conn: Connection, register_columns: tuple[str, ...]) -> None:
    """Add ``register_columns`` to the devices table; a column already there is kept."""
    _add_columns(conn, devices, tuple(_device_column(c) for c in register_columns))


def _add_columns(conn: Connection, table: Table, columns: tuple[Column, ...]) -> None:
    """Add ``columns`` to ``table`` (portable DDL: a column that is not nullable has a server
    default, which fills the rows already there); a column already there is kept."""
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    quote = conn.dialect.identifier_preparer.quote
    for column in columns:
        if column.name in present:
            continue
        kind = column.type.compile(dialect=conn.dialect)
        if column.server_default is not None:
            default = column.server_default.arg.compile(dialect=conn.dialect)  # type: ignore[attr-defined]
            kind += f"{'' if column.nullable else ' NOT NULL'} DEFAULT {default}"
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {quote(column.name)} {kind}")


# version N -> the function that upgrades a history of version N to N + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _add_actions,
    2: _add_sources,
    3: _add_carried,
    4: _add_team_actions,
}
