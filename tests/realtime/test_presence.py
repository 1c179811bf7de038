"""Who is on the board: each person once, and never someone whose connection has gone.

Time that must pass (a heartbeat expiring, a ping going unanswered) is made short through
the settings, and the tests wait for what a person would see, within a bound.
"""
from __future__ import annotations

import json
import time

import pytest
import websocket
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import Presence, User, WorkerHeartbeat
from tests.conftest import make_app
from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present, todays_session_id
from tests.realtime.board_client import BoardClient, sign_in
from tests.workers import Worker

QUICK = {"SOCKETIO_PING_INTERVAL": 1, "SOCKETIO_PING_TIMEOUT": 1,
         "PRESENCE_HEARTBEAT_SECONDS": 0.2, "PRESENCE_EXPIRY_SECONDS": 1}


def names(client: BoardClient) -> set[str]:
    return {person["name"] for person in client.presence}


def display_name(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.username == username))


def rows(app, model) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return count


def eventually(condition, timeout: float = 15) -> None:
    """Poll a condition outside any client's view (the database), within a bound."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.1)


def test_two_tabs_of_one_person_show_as_one_person_with_two_connections(app, connect, todays_session):
    everyone_present(app, todays_session)
    first_tab, second_tab = connect("social"), connect("social")
    manager = connect("manager")
    for client in (first_tab, second_tab, manager):
        assert client.join(todays_session)["ok"]
    social = display_name(app, "social")

    manager.wait_for(lambda: [(p["name"], p["connections"]) for p in manager.presence if p["name"] == social]
                     == [(social, 2)])
    assert sorted(p["connections"] for p in manager.presence) == [1, 2]

    second_tab.disconnect()
    manager.wait_for(lambda: [(p["name"], p["connections"]) for p in manager.presence if p["name"] == social]
                     == [(social, 1)])


class SilentClient:
    """A raw WebSocket that opens Engine.IO and Socket.IO and joins a board as docs/protocol.md
    says, then never reads again: it answers no ping, like a laptop whose network died."""

    def __init__(self, base_url: str, username: str, session_id: int):
        http = sign_in(base_url, username, DEMO_PASSWORD)
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, header=[f"Cookie: {cookie}"], timeout=10)
        opened = self.ws.recv()
        assert opened.startswith("0"), opened
        self.ping_interval = json.loads(opened[1:])["pingInterval"]
        self.ws.send("40")
        assert self._until(lambda packet: packet.startswith("40")).startswith("40{")
        self.ws.send("420" + json.dumps(["join", {"session_id": session_id}]))
        answer = json.loads(self._until(lambda packet: packet.startswith("430"))[3:])
        assert answer[0]["ok"], answer

    def _until(self, wanted) -> str:
        """Read packets (presence broadcasts, pings: left unanswered) until the one wanted."""
        while True:
            packet = self.ws.recv()
            if wanted(packet):
                return packet

    def close(self) -> None:
        self.ws.close(timeout=1)


@pytest.mark.app_config(**QUICK)
def test_a_connection_that_stops_answering_is_dropped_and_leaves_the_people_list(app, live_server):
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    manager = BoardClient(live_server.url, "manager", DEMO_PASSWORD).connect()
    silent = None
    try:
        assert manager.join(session_id)["ok"]
        silent = SilentClient(live_server.url, "social", session_id)
        # The server tells every client how often it pings (protocol.md): here, as configured.
        assert silent.ping_interval == 1000
        social = display_name(app, "social")
        manager.wait_for(lambda: social in names(manager))
        # Nothing more from the silent client: the server gives up on it after interval + timeout.
        manager.wait_for(lambda: social not in names(manager), timeout=15)
        assert names(manager) == {display_name(app, "manager")}
    finally:
        manager.disconnect()
        if silent is not None:
            silent.close()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_people_on_a_process_that_was_killed_are_not_shown_after_a_restart(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "presence-test", "RATELIMIT_STORAGE_URI": "memory://",
           **{name: str(value) for name, value in QUICK.items()}}
    first = Worker(env, tmp_path / "first")
    second = None
    manager = social = None
    try:
        first.wait_until_ready()
        manager = BoardClient(first.url, "manager", DEMO_PASSWORD).connect()
        assert manager.join(session_id)["ok"]
        manager.wait_for(lambda: names(manager) == {display_name(app, "manager")})

        first.kill()
        second = Worker(env, tmp_path / "second")
        second.wait_until_ready()
        social = BoardClient(second.url, "social", DEMO_PASSWORD).connect()
        assert social.join(session_id)["ok"]

        # Within the expiry the killed process's rows stop counting, then they are deleted.
        social.wait_for(lambda: names(social) == {display_name(app, "social")}, timeout=15)
        eventually(lambda: rows(app, Presence) == 1 and rows(app, WorkerHeartbeat) == 1)
    finally:
        for client in (manager, social):
            if client is not None:
                client.disconnect()
        if second is not None:
            second.stop()
        if first.process.poll() is None:
            first.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
