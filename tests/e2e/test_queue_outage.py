"""The message queue between the servers dies: the board says changes may be late, and says when it is over."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present
from tests.e2e.conftest import cards, connection, open_board, room_status, todays_north_session
from tests.realtime.board_client import BoardClient
from tests.redis_server import RedisServer
from tests.workers import Worker

LIVE = 15_000
LATE = "Some changes may be late; catching up"


@pytest.fixture
def queue(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.kill()


def _worker(database_url, queue, folder):
    worker = Worker({"DATABASE_URL": database_url, "SOCKETIO_MESSAGE_QUEUE": queue.url, "SECRET_KEY": "queue-outage",
                     "RATELIMIT_STORAGE_URI": "memory://", "PRESENCE_HEARTBEAT_SECONDS": "1",
                     "PRESENCE_EXPIRY_SECONDS": "3"}, folder, "gevent")
    worker.wait_until_ready()
    return worker


@pytest.fixture
def server(app, database_url, queue, tmp_path):
    """The browsers' board, served by a gevent worker (as deployed) whose message queue the test can kill."""
    worker = _worker(database_url, queue, tmp_path / "worker")
    yield worker
    worker.stop()


@pytest.fixture
def other_worker(app, database_url, queue, tmp_path):
    """A second worker on the same queue and database, where someone else is on the board."""
    worker = _worker(database_url, queue, tmp_path / "other")
    yield worker
    worker.stop()


def test_the_board_says_changes_may_be_late_while_its_server_cannot_hear_the_others(app, person, queue,
                                                                                   other_worker):
    today = todays_north_session(app)
    everyone_present(app, today.session_id)
    manager = open_board(person("manager"), today.board)
    social = open_board(person("social"), today.board)
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    recovery = BoardClient(other_worker.url, "recovery", DEMO_PASSWORD).connect()
    assert recovery.join(today.session_id)["ok"]

    queue.kill()
    for page in (manager, social):
        expect(connection(page)).to_have_text(LATE, timeout=LIVE)
        expect(page.locator("#board-connection")).to_have_attribute("aria-live", "polite")
    # Saving still works, and what this server holds reaches its boards.
    manager.get_by_role("textbox", name="Add to the family situation").fill("Ava is gaining weight.")
    manager.get_by_role("button", name="Add to the family situation").click()
    expect(cards(social, "Ava is gaining weight.")).to_have_count(1, timeout=LIVE)
    # A change made on the other worker cannot be published to this one: the boards catch up by
    # themselves from the next heartbeat, without a reload, still saying changes may be late.
    try:
        recovery.ok("add_card", {"stage": "situation", "text": "Mia has started a recovery group."})
    finally:
        recovery.disconnect()
    for page in (manager, social):
        expect(cards(page, "Mia has started a recovery group.")).to_have_count(1, timeout=LIVE)
        expect(connection(page)).to_have_text(LATE)

    queue.start()
    for page in (manager, social):  # after the server's listener has subscribed again
        expect(connection(page)).to_have_text("Connected", timeout=90_000)
    expect(cards(manager, "Ava is gaining weight.")).to_have_count(1)
