"""SQLAlchemy 2 typed models. Record only what the team needs (PRACTICE.md: "don't be nosy")."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Team(db.Model):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)

    memberships: Mapped[list[Membership]] = relationship(back_populates="team")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who the person is at the council's OpenID provider (the configured claim's value), if set.
    external_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Authority-wide: manages every team's people, and the teams, roles and specialisms.
    is_administrator: Mapped[bool] = mapped_column(default=False, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active


class SignIn(db.Model):
    """One sign-in in one browser. The session cookie carries a secret naming it; the
    database keeps only the secret's hash. Ending the row ends the session wherever the
    cookie was copied, on pages and live boards alike."""

    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship()


class PasswordLink(db.Model):
    """A one-time link a manager gives a person to set their local password. Only its hash is kept."""

    __tablename__ = "password_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Role(db.Model):
    """A role in a team, as data. `kind` (a RoleKind value) decides its permissions."""

    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(default=0)


class Specialism(db.Model):
    """An adult specialism (recovery, domestic abuse, mental health, education...), as data."""

    __tablename__ = "specialisms"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    specialism_id: Mapped[int | None] = mapped_column(ForeignKey("specialisms.id"))

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
    role: Mapped[Role] = relationship()
    specialism: Mapped[Specialism | None] = relationship()

    @property
    def role_label(self) -> str:
        return self.role.label


adult_specialisms = Table(
    "adult_specialisms",
    db.Model.metadata,
    Column("adult_id", ForeignKey("adults.id", ondelete="CASCADE"), primary_key=True),
    Column("specialism_id", ForeignKey("specialisms.id"), primary_key=True),
)


class Family(db.Model):
    __tablename__ = "families"
    __table_args__ = (UniqueConstraint("team_id", "case_reference"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    case_reference: Mapped[str] = mapped_column(String(40))
    display_name: Mapped[str] = mapped_column(String(120))
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_level: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    social_worker: Mapped[User | None] = relationship()
    children: Mapped[list[Child]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Child.id"
    )
    adults: Mapped[list[Adult]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Adult.id"
    )


class Child(db.Model):
    __tablename__ = "children"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age_description: Mapped[str | None] = mapped_column(String(40))
    plan_level: Mapped[str] = mapped_column(String(40))

    family: Mapped[Family] = relationship(back_populates="children")


class Adult(db.Model):
    __tablename__ = "adults"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    relationship_to_child: Mapped[str] = mapped_column(String(120))

    family: Mapped[Family] = relationship(back_populates="adults")
    specialisms: Mapped[list[Specialism]] = relationship(secondary=adult_specialisms)


class SupervisionSession(db.Model):
    __tablename__ = "supervision_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    minute_taker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", use_alter=True, ondelete="SET NULL")
    )
    current_stage: Mapped[str] = mapped_column(String(20), default="situation")
    last_seq: Mapped[int] = mapped_column(default=0)
    # Moves whenever who may be on the board changes (services/board.BoardAccess re-checks then).
    access_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    minute_taker: Mapped[User] = relationship(foreign_keys=[minute_taker_id])
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="session",
        order_by="AgendaItem.position",
        foreign_keys="AgendaItem.session_id",
        cascade="all, delete-orphan",
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Attendance.id"
    )


class AgendaItem(db.Model):
    """One family's discussion within a session; holds business support's live notes."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("session_id", "family_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    position: Mapped[int] = mapped_column()
    minutes_allowed: Mapped[int] = mapped_column(default=20)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes_text: Mapped[str] = mapped_column(Text, default="")
    notes_version: Mapped[int] = mapped_column(default=0)
    notes_updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[SupervisionSession] = relationship(
        back_populates="agenda", foreign_keys=[session_id]
    )
    family: Mapped[Family] = relationship()
    cards: Mapped[list[Card]] = relationship(
        back_populates="agenda_item", order_by="Card.id", cascade="all, delete-orphan"
    )
    decision: Mapped[Decision | None] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan"
    )


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    status: Mapped[str] = mapped_column(String(20), default="present")

    session: Mapped[SupervisionSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship()
    role: Mapped[Role] = relationship()


class Card(db.Model):
    """A contribution on the board. Author's role and specialism are kept as written at the time."""

    __tablename__ = "cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    heading: Mapped[str | None] = mapped_column(String(40))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_role_label: Mapped[str] = mapped_column(String(160))
    author_specialism_label: Mapped[str | None] = mapped_column(String(120))
    adult_id: Mapped[int | None] = mapped_column(ForeignKey("adults.id", ondelete="SET NULL"))
    stage_of_change: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="cards")
    author: Mapped[User] = relationship()
    adult: Mapped[Adult | None] = relationship()


