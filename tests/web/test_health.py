"""/healthz and /readyz: for the operations team's probes, without a sign-in, saying nothing sensitive."""
from __future__ import annotations

import pytest

from tests.conftest import make_app
from tests.databases import REDIS_URL, require_redis
from tests.web.audit_rows import audit_rows
from tests.workers import free_port


def test_alive_and_ready_without_a_sign_in_and_without_an_audit_row(app, client):
    before = len(audit_rows(app))
    alive = client.get("/healthz")
    assert (alive.status_code, alive.get_json()) == (200, {"status": "alive"})
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ready", "checks": {"database": "ok", "message_queue": "not configured"}}
    for response in (alive, ready):
        assert response.headers["Cache-Control"] == "no-store"
    assert len(audit_rows(app)) == before


def test_a_signed_in_person_gets_the_same_answer(sign_in):
    browser = sign_in("manager")
    assert browser.client.get("/healthz").get_json() == {"status": "alive"}
    assert browser.client.get("/readyz").get_json()["status"] == "ready"


def test_without_a_database_the_process_is_alive_but_not_ready(tmp_path):
    dead = f"postgresql://nobody:secret-password@127.0.0.1:{free_port()}/nowhere"
    app = make_app(dead, tmp_path)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json() == {"status": "not ready",
                                "checks": {"database": "unreachable", "message_queue": "not configured"}}
    assert "secret-password" not in ready.get_data(as_text=True) and "nobody" not in ready.get_data(as_text=True)


@pytest.mark.parametrize("queue_up", [True, False])
def test_ready_reports_the_message_queue_when_there_is_one(database_url, tmp_path, queue_up):
    if queue_up:
        require_redis()
    queue = REDIS_URL if queue_up else f"redis://:secret-password@127.0.0.1:{free_port()}/0"
    app = make_app(database_url, tmp_path, SOCKETIO_MESSAGE_QUEUE=queue)
    ready = app.test_client().get("/readyz")
    if queue_up:
        assert (ready.status_code, ready.get_json()["checks"]) == (200, {"database": "ok", "message_queue": "ok"})
    else:
        assert ready.status_code == 503
        assert ready.get_json()["checks"] == {"database": "ok", "message_queue": "unreachable"}
        assert "secret-password" not in ready.get_data(as_text=True)
