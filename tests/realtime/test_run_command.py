"""`make run` serves with a production server: gevent, one process, a clean log."""
from __future__ import annotations

import json

import pytest
import requests

from tests.conftest import Browser, todays_board
from tests.databases import DEMO_PASSWORD
from tests.realtime.board_client import BoardClient
from tests.serving import RunCommand

USERNAMES = ["manager", "senior", "social", "practitioner", "recovery", "da-practitioner", "da-officer",
             "mental-health", "support", "social"]


@pytest.fixture
def served(backends, tmp_path_factory, tmp_path):
    backend, url, app, session_id = todays_board(backends, tmp_path_factory, tmp_path, "sqlite")
    server = RunCommand(url, tmp_path / "instance")
    try:
        yield server.wait_until_ready(), session_id
    finally:
        server.stop()


def _problems(log: str) -> list[str]:
    """Lines that are not JSON, or say WARNING or worse, or carry a traceback, or name the development server."""
    problems = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(line)
            continue
        if record.get("level") not in ("DEBUG", "INFO") or "exc_info" in record \
                or any(word in line.lower() for word in ("traceback", "development server")):
            problems.append(line)
    return problems


def test_ten_boards_open_and_close_with_nothing_wrong_in_the_log(served):
    server, session_id = served
    boards = []
    for n in range(10):
        client = BoardClient(server.url, USERNAMES[n % len(USERNAMES)], DEMO_PASSWORD)
        if n % 2:  # a browser that cannot open a WebSocket falls back to long-polling
            client.sio.connect(server.url, headers={"Cookie": client.cookie}, transports=["polling"],
                               wait_timeout=10)
        else:
            client.connect()
        assert client.join(session_id)["ok"]
        boards.append(client)
    boards[0].ok("start_session")
    for client in boards:
        client.wait_for_seq(1)
    assert len({client.state_hash() for client in boards}) == 1

    # What the operations team looks at: health, readiness and the board's figures (from this machine).
    assert requests.get(f"{server.url}/healthz", timeout=10).json() == {"status": "alive"}
    assert requests.get(f"{server.url}/readyz", timeout=10).json()["status"] == "ready"
    metrics = requests.get(f"{server.url}/metrics", timeout=10).text
    assert "supervision_connections 10.0" in metrics and "supervision_open_boards 1.0" in metrics
    assert 'supervision_board_changes_total{type="session.started"} 1.0' in metrics
    forwarded = requests.get(f"{server.url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
    assert forwarded.status_code == 403
    for client in boards:
        client.disconnect()

    # The server heard every board close: the last one to look sees only itself.
    last = BoardClient(server.url, "manager", DEMO_PASSWORD).connect()
    try:
        assert last.join(session_id)["ok"]
        last.wait_for(lambda: [(p["name"], p["connections"]) for p in last.presence] == [("Helen Brooks", 1)])
    finally:
        last.disconnect()
    assert requests.get(f"{server.url}/sign-in", timeout=10).status_code == 200

    assert server.stop() == 0
    log = server.output()
    assert "running on" in log
    assert _problems(log) == [], log


SECRET_TEXT = "Mia told the recovery worker about the relapse on Tuesday"


def _lines(log: str) -> list[dict]:
    """Every line of the log is one JSON object."""
    return [json.loads(line) for line in log.splitlines() if line.strip()]


def test_the_log_is_json_with_a_request_id_that_follows_a_change_and_no_content(served):
    server, session_id = served
    manager = BoardClient(server.url, "manager", DEMO_PASSWORD).connect()
    assert manager.join(session_id)["ok"]
    manager.ok("start_session")
    by_socket = manager.ok("add_card", {"stage": "situation", "text": SECRET_TEXT})["seq"]

    # The same kind of change as a form post, with the id nginx would send.
    board = f"{server.url}/sessions/{session_id}/board"
    page = manager.http.get(board, timeout=10)
    response = manager.http.post(f"{board}/add_card", allow_redirects=False, timeout=10,
                                 headers={"X-Request-Id": "nginx-0123456789abcdef"},
                                 data={"csrf_token": Browser.csrf(page.text), "stage": "situation",
                                       "text": SECRET_TEXT + " (by form)"})
    assert response.status_code == 302
    assert response.headers["X-Request-Id"] == "nginx-0123456789abcdef"
    manager.wait_for_seq(by_socket + 1)
    manager.disconnect()
    assert server.stop() == 0
    log = server.output()

    lines = _lines(log)
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert SECRET_TEXT not in log and DEMO_PASSWORD not in log

    # A socket change: one line, the event's, saying what it stored and sent.
    [line] = [line for line in lines if line["message"] == "board event" and line.get("seq") == by_socket]
    assert (line["event"], line["ok"], line["type"]) == ("change", True, "card.added")
    assert line["regions"] >= 1, "stored and sent with the regions it drew"
    assert [each["message"] for each in lines if each.get("request_id") == line["request_id"]] == ["board event"]
    assert not [each for each in lines if each["message"] == "change stored" and each.get("seq") == by_socket]
    # A form post: the same, under the id nginx gave the request.
    follows = [line for line in lines if line.get("request_id") == "nginx-0123456789abcdef"]
    assert [line["message"] for line in follows] == ["change stored", "request"]
    assert (follows[1]["method"], follows[1]["status"]) == ("POST", 302)
    assert follows[0]["seq"] == by_socket + 1
