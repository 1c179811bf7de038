"""Malformed socket events are answered `invalid` naming the field; floods are cut off; the server keeps serving."""
from __future__ import annotations

import json
import math
import socket as net
import threading
from urllib.parse import urlsplit

import pytest
import requests
import socketio
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import AuditEntry, BoardEvent, Card
from tests.demo_session import everyone_present

HUGE = 2**64


@pytest.fixture
def board(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager = connect("manager")
    assert manager.join(todays_session)["ok"]
    manager.ok("start_session")
    return manager


def _field_of(answer: dict) -> set[str]:
    assert answer["ok"] is False, answer
    assert answer["error"]["code"] == "invalid", answer
    return set(answer["error"]["fields"])


def test_a_session_id_that_is_not_an_id_is_invalid(board):
    for session_id in [HUGE, -1, math.inf, None, [1], {"id": 1}, "12; DROP TABLE", 1.5]:
        answer = board.sio.call("change", {"session_id": session_id, "type": "add_card",
                                           "data": {"stage": "situation", "text": "x"}}, timeout=10)
        assert _field_of(answer) == {"session_id"}, session_id


def test_a_catch_up_from_nonsense_is_invalid(board):
    for since in [HUGE, -5, math.inf, -math.inf, "lots", [0]]:
        answer = board.sio.call("sync", {"session_id": board.session_id, "since": since}, timeout=10)
        assert _field_of(answer) == {"since"}, since


WRONG_FIELDS = [
    ({"card_id": HUGE, "version": 1, "text": "x"}, "card_id"),
    ({"card_id": math.inf, "version": 1, "text": "x"}, "card_id"),
    ({"card_id": None, "version": 1, "text": "x"}, "card_id"),
    ({"card_id": 1, "version": HUGE, "text": "x"}, "version"),
    ({"card_id": 1, "version": math.nan, "text": "x"}, "version"),
    ({"card_id": 1, "version": 1, "text": ["a", "list"]}, "text"),
    ({"card_id": 1, "version": 1, "text": {"an": "object"}}, "text"),
    ({"card_id": 1, "version": 1, "text": "x" * 100_000}, "text"),
]


def test_fields_of_the_wrong_kind_are_named(board):
    for data, field in WRONG_FIELDS:
        assert field in _field_of(board.change("edit_card", data)), data


WRONG_SHAPES = [
    ({"type": "add_card", "data": ["stage", "situation"]}, "data"),
    ({"type": "add_card", "data": "stage=situation"}, "data"),
    ({"type": ["add_card"], "data": {}}, "type"),
    ({"type": "x" * 10_000, "data": {}}, "type"),
]


def test_a_change_whose_shape_is_wrong_is_invalid(board):
    for payload, field in WRONG_SHAPES:
        answer = board.sio.call("change", {"session_id": board.session_id, **payload}, timeout=10)
        assert _field_of(answer) == {field}, payload
    for payload in ([1, 2], "join me", 42, True):
        for event in ("join", "sync", "change", "leave"):
            assert _field_of(board.sio.call(event, payload, timeout=10)) == {"payload"}, (event, payload)


def test_a_change_carrying_binary_data_is_invalid_and_the_board_carries_on(board):
    """The server sends JSON only, but a client may still send a binary event: it is decoded,
    refused naming the field, and the next change goes through."""
    answer = board.sio.call("change", {"session_id": board.session_id, "type": "add_card",
                                       "data": {"stage": "situation", "text": b"\x00\xffnot text"}}, timeout=10)
    assert _field_of(answer) == {"text"}
    added = board.change("add_card", {"stage": "situation", "text": "School say attendance is up."})
    assert added["ok"] is True, added
    assert added["event"]["changes"][0]["value"]["text"] == "School say attendance is up."


def test_nothing_malformed_took_a_sequence_number_or_wrote_a_card(app, board):
    with app.app_context():
        events, cards = db.session.scalar(select(func.count(BoardEvent.id))), db.session.scalar(
            select(func.count(Card.id)))
    for bad in ({"text": ["x"]}, {"item_id": HUGE, "text": "x"}, {"stage": {"x": 1}, "text": "x"}):
        assert board.change("add_card", {"stage": "situation", **bad})["ok"] is False
    with app.app_context():
        assert db.session.scalar(select(func.count(BoardEvent.id))) == events
        assert db.session.scalar(select(func.count(Card.id))) == cards


def test_leaving_another_teams_session_is_not_found_and_tells_that_team_nothing(app, connect, board):
    from tests.web.test_team_boundary import team_ids

    south_session = team_ids(app, "south")["session_id"][0]
    stranger = connect("social")
    answer = stranger.sio.call("leave", {"session_id": south_session}, timeout=10)
    assert answer["error"]["code"] == "not_found"


def _all_at_once(client, event: str, payloads: list[dict]) -> list[dict]:
    """Send every payload without waiting between them; return the answers once all have come."""
    answers: list[dict] = []
    done = threading.Condition()

    def answered(answer):
        with done:
            answers.append(answer)
            done.notify_all()

    for payload in payloads:
        client.sio.emit(event, payload, callback=answered)
    with done:
        assert done.wait_for(lambda: len(answers) == len(payloads), timeout=60)
    return answers


def test_a_flood_of_changes_is_cut_off_while_others_carry_on(app, connect, board, todays_session):
    social = connect("social")
    assert social.join(todays_session)["ok"]
    flood = connect("recovery")
    assert flood.join(todays_session)["ok"]
    answers = _all_at_once(flood, "change", [
        {"session_id": todays_session, "type": "add_card", "data": {"stage": "situation", "text": f"flood {n}"}}
        for n in range(60)])
    limited = [a for a in answers if not a["ok"]]
    assert limited and all(a["error"]["code"] == "rate_limited" for a in limited)
    assert all(isinstance(a["error"]["retry_after"], int) and a["error"]["retry_after"] >= 1 for a in limited)
    assert social.ok("add_card", {"stage": "situation", "text": "Mum's new flat has a garden."})
    with app.app_context():  # the flood is in the audit trail, once, not once per refused event
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "refused.rate_limited")) == 1


