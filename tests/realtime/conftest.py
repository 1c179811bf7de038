"""Real-socket fixtures: a live server and signed-in board clients."""
from __future__ import annotations

import threading

import pytest

from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present, todays_session_id
from tests.live_server import LiveServer
from tests.realtime.board_client import BoardClient


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def connect(live_server):
    clients: list[BoardClient] = []

    def _connect(username: str) -> BoardClient:
        client = BoardClient(live_server.url, username, DEMO_PASSWORD).connect()
        clients.append(client)
        return client

    yield _connect
    # Closing a websocket waits for the server's close frame; close them all at once.
    closers = [threading.Thread(target=client.disconnect) for client in clients]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join(timeout=30)


@pytest.fixture
def todays_session(app) -> int:
    """The demo's scheduled North session: Harper, Khan and Okoro families on the agenda."""
    return todays_session_id(app)


@pytest.fixture
def started(app, connect, todays_session):
    """started("manager", "social") -> their clients on today's board, everyone present, the first
    (who chairs or manages) having started the session."""

    def _started(*usernames: str) -> list[BoardClient]:
        everyone_present(app, todays_session)
        clients = [connect(username) for username in usernames]
        for client in clients:
            assert client.join(todays_session)["ok"]
        clients[0].ok("start_session")
        return clients

    return _started
