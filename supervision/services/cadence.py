"""How often the team discusses a family at each plan level: read by everyone, set by the manager."""
from __future__ import annotations

from sqlalchemy import select

from ..domain.audit import changes
from ..domain.cadence import check_cadence, team_cadence
from ..domain.permissions import Permission
from ..extensions import db
from ..store.models import TeamCadence, utcnow
from . import audit
from .scope import Actor


def weeks_by_level(team_id: int) -> dict[str, int]:
    """Every plan level with the team's weeks between discussions (the default where it set none)."""
    rows = db.session.execute(select(TeamCadence.plan_level, TeamCadence.weeks).where(TeamCadence.team_id == team_id))
    return team_cadence(dict(rows.all()))


def cadence_to_change(actor: Actor) -> dict[str, int]:
    actor.require(Permission.SET_CADENCE)
    return weeks_by_level(actor.team_id)


def set_cadence(actor: Actor, weeks: dict[str, object]) -> dict[str, int]:
    """The manager sets the weeks for each plan level; Invalid changes nothing."""
    actor.require(Permission.SET_CADENCE)
    checked = check_cadence(weeks)
    before = weeks_by_level(actor.team_id)
    rows = {row.plan_level: row for row in db.session.scalars(
        select(TeamCadence).where(TeamCadence.team_id == actor.team_id))}
    for level, value in checked.items():
        row = rows.get(level) or TeamCadence(team_id=actor.team_id, plan_level=level)
        row.weeks, row.updated_by_id, row.updated_at = value, actor.user_id, utcnow()
        db.session.add(row)
    db.session.flush()
    after = weeks_by_level(actor.team_id)
    audit.record("cadence.changed", actor, team_id=actor.team_id, details=changes(before, after))
    db.session.commit()
    return after
