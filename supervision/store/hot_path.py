"""The statements every live board change runs, built once.

SQLAlchemy caches a statement's compiled SQL under a key it works out from the
statement's structure, and remembers that key on the statement object. A statement
built afresh for each change pays for the building and the key every time, which
measured at about twice the cost of running it on SQLite. These are built at import
with bound parameters, so a change only runs them. Those a card runs (numbering it, its
family, the card, the event) go further, past SQLAlchemy's execution, as the driver's own
SQL compiled once from the same statements (DriverStatement). docs/performance.md has the
figures.
"""
from __future__ import annotations

import json
from collections import namedtuple
from datetime import datetime, timezone

from sqlalchemy import bindparam, exc, insert, select, update

from ..extensions import db
from . import durability

from .models import (
    Adult, AgendaItem, Attendance, BoardEvent, Card, Decision, Family, Membership, Role, SignIn,
    Specialism, SupervisionSession, User,
)


class DriverStatement:
    """A statement built here, run as the driver's own SQL on the unit of work's connection.

    Compiled once per dialect. Through SQLAlchemy's execution each statement cost about 35 µs of
    Python more than the driver's own 10 µs on SQLite, and a card runs four of them
    (docs/performance.md). No type processing runs but for the values named in `instants` and
    `json_values`, bound as those columns store them; rows come as the driver returns them
    (`stored_instant` reads a time). A driver error is raised as SQLAlchemy raises it
    (IntegrityError...), and a write is noted for the commit's wait for the disk (durability.py).
    """

    def __init__(self, statement, keys: tuple[str, ...] = (), instants: tuple[str, ...] = (),
                 json_values: tuple[str, ...] = ()):
        self.statement = statement
        self.keys = list(keys) or None  # an INSERT's columns, every one given by the caller
        self.instants, self.json_values = instants, json_values  # values bound as those columns store them
        self._compiled: dict[str, tuple] = {}

    def _for(self, dialect) -> tuple:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=self.keys)
            order = list(compiled.positiontup) if dialect.positional else None
            found = self._compiled[dialect.name] = (compiled.string, order, dict(compiled.params), [])
        return found

    def run(self, values: dict):
        """Run it with `values`; the first row it returns (fields by column name), if any."""
        connection = db.session.connection()
        dialect = connection.dialect
        sql, order, fixed, row_type = self._for(dialect)
        params = {**fixed, **values}
        for key in self.instants:
            params[key] = bind_instant(dialect.name, params[key])
        for key in self.json_values:
            params[key] = as_json(params[key])
        if self.statement.is_dml:
            durability.note_write(connection.engine)
        cursor = connection.connection.cursor()
        try:
            try:
                cursor.execute(sql, params if order is None else tuple(params[key] for key in order))
            except dialect.loaded_dbapi.Error as error:  # as SQLAlchemy would raise it (IntegrityError...)
                raise exc.DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error,
                                              hide_parameters=True, dialect=dialect) from error
            if cursor.description is None:
                return None
            row = cursor.fetchone()
            if not row_type:
                row_type.append(namedtuple("Row", [column[0] for column in cursor.description]))
            return None if row is None else row_type[0](*row)
        finally:
            cursor.close()


def bind_instant(dialect: str, at: datetime):
    """An instant as a column of UTCDateTime stores it: PostgreSQL takes it aware; SQLite keeps UTC
    text in SQLAlchemy's own layout."""
    if dialect == "postgresql":
        return at
    return at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")


def as_json(value) -> str:
    """A JSON column's value as SQLAlchemy's JSON type stores it."""
    return json.dumps(value)


# Take the session's next sequence number and read, in the same statement, the session's
# columns every change checks (who chairs, whether it is live, the access version). On
# PostgreSQL the UPDATE also locks the row until commit. Plain columns, not the ORM object:
# loading the object cost as much as the rest of a card; handlers that change the session
# itself (the room) load it then (services/board/access.py, Board.session).
_sessions = SupervisionSession.__table__
SESSION_HEAD = ("id", "team_id", "status", "chair_id", "minute_taker_id", "access_version", "last_seq",
                "current_item_id", "current_stage")
NEXT_SEQ = DriverStatement(update(_sessions)
                           .where(_sessions.c.id == bindparam("session_id"))
                           .values(last_seq=_sessions.c.last_seq + 1)
                           .returning(*(_sessions.c[name] for name in SESSION_HEAD)))

AGENDA_ITEM = select(AgendaItem).where(AgendaItem.id == bindparam("item_id"))
# Whether a family's discussion is closed by its sign-off (None: no decision yet).
SIGNED_OFF_AT = select(Decision.signed_off_at).where(Decision.agenda_item_id == bindparam("item_id"))
# The agenda item, its sign-off time and the family's name (for the change feed) in one
# statement, for the changes made most often.
AGENDA_ITEM_AND_SIGN_OFF = (select(AgendaItem, Decision.signed_off_at, Family.display_name)
                            .join(Family, Family.id == AgendaItem.family_id)
                            .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
                            .where(AgendaItem.id == bindparam("item_id")))
# The same as plain columns, for what reads the item without changing it (a new card, a typing signal).
_items, _decisions, _families = AgendaItem.__table__, Decision.__table__, Family.__table__
ITEM_COLUMNS = DriverStatement(
    select(_items.c.id, _items.c.session_id, _items.c.family_id, _decisions.c.signed_off_at,
           _families.c.display_name.label("family_name"))
    .select_from(_items.join(_families, _families.c.id == _items.c.family_id)
                 .outerjoin(_decisions, _decisions.c.agenda_item_id == _items.c.id))
    .where(_items.c.id == bindparam("item_id")))
