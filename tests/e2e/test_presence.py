"""The people on the board: one line per person, however many tabs they have open."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import open_board, todays_north_session

LIVE = 15_000  # ms: how long a change may take to reach another screen on a busy machine


def test_a_person_with_two_tabs_is_listed_once_with_two_connections(app, person):
    today = todays_north_session(app)
    manager = open_board(person("manager"), today.board)
    social = open_board(person("social"), today.board)
    open_board(social.context.new_page(), today.board)

    people = manager.locator("[data-presence-list] li")
    priya = people.filter(has_text="Priya Shah")
    expect(priya).to_have_count(1)
    expect(priya).to_contain_text("2 connections", timeout=LIVE)
    expect(people.filter(has_text="Helen Brooks")).not_to_contain_text("connections")

    social.close()
    expect(priya).not_to_contain_text("connections", timeout=LIVE)
    expect(priya).to_have_count(1)
