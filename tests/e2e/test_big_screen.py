"""The big screen, shown to the whole room on a shared display: which family and its children and plan,
that a signed-off decision was later amended, and nothing of the person whose account drives it."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import open_board, screenshot, todays_north_session
from tests.e2e.filled_board import amend, change, fill_the_board, sign_off

LIVE = 15_000  # ms


def test_the_big_screen_names_the_children_and_the_plan_and_shows_an_amendment(app, person):
    today = todays_north_session(app)
    harper, khan = today.items["FS-1042"], today.items["FS-1057"]
    fill_the_board(app, today)
    change(app, today, "manager", "move", {"item_id": harper, "stage": "decision"})
    screen = open_board(person("manager"), today.present)

    facts = screen.locator("#present-family-facts")
    expect(facts).to_have_text("Child Protection plan · Children: Ava, 5 months")

    sign_off(app, today, harper, decision_text="Continue the plan.")
    expect(screen.locator(".app-present__decision")).to_have_text("Continue the plan.", timeout=LIVE)
    expect(screen.get_by_text("Amended after sign-off")).to_have_count(0)

    amend(app, today, harper, "decision_text", "Continue the plan, with a parenting assessment.",
          reason="The assessment was agreed in the room but left out.")
    expect(screen.locator(".app-present__decision")).to_have_text(
        "Continue the plan, with a parenting assessment. (amended)", timeout=LIVE)
    expect(screen.locator("#present-amended")).to_have_text("Amended after sign-off")
    amendment = screen.locator(".app-present__card", has_text="Decision amended")
    expect(amendment).to_contain_text("The assessment was agreed in the room but left out.")
    expect(amendment).to_contain_text("Before: Continue the plan.")
    screenshot(screen, "present-amended")

    # The room moves on: the next family's children and plan follow it.
    change(app, today, "manager", "move", {"item_id": khan, "stage": "situation"})
    expect(facts).to_have_text("Child in Need plan · Children: Zara, 9 years; Adam, 6 years", timeout=LIVE)


def test_the_big_screen_shows_no_navigation_and_no_way_to_sign_out(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    screen = open_board(person("manager"), today.present)
    header = screen.locator("header")
    expect(header).to_contain_text("Group supervision")
    for name in ("Team home", "Families", "Sessions", "Helen Brooks"):
        expect(header.get_by_role("link", name=name)).to_have_count(0)
    expect(screen.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(screen.get_by_role("navigation")).to_have_count(0)
    # The person who opened it still goes back to their own board from it.
    screen.get_by_role("link", name="Back to the board").click()
    expect(screen.get_by_role("button", name="Sign out")).to_be_visible()