FAMILY_NAME = select(_families.c.display_name).where(_families.c.id == bindparam("family_id"))
ADULT_FAMILY = DriverStatement(select(Adult.__table__.c.family_id).where(Adult.__table__.c.id == bindparam("adult_id")))

# Who a connection's person is on one board, for the re-check a live connection makes a
# minute after the last one (services/board/access.py): their name, whether their account
# is open, their role and specialism in the session's team, and their attendance, in one
# statement of plain columns. No row: not a member of the team.
_users, _memberships, _roles = User.__table__, Membership.__table__, Role.__table__
_specialisms, _attendance = Specialism.__table__, Attendance.__table__
BOARD_ACTOR = (select(_users.c.display_name, _users.c.active, _roles.c.kind.label("role_kind"),
                      _roles.c.label.label("role_label"), _specialisms.c.label.label("specialism_label"),
                      _attendance.c.status.label("attendance"))
               .select_from(_memberships.join(_users, _users.c.id == _memberships.c.user_id)
                            .join(_roles, _roles.c.id == _memberships.c.role_id)
                            .outerjoin(_specialisms, _specialisms.c.id == _memberships.c.specialism_id)
                            .outerjoin(_attendance, (_attendance.c.user_id == _memberships.c.user_id)
                                       & (_attendance.c.session_id == bindparam("session_id"))))
               .where(_memberships.c.user_id == bindparam("user_id"),
                      _memberships.c.team_id == bindparam("team_id")))

# Inserts past the ORM: nothing reads these rows back in the same unit of work. Every column is
# given, defaults included (a new card's version and times, an event's time).
CARD_COLUMNS = ("agenda_item_id", "stage", "heading", "author_id", "author_role_label", "author_specialism_label",
                "adult_id", "stage_of_change", "text", "version", "created_at", "updated_at")
INSERT_CARD = DriverStatement(insert(Card.__table__).returning(Card.__table__.c.id), CARD_COLUMNS,
                              instants=("created_at", "updated_at"))
INSERT_EVENT = DriverStatement(insert(BoardEvent.__table__), (
    "session_id", "seq", "kind", "actor_id", "client_change_id", "payload", "created_at"),
    instants=("created_at",), json_values=("payload",))

# Appending to the audit trail (services/audit.py): lock the head and take the next position,
# insert the sealed row, move the head. The first UPDATE takes the write lock on SQLite and the
# row lock on PostgreSQL, held until commit, so appends follow one another in one line.
#
# These three run as the driver's own SQL on the unit of work's connection: through SQLAlchemy
# each cost about 0.1 ms of Python even built once, which doubled what an audit row added to a
# live board change (docs/performance.md). Values are bound as the ORM would store them.
AUDIT_COLUMNS = ("position", "at", "user_id", "user_name", "role", "address", "action", "team_id",
                 "family_id", "session_id", "details", "prev_hash", "hash")


class AuditAppend:
    """The driver SQL of one dialect, and how to bind `at` and `details` as the models read them back."""

    def __init__(self, dialect: str):
        self.postgres = dialect == "postgresql"
        mark = (lambda name: f"%({name})s") if self.postgres else (lambda name: f":{name}")
        values = [mark(name) + ("::json" if self.postgres and name == "details" else "") for name in AUDIT_COLUMNS]
        self.take_head = ('UPDATE audit_head SET "position" = "position" + 1 WHERE id = 1 '
                          'RETURNING "position", last_hash')
        self.insert = (f'INSERT INTO audit_log ({", ".join(f"{chr(34)}{name}{chr(34)}" for name in AUDIT_COLUMNS)}) '
                       f'VALUES ({", ".join(values)})')
        self.move_head = f"UPDATE audit_head SET last_hash = {mark('hash')} WHERE id = 1"

    def bind_at(self, at: datetime):
        return bind_instant("postgresql" if self.postgres else "sqlite", at)


_AUDIT_APPENDS = {name: AuditAppend(name) for name in ("sqlite", "postgresql")}


def audit_append(dialect: str) -> AuditAppend:
    return _AUDIT_APPENDS[dialect]


# Before every live-board event (services/sign_ins.alive_by_id): is the connection's sign-in
# still alive? Driver SQL for the same reason as the audit append: it runs once per event.
SIGN_IN_STATE = {
    "sqlite": "SELECT s.ended_at, s.ended_reason, s.last_seen_at, u.active FROM sign_ins s "
              "JOIN users u ON u.id = s.user_id WHERE s.id = ?",
    "postgresql": "SELECT s.ended_at, s.ended_reason, s.last_seen_at, u.active FROM sign_ins s "
                  "JOIN users u ON u.id = s.user_id WHERE s.id = %s",
}

# Marking a sign-in used (at most once a minute, services/sign_ins.py): built once.
_sign_ins = SignIn.__table__
TOUCH_SIGN_IN = (update(_sign_ins).where(_sign_ins.c.id == bindparam("sign_in_id"))
                 .values(last_seen_at=bindparam("now")))


def stored_instant(value) -> datetime | None:
    """A UTC datetime as the driver returns it: aware from PostgreSQL, ISO text from SQLite."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
