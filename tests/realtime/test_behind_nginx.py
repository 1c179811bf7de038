"""The deployment of docs/deployment.md: nginx, configured as that page says, in front of two gevent
workers for the live boards and a threaded one for the pages, on PostgreSQL and Redis."""
from __future__ import annotations

import re
import socket
import uuid
from pathlib import Path

import pytest
import requests

from supervision.extensions import db
from tests.conftest import Browser, todays_board
from tests.databases import DEMO_PASSWORD, REDIS_URL, require_redis
from tests.nginx import Nginx
from tests.realtime.board_client import BoardClient
from tests.workers import Worker


@pytest.fixture
def deployment(backends, tmp_path_factory, tmp_path):
    require_redis()
    backend, url, app, session_id = todays_board(backends, tmp_path_factory, tmp_path, "postgresql")
    env = {"DATABASE_URL": url, "SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SECRET_KEY": "behind-nginx",
           "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex}", "RATELIMIT_STORAGE_URI": "memory://", "PROXY_COUNT": "1"}
    live = [Worker(env, tmp_path / "live1", "gevent"), Worker(env, tmp_path / "live2", "gevent")]
    pages = Worker(env, tmp_path / "pages", "gthread", threads=8)
    nginx = None
    try:
        for worker in (*live, pages):
            worker.wait_until_ready()
        nginx = Nginx(tmp_path / "nginx", [f"127.0.0.1:{w.port}" for w in live], f"127.0.0.1:{pages.port}").start()
        yield nginx, live, pages, session_id
    finally:
        if nginx is not None:
            nginx.stop()
        for worker in (*live, pages):
            worker.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        backend.drop(url)


def connections_on(worker) -> float:
    """This worker's open board connections, from its own /metrics (scraped on the machine itself)."""
    text = requests.get(f"{worker.url}/metrics", timeout=10).text
    return float(re.search(r"^supervision_connections (\S+)$", text, re.M).group(1))


def raw_post(port: int, path: str, size: int) -> bytes:
    """A POST of `size` bytes announced by Content-Length; the first line of whatever answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                     f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode())
        try:
            conn.sendall(b"x" * size)
        except OSError:
            pass  # nginx may answer and close before the body is all sent
        return conn.recv(4096)


def test_boards_and_pages_through_the_documented_nginx(deployment):
    nginx, (live1, live2), pages, session_id = deployment

    # A WebSocket through nginx (the Upgrade passed on), and long-polling, kept on one worker.
    manager = BoardClient(nginx.url, "manager", DEMO_PASSWORD).connect()
    social = BoardClient(nginx.url, "social", DEMO_PASSWORD)
    social.sio.connect(nginx.url, headers={"Cookie": social.cookie}, transports=["polling"], wait_timeout=10)
    clients = [manager, social]
    try:
        assert manager.sio.transport() == "websocket" and social.sio.transport() == "polling"
        for client in clients:
            assert client.join(session_id)["ok"]
        manager.ok("start_session")
        social.wait_for_seq(1)
        # Sticky by address: both came from 127.0.0.1, so nginx keeps them on one worker.
        held = sorted([connections_on(live1), connections_on(live2)])
        assert held == [0, 2]
        other = live1 if connections_on(live1) == 0 else live2

        # Someone on the other worker: their change reaches the boards behind nginx through the queue.
        recovery = BoardClient(other.url, "recovery", DEMO_PASSWORD).connect()
        clients.append(recovery)
        assert recovery.join(session_id)["ok"]
        seq = recovery.ok("add_card", {"stage": "situation", "text": "From the other worker"})["seq"]
        for client in clients:
            client.wait_for_seq(seq)

        # A form post through nginx goes to the pages' worker, with nginx's request id, and reaches every board.
        board = f"{nginx.url}/sessions/{session_id}/board"
        form = social.http.get(board, timeout=10)
        assert form.status_code == 200
        response = social.http.post(f"{board}/add_card", allow_redirects=False, timeout=10, data={
            "csrf_token": Browser.csrf(form.text), "stage": "situation", "text": "Posted without JavaScript"})
        assert response.status_code == 302
        request_id = response.headers["X-Request-Id"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, which the service took
        for client in clients:
            client.wait_for_seq(seq + 1)
        assert len({client.state_hash() for client in clients}) == 1
        assert f'"request_id": "{request_id}"' in Path(pages.log.name).read_text()
    finally:
        for client in clients:
            client.disconnect()

    # Body limits at the edge: nginx answers 413 before a worker reads anything.
    for path, size in (("/socket.io/?EIO=4&transport=polling&sid=x", 2 * 1024 * 1024), ("/sign-in", 5 * 1024 * 1024)):
        answer = raw_post(nginx.port, path, size)
        assert answer.startswith(b"HTTP/1.1 413") and b"Server: nginx" in answer, answer[:200]
    # Health through nginx; the figures stay inside.
    assert requests.get(f"{nginx.url}/readyz", timeout=10).json()["status"] == "ready"
    assert requests.get(f"{nginx.url}/metrics", timeout=10).status_code == 404
