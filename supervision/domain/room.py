"""The room's place: which family and stage everyone is on, as an aggregate that changes itself.

Plain Python: the board service loads a `Room` from the session, calls one of its methods,
and stores what it became. Each method checks its rule first and changes nothing when
refused; what happened is recorded in `events` for the service to act on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import board as rules
from .errors import NotFound, Refused
from .vocabulary import SessionStatus, Stage


@dataclass(frozen=True)
class Started:
    item_id: int


@dataclass(frozen=True)
class Moved:
    item_id: int
    stage: Stage


@dataclass(frozen=True)
class FamilyReached:
    """The room reached a family for the first time: its discussion's timer starts."""

    item_id: int


@dataclass(frozen=True)
class Closed:
    pass


@dataclass
class Room:
    status: str
    agenda: list[int]  # agenda item ids, in agenda order
    item_id: int | None = None
    stage: str = Stage.SITUATION.value
    reached: set[int] = field(default_factory=set)  # items the room has already been on
    events: list = field(default_factory=list)

    def start(self) -> None:
        if self.status != SessionStatus.SCHEDULED:
            raise Refused("The session has already started." if self.status == SessionStatus.LIVE
                          else "The session is closed.")
        if not self.agenda:
            raise Refused("Add at least one family to the agenda before starting.")
        self.status = SessionStatus.LIVE.value
        self.events.append(Started(self.agenda[0]))
        self._go(self.agenda[0], Stage.SITUATION)

    def move(self, item_id: int, stage_value) -> None:
        """Take everyone to a family on this agenda and one of the four stages."""
        rules.require_live(self.status)
        if item_id not in self.agenda:
            raise NotFound("That family discussion")
        self._go(item_id, rules.stage(stage_value))
        self.events.append(Moved(self.item_id, Stage(self.stage)))

    def next(self) -> None:
        """The next stage, or the next family's first stage."""
        rules.require_live(self.status)
        target = rules.next_position(self.stage, self.agenda, self.item_id)
        if target is None:
            raise Refused("This is the last stage of the last family.")
        self._go(target[0], Stage(target[1]))
        self.events.append(Moved(self.item_id, Stage(self.stage)))

    def close(self) -> None:
        rules.require_live(self.status)
        self.status = SessionStatus.CLOSED.value
        self.events.append(Closed())

    def _go(self, item_id: int, stage: Stage) -> None:
        self.item_id, self.stage = item_id, stage.value
        if item_id not in self.reached:
            self.reached.add(item_id)
            self.events.append(FamilyReached(item_id))
