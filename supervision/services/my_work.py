"""A practitioner's own work: their actions (overdue, due, later, done) and the families they hold,
with when each is next discussed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..domain.cadence import DUE_SOON_DAYS, NextDue
from ..domain.vocabulary import ActionStatus
from ..extensions import db
from ..store.models import Action, Family
from .scope import Actor
from .team_picture import booked_sessions, families_due

DONE_SHOWN = 10


@dataclass
class MyActions:
    overdue: list[Action]
    due: list[Action]  # within DUE_SOON_DAYS, or with no date
    later: list[Action]
    done: list[Action]  # the most recent DONE_SHOWN


@dataclass(frozen=True)
class HeldFamily:
    family: Family
    due: NextDue
    booked: object = None  # the scheduled session it is on, if any


@dataclass
class MyWork:
    actions: MyActions
    families: list[HeldFamily]
    family_names: dict[int, str]  # the families the actions are about


def my_actions(actor: Actor, today: date) -> MyActions:
    mine = (Action.owner_id == actor.user_id, Family.team_id == actor.team_id)
    open_ = list(db.session.scalars(
        select(Action).join(Family, Action.family_id == Family.id)
        .where(*mine, Action.status == ActionStatus.OPEN.value)
        .options(joinedload(Action.owner)).order_by(Action.due_on.is_(None), Action.due_on, Action.id)))
    soon = today + timedelta(days=DUE_SOON_DAYS)
    done = list(db.session.scalars(
        select(Action).join(Family, Action.family_id == Family.id)
        .where(*mine, Action.status == ActionStatus.DONE.value)
        .order_by(Action.due_on.desc(), Action.id.desc()).limit(DONE_SHOWN)))
    return MyActions(
        overdue=[a for a in open_ if a.due_on is not None and a.due_on < today],
        due=[a for a in open_ if a.due_on is None or today <= a.due_on <= soon],
        later=[a for a in open_ if a.due_on is not None and a.due_on > soon],
        done=done)


def held_families(actor: Actor, today: date) -> list[HeldFamily]:
    """Families allocated to the person, and families where they own an open action."""
    with_actions = select(Action.family_id).where(Action.owner_id == actor.user_id,
                                                  Action.status == ActionStatus.OPEN.value)
    held = set(db.session.scalars(select(Family.id).where(
        Family.team_id == actor.team_id,
        or_(Family.social_worker_id == actor.user_id, Family.id.in_(with_actions)))))
    if not held:
        return []
    booked = booked_sessions(actor.team_id, today)
    return [HeldFamily(f, due, booked.get(f.id)) for f, due in families_due(actor.team_id, today) if f.id in held]


def my_work(actor: Actor, today: date) -> MyWork:
    actions = my_actions(actor, today)
    ids = {a.family_id for group in (actions.overdue, actions.due, actions.later, actions.done) for a in group}
    names = dict(db.session.execute(select(Family.id, Family.display_name).where(
        Family.id.in_(ids), Family.team_id == actor.team_id)).all()) if ids else {}
    return MyWork(actions, held_families(actor, today), names)
