"""A family's decision as an aggregate: a draft, then signed off, then amended with reasons.

Plain Python: the board service loads a `FamilyDecision` from the stored decision, calls one
of its methods, and stores what it became and the events it recorded. A method checks its
rules (state, version, values) before changing anything, so a refusal leaves it as it was.
Every change takes the version on by one; an edit based on an older version is a conflict.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from . import board as rules
from .errors import Invalid, Refused


@dataclass(frozen=True)
class Saved:
    version: int


@dataclass(frozen=True)
class SignedOff:
    version: int


@dataclass(frozen=True)
class Amended:
    version: int
    field: str
    original_text: str
    amended_text: str
    reason: str


@dataclass
class FamilyDecision:
    decision_text: str = ""
    rationale: str = ""
    outcome: str | None = None
    next_discussion_on: date | None = None
    version: int = 0
    signed_off: bool = False
    amendments: int = 0
    events: list = field(default_factory=list)

    @property
    def state(self) -> str:
        """`draft` until sign-off, `signed` after it, `amended` once corrected after sign-off."""
        if not self.signed_off:
            return "draft"
        return "amended" if self.amendments else "signed"

    def save(self, based_on, current: Callable[[], dict], *, decision_text, rationale, outcome,
             next_discussion_on) -> None:
        """Write the draft: any part may still be empty. `current` describes it for a conflict answer."""
        rules.require_unsigned(self.signed_off)
        rules.check_version(self.version, based_on, current())
        values = dict(
            decision_text=rules.clean_text(decision_text, field="decision_text", label="Decision",
                                           max_length=rules.MAX_DECISION_LENGTH, required=False),
            rationale=rules.clean_text(rationale, field="rationale", label="Rationale",
                                       max_length=rules.MAX_DECISION_LENGTH, required=False),
            outcome=rules.plan_outcome(outcome, required=False),
            next_discussion_on=rules.parse_date(next_discussion_on, field="next_discussion_on",
                                                label="Next discussion date"))
        for name, value in values.items():
            setattr(self, name, value)
        self.version += 1
        self.events.append(Saved(self.version))

    def sign_off(self, based_on, current: Callable[[], dict], *, proposed_actions: int) -> None:
        """Sign the draft: it needs a decision, a rationale, an outcome and (unless closing) a return date,
        and no action left only proposed."""
        rules.require_unsigned(self.signed_off)
        rules.check_version(self.version, based_on, current())
        rules.ready_to_sign(self.decision_text, self.rationale, self.outcome, self.next_discussion_on)
        if proposed_actions:
            raise Refused("Accept or drop the proposed actions before signing off.")
        self.signed_off = True
        self.version += 1
        self.events.append(SignedOff(self.version))

    def amend(self, based_on, current: Callable[[], dict], *, field_name, text, reason) -> None:
        """Correct one part of the signed decision; the original wording and the reason are kept."""
        rules.require_signed(self.signed_off)
        rules.check_version(self.version, based_on, current())
        if field_name not in rules.AMENDABLE_FIELDS:
            raise Invalid("Choose what the amendment changes.", {"field": "Choose what the amendment changes"})
        reason = rules.clean_text(reason, field="reason", label="Reason for the amendment",
                                  max_length=rules.MAX_DECISION_LENGTH)
        if field_name == "outcome":
            new_value = rules.plan_outcome(text, required=True)
        elif field_name == "next_discussion_on":
            new_value = rules.parse_date(text, field="text", label="Next discussion date", required=True)
        else:
            new_value = rules.clean_text(text, field="text", label=rules.AMENDABLE_FIELDS[field_name],
                                         max_length=rules.MAX_DECISION_LENGTH)
        original = getattr(self, field_name)
        setattr(self, field_name, new_value)
        self.amendments += 1
        self.version += 1
        self.events.append(Amended(self.version, field_name, "" if original is None else str(original),
                                   str(new_value), reason))
