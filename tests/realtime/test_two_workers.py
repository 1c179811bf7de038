"""Two worker processes behind one Redis message queue and one PostgreSQL database."""
from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import BoardEvent, User
from tests.conftest import _backend, make_app
from tests.databases import DEMO_PASSWORD, REDIS_URL, require_redis
from tests.demo_session import everyone_present, todays_session_id
from tests.conftest import Browser
from tests.realtime.board_client import BoardClient, sign_in
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


def test_taking_someone_off_the_attendance_list_on_one_worker_ends_their_board_on_the_other(two_workers):
    (boards, pages), session_id, app = two_workers
    manager = BoardClient(boards.url, "manager", DEMO_PASSWORD).connect()
    recovery = BoardClient(boards.url, "recovery", DEMO_PASSWORD).connect()
    try:
        assert manager.join(session_id)["ok"] and recovery.join(session_id)["ok"]
        manager.ok("start_session")
        recovery.wait_for_seq(1)

        # Business support records the apologies on the pages' worker.
        support = sign_in(pages.url, "support", DEMO_PASSWORD)
        form_page = support.get(f"{pages.url}/sessions/{session_id}/attendance", timeout=10).text
        with app.app_context():
            recovery_id = db.session.scalar(select(User.id).where(User.username == "recovery"))
        response = support.post(f"{pages.url}/sessions/{session_id}/attendance", data={
            "csrf_token": Browser.csrf(form_page), "people-0-user_id": str(recovery_id),
            "people-0-status": "apologies", "people-0-role": ""}, timeout=10)
        assert "Attendance has been saved." in response.text

        recovery.wait_for(lambda: recovery.access_ended, timeout=5)
        assert recovery.access_ended[0]["code"] == "not_attending"
        seq = manager.ok("add_card", {"stage": "situation", "text": "Said after the recovery worker left."})["seq"]
        manager.wait_for_seq(seq)
        recovery.sio.call("sync", {"session_id": session_id, "since": 0}, timeout=15)
        assert seq not in recovery.seen
    finally:
        manager.disconnect()
        recovery.disconnect()


def test_oversized_polling_posts_do_not_hold_a_gevent_worker(two_workers):
    (boards, _pages), session_id, _app = two_workers
    from tests.realtime.test_bad_input import _polling_sid, _raw_post

    manager = BoardClient(boards.url, "manager", DEMO_PASSWORD).connect()
    try:
        assert manager.join(session_id)["ok"]
        cookie = manager.cookie
        answers = []
        for _ in range(50):
            sid = _polling_sid(boards.url, cookie)
            answers.append(_raw_post(boards.url, f"/socket.io/?EIO=4&transport=polling&sid={sid}", 2**20 + 1))
            if answers[-1] is None:
                break
        assert None not in answers, f"{answers.count(None)} of 50 posts never got an answer"
        assert all(answer == b"" or answer.startswith(b"HTTP/1.1 413") for answer in answers)
        assert manager.ok("start_session")["seq"] == 1
        assert requests.get(f"{boards.url}/sign-in", timeout=10).status_code == 200
    finally:
        manager.disconnect()
