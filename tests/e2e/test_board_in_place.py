"""A card someone else adds, changes or removes is drawn from the live event, not by re-reading the page.

Re-reading the board page costs the server a full render per person per change; the event
carries the card as the server renders it for everyone. Here the recovery worker's browser is
refused every re-read of the board page, so all she sees must come from the events.
"""
from __future__ import annotations

import re

from playwright.sync_api import Route, expect

from tests.e2e.conftest import cards, open_board, room_status, todays_north_session

LIVE = 15_000  # ms


def started_with_three(app, person):
    """Today's session started by the manager, with the social and recovery workers on the board."""
    today = todays_north_session(app)
    manager, social, recovery = (open_board(person(name), today.board) for name in ("manager", "social", "recovery"))
    manager.get_by_role("button", name="Start the session").click()
    for page in (social, recovery):
        expect(room_status(page)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    return today, today.items["FS-1042"], manager, social, recovery


def test_someone_elses_card_arrives_and_goes_without_the_page_being_read_again(app, person):
    today, harper, manager, social, recovery = started_with_three(app, person)

    refused = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    recovery.route(re.compile(rf"/sessions/{today.session_id}/board(/present)?(\?.*)?$"), refuse)
    count = recovery.locator(f"#item-{harper} [data-stage-link='situation'] .app-stages__count")
    before = int(count.inner_text().split()[0])

    text = "Mia walked to school with her aunt every day this week."
    social.get_by_role("textbox", name="Add to the family situation").fill(text)
    social.get_by_role("button", name="Add to the family situation").click()
    card = recovery.locator("#board-main .app-card", has_text=text)
    expect(card).to_have_count(1, timeout=LIVE)
    expect(card.locator(".app-card__meta")).to_contain_text("Priya Shah, Child and family social worker")
    expect(card.locator("form")).to_have_count(0)  # not hers to change
    expect(count).to_have_text(f"{before + 1} card" + ("s" if before + 1 != 1 else ""))

    own = social.locator("#board-main .app-card", has_text=text)
    own.get_by_text("Change or remove").click()
    own.get_by_role("button", name="Remove this card").click()
    expect(cards(recovery, text)).to_have_count(0, timeout=LIVE)
    expect(count).to_have_text(f"{before} card" + ("s" if before != 1 else ""))
