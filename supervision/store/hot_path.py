"""The statements every live board change runs, built once.

SQLAlchemy caches a statement's compiled SQL under a key it works out from the
statement's structure, and remembers that key on the statement object. A statement
built afresh for each change pays for the building and the key every time, which
measured at about twice the cost of running it on SQLite. These are built at import
with bound parameters, so a change only runs them. docs/performance.md has the figures.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import bindparam, insert, select, update

from .models import (
    Adult, AgendaItem, Attendance, BoardEvent, Card, Decision, Family, Membership, Role, SignIn,
    Specialism, SupervisionSession, User,
)

# Take the session's next sequence number and read, in the same statement, the session's
# columns every change checks (who chairs, whether it is live, the access version). On
# PostgreSQL the UPDATE also locks the row until commit. Plain columns, not the ORM object:
# loading the object cost as much as the rest of a card; handlers that change the session
# itself (the room) load it then (services/board/access.py, Board.session).
_sessions = SupervisionSession.__table__
SESSION_HEAD = ("id", "team_id", "status", "chair_id", "minute_taker_id", "access_version", "last_seq",
                "current_item_id", "current_stage")
NEXT_SEQ = (update(_sessions)
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
# Run on the connection (`db.session.connection().execute`), past the ORM's own execution path.
_items, _decisions, _families = AgendaItem.__table__, Decision.__table__, Family.__table__
ITEM_COLUMNS = (select(_items.c.id, _items.c.session_id, _items.c.family_id, _decisions.c.signed_off_at,
                        _families.c.display_name.label("family_name"))
                 .select_from(_items.join(_families, _families.c.id == _items.c.family_id)
                              .outerjoin(_decisions, _decisions.c.agenda_item_id == _items.c.id))
                 .where(_items.c.id == bindparam("item_id")))
FAMILY_NAME = select(_families.c.display_name).where(_families.c.id == bindparam("family_id"))
ADULT_FAMILY = select(Adult.__table__.c.family_id).where(Adult.__table__.c.id == bindparam("adult_id"))

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

# Core inserts: nothing reads these rows back in the same unit of work, so the ORM's
# flush machinery would only add cost. Column defaults (version, timestamps) still apply.
INSERT_CARD = insert(Card.__table__).returning(Card.__table__.c.id, Card.__table__.c.version)
INSERT_EVENT = insert(BoardEvent.__table__)

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
        """PostgreSQL takes the aware instant; SQLite keeps UTC text in SQLAlchemy's own layout."""
        return at if self.postgres else at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")


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
