"""The team boundary, in one place. Every lookup of a family or a session goes through here.

An object of another team is answered exactly as a missing one (NotFound), so ids
cannot be probed.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.errors import NotFound
from ..domain.permissions import Permission, can, require
from ..extensions import db
from ..store import hot_path as statements
from ..store.models import Family, Membership, SupervisionSession
from . import accounts


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting within one team, with the role they hold there."""

    user_id: int
    team_id: int
    display_name: str
    role_kind: str
    role_label: str
    specialism_label: str | None

    @classmethod
    def of(cls, membership: Membership) -> Actor:
        return cls(
            user_id=membership.user_id,
            team_id=membership.team_id,
            display_name=membership.user.display_name,
            role_kind=membership.role.kind,
            role_label=membership.role_label,
            specialism_label=membership.specialism.label if membership.specialism else None,
        )

    def can(self, permission: Permission, *, is_chair: bool = False) -> bool:
        return can(self.role_kind, permission, is_chair=is_chair)

    def require(self, permission: Permission, *, is_chair: bool = False) -> None:
        require(self.role_kind, permission, is_chair=is_chair)


def actor_for(user_id: int, team_id: int) -> Actor:
    """The person as an active member of this team; NotFound if they are not one."""
    membership = accounts.membership_in(user_id, team_id)
    if membership is None or not membership.user.active:
        raise NotFound()
    return Actor.of(membership)


def actor_on_board(user_id: int, team_id: int, session_id: int) -> tuple[Actor, str | None]:
    """The person as an active member of the session's team, and their attendance at it, in one
    prebuilt statement (a live connection re-checks this every minute); NotFound as actor_for."""
    row = db.session.connection().execute(
        statements.BOARD_ACTOR, {"user_id": user_id, "team_id": team_id, "session_id": session_id}).one_or_none()
    if row is None or not row.active:
        raise NotFound()
    return Actor(user_id=user_id, team_id=team_id, display_name=row.display_name, role_kind=row.role_kind,
                 role_label=row.role_label, specialism_label=row.specialism_label), row.attendance


def team_ids_of(user_id: int) -> list[int]:
    return list(db.session.scalars(select(Membership.team_id).where(Membership.user_id == user_id)))


def family_for(user_id: int, family_id: int) -> tuple[Family, Actor]:
    family = db.session.scalar(
        select(Family)
        .where(Family.id == family_id, Family.team_id.in_(select(Membership.team_id).where(Membership.user_id == user_id)))
        .options(joinedload(Family.social_worker))
    )
    if family is None:
        raise NotFound("That family")
    return family, actor_for(user_id, family.team_id)


def session_for(user_id: int, session_id: int) -> tuple[SupervisionSession, Actor]:
    session = db.session.scalar(
        select(SupervisionSession).where(
            SupervisionSession.id == session_id,
            SupervisionSession.team_id.in_(select(Membership.team_id).where(Membership.user_id == user_id)),
        )
    )
    if session is None:
        raise NotFound("That session")
    return session, actor_for(user_id, session.team_id)
