"""The heartbeat on one server: a board learns its latest sequence number, and is not told again
what the event it was just sent already said (docs/protocol.md, `board:heartbeat`).

The background beat is set far apart so that each beat here is one the test gives, in order
with the events on the same socket: what a client has heard when the next beat arrives is all
the server sent before it.
"""
from __future__ import annotations

import pytest

from supervision.realtime.broadcast import publish_sequences

FAR_APART = {"PRESENCE_HEARTBEAT_SECONDS": 600, "PRESENCE_EXPIRY_SECONDS": 1200}


def beat(app) -> None:
    """One beat, as the heartbeat of a server with no message queue gives it."""
    with app.app_context():
        publish_sequences(late=False, quiet_when_told=True)


@pytest.mark.app_config(**FAR_APART)
def test_a_board_sent_its_latest_event_is_not_told_it_again_and_hears_the_number_once_quiet(app, started):
    manager, social = started("manager", "social")
    started_seq = manager.last_seq
    social.wait_for_seq(started_seq)
    beat(app)  # both were sent the start since the last beat: nothing to tell
    beat(app)  # quiet since: each hears the number
    for client in (manager, social):
        client.wait_for(lambda c=client: len(c.heartbeats) >= 1)
        assert [(each["last_seq"], each["late"]) for each in client.heartbeats] == [(started_seq, False)]

    card = manager.ok("add_card", {"stage": "situation", "text": "Mum walked Amy to school every day."})
    social.wait_for_seq(card["seq"])
    beat(app)
    beat(app)
    social.wait_for(lambda: len(social.heartbeats) >= 2)
    assert [each["last_seq"] for each in social.heartbeats] == [started_seq, card["seq"]]


@pytest.mark.app_config(**FAR_APART)
def test_a_board_whose_latest_change_never_went_out_hears_it_at_the_next_beat_and_catches_up(app, started):
    manager, social = started("manager", "social")
    social.wait_for_seq(manager.last_seq)
    publish = app.extensions["supervision.publish"]
    app.extensions["supervision.publish"] = lambda message: None  # this change's broadcast is lost
    try:
        lost = manager.ok("add_card", {"stage": "situation", "text": "Dad has kept every contact visit."})
    finally:
        app.extensions["supervision.publish"] = publish
    # The server sent the start since the last beat, but the card is newer: the board is told.
    beat(app)
    social.wait_for_seq(lost["seq"])
    assert social.catch_ups == 1
    assert [each["last_seq"] for each in social.heartbeats] == [lost["seq"]]
