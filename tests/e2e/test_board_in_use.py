"""The board's forms and links as a team uses them: the decision box grows with its text, a date is
typed the way its hint shows, someone who has just added a card goes on with the room, and business support
goes from the closed board to the records' export."""
from __future__ import annotations

import re
from datetime import datetime

from playwright.sync_api import expect

from tests.e2e.conftest import cards, open_board, room_status, todays_north_session
from tests.e2e.filled_board import change, fill_the_board

LIVE = 15_000  # ms


def box_size(box) -> dict:
    return box.evaluate("el => ({height: el.clientHeight, content: el.scrollHeight, window: innerHeight})")


def test_the_decision_box_grows_with_its_text_and_then_scrolls(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    manager = open_board(person("manager"), f"{today.board}?item={today.items['FS-1042']}&stage=decision")
    box = manager.get_by_role("textbox", name="Decision", exact=True)
    box.fill("")
    empty = box_size(box)

    box.fill("\n".join(f"Line {n} of the decision." for n in range(1, 13)))
    grown = box_size(box)
    assert grown["height"] > empty["height"], (empty, grown)
    assert grown["content"] <= grown["height"], f"all twelve lines show without scrolling the box: {grown}"

    box.fill("\n".join(f"Line {n} of a very long decision." for n in range(1, 200)))
    longest = box_size(box)
    assert longest["height"] <= 0.6 * longest["window"] + 1, f"the box stops growing at most of the window: {longest}"
    assert longest["content"] > longest["height"], "the rest scrolls inside the box"

    box.fill("Continue the plan.")
    assert box_size(box)["height"] == empty["height"], "it shrinks back to three lines"


def test_every_date_on_the_board_is_typed_the_way_its_hint_shows(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    harper = today.items["FS-1042"]
    manager = open_board(person("manager"), f"{today.board}?item={harper}&stage=decision")
    manager.locator(f"#stage-{harper}-decision .app-action__accept summary").click()  # the proposal's form
    fields = manager.locator(f"#stage-{harper}-decision input[type=date]")
    expect(fields).to_have_count(3)  # when the family comes back, the accepted action's and a new action's
    for index in range(fields.count()):
        field = fields.nth(index)
        hint = manager.locator("#" + field.get_attribute("aria-describedby").split()[0]).inner_text()
        example = re.search(r"For example, (\d\d)/(\d\d)/(\d{4})$", hint)
        assert example, f"hint of {field.get_attribute('id')}: {hint!r}"
        field.focus()  # the day, the first part of the field
        manager.keyboard.type("".join(example.groups()))
        day, month, year = (int(part) for part in example.groups())
        expect(field).to_have_value(datetime(year, month, day).date().isoformat())


def test_business_support_goes_from_the_closed_board_to_the_export_of_the_records(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    support = open_board(person("support"), today.board)
    social = open_board(person("social"), today.board)
    export = support.get_by_role("link", name="Export the records")
    expect(export).to_have_count(0)

    change(app, today, "manager", "close_session", {})
    expect(export).to_be_visible(timeout=LIVE)
    expect(social.get_by_text("This session is closed.")).to_be_visible(timeout=LIVE)
    expect(social.get_by_role("link", name="Export the records")).to_have_count(0)

    export.click()
    expect(support).to_have_url(re.compile(rf"/sessions/{today.session_id}/exports$"))
    with support.expect_navigation(url=re.compile(r"/exports/\d+$")):
        support.get_by_role("button", name="Export the record for Harper family (FS-1042)").click()
    expect(support.locator(".govuk-notification-banner--success")).to_contain_text(
        "Harper family (FS-1042) has been exported")


def test_someone_who_has_just_removed_a_card_goes_on_with_the_room(app, person):
    """The keyboard goes to the empty box to add a card when one's own card is removed: that is not
    writing, so when the chair moves on, the room takes her along."""
    today = todays_north_session(app)
    manager, recovery = (open_board(person(name), today.board) for name in ("manager", "recovery"))
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(recovery)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    text = "Jo has been to every recovery group this month."
    recovery.get_by_role("textbox", name="Add to the family situation").fill(text)
    recovery.get_by_role("button", name="Add to the family situation").click()
    expect(cards(manager, text)).to_have_count(1, timeout=LIVE)
    own = recovery.locator("#board-main .app-card", has_text=text)
    own.get_by_text("Change or remove").click()
    own.get_by_role("button", name="Remove this card").click()
    expect(cards(manager, text)).to_have_count(0, timeout=LIVE)
    expect(recovery.get_by_role("textbox", name="Add to the family situation")).to_be_focused()

    manager.get_by_role("button", name="Next: Specialist perspectives").click()
    expect(recovery.get_by_role("heading", name="Specialist perspectives", exact=True)).to_be_visible(timeout=LIVE)
    expect(recovery.get_by_role("link", name="Go to where the room is")).to_be_hidden()
    expect(recovery.get_by_role("heading", name="Family situation", exact=True)).to_be_hidden()
