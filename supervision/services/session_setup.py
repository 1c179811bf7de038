"""Setting up a group supervision session: when, who chairs, who takes the minutes, the agenda
of families with their time allowances, and who attended in which role.

Once a session has closed its setup is fixed. While it is live the agenda and attendance can
still change (a latecomer arrives, an urgent family is added).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.audit import changes
from ..domain.errors import Invalid, Refused
from ..domain.permissions import Permission, may_chair
from ..domain.vocabulary import AttendanceStatus, RoleKind, SessionStatus
from ..extensions import db
from ..store.models import (
    Action, AgendaItem, Attendance, Family, Membership, Role, SupervisionSession,
)
from . import access, accounts, audit, board
from .scope import Actor, session_for

LONDON = ZoneInfo("Europe/London")
MAX_MINUTES = 240
DEFAULT_MINUTES = 20
CLOSED_MESSAGE = "This session has closed, so its setup can no longer be changed."
ATTENDANCE_STATUSES = frozenset(status.value for status in AttendanceStatus)


@dataclass
class SessionDetails:
    starts_at: datetime  # timezone-aware
    chair_id: int | None
    minute_taker_id: int | None


@dataclass
class AgendaEntry:
    family_id: int
    minutes_allowed: int


@dataclass
class AttendanceEntry:
    user_id: int
    status: str | None  # None: not recorded for this session
    role_id: int | None = None  # None: the role they hold in the team


@dataclass
class TeamSessions:
    today: list[SupervisionSession]
    upcoming: list[SupervisionSession]  # after today
    recent: list[SupervisionSession]  # closed, or from an earlier day; latest first


@dataclass
class SetupOptions:
    chairs: list[Membership]
    members: list[Membership]
    default_chair_id: int | None  # the team manager
    default_minute_taker_id: int | None  # business support, who write the record


@dataclass
class AttendanceRow:
    membership: Membership
    attendance: Attendance | None


# Reading ---------------------------------------------------------------------------------------

def team_sessions(actor: Actor, *, today: date | None = None, recent_limit: int | None = 5) -> TeamSessions:
    today = today or datetime.now(LONDON).date()
    start_of_today = datetime.combine(today, time(0), LONDON).astimezone(timezone.utc)
    team = SupervisionSession.team_id == actor.team_id
    ahead = list(db.session.scalars(
        select(SupervisionSession)
        .where(team, SupervisionSession.status != SessionStatus.CLOSED.value,
               SupervisionSession.starts_at >= start_of_today)
        .options(selectinload(SupervisionSession.chair), selectinload(SupervisionSession.agenda))
        .order_by(SupervisionSession.starts_at)
    ))
    ahead_ids = [s.id for s in ahead]
    recent = db.session.scalars(
        select(SupervisionSession)
        .where(team, SupervisionSession.id.not_in(ahead_ids))
        .options(selectinload(SupervisionSession.chair), selectinload(SupervisionSession.agenda))
        .order_by(SupervisionSession.starts_at.desc())
        .limit(recent_limit)
    )
    is_today = [s.starts_at.astimezone(LONDON).date() == today for s in ahead]
    return TeamSessions(
        today=[s for s, flag in zip(ahead, is_today) if flag],
        upcoming=[s for s, flag in zip(ahead, is_today) if not flag],
        recent=list(recent),
    )


def setup_options(actor: Actor) -> SetupOptions:
    """Who can chair and who can take minutes; refused to people who cannot set up sessions."""
    actor.require(Permission.SCHEDULE_SESSIONS)
    members = accounts.team_members(actor.team_id)
    chairs = [m for m in members if may_chair(m.role.kind)]
    minute_takers = [m for m in members if m.role.kind == RoleKind.BUSINESS_SUPPORT] or members
    return SetupOptions(chairs=chairs, members=members,
                        default_chair_id=chairs[0].user_id if chairs else None,
                        default_minute_taker_id=minute_takers[0].user_id if minute_takers else None)


def details_to_change(user_id: int, session_id: int) -> tuple[SupervisionSession, SetupOptions]:
    session, actor = _changeable(user_id, session_id, Permission.SCHEDULE_SESSIONS)
    return session, setup_options(actor)


def agenda_to_change(user_id: int, session_id: int) -> tuple[SupervisionSession, list[Family]]:
    """The session and every family of its team, for the agenda page."""
    session, _ = _changeable(user_id, session_id, Permission.SCHEDULE_SESSIONS)
    families = db.session.scalars(
        select(Family).where(Family.team_id == session.team_id).order_by(Family.display_name)
    )
    return session, list(families)


def attendance_to_change(user_id: int, session_id: int) -> tuple[SupervisionSession, list[AttendanceRow], list[Role]]:
    session, _ = _changeable(user_id, session_id, Permission.RECORD_ATTENDANCE)
    return session, attendance_rows(session), _roles()


def attendance_rows(session: SupervisionSession) -> list[AttendanceRow]:
    """Everyone in the team, with what is recorded for them in this session (if anything)."""
    recorded = {a.user_id: a for a in session.attendance}
    return [AttendanceRow(m, recorded.get(m.user_id)) for m in accounts.team_members(session.team_id)]


# Changing --------------------------------------------------------------------------------------

def schedule_session(actor: Actor, details: SessionDetails) -> SupervisionSession:
    """A new session; everyone in the team is listed as attending in their team role until told otherwise."""
    actor.require(Permission.SCHEDULE_SESSIONS)
    members = accounts.team_members(actor.team_id)
    session = SupervisionSession(team_id=actor.team_id, status=SessionStatus.SCHEDULED.value)
    _apply_details(session, details, members)
    session.attendance = [
        Attendance(user_id=m.user_id, role_id=m.role_id, status=AttendanceStatus.PRESENT.value) for m in members
    ]
    db.session.add(session)
    db.session.flush()
    _audit("session.scheduled", actor, session, {}, _detail_values(session, members))
    db.session.commit()
    return session


def update_session(user_id: int, session_id: int, details: SessionDetails) -> SupervisionSession:
    session, actor = _changeable(user_id, session_id, Permission.SCHEDULE_SESSIONS)
    members = accounts.team_members(actor.team_id)
    before = _detail_values(session, members)
    _apply_details(session, details, members)
    board.revoke_access(session)  # the chair or minute taker may have changed
    _audit("session.changed", actor, session, before, _detail_values(session, members))
    db.session.commit()
    access.recheck_board(session.id)
    return session


def set_agenda(user_id: int, session_id: int, entries: list[AgendaEntry]) -> SupervisionSession:
    """Make the agenda exactly `entries`, in that order.

    Items already discussed in this session (notes, contributions, a decision, actions)
    cannot be taken off: removing them would delete what was said.
    """
    session, actor = _changeable(user_id, session_id, Permission.SCHEDULE_SESSIONS)
    families = {f.id: f for f in db.session.scalars(
        select(Family).where(Family.team_id == session.team_id,
                             Family.id.in_([e.family_id for e in entries]))
    )}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for entry in entries:
        family = families.get(entry.family_id)
        if family is None:
            errors["agenda"] = "Choose families from this team's list"
            continue
        if entry.family_id in seen:
            errors["agenda"] = f"{family.display_name} is on the agenda more than once"
        seen.add(entry.family_id)
        if not isinstance(entry.minutes_allowed, int) or not 0 < entry.minutes_allowed <= MAX_MINUTES:
            errors["agenda"] = (f"The time for {family.display_name} must be a whole number of minutes "
                                f"from 1 to {MAX_MINUTES}")
    current = {item.family_id: item for item in session.agenda}
    for family_id, item in current.items():
        if family_id not in seen and _has_discussion(session, item):
            errors["agenda"] = (f"{item.family.display_name} has already been discussed in this session, "
                                "so it stays on the agenda")
    if errors:
        raise Invalid("The agenda could not be saved.", errors)

    before = _agenda_values(session.agenda)
    minutes_before = {family_id: item.minutes_allowed for family_id, item in current.items()}
    items = []
    for position, entry in enumerate(entries, start=1):
        item = current.get(entry.family_id) or AgendaItem(family_id=entry.family_id)
        item.position = position
        item.minutes_allowed = entry.minutes_allowed
        items.append(item)
    session.agenda = items  # items left out are removed (delete-orphan)
    _audit("agenda.changed", actor, session, before, _agenda_values(items, families))
    db.session.flush()
    # What the live boards redraw: families added or given other minutes, and those taken off. Read
    # before the commit, which expires the items: afterwards each id was a statement of its own.
    setup = board.SetUpChange(
        redrawn=[item.id for item in items if minutes_before.get(item.family_id) != item.minutes_allowed],
        removed=[item.id for family_id, item in current.items() if family_id not in seen],
        whole=not current or not items)
    db.session.commit()
    board.announce_setup_change(session, actor, f"{actor.role_label} changed the agenda", setup)
    return session


def record_attendance(user_id: int, session_id: int, entries: list[AttendanceEntry]) -> SupervisionSession:
    """Set who is present, late or sent apologies, and the role each attended in."""
    session, actor = _changeable(user_id, session_id, Permission.RECORD_ATTENDANCE)
    members = {m.user_id: m for m in accounts.team_members(session.team_id)}
    roles = {r.id for r in _roles()}
    errors: dict[str, str] = {}
    for entry in entries:
        if entry.user_id not in members:
            errors["attendance"] = "Choose people from this team"
        elif entry.status is not None and entry.status not in ATTENDANCE_STATUSES:
            errors["attendance"] = f"Choose whether {members[entry.user_id].user.display_name} was present, late or sent apologies"
        elif entry.role_id is not None and entry.role_id not in roles:
            errors["attendance"] = f"Choose the role {members[entry.user_id].user.display_name} attended in"
    if errors:
        raise Invalid("Attendance could not be saved.", errors)

    recorded = {a.user_id: a for a in session.attendance}
    before = _attendance_values(session.attendance, members)
    for entry in entries:
        row = recorded.get(entry.user_id)
        if entry.status is None:
            if row is not None:
                session.attendance.remove(row)
            continue
        if row is None:
            row = Attendance(user_id=entry.user_id)
            session.attendance.append(row)
        row.status = entry.status
        row.role_id = entry.role_id or members[entry.user_id].role_id
    board.revoke_access(session)
    _audit("attendance.changed", actor, session, before, _attendance_values(session.attendance, members))
    db.session.commit()
    access.recheck_board(session.id)
    board.announce_setup_change(session, actor, f"{actor.role_label} updated the attendance", board.SetUpChange())
    return session


# Rules -----------------------------------------------------------------------------------------

def _changeable(user_id: int, session_id: int, permission: Permission) -> tuple[SupervisionSession, Actor]:
    """The session if this person may change this part of its setup now (404, then 403)."""
    session, actor = session_for(user_id, session_id)
    actor.require(permission)
    if session.status == SessionStatus.CLOSED.value:
        raise Refused(CLOSED_MESSAGE)
    return session, actor


def _apply_details(session: SupervisionSession, details: SessionDetails, members: list[Membership]) -> None:
    by_user = {m.user_id: m for m in members}
    errors: dict[str, str] = {}
    if details.starts_at is None or details.starts_at.tzinfo is None:
        errors["starts_at"] = "Enter the date and time the session starts"
    chair = by_user.get(details.chair_id)
    if chair is None or not may_chair(chair.role.kind):
        errors["chair"] = "Choose a team manager or senior social worker from this team to chair"
    if details.minute_taker_id not in by_user:
        errors["minute_taker"] = "Choose someone from this team to take the minutes"
    if errors:
        raise Invalid("The session could not be saved.", errors)
    session.starts_at = details.starts_at.astimezone(timezone.utc)
    session.chair_id = details.chair_id
    session.minute_taker_id = details.minute_taker_id


def _has_discussion(session: SupervisionSession, item: AgendaItem) -> bool:
    if item.id is None:
        return False
    if item.started_at or item.notes_text or item.cards or item.decision or session.current_item_id == item.id:
        return True
    return db.session.scalar(select(Action.id).where(Action.agenda_item_id == item.id).limit(1)) is not None


def _audit(action: str, actor: Actor, session: SupervisionSession, before: dict, after: dict) -> None:
    """A set-up change as old and new values, in the change's own transaction."""
    audit.record(action, actor, team_id=session.team_id, session_id=session.id, details=changes(before, after))


def _detail_values(session: SupervisionSession, members: list[Membership]) -> dict:
    names = {m.user_id: m.user.display_name for m in members}
    return {"starts_at": session.starts_at.isoformat() if session.starts_at else None,
            "chair": names.get(session.chair_id, session.chair_id),
            "minute_taker": names.get(session.minute_taker_id, session.minute_taker_id)}


def _agenda_values(items: list[AgendaItem], families: dict[int, Family] | None = None) -> dict:
    """Families in agenda order with their minutes, by name as the page showed them."""
    def name(item):
        family = (families or {}).get(item.family_id) or item.family
        return family.display_name if family is not None else f"family {item.family_id}"
    return {"agenda": [f"{name(item)} ({item.minutes_allowed} min)" for item in items]}


def _attendance_values(rows: list[Attendance], members: dict[int, Membership]) -> dict:
    """Each person's attendance and role, by name; a person with nothing recorded is left out."""
    roles = {r.id: r.label for r in _roles()}
    return {(members[a.user_id].user.display_name if a.user_id in members else f"person {a.user_id}"):
            f"{a.status} ({roles.get(a.role_id, a.role_id)})" for a in rows}


def _roles() -> list[Role]:
    return list(db.session.scalars(select(Role).order_by(Role.sort_order)))
