"""The audit trail: appending rows to the hash chain, and reading them back for a team.

Appending goes through the writer in `app.extensions["supervision.audit"]` (wired once by
create_app, so a test can put its own in). `record` adds a row to the caller's unit of work,
committed with the change it describes; `record_alone` writes a row in a transaction of its
own (page views, sign-in, refusals). domain/audit.py seals rows and checks the chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterator

from flask import current_app
from sqlalchemy import and_, func, or_, select

from ..domain import audit as chain
from ..domain.wording import LOCAL
from ..extensions import db
from ..store import hot_path as statements
from ..store.models import AuditEntry, AuditHead, Family, Membership, Role, SupervisionSession, User

# What counts as someone seeing or taking away a family's records (the family page's list).
ACCESS_ACTIONS = ("family.viewed", "record.viewed", "record.exported", "record.downloaded")


@dataclass(frozen=True)
class Who:
    """Who acted, as named at the time: a person, or nobody (a stranger, the command line)."""

    user_id: int | None = None
    name: str | None = None
    role: str | None = None

    @classmethod
    def of(cls, person) -> Who:
        """From an Actor (user_id, display_name, role_label), a User (id, display_name), or None."""
        if person is None:
            return NOBODY
        if isinstance(person, Who):
            return person
        user_id = getattr(person, "user_id", None) or getattr(person, "id", None)
        return cls(user_id, getattr(person, "display_name", None), getattr(person, "role_label", None))


NOBODY = Who()


class AuditWriter:
    """Appends sealed rows to the chain in the current transaction.

    `address` gives the client's address (the web layer passes `request.remote_addr`);
    `board_changes=False` leaves live board changes out, for benchmarks only.
    """

    def __init__(self, address: Callable[[], str | None] = lambda: None, *, board_changes: bool = True,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.address = address
        self.board_changes = board_changes
        self.clock = clock

    def append(self, action: str, who: Who, *, team_id: int | None = None, family_id: int | None = None,
               session_id: int | None = None, details: dict | None = None) -> None:
        """Seal and insert one row; `details` must already be small (chain.small)."""
        connection = db.session.connection()
        sql = statements.audit_append(connection.dialect.name)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql.take_head)
            position, prev_hash = cursor.fetchone()
            row = {"position": position, "at": self.clock(), "user_id": who.user_id, "user_name": who.name,
                   "role": who.role, "address": self.address(), "action": action, "team_id": team_id,
                   "family_id": family_id, "session_id": session_id, "details": details or {}}
            row["prev_hash"] = prev_hash
            row["hash"] = chain.seal(row, prev_hash)
            cursor.execute(sql.insert, {**row, "at": sql.bind_at(row["at"]), "details": chain.as_json(row["details"])})
            cursor.execute(sql.move_head, {"hash": row["hash"]})
        finally:
            cursor.close()


def _writer() -> AuditWriter | None:
    return current_app.extensions.get("supervision.audit")


# ---------------------------------------------------------------- writing

def record(action: str, who=None, *, team_id: int | None = None, family_id: int | None = None,
           session_id: int | None = None, details: dict | None = None) -> None:
    """Add a row to the caller's unit of work: it is committed with the change, or not at all.

    Call it just before the commit: on PostgreSQL the chain's head stays locked until then.
    """
    writer = _writer()
    if writer is None:
        return
    if team_id is None:
        team_id = _team_of(family_id, session_id)
    writer.append(action, Who.of(who), team_id=team_id, family_id=family_id, session_id=session_id,
                  details=chain.small(details))


def record_alone(action: str, who=None, *, family_id: int | None = None, session_id: int | None = None,
                 details: dict | None = None, team_id: int | None = None) -> None:
    """Write one row in a transaction of its own, with the person's role in the team it is about.

    Whatever the request left uncommitted is rolled back first, so it is never carried along.
    `team_id` is for a row about the team as a whole; otherwise the family or session says which team.
    """
    writer = _writer()
    if writer is None:
        return
    db.session.rollback()
    person = Who.of(who)
    if team_id is None:
        team_id = _team_of(family_id, session_id)
    if person.user_id is not None and person.role is None and team_id is not None:
        person = Who(person.user_id, person.name, _role_in(person.user_id, team_id))
    writer.append(action, person, team_id=team_id, family_id=family_id, session_id=session_id,
                  details=chain.small(details))
    db.session.commit()


def board_change(actor, session: SupervisionSession, seq: int, kind: str) -> None:
    """A live board change, referencing its event (session and seq), in the change's own transaction."""
    writer = _writer()
    if writer is None or not writer.board_changes:
        return
    writer.append("board.change", Who.of(actor), team_id=session.team_id, session_id=session.id,
                  details={"seq": seq, "event": kind})


