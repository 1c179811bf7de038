"""A connection that dies without closing: the board says so, keeps the change, and sends it
when the network is back; the others see the person leave and the card arrive once.

The network is a proxy between the browser and the server (tests/tcp_proxy.py). Cut, it
swallows every byte without closing anything, so the browser gets no "offline" event and
the socket looks open: only the pings can tell. They are set to 2 s + 2 s here, so the
board must notice within seconds; with Engine.IO's defaults (25 s + 20 s) it would not
within the bound these waits allow.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import cards, connection, open_board, room_status, todays_north_session
from tests.tcp_proxy import TcpProxy

LIVE = 15_000  # ms: a bound for what must happen within a few ping intervals on a busy machine


@pytest.fixture
def network(server):
    proxy = TcpProxy(server.port)
    yield proxy
    proxy.close()


@pytest.mark.app_config(SOCKETIO_PING_INTERVAL=2, SOCKETIO_PING_TIMEOUT=2)
def test_a_dead_connection_says_reconnecting_with_the_changes_waiting_then_sends_them(app, person, network):
    today = todays_north_session(app)
    manager = open_board(person("manager"), today.board)
    social = open_board(person("social", base_url=network.url), today.board)
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    people = manager.locator("[data-presence-list] li")
    expect(people.filter(has_text="Priya Shah")).to_have_count(1, timeout=LIVE)

    network.cut()
    # The browser hears no ping and gives the socket up; the server drops it as well.
    expect(connection(social)).to_have_text("Reconnecting", timeout=LIVE)
    expect(people.filter(has_text="Priya Shah")).to_have_count(0, timeout=LIVE)

    text = "Mia asked the health visitor about the nursery place."
    social.get_by_role("textbox", name="Add to the family situation").fill(text)
    social.get_by_role("button", name="Add to the family situation").click()
    expect(connection(social)).to_have_text("Reconnecting, 1 change waiting")

    network.heal()
    expect(connection(social)).to_have_text("Connected", timeout=LIVE)
    for page in (manager, social):
        expect(cards(page, text)).to_have_count(1, timeout=LIVE)
    expect(people.filter(has_text="Priya Shah")).to_have_count(1, timeout=LIVE)
