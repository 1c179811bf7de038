"""The words of the practice, each with the plain-language label people see."""
from __future__ import annotations

from enum import Enum


class Labelled(str, Enum):
    """A str enum whose members carry a human label: Member = ("value", "Label")."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        try:
            return cls(value).label
        except ValueError:
            return value or ""

    @classmethod
    def value_of(cls, label: str | None) -> str | None:
        """The key a label stands for (records keep labels); None for a label no member has."""
        return next((m.value for m in cls if m.label == label), None)


class RoleKind(Labelled):
    """What a role may do. Roles themselves are data; each belongs to one kind."""

    MANAGER = ("manager", "Team manager")
    SENIOR_SOCIAL_WORKER = ("senior_social_worker", "Senior social worker")
    SOCIAL_WORKER = ("social_worker", "Social worker")
    PRACTITIONER = ("practitioner", "Child and family practitioner")
    SPECIALIST = ("specialist", "Adult specialist")
    BUSINESS_SUPPORT = ("business_support", "Business support")


class PlanLevel(Labelled):
    EARLY_HELP = ("early_help", "Early Help")
    CHILD_IN_NEED = ("child_in_need", "Child in Need")
    CHILD_PROTECTION = ("child_protection", "Child Protection")
    LOOKED_AFTER = ("looked_after", "Looked after (Our Children)")
    PRE_PROCEEDINGS = ("pre_proceedings", "Pre-proceedings")


class SessionStatus(Labelled):
    SCHEDULED = ("scheduled", "Scheduled")
    LIVE = ("live", "Live")
    CLOSED = ("closed", "Closed")


class AttendanceStatus(Labelled):
    PRESENT = ("present", "Present")
    APOLOGIES = ("apologies", "Apologies")
    LATE = ("late", "Late")


class Stage(Labelled):
    """The four stages of one family's discussion, in the order the room takes them."""

    SITUATION = ("situation", "Family situation")
    PERSPECTIVES = ("perspectives", "Specialist perspectives")
    ANALYSIS = ("analysis", "Analysis")
    DECISION = ("decision", "Decision")


class AnalysisHeading(Labelled):
    """Strengths come first: the order here is the order on the board and in the record."""

    WORKING_WELL = ("working_well", "What is working well")
    WORRIES = ("worries", "What we are worried about")
    LIVED_EXPERIENCE = ("lived_experience", "The child's lived experience")
    HYPOTHESES = ("hypotheses", "Hypotheses")
    NEXT_STEPS = ("next_steps", "What needs to happen")


class StageOfChange(Labelled):
    PRE_CONTEMPLATION = ("pre_contemplation", "Pre-contemplation")
    CONTEMPLATION = ("contemplation", "Contemplation")
    PREPARATION = ("preparation", "Preparation")
    ACTION = ("action", "Action")
    MAINTENANCE = ("maintenance", "Maintenance")
    RELAPSE = ("relapse", "Relapse")


class PlanOutcome(Labelled):
    CONTINUE = ("continue", "Continue the plan")
    STEP_UP = ("step_up", "Step up")
    STEP_DOWN = ("step_down", "Step down")
    CLOSE = ("close", "Close")
    OTHER = ("other", "Other")


class ActionStatus(Labelled):
    PROPOSED = ("proposed", "Proposed")
    OPEN = ("open", "Open")
    DROPPED = ("dropped", "Dropped")
    DONE = ("done", "Done")
    NOT_DONE = ("not_done", "Not done")


class ReviewOutcome(Labelled):
    DONE = ("done", "Done")
    NOT_DONE = ("not_done", "Not done")
    CARRIED_FORWARD = ("carried_forward", "Carried forward")
