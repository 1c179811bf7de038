"""Over a real socket: each board change leaves an audit row naming its event, and a refused event a refusal row."""
from __future__ import annotations

from tests.demo_session import everyone_present
from tests.web.audit_rows import audit_rows, ids, verify


def test_each_live_change_is_audited_with_its_session_and_seq(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, social = connect("manager"), connect("social")
    manager.join(todays_session)
    social.join(todays_session)
    manager.ok("start_session")
    acks = [social.change("add_card", {"stage": "situation", "text": f"Note {n} about the family."})
            for n in range(3)]
    assert all(ack["ok"] for ack in acks)
    rows = audit_rows(app, "board.change")
    assert [(row["session_id"], row["details"]["seq"], row["details"]["event"]) for row in rows] == \
        [(todays_session, 1, "session.started")] + [(todays_session, ack["seq"], "card.added") for ack in acks]
    assert [row["user_name"] for row in rows] == ["Helen Brooks"] + ["Priya Shah"] * 3
    assert all(row["address"] == "127.0.0.1" for row in rows)
    assert verify(app).exit_code == 0


def test_a_socket_event_for_another_teams_board_is_audited_as_a_refusal(app, connect, todays_session):
    south = connect("south-social")
    ack = south.join(todays_session)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    (row,) = audit_rows(app, "refused.not_found")
    assert row["user_id"] == ids(app)["user"]["south-social"]
    assert row["details"]["event"] == "join" and row["details"]["session"] == todays_session
    assert row["team_id"] is None and row["session_id"] is None, "the row is not filed under North"


def test_a_forbidden_socket_change_is_audited(app, connect, todays_session):
    everyone_present(app, todays_session)
    social = connect("social")
    social.join(todays_session)
    refused = social.change("start_session")
    assert refused["error"]["code"] == "forbidden"
    (row,) = audit_rows(app, "refused.forbidden")
    assert row["user_name"] == "Priya Shah" and row["details"]["event"] == "change"
    assert not audit_rows(app, "board.change"), "a refused change leaves no change row"
