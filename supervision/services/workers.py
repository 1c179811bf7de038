"""Which server processes are alive, so that presence never outlives the process holding it.

Every process that holds live board connections beats: one UPDATE of its own row every
few seconds, whatever the number of connections. A process beaten within the expiry is
alive; rows of any other process are stale, whether it was stopped, crashed or killed.
The times are the processes' own clocks, which must agree (NTP) to well within the expiry.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, update

from ..extensions import db
from ..store.models import Presence, WorkerHeartbeat, utcnow


def alive_cutoff(now: datetime | None = None) -> datetime:
    """A process that beat before this is taken for dead."""
    expiry = timedelta(seconds=float(current_app.config["PRESENCE_EXPIRY_SECONDS"]))
    return (now or utcnow()) - expiry


def alive_workers(now: datetime | None = None):
    """A subquery of the ids of the processes alive now."""
    return select(WorkerHeartbeat.id).where(WorkerHeartbeat.seen_at >= alive_cutoff(now))


def beat(worker_id: str) -> None:
    """Say this process is alive: one row, updated in place (made on the first beat, or again
    if another process took this one for dead and removed it)."""
    now = utcnow()
    updated = db.session.execute(
        update(WorkerHeartbeat).where(WorkerHeartbeat.id == worker_id).values(seen_at=now)).rowcount
    if not updated:
        db.session.execute(insert(WorkerHeartbeat).values(id=worker_id, started_at=now, seen_at=now))
    db.session.commit()


def sweep() -> list[int]:
    """Delete the presence rows and heartbeats of dead processes; returns the boards that had
    such rows, whose people lists have changed. Only reads unless there is something to delete."""
    now = utcnow()
    stale = Presence.worker_id.not_in(alive_workers(now))
    boards = sorted(db.session.scalars(select(Presence.session_id).where(stale).distinct()))
    dead = WorkerHeartbeat.seen_at < alive_cutoff(now)
    if boards or db.session.scalar(select(WorkerHeartbeat.id).where(dead).limit(1)) is not None:
        db.session.execute(delete(Presence).where(stale))
        db.session.execute(delete(WorkerHeartbeat).where(dead))
    db.session.commit()
    return boards

