"""Two worker processes behind one Redis message queue and one PostgreSQL database, and what happens when the queue dies."""
from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import BoardEvent, User
from tests.conftest import todays_board
from tests.databases import DEMO_PASSWORD, REDIS_URL, require_redis
from tests.conftest import Browser
from tests.realtime.board_client import BoardClient, sign_in
from tests.redis_server import RedisServer
from tests.workers import Worker


@pytest.fixture
def two_workers(backends, tmp_path_factory, tmp_path):
    require_redis()
    backend, url, app, session_id = todays_board(backends, tmp_path_factory, tmp_path, "postgresql")
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


@pytest.fixture
def two_board_workers_on_their_own_redis(backends, tmp_path_factory, tmp_path):
    """Two gevent workers (live boards) on PostgreSQL, with a Redis the test may kill."""
    backend, url, app, session_id = todays_board(backends, tmp_path_factory, tmp_path, "postgresql")
    queue = RedisServer(tmp_path / "redis").start()
    env = {"DATABASE_URL": url, "SOCKETIO_MESSAGE_QUEUE": queue.url, "SECRET_KEY": "two-workers-test",
           "RATELIMIT_STORAGE_URI": "memory://", "PRESENCE_HEARTBEAT_SECONDS": "1", "PRESENCE_EXPIRY_SECONDS": "3"}
    workers = [Worker(env, tmp_path / "worker1", "gevent"), Worker(env, tmp_path / "worker2", "gevent")]
    try:
        for worker in workers:
            worker.wait_until_ready()
        yield workers, queue, session_id, app
    finally:
        for worker in workers:
            worker.stop()
        queue.kill()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        backend.drop(url)


def _queue_check(worker) -> tuple[int, str]:
    answer = requests.get(f"{worker.url}/readyz", timeout=10)
    return answer.status_code, answer.json()["checks"]["message_queue"]


def test_when_the_message_queue_dies_every_board_says_so_and_catches_up_without_a_reload(
        two_board_workers_on_their_own_redis):
    (first, second), queue, session_id, app = two_board_workers_on_their_own_redis
    clients = [BoardClient(worker.url, username, DEMO_PASSWORD).connect()
               for worker, username in ((first, "manager"), (second, "social"),
                                        (first, "recovery"), (second, "support"))]
    manager, social, recovery, support = clients
    try:
        for client in clients:
            assert client.join(session_id)["ok"]
        manager.ok("start_session")
        for client in clients:
            client.wait_for_seq(1)
            client.wait_for(lambda c=client: c.late is False, timeout=15)
        assert _queue_check(first) == (200, "ok")

        queue.kill()
        assert _queue_check(first) == (503, "unreachable") and _queue_check(second) == (503, "unreachable")
        for client in clients:  # "Some changes may be late; catching up"
            client.wait_for(lambda c=client: c.late is True, timeout=30)

        # Saves keep working on both workers, and each reaches the other worker's boards all the same.
        assert manager.ok("add_card", {"stage": "situation", "text": "Said on the first worker, queue down"})["seq"] == 2
        assert social.ok("add_card", {"stage": "situation", "text": "Said on the second worker, queue down"})["seq"] == 3
        for client in clients:
            client.wait_for_seq(3, timeout=30)
        assert recovery.catch_ups and support.catch_ups  # each learnt from the heartbeat that it was behind

        queue.start()  # the same address, empty: Redis keeps nothing here
        for client in clients:  # the listeners subscribe again after their back-off: the boards say so
            client.wait_for(lambda c=client: c.late is False, timeout=90)
        assert _queue_check(first) == (200, "ok") and _queue_check(second) == (200, "ok")
        assert recovery.ok("add_card", {"stage": "situation", "text": "Said after the queue came back"})["seq"] == 4
        for client in clients:
            client.wait_for_seq(4, timeout=15)

        # Each change applied once, in order (one may also have come live after its catch-up: ignored, as
        # docs/protocol.md says).
        assert [client.seen for client in clients] == [[1, 2, 3, 4]] * 4
        assert len({client.state_hash() for client in clients}) == 1
    finally:
        for client in clients:
            client.disconnect()
    with app.app_context():
        seqs = list(db.session.scalars(select(BoardEvent.seq).where(BoardEvent.session_id == session_id)
                                       .order_by(BoardEvent.seq)))
    assert seqs == [1, 2, 3, 4]
