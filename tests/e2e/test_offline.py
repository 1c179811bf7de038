"""Losing the network in the middle of typing a card: nothing is lost, and the card arrives once."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import BoardEvent, Card, User
from tests.e2e.conftest import cards, connection, open_board, room_status, todays_north_session

LIVE = 15_000  # ms: how long a change may take to reach another screen on a busy machine


def test_a_card_written_offline_is_saved_when_the_connection_is_back_and_others_see_it_once(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    manager = open_board(person("manager"), today.board)
    social = open_board(person("social"), today.board)
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)

    box = social.get_by_role("textbox", name="Add to the family situation")
    box.click()
    social.keyboard.type("Mia has moved to a flat ")
    social.context.set_offline(True)
    expect(connection(social)).to_have_text("Reconnecting")
    # Said in a polite live region: the person typing keeps their place.
    expect(social.locator("#board-connection")).to_have_attribute("aria-live", "polite")
    expect(box).to_be_focused()
    social.keyboard.type("nearer her aunt.")
    text = "Mia has moved to a flat nearer her aunt."
    social.get_by_role("button", name="Add to the family situation").click()

    # Kept in this browser, said so in words, and the box is free for the next card.
    expect(connection(social)).to_have_text("Reconnecting, 1 change waiting")
    expect(social.locator(f"#add-{harper}-situation .app-form-note")).to_contain_text("Not sent yet: you are offline")
    expect(box).to_have_value("")
    queued = social.evaluate("key => JSON.parse(localStorage.getItem(key))",
                             f"supervision:board-queue:{today.session_id}:{user_id(app, 'social')}")
    assert [(entry["type"], entry["data"]["text"]) for entry in queued] == [("add_card", text)]
    with app.app_context():
        assert card_count(harper, text) == 0
    expect(cards(manager, text)).to_have_count(0)

    social.context.set_offline(False)
    expect(connection(social)).to_have_text("Connected", timeout=LIVE)
    expect(cards(manager, text)).to_have_count(1, timeout=LIVE)
    expect(cards(social, text)).to_have_count(1, timeout=LIVE)

    # A later change reaches both screens after the card's own event: by then a duplicate would show.
    manager.get_by_role("textbox", name="Add to the family situation").fill("Ava is gaining weight.")
    manager.get_by_role("button", name="Add to the family situation").click()
    for page in (manager, social):
        expect(cards(page, "Ava is gaining weight.")).to_have_count(1, timeout=LIVE)
        expect(cards(page, text)).to_have_count(1)
    assert social.evaluate("key => JSON.parse(localStorage.getItem(key))",
                           f"supervision:board-queue:{today.session_id}:{user_id(app, 'social')}") == []
    expect(manager.locator("[data-activity] li", has_text="Priya Shah added to the Harper family's situation")).to_have_count(1)
    with app.app_context():
        assert card_count(harper, text) == 1
        assert db.session.scalar(select(func.count()).select_from(BoardEvent).where(
            BoardEvent.session_id == today.session_id, BoardEvent.kind == "card.added")) == 2


def card_count(item_id: int, text: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Card).where(
        Card.agenda_item_id == item_id, Card.text == text))


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))
