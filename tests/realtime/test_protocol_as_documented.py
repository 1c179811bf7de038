"""What docs/protocol.md promises a client, checked over real sockets: owners, notes after the
meeting, the order of an acknowledgement and the sender's own event, and the change feed's words."""
from __future__ import annotations

from datetime import date, timedelta

import requests
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import User
from tests.conftest import Browser
from tests.databases import DEMO_PASSWORD
from tests.demo_session import everyone_present


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _first_item(client) -> int:
    return int(min(client.state["item"], key=lambda i: client.state["item"][i]["position"]))


def test_an_owner_outside_the_team_is_an_invalid_owner_id(app, started):
    [manager] = started("manager")
    answer = manager.change("add_action", {"text": "Book the core group", "owner_id": _user_id(app, "south-social"),
                                           "due_on": (date.today() + timedelta(days=7)).isoformat()})
    assert answer["ok"] is False
    assert answer["error"]["code"] == "invalid" and set(answer["error"]["fields"]) == {"owner_id"}


def test_business_support_tidies_the_notes_after_the_session_closes_until_sign_off(started):
    manager, support = started("manager", "support")
    harper = _first_item(manager)
    notes = support.ok("save_notes", {"item_id": harper, "version": 0, "text": "Priya presented"})
    manager.ok("close_session")

    tidied = support.ok("save_notes", {"item_id": harper, "version": notes["changes"][0]["value"]["version"],
                                       "text": "Priya Shah presented the family's situation."})
    manager.wait_for_seq(tidied["seq"])
    assert manager.state["notes"][str(harper)]["text"] == "Priya Shah presented the family's situation."
    # Cards are not notes: they change only while the session is live.
    refused = support.change("add_card", {"item_id": harper, "stage": "situation", "text": "Late thought"})
    assert refused["error"]["code"] == "forbidden"


def test_the_acknowledgement_and_the_senders_own_event_carry_the_same_seq(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager = connect("manager")
    assert manager.join(todays_session)["ok"]
    ack = manager.change("start_session")
    assert ack["ok"] and ack["seq"] == ack["event"]["seq"]
    manager.wait_for_seq(ack["seq"])  # the board:event reaches the sender too, whichever comes first
    assert manager.seen == [ack["seq"]] and manager.duplicates == 0
    assert manager.summaries == [ack["event"]["summary"]]


def test_the_change_feed_names_people_and_the_family_and_stage(started):
    manager, social, recovery = started("manager", "social", "recovery")
    harper = _first_item(manager)
    card = social.ok("add_card", {"item_id": harper, "stage": "situation", "text": "Ava is gaining weight."})
    manager.ok("move", {"next": True})
    recovery.ok("add_card", {"item_id": harper, "stage": "perspectives", "text": "Two clear tests this month."})
    social.ok("edit_card", {"card_id": int(card["changes"][0]["id"]), "version": 1, "text": "Ava is thriving."})
    last = manager.ok("move", {"next": True})
    manager.wait_for_seq(last["seq"])
    assert manager.summaries == [
        "Helen Brooks started the session with the Harper family",
        "Priya Shah added to the Harper family's situation",
        "Helen Brooks moved the room to the Harper family: Specialist perspectives",
        "Grace Whitfield added a perspective on the Harper family",
        "Priya Shah changed a card in the Harper family's situation",
        "Helen Brooks moved the room to the Harper family: Analysis",
    ]


def test_the_sign_in_token_works_only_with_the_cookie_of_the_same_get(live_server):
    form = {"username": "social", "password": DEMO_PASSWORD}
    first, second = requests.Session(), requests.Session()
    token = Browser.csrf(first.get(f"{live_server.url}/sign-in", timeout=10).text)
    second.get(f"{live_server.url}/sign-in", timeout=10)
    refused = second.post(f"{live_server.url}/sign-in", data={"csrf_token": token, **form}, allow_redirects=False,
                          timeout=10)
    assert refused.status_code == 400 and "Your form has expired" in refused.text
    signed_in = first.post(f"{live_server.url}/sign-in", data={"csrf_token": token, **form}, allow_redirects=False,
                           timeout=10)
    assert signed_in.status_code == 302 and "session" in signed_in.cookies