def test_a_flood_of_catch_ups_is_cut_off(board):
    answers = _all_at_once(board, "sync", [{"session_id": board.session_id, "since": 0}] * 30)
    assert sum(1 for a in answers if a["ok"]) <= 10
    assert {a["error"]["code"] for a in answers if not a["ok"]} == {"rate_limited"}


def test_one_person_cannot_open_boards_without_end(app, live_server, board):
    cookie = board.cookie
    most = app.config["SOCKET_CONNECTIONS_PER_PERSON"]
    opened = []
    try:
        for _ in range(most - 1):  # the board fixture holds one already
            client = socketio.Client(reconnection=False)
            client.connect(live_server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
            opened.append(client)
        one_more = socketio.Client(reconnection=False)
        reasons = []
        one_more.on("connect_error", reasons.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            one_more.connect(live_server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
        assert reasons[0]["data"]["code"] == "rate_limited", reasons
    finally:
        for client in opened:
            client.disconnect()


def _polling_sid(base_url: str, cookie: str) -> str:
    response = requests.get(f"{base_url}/socket.io/?EIO=4&transport=polling", headers={"Cookie": cookie}, timeout=10)
    assert response.status_code == 200
    return json.loads(response.text[1:])["sid"]


def _raw_post(base_url: str, path: str, size: int) -> bytes:
    """POST `size` bytes on a raw socket: what the server answers, b'' if it closed first, None if it never answers."""
    parts = urlsplit(base_url)
    with net.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        head = (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {size}\r\n\r\n").encode()
        try:
            conn.sendall(head)
            chunk = b"x" * 65536
            sent = 0
            while sent < size:
                sent += conn.send(chunk[: size - sent])
        except TimeoutError:
            return None
        except OSError:
            pass  # the server answered and closed without reading: what we want
        try:
            return conn.recv(200)
        except TimeoutError:
            return None
        except OSError:
            return b""


def test_oversized_polling_bodies_are_refused_at_once_and_others_carry_on(app, live_server, connect, board):
    cookie = board.cookie
    sid = _polling_sid(live_server.url, cookie)
    answers = []
    path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    threads = [threading.Thread(target=lambda size=size: answers.append(_raw_post(live_server.url, path, size)))
               for size in [2**20 + 1] * 15 + [10 * 2**20] * 5]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not thread.is_alive() for thread in threads)
    assert any(answer.startswith(b"HTTP/1.1 413") for answer in answers)
    assert all(answer is not None and (answer == b"" or answer.startswith(b"HTTP/1.1 413")) for answer in answers)
    assert board.ok("add_card", {"stage": "situation", "text": "Still here after the big posts."})


def test_an_unexpected_failure_is_still_answered_and_logged(board, monkeypatch, caplog):
    from supervision.services import board as board_service

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(board_service, "apply_change", broken)
    answer = board.change("add_card", {"stage": "situation", "text": "Typed as the disk filled."})
    assert answer == {"ok": False, "error": {
        "code": "error", "message": "Something went wrong on our side. Send it again: a change is never applied twice."}}
    assert any("board event change failed" in record.getMessage() and record.exc_info for record in caplog.records)
    monkeypatch.undo()
    assert board.ok("add_card", {"stage": "situation", "text": "Sent again once it was fixed."})


def test_a_polling_body_that_is_not_utf8_is_answered_and_others_carry_on(live_server, board):
    cookie = board.cookie
    sid = _polling_sid(live_server.url, cookie)
    response = requests.post(f"{live_server.url}/socket.io/?EIO=4&transport=polling&sid={sid}",
                             data=b'42["change",{"text":"\xff\xfe\xc3("}]', headers={"Cookie": cookie}, timeout=10)
    assert response.status_code in (200, 400)
    assert board.ok("add_card", {"stage": "situation", "text": "Nan collects Ava from nursery."})
