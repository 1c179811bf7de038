"""Access that ends the moment it should: an open board stops receiving as soon as its person may not see it."""
from __future__ import annotations

import pytest
import requests
import socketio
from sqlalchemy import select

from supervision.extensions import db
from supervision.services import session_setup
from supervision.services.session_setup import AttendanceEntry
from supervision.store.models import User
from tests.conftest import Browser
from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present
from tests.realtime.board_client import BoardClient


def _set_attendance(app, session_id: int, username: str, status: str) -> None:
    with app.app_context():
        support = db.session.scalar(select(User.id).where(User.username == "support"))
        person = db.session.scalar(select(User.id).where(User.username == username))
        session_setup.record_attendance(support, session_id, [AttendanceEntry(person, status)])


def _card_reaches_only(sender: BoardClient, still_on: BoardClient, taken_off: BoardClient, text: str) -> None:
    """A card the sender adds reaches `still_on` and never `taken_off`.

    `taken_off` then asks the server something: its answer travels on the same connection
    after anything sent to it before, so a card not there by then never comes.
    """
    seq = sender.ok("add_card", {"stage": "situation", "text": text})["seq"]
    still_on.wait_for_seq(seq)
    taken_off.sio.call("sync", {"session_id": taken_off.session_id, "since": 0}, timeout=15)
    assert seq not in taken_off.seen
    assert text not in taken_off.summaries


def test_someone_marked_apologies_stops_receiving_the_board_at_once(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, social, recovery = connect("manager"), connect("social"), connect("recovery")
    for client in (manager, social, recovery):
        assert client.join(todays_session)["ok"]
    manager.ok("start_session")
    recovery.wait_for_seq(1)

    _set_attendance(app, todays_session, "recovery", "apologies")

    recovery.wait_for(lambda: recovery.access_ended, timeout=5)
    assert recovery.access_ended == [{"session_id": todays_session, "code": "not_attending", "message": (
        "You are not on the attendance list for this session. Ask the chair or business support to add you.")}]
    manager.wait_for(lambda: "Grace Whitfield" not in {p["name"] for p in manager.presence})
    _card_reaches_only(manager, social, recovery, "Mum has started the parenting course.")
    refused = recovery.change("add_card", {"stage": "situation", "text": "Typed after leaving"})
    assert refused["error"]["code"] == "forbidden"
    assert social.access_ended == [] and manager.access_ended == []


def test_signing_out_in_another_tab_ends_the_open_board_and_the_copied_cookie(app, live_server, connect,
                                                                              todays_session):
    everyone_present(app, todays_session)
    manager, social = connect("manager"), connect("social")
    assert manager.join(todays_session)["ok"] and social.join(todays_session)["ok"]
    manager.ok("start_session")
    cookie = social.cookie

    # The same browser signs out from one of its pages.
    page = social.http.get(f"{live_server.url}/", timeout=10).text
    token = Browser.csrf(page)
    assert social.http.post(f"{live_server.url}/sign-out", data={"csrf_token": token}, timeout=10).ok

    social.wait_for(lambda: social.access_ended, timeout=5)
    assert social.access_ended[0]["code"] == "signed_out"
    _card_reaches_only(manager, manager, social, "The health visitor saw Ava on Monday.")
    assert social.change("add_card", {"stage": "situation", "text": "After signing out"})["error"]["code"] \
        == "unauthenticated"

    # A copy of the cookie taken before signing out works nowhere.
    assert requests_get(live_server.url, cookie).status_code == 302
    copy = socketio.Client(reconnection=False)
    refusals = []
    copy.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        copy.connect(live_server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    assert refusals == [{"message": "Sign in to join the board.",
                         "data": {"code": "unauthenticated", "message": "Sign in to join the board."}}]


def test_sign_out_everywhere_ends_every_browser_and_board_of_that_person(app, live_server, connect, todays_session):
    everyone_present(app, todays_session)
    manager, laptop = connect("manager"), connect("social")
    assert manager.join(todays_session)["ok"] and laptop.join(todays_session)["ok"]
    manager.ok("start_session")
    phone = BoardClient(live_server.url, "social", DEMO_PASSWORD)

    account = phone.http.get(f"{live_server.url}/account", timeout=10)
    assert account.status_code == 200 and "Sign out everywhere" in account.text
    response = phone.http.post(f"{live_server.url}/account/sign-out-everywhere",
                               data={"csrf_token": Browser.csrf(account.text)}, timeout=10)
    assert "You have signed out everywhere" in response.text

    laptop.wait_for(lambda: laptop.access_ended, timeout=5)
    assert laptop.access_ended[0]["code"] == "signed_out_everywhere"
    _card_reaches_only(manager, manager, laptop, "Dad has moved back in with his mother.")
    assert requests_get(live_server.url, laptop.cookie).status_code == 302
    assert requests_get(live_server.url, manager.cookie).status_code == 200


def requests_get(base_url: str, cookie: str):
    return requests.get(f"{base_url}/", headers={"Cookie": cookie}, allow_redirects=False, timeout=10)
