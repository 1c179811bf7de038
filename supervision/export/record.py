"""What a Word record says, as plain data: no database, no python-docx.

services.records fills these from the database; docx_writer turns them into a
document. Tests and the benchmark build them directly. Labels are already
plain words (vocabulary labels, not keys); dates stay dates for the writer to format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .wording import long_date

FAMILY = "family"    # one family's discussion, for its case file
SESSION = "session"  # the team's minutes of the whole meeting


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    role: str
    status: str  # Present, Apologies, Late


@dataclass(frozen=True)
class ChildRow:
    name: str
    age: str
    plan: str


@dataclass(frozen=True)
class Contribution:
    """One card from the board."""

    text: str
    author: Person
    about: str | None = None            # the adult a specialist's update is about
    stage_of_change: str | None = None  # label, where the specialist recorded one


@dataclass(frozen=True)
class Group:
    """Contributions under one heading: a specialism, or an analysis heading."""

    title: str
    contributions: list[Contribution]


@dataclass(frozen=True)
class PreviousAction:
    text: str
    owner: Person | None
    due_on: date | None
    outcome: str  # Done, Not done, Carried forward, Not yet reviewed


@dataclass(frozen=True)
class ActionRow:
    text: str
    owner: Person | None
    due_on: date | None
    carried_forward_from: date | None = None  # when it was first agreed, if carried forward


@dataclass(frozen=True)
class AmendmentRow:
    what: str  # which part of the decision changed
    original: str
    amended: str
    reason: str
    author: Person
    at: datetime


@dataclass(frozen=True)
class AddedEntry:
    """Something added to a family's discussion after its decision was signed off."""

    text: str
    author: Person
    at: datetime


@dataclass(frozen=True)
class DecisionRecord:
    text: str
    rationale: str
    outcome: str | None  # plan outcome label
    signed_off_by: Person | None = None
    signed_off_at: datetime | None = None
    amendments: list[AmendmentRow] = field(default_factory=list)

    @property
    def signed_off(self) -> bool:
        return self.signed_off_by is not None and self.signed_off_at is not None


@dataclass
class FamilyRecord:
    case_reference: str
    name: str
    plan: str
    social_worker: Person | None
    children: list[ChildRow]
    previous_actions: list[PreviousAction]
    situation: list[Contribution]
    perspectives: list[Group]
    analysis: list[Group]
    notes: str
    decision: DecisionRecord | None
    actions: list[ActionRow]
    next_discussion_on: date | None
    decision_discussion: list[Contribution] = field(default_factory=list)  # cards added at the decision stage
    added_after_sign_off: list[AddedEntry] = field(default_factory=list)
    adults: list[str] = field(default_factory=list)  # "Mia (Mother)"

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.case_reference})"

    @property
    def changed_after_sign_off(self) -> str | None:
        """How the record grew after sign-off, in the words its header uses; None if it did not."""
        amended = self.decision is not None and bool(self.decision.amendments)
        added = bool(self.added_after_sign_off)
        if amended and added:
            return "Amended and added to after sign-off"
        if amended:
            return "Amended after sign-off"
        return "Added to after sign-off" if added else None

    @property
    def last_changed(self) -> tuple[datetime, Person] | None:
        """When the signed record last changed (sign-off, amendment or addition) and by whom."""
        if not self.signed_off:
            return None
        moments = [(self.decision.signed_off_at, self.decision.signed_off_by)]
        moments += [(a.at, a.author) for a in self.decision.amendments]
        moments += [(e.at, e.author) for e in self.added_after_sign_off]
        return max(moments, key=lambda moment: moment[0])

    @property
    def signed_off(self) -> bool:
        return self.decision is not None and self.decision.signed_off


@dataclass
class RecordData:
    kind: str  # FAMILY or SESSION
    team: str
    starts_at: datetime
    chair: Person
    minute_taker: Person
    attendance: list[AttendanceRow]
    families: list[FamilyRecord]
    produced_at: datetime
    produced_by: str | None = None

    @property
    def final_as_at(self) -> tuple[datetime, datetime, Person, int] | None:
        """For a final record: (first sign-off, last change, who made it, revision); None for a draft.

        A final record's properties come from these, never from the moment it was exported,
        so two exports of the same record are the same.
        """
        if self.draft:
            return None
        signed = [family.decision.signed_off_at for family in self.families]
        last = max((family.last_changed for family in self.families), key=lambda moment: moment[0])
        revision = sum(1 + len(family.decision.amendments) + len(family.added_after_sign_off)
                       for family in self.families)
        return min(signed), last[0], last[1], revision

    @property
    def draft(self) -> bool:
        """A record is final only when every decision in it is signed off."""
        return not self.families or not all(family.signed_off for family in self.families)

    @property
    def title(self) -> str:
        if self.kind == FAMILY and self.families:
            return f"Group supervision record: {self.families[0].heading}"
        return f"Group supervision minutes: {long_date(self.starts_at)}"