def _team_of(family_id: int | None, session_id: int | None) -> int | None:
    if session_id is not None:
        return db.session.scalar(select(SupervisionSession.team_id).where(SupervisionSession.id == session_id))
    if family_id is not None:
        return db.session.scalar(select(Family.team_id).where(Family.id == family_id))
    return None


def _role_in(user_id: int, team_id: int) -> str | None:
    return db.session.scalar(select(Role.label).join(Membership, Membership.role_id == Role.id)
                             .where(Membership.user_id == user_id, Membership.team_id == team_id))


# ---------------------------------------------------------------- checking the chain

def verify_chain(batch: int = 1000) -> chain.Verdict:
    """Walk the whole chain in position order, a batch of rows at a time."""
    head = db.session.execute(select(AuditHead.position, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    return chain.verify(_all_rows(batch), head._asdict() if head is not None else None)


def _all_rows(batch: int) -> Iterator[dict]:
    columns = [getattr(AuditEntry, name) for name in ("id", *chain.SEALED_FIELDS, "prev_hash", "hash")]
    after = None
    while True:
        query = select(*columns).order_by(AuditEntry.position).limit(batch)
        if after is not None:
            query = query.where(AuditEntry.position > after)
        rows = [row._asdict() for row in db.session.execute(query)]
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]["position"]


# ---------------------------------------------------------------- reading, for a team's manager

@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    family_id: int | None = None
    from_date: date | None = None  # days as people in England count them, both ends included
    to_date: date | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _about_team(team_id: int):
    """Rows about the team: those naming it, and the sign-ins and refusals of its members."""
    members = select(Membership.user_id).where(Membership.team_id == team_id)
    return or_(AuditEntry.team_id == team_id,
               and_(AuditEntry.team_id.is_(None), AuditEntry.user_id.in_(members)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL).astimezone(timezone.utc)


def _filtered(team_id: int, wanted: AuditFilter):
    query = select(AuditEntry).where(_about_team(team_id))
    if wanted.user_id is not None:
        query = query.where(AuditEntry.user_id == wanted.user_id)
    if wanted.family_id is not None:
        query = query.where(AuditEntry.family_id == wanted.family_id)
    if wanted.from_date is not None:
        query = query.where(AuditEntry.at >= _start_of(wanted.from_date))
    if wanted.to_date is not None:
        query = query.where(AuditEntry.at < _start_of(wanted.to_date + timedelta(days=1)))
    return query


def team_page(team_id: int, wanted: AuditFilter, page: int = 1, per_page: int = 50) -> AuditPage:
    """One page of the team's rows, most recent first."""
    query = _filtered(team_id, wanted)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = list(db.session.scalars(query.order_by(AuditEntry.position.desc())
                                   .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(rows, total, page, per_page)


def team_rows(team_id: int, wanted: AuditFilter, limit: int = 50_000) -> Iterator[AuditEntry]:
    """Every filtered row, most recent first, for the CSV download (bounded)."""
    query = _filtered(team_id, wanted).order_by(AuditEntry.position.desc()).limit(limit)
    yield from db.session.scalars(query.execution_options(yield_per=500))


def family_accesses(team_id: int, family_id: int, limit: int = 25) -> list[AuditEntry]:
    """Who has seen or exported this family's records, most recent first."""
    return list(db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.team_id == team_id, AuditEntry.family_id == family_id,
               AuditEntry.action.in_(ACCESS_ACTIONS))
        .order_by(AuditEntry.position.desc()).limit(limit)
    ))


def person_choices(team_id: int) -> list[tuple[int, str]]:
    return [(user_id, name) for user_id, name in db.session.execute(
        select(User.id, User.display_name).join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team_id).order_by(User.display_name))]


def family_choices(team_id: int) -> list[tuple[int, str]]:
    return [(family_id, f"{name} ({reference})") for family_id, name, reference in db.session.execute(
        select(Family.id, Family.display_name, Family.case_reference)
        .where(Family.team_id == team_id).order_by(Family.display_name))]
