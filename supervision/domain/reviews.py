"""Reviewing a previous action when its family comes back, as an aggregate that changes itself.

An action agreed in an earlier discussion is marked done, not done or carried forward in
this one. The first review needs the action still open; after that the same discussion may
correct its own review. A carried-forward action stays open into the new decision; the
others close with their outcome.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import board as rules
from .errors import Refused
from .vocabulary import ActionStatus, ReviewOutcome


@dataclass(frozen=True)
class Reviewed:
    outcome: ReviewOutcome
    status: ActionStatus


@dataclass
class PreviousAction:
    status: str
    reviewed_as: str | None = None  # the outcome this discussion already gave it
    version: int = 0
    events: list = field(default_factory=list)

    def review(self, outcome_value) -> None:
        outcome = rules.review_outcome(outcome_value)
        if self.reviewed_as is None and self.status != ActionStatus.OPEN:
            raise Refused("That action was already closed in an earlier discussion.")
        status = rules.action_status_after_review(outcome)
        self.reviewed_as, self.status = outcome.value, status.value
        self.version += 1
        self.events.append(Reviewed(outcome, status))
