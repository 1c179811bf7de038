"""The statements every live board change runs, built once.

SQLAlchemy caches a statement's compiled SQL under a key it works out from the
statement's structure, and remembers that key on the statement object. A statement
built afresh for each change pays for the building and the key every time, which
measured at about twice the cost of running it on SQLite. These are built at import
with bound parameters, so a change only runs them. docs/performance.md has the figures.
"""
from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from .models import AgendaItem, AuditEntry, AuditHead, BoardEvent, Card, SupervisionSession

# Take the session's next sequence number and read the session as it now is, in one
# statement, loaded as the ORM object the handlers change. On PostgreSQL the UPDATE also
# locks the row until commit.
_sessions = SupervisionSession.__table__
NEXT_SEQ = select(SupervisionSession).from_statement(
    update(_sessions)
    .where(_sessions.c.id == bindparam("session_id"))
    .values(last_seq=_sessions.c.last_seq + 1)
    .returning(*_sessions.c)
)
NEXT_SEQ_OPTIONS = {"populate_existing": True}

AGENDA_ITEM = select(AgendaItem).where(AgendaItem.id == bindparam("item_id"))

# Core inserts: nothing reads these rows back in the same unit of work, so the ORM's
# flush machinery would only add cost. Column defaults (version, timestamps) still apply.
INSERT_CARD = insert(Card.__table__).returning(Card.__table__.c.id, Card.__table__.c.version)
INSERT_EVENT = insert(BoardEvent.__table__)

# Appending to the audit trail (services/audit.py): lock the head and take the next position,
# insert the sealed row, move the head. The UPDATE takes the write lock on SQLite and the row
# lock on PostgreSQL, held until commit, so appends follow one another in one line.
_head = AuditHead.__table__
TAKE_AUDIT_HEAD = (update(_head).where(_head.c.id == 1).values(position=_head.c.position + 1)
                   .returning(_head.c.position, _head.c.last_hash))
INSERT_AUDIT = insert(AuditEntry.__table__)
MOVE_AUDIT_HEAD = update(_head).where(_head.c.id == 1).values(last_hash=bindparam("hash"))
