"""The same discussion over Socket.IO and by ordinary form posts ends at the same board."""
from __future__ import annotations

from sqlalchemy import select

from supervision.extensions import db
from supervision.services import board as board_service
from supervision.store.models import User
from tests import discussion
from tests.conftest import Browser
from tests.demo_session import everyone_present

PEOPLE = ["manager", "social", "recovery", "da-officer", "practitioner", "support"]



class SocketDriver:
    def __init__(self, clients, session_id):
        self.clients = clients
        self.session_id = session_id
        self.seq = 0

    def do(self, username, change_type, data):
        self.seq = self.clients[username].ok(change_type, data)["seq"]
        self.clients["manager"].wait_for_seq(self.seq)

    def refused(self, username, change_type, data):
        ack = self.clients[username].change(change_type, data)
        return None if ack["ok"] else ack["error"]["code"]

    def state(self):
        return self.clients["manager"].state


class FormDriver:
    """Posts each change as the board's no-JavaScript form would."""

    def __init__(self, app, session_id, sign_in):
        self.app = app
        self.session_id = session_id
        self.browsers: dict[str, Browser] = {name: sign_in(name) for name in PEOPLE}
        with app.app_context():
            self.manager_id = db.session.scalar(select(User.id).where(User.username == "manager"))

    def _post(self, username, change_type, data):
        browser = self.browsers[username]
        board_url = f"/sessions/{self.session_id}/board"
        return browser.post(f"{board_url}/{change_type}", {k: str(v) for k, v in data.items()},
                            form_page=board_url, follow=False)

    def do(self, username, change_type, data):
        response = self._post(username, change_type, data)
        assert response.status_code == 302, f"{username} {change_type}: {response.status_code}"

    def refused(self, username, change_type, data):
        response = self._post(username, change_type, data)
        return {403: "forbidden", 404: "not_found", 400: "invalid", 409: "conflict"}.get(response.status_code)

    def state(self):
        with self.app.app_context():
            return board_service.snapshot_for(self.manager_id, self.session_id)["state"]


def test_socket_and_form_posts_reach_the_same_board(app, connect, todays_session, backends,
                                                    tmp_path_factory, tmp_path, sign_in):
    everyone_present(app, todays_session)
    clients = {name: connect(name) for name in PEOPLE}
    for client in clients.values():
        client.join(todays_session)
    discussion.run(SocketDriver(clients, todays_session), clients["manager"].context)
    by_socket = discussion.normalise(clients["manager"].state)
    with app.app_context():
        manager_id = db.session.scalar(select(User.id).where(User.username == "manager"))
        assert discussion.normalise(board_service.snapshot_for(manager_id, todays_session)["state"]) == by_socket

    # A second, fresh copy of the same demo database, driven only by form posts.
    from tests.conftest import _backend, make_app

    backend = _backend(backends, tmp_path_factory, "sqlite")
    other = make_app(backend.clone(), tmp_path / "forms")
    everyone_present(other, todays_session)
    driver = FormDriver(other, todays_session, lambda name: Browser(other.test_client()).sign_in(name))
    with other.app_context():
        context = board_service.snapshot_for(driver.manager_id, todays_session)["context"]
    discussion.run(driver, context)
    assert discussion.normalise(driver.state()) == by_socket
