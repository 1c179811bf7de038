"""Closing an account ends its sign-ins and open boards at once, from the app or from the command line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests
from sqlalchemy import select

from supervision.extensions import db
from supervision.services import accounts
from supervision.store.models import User
from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present, todays_session_id
from tests.realtime.board_client import BoardClient
from tests.workers import Worker

SUPERVISION = str(Path(sys.executable).with_name("supervision"))


def test_closing_an_account_takes_its_open_board_off_at_once(app, connect, todays_session, live_server):
    everyone_present(app, todays_session)
    manager, recovery = connect("manager"), connect("recovery")
    assert manager.join(todays_session)["ok"] and recovery.join(todays_session)["ok"]
    manager.ok("start_session")

    with app.app_context():
        accounts.set_active("recovery", False)

    recovery.wait_for(lambda: recovery.access_ended, timeout=5)
    assert recovery.access_ended[0]["code"] == "deactivated"
    assert recovery.change("add_card", {"stage": "situation", "text": "x"})["error"]["code"] == "unauthenticated"
    assert requests.get(f"{live_server.url}/", headers={"Cookie": recovery.cookie}, allow_redirects=False,
                        timeout=10).status_code == 302


def test_an_account_closed_from_the_command_line_leaves_a_single_worker_board_within_seconds(
        app, database_url, tmp_path):
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "deactivation-test", "PRESENCE_HEARTBEAT_SECONDS": "0.5",
           "PRESENCE_EXPIRY_SECONDS": "5",
           "RATELIMIT_STORAGE_URI": "memory://"}
    worker = Worker(env, tmp_path / "worker", "gthread")
    try:
        worker.wait_until_ready()
        manager = BoardClient(worker.url, "manager", DEMO_PASSWORD).connect()
        recovery = BoardClient(worker.url, "recovery", DEMO_PASSWORD).connect()
        assert manager.join(session_id)["ok"] and recovery.join(session_id)["ok"]
        manager.ok("start_session")
        recovery.wait_for_seq(1)

        done = subprocess.run([SUPERVISION, "deactivate-user", "--username", "recovery"], capture_output=True,
                              text=True, timeout=60,
                              env={**os.environ, **env, "INSTANCE_PATH": str(tmp_path / "cli")})
        assert done.returncode == 0, done.stderr
        assert "recovery can no longer sign in." in done.stdout

        recovery.wait_for(lambda: recovery.access_ended, timeout=10)
        assert recovery.access_ended[0]["code"] == "deactivated"
        manager.wait_for(lambda: "Grace Whitfield" not in {p["name"] for p in manager.presence})
        with app.app_context():
            assert db.session.scalar(select(User.active).where(User.username == "recovery")) is False
        manager.disconnect()
        recovery.disconnect()
    finally:
        worker.stop()
