"""The room's place as an aggregate: start, move, next and close, with the events each records."""
from __future__ import annotations

import pytest

from supervision.domain.errors import Invalid, NotFound, Refused
from supervision.domain.room import Closed, FamilyReached, Moved, Room, Started
from supervision.domain.vocabulary import Stage


def live_room(**kwargs) -> Room:
    room = Room("scheduled", [11, 12])
    room.start()
    room.events.clear()
    for name, value in kwargs.items():
        setattr(room, name, value)
    return room


def test_starting_puts_everyone_on_the_first_familys_situation():
    room = Room("scheduled", [11, 12])
    room.start()
    assert (room.status, room.item_id, room.stage) == ("live", 11, "situation")
    assert room.events == [Started(11), FamilyReached(11)]


def test_a_session_starts_once_and_only_with_families_on_the_agenda():
    with pytest.raises(Refused, match="at least one family"):
        Room("scheduled", []).start()
    with pytest.raises(Refused, match="already started"):
        live_room().start()
    with pytest.raises(Refused, match="closed"):
        Room("closed", [11]).start()


def test_next_takes_the_next_stage_then_the_next_familys_first():
    room = live_room()
    for stage in ("perspectives", "analysis", "decision"):
        room.next()
        assert (room.item_id, room.stage) == (11, stage)
    room.next()
    assert (room.item_id, room.stage) == (12, "situation")
    assert room.events[-2:] == [FamilyReached(12), Moved(12, Stage.SITUATION)]


def test_next_from_the_last_stage_of_the_last_family_is_refused_and_changes_nothing():
    room = live_room(item_id=12, stage="decision")
    with pytest.raises(Refused, match="last stage of the last family"):
        room.next()
    assert (room.item_id, room.stage, room.events) == (12, "decision", [])


def test_a_move_goes_to_a_family_of_this_agenda_and_one_of_the_four_stages():
    room = live_room()
    room.move(12, "analysis")
    assert (room.item_id, room.stage) == (12, "analysis")
    room.move(11, "decision")
    assert room.events == [FamilyReached(12), Moved(12, Stage.ANALYSIS), Moved(11, Stage.DECISION)]
    with pytest.raises(NotFound):
        room.move(99, "analysis")
    with pytest.raises(Invalid):
        room.move(11, "lunch")


def test_the_room_moves_only_while_live_and_closes_once():
    room = Room("scheduled", [11])
    with pytest.raises(Refused, match="not started"):
        room.next()
    room = live_room()
    room.close()
    assert (room.status, room.events) == ("closed", [Closed()])
    with pytest.raises(Refused, match="closed"):
        room.move(11, "analysis")
    with pytest.raises(Refused, match="closed"):
        room.close()
