"""Presence held by a process that stopped beating stops counting, and a sweep deletes it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from supervision.extensions import db
from supervision.services import presence, workers
from supervision.store.models import Presence, User, WorkerHeartbeat, utcnow
from tests.demo_session import todays_session_id


def test_a_silent_process_s_people_drop_out_of_the_list_and_are_swept(app):
    session_id = todays_session_id(app)
    with app.app_context():
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        workers.beat("alive")
        workers.beat("killed")
        presence.connected(session_id, users["manager"], "sid-1", "alive")
        presence.connected(session_id, users["social"], "sid-2", "killed")
        presence.connected(session_id, users["social"], "sid-3", "alive")
        assert [(p["name"], p["connections"]) for p in presence.presence_list(session_id)] == [
            ("Helen Brooks", 1), ("Priya Shah", 2)]

        # The killed process last beat longer ago than the expiry; the live one beats again.
        expired = utcnow() - timedelta(seconds=app.config["PRESENCE_EXPIRY_SECONDS"] + 1)
        db.session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.id == "killed").values(seen_at=expired))
        db.session.commit()
        workers.beat("alive")
        assert [(p["name"], p["connections"]) for p in presence.presence_list(session_id)] == [
            ("Helen Brooks", 1), ("Priya Shah", 1)]

        assert workers.sweep() == [session_id]
        assert sorted(db.session.scalars(select(Presence.sid))) == ["sid-1", "sid-3"]
        assert list(db.session.scalars(select(WorkerHeartbeat.id))) == ["alive"]
        assert workers.sweep() == []


def test_a_process_taken_for_dead_comes_back_on_its_next_beat(app):
    with app.app_context():
        workers.beat("slow")
        expired = utcnow() - timedelta(seconds=app.config["PRESENCE_EXPIRY_SECONDS"] + 1)
        db.session.execute(update(WorkerHeartbeat).values(seen_at=expired))
        db.session.commit()
        workers.sweep()
        assert db.session.get(WorkerHeartbeat, "slow") is None
        workers.beat("slow")
        assert db.session.get(WorkerHeartbeat, "slow").seen_at > expired