class Decision(db.Model):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True
    )
    decision_text: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    next_discussion_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_role_label: Mapped[str | None] = mapped_column(String(160))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decision")
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="decision", order_by="Amendment.id", cascade="all, delete-orphan"
    )


class Amendment(db.Model):
    """A correction to a signed-off decision: the original wording stays alongside."""

    __tablename__ = "amendments"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    original_text: Mapped[str] = mapped_column(Text)
    amended_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_role_label: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="amendments")
    author: Mapped[User] = relationship()


class Action(db.Model):
    """Something agreed for a family: what, who, by when. Lives with the family across sessions."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    agenda_item: Mapped[AgendaItem] = relationship()


class ActionReview(db.Model):
    """The outcome given to a previous action when its family comes back to group supervision."""

    __tablename__ = "action_reviews"
    __table_args__ = (UniqueConstraint("agenda_item_id", "action_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship()


class BoardEvent(db.Model):
    """Every change to a session, numbered: the log a reconnecting client catches up from."""

    __tablename__ = "board_events"
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        UniqueConstraint("session_id", "actor_id", "client_change_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client_change_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Presence(db.Model):
    """Who is connected to which board, kept in the database so any worker can answer."""

    __tablename__ = "presence"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    # The sign-in the connection was opened with: ending it takes the connection off the board.
    sign_in_id: Mapped[int | None] = mapped_column(ForeignKey("sign_ins.id", ondelete="CASCADE"), index=True)
    # The process holding the connection: a row counts only while that process beats.
    worker_id: Mapped[str] = mapped_column(String(32), index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkerHeartbeat(db.Model):
    """A server process holding live board connections, and when it last said it was alive.

    Presence rows name their process. A process killed outright never deletes its rows, so
    the presence list counts a row only while its process has beaten recently, and any live
    process deletes the rows of one that stopped (services/workers.py).
    """

    __tablename__ = "worker_heartbeats"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ExportLog(db.Model):
    """Every Word record made: who, when, which record."""

    __tablename__ = "export_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(20), default="web")
    filename: Mapped[str] = mapped_column(String(255))
    draft: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "record" (the group supervision record or minutes) or "letter" (the letter to the family).
    kind: Mapped[str] = mapped_column(String(20), default="record", server_default="record")

    user: Mapped[User | None] = relationship()


class FrozenRecord(db.Model):
    """What a family's record held at sign-off, written in the same transaction as the sign-off.

    Records of a signed discussion are built from this, plus amendments and entries added
    after sign-off, so later changes to the family, its plan or its actions never reach them.
    """

    __tablename__ = "frozen_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True
    )
    data: Mapped[dict] = mapped_column(JSON)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AfterSignOffEntry(db.Model):
    """Something added to a family's discussion after its decision was signed off, shown as such."""

    __tablename__ = "after_sign_off_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    author_role_label: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
class AuditEntry(db.Model):
    """One row of the append-only audit trail (domain/audit.py seals and checks the chain).

    No foreign keys: a row outlives what it names, and keeps who acted as they were named then.
    Nothing in the service updates or deletes these rows; on both databases a trigger refuses it.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    user_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(160))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int | None] = mapped_column(index=True)
    family_id: Mapped[int | None] = mapped_column(index=True)
    session_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The audit chain's one-row head: the last position and hash. Appending locks it, so the chain stays linear."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class TeamCadence(db.Model):
    """How often the team discusses a family at one plan level, in weeks; set by the team manager."""

    __tablename__ = "team_cadences"
    __table_args__ = (UniqueConstraint("team_id", "plan_level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    plan_level: Mapped[str] = mapped_column(String(40))
    weeks: Mapped[int] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamPhrase(db.Model):
    """A team's change to the plain-language list (domain/plain_language.py): a listed phrase
    switched off (default_key set), or a phrase of the team's own (default_key empty)."""

    __tablename__ = "team_phrases"
    __table_args__ = (UniqueConstraint("team_id", "default_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    default_key: Mapped[str | None] = mapped_column(String(60))
    switched_off: Mapped[bool] = mapped_column(default=False)
    forms: Mapped[str] = mapped_column(Text, default="")  # one a line
    kind: Mapped[str] = mapped_column(String(20), default="")
    why: Mapped[str] = mapped_column(Text, default="")
    instead: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FamilyLetter(db.Model):
    """A letter to the family about one signed-off discussion: drafted from the signed record,
    then every word edited by the social worker before it is final."""

    __tablename__ = "family_letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    content: Mapped[dict] = mapped_column(JSON)  # {"greeting", "sections": [{"heading", "text"}], "closing"}
    version: Mapped[int] = mapped_column(default=1)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    export_id: Mapped[int | None] = mapped_column(ForeignKey("export_log.id", ondelete="SET NULL"))

    agenda_item: Mapped[AgendaItem] = relationship()
    family: Mapped[Family] = relationship()
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
