"""Who is typing where: the others on the board see the person, the family and the stage; nothing is kept."""
from __future__ import annotations

from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import BoardEvent


def _first_item(client) -> int:
    return int(min(client.state["item"], key=lambda i: client.state["item"][i]["position"]))


def test_the_others_see_who_is_typing_in_which_family_and_stage(app, started):
    manager, social, support = started("manager", "social", "support")
    harper = _first_item(manager)
    with app.app_context():
        events_before = db.session.scalar(select(func.count()).select_from(BoardEvent))

    answer = social.sio.call("typing", {"session_id": social.session_id, "item_id": harper, "stage": "situation",
                                        "change": "add_card"}, timeout=15)

    assert answer == {"ok": True}
    for other in (manager, support):
        other.wait_for(lambda: other.typing)
        [signal] = other.typing
        assert signal["name"] == social.you["name"] == "Priya Shah" and signal["family"] == "Harper family"
        assert signal["summary"] == "Priya Shah is typing in the Harper family's situation"
        assert (signal["item_id"], signal["stage"], signal["change"]) == (harper, "situation", "add_card")
    assert social.typing == []  # not sent back to the typist
    with app.app_context():  # a passing signal: no event numbered, nothing stored
        assert db.session.scalar(select(func.count()).select_from(BoardEvent)) == events_before


def test_typing_is_checked_like_a_change(app, started, connect, todays_session):
    manager, social = started("manager", "social")
    call = lambda client, data: client.sio.call("typing", {"session_id": todays_session, **data}, timeout=15)  # noqa: E731

    assert call(social, {"item_id": 2**31 - 1, "stage": "situation"})["error"]["code"] == "not_found"
    assert call(social, {"item_id": _first_item(social), "stage": "lunch"})["error"]["code"] == "invalid"
    assert call(manager, {"item_id": _first_item(social), "stage": "situation", "change": "x" * 50})["error"]["code"] == "invalid"
    stranger = connect("recovery")  # in the team and attending, but this connection has not joined the board
    assert call(stranger, {"item_id": _first_item(social), "stage": "situation"})["error"]["code"] == "not_found"
    assert manager.typing == [] and social.typing == []


def test_a_flood_of_typing_signals_is_cut_off(started):
    manager, social = started("manager", "social")
    item = _first_item(social)
    answers = [social.sio.call("typing", {"session_id": social.session_id, "item_id": item, "stage": "situation"},
                               timeout=15) for _ in range(5)]
    refused = [a for a in answers if not a["ok"]]
    assert refused and all(a["error"]["code"] == "rate_limited" for a in refused)
