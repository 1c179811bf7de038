"""People see who is typing in which part of the board, and the line goes when the change arrives."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import open_board, room_status, todays_north_session

LIVE = 15_000  # ms


def test_the_chair_sees_who_is_typing_where_until_the_card_arrives(app, person):
    today = todays_north_session(app)
    manager, social = (open_board(person(name), today.board) for name in ("manager", "social"))
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    typing = manager.locator("[data-typing]")
    expect(typing).to_be_hidden()

    box = social.get_by_role("textbox", name="Add to the family situation")
    box.press_sequentially("Mia took Ava to nursery")

    expect(typing).to_have_text("Priya Shah is typing in the Harper family's situation", timeout=LIVE)
    expect(social.locator("[data-typing]")).to_be_hidden()  # never your own
    social.get_by_role("button", name="Add to the family situation").click()
    expect(manager.locator(".app-card__text", has_text="Mia took Ava to nursery")).to_be_visible(timeout=LIVE)
    expect(typing).to_be_hidden()
