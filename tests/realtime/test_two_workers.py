"""Two worker processes behind one Redis message queue and one PostgreSQL database."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import BoardEvent
from tests.conftest import _backend, make_app
from tests.databases import DEMO_PASSWORD, REDIS_URL, require_redis
from tests.demo_session import everyone_present, todays_session_id
from tests.realtime.board_client import BoardClient
from tests.workers import Worker


@pytest.fixture
def two_workers(backends, tmp_path_factory, tmp_path):
    require_redis()
    backend = _backend(backends, tmp_path_factory, "postgresql")
    url = backend.clone()
    app = make_app(url, tmp_path)
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    env = {"DATABASE_URL": url, "SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SECRET_KEY": "two-workers-test",
           "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex}", "RATELIMIT_STORAGE_URI": "memory://"}
    # As docs/deployment.md runs them: a gevent worker for the boards, a threaded one beside it.
    workers = [Worker(env, tmp_path / "worker1", "gevent"), Worker(env, tmp_path / "worker2", "gthread")]
    try:
        for worker in workers:
            worker.wait_until_ready()
        yield workers, session_id, app
    finally:
        for worker in workers:
            worker.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        backend.drop(url)


def test_a_change_through_one_worker_reaches_a_client_of_the_other(two_workers):
    (first, second), session_id, app = two_workers
    manager = BoardClient(first.url, "manager", DEMO_PASSWORD).connect()
    social = BoardClient(second.url, "social", DEMO_PASSWORD).connect()
    try:
        assert manager.join(session_id)["ok"] and social.join(session_id)["ok"]
        manager.ok("start_session")
        social.wait_for_seq(1)
        for n in range(5):
            social.ok("add_card", {"stage": "situation", "text": f"From the second worker {n}"})
            manager.ok("add_card", {"stage": "situation", "text": f"From the first worker {n}"})
        manager.wait_for_seq(11)
        social.wait_for_seq(11)
        assert manager.seen == social.seen == list(range(1, 12))
        assert manager.duplicates == social.duplicates == 0
        assert manager.state_hash() == social.state_hash()
        manager.wait_for(lambda: {p["name"] for p in manager.presence} == {"Helen Brooks", "Priya Shah"})
    finally:
        manager.disconnect()
        social.disconnect()
    with app.app_context():
        seqs = list(db.session.scalars(select(BoardEvent.seq).where(BoardEvent.session_id == session_id)
                                       .order_by(BoardEvent.seq)))
    assert seqs == list(range(1, 12))
