"""A practitioner's own work: their actions (overdue, due, later, done) and the families they hold,
with when each is next discussed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..domain.cadence import DUE_SOON_DAYS, NextDue
from ..domain.vocabulary import ActionStatus
from ..extensions import db
from ..store.models import Action, Family
from .scope import Actor
from .team_picture import ActionLine, FamilyLine, SessionLine, booked_sessions, families_due

DONE_SHOWN = 10


@dataclass
class MyActions:
    overdue: list[ActionLine]
    due: list[ActionLine]  # within DUE_SOON_DAYS, or with no date
    later: list[ActionLine]
    done: list[ActionLine]  # the most recent DONE_SHOWN


@dataclass(frozen=True)
class HeldFamily:
    family: FamilyLine
    due: NextDue
    booked: SessionLine | None = None  # the scheduled session it is on, if any


@dataclass
class MyWork:
    actions: MyActions
    families: list[HeldFamily]
    family_names: dict[int, str]  # the families the actions are about


def my_actions(actor: Actor, today: date) -> tuple[MyActions, dict[int, str]]:
    """The person's open actions by when, their latest done ones, and the names of the families."""
    rows = db.session.execute(
        select(Action.id, Action.family_id, Action.text, Action.due_on, Action.status, Family.display_name)
        .join(Family, Action.family_id == Family.id)
        .where(Action.owner_id == actor.user_id, Family.team_id == actor.team_id,
               Action.status.in_([ActionStatus.OPEN.value, ActionStatus.DONE.value]))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)).all()
    names = {row.family_id: row.display_name for row in rows}
    open_ = [ActionLine(*row[:4]) for row in rows if row.status == ActionStatus.OPEN.value]
    done = [ActionLine(*row[:4]) for row in rows if row.status == ActionStatus.DONE.value]
    done.sort(key=lambda a: (a.due_on or date.min, a.id), reverse=True)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return MyActions(
        overdue=[a for a in open_ if a.due_on is not None and a.due_on < today],
        due=[a for a in open_ if a.due_on is None or today <= a.due_on <= soon],
        later=[a for a in open_ if a.due_on is not None and a.due_on > soon],
        done=done[:DONE_SHOWN]), names


def held_families(actor: Actor, today: date, with_open_actions: set[int], every_family=None,
                  booked=None) -> list[HeldFamily]:
    """Families allocated to the person, and families where they own an open action.

    `every_family` and `booked` are the team picture's, when the page has already worked them out."""
    if every_family is None:
        every_family, booked = families_due(actor.team_id, today), booked_sessions(actor.team_id, today)
    return [HeldFamily(f, due, booked.get(f.id)) for f, due in every_family
            if f.social_worker_id == actor.user_id or f.id in with_open_actions]


def my_work(actor: Actor, today: date, picture=None) -> MyWork:
    """The person's own work; `picture` is the team picture when the page shows it too (worked out once)."""
    actions, names = my_actions(actor, today)
    with_open = {a.family_id for group in (actions.overdue, actions.due, actions.later) for a in group}
    held = (held_families(actor, today, with_open, picture.every_family, picture.booked) if picture is not None
            else held_families(actor, today, with_open))
    return MyWork(actions, held, names)
