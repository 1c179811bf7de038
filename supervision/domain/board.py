"""Rules of the live board: stage order, what a card may hold, versions, the sign-off lock.

Plain Python on plain values so it can be tested without a database.
"""
from __future__ import annotations

from datetime import date

from .errors import Conflict, Invalid, Refused
from .wording import clean
from .vocabulary import (
    ActionStatus, AnalysisHeading, PlanOutcome, ReviewOutcome, SessionStatus, Stage, StageOfChange,
)

STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
CARD_STAGES = (Stage.SITUATION, Stage.PERSPECTIVES, Stage.ANALYSIS)
MAX_CARD_LENGTH = 10_000
MAX_NOTES_LENGTH = 200_000
MAX_DECISION_LENGTH = 20_000
AMENDABLE_FIELDS = {
    "decision_text": "Decision",
    "rationale": "Rationale",
    "outcome": "Plan outcome",
    "next_discussion_on": "Next discussion",
}


def stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise Invalid("Choose one of the four stages.", {"stage": "Choose a stage"}) from None


def next_position(stage_value: str, item_ids: list[int], item_id: int) -> tuple[int, str] | None:
    """Where "next" takes the room: the next stage, or the next family's first stage; None at the end."""
    index = STAGE_ORDER.index(Stage(stage_value))
    if index + 1 < len(STAGE_ORDER):
        return item_id, STAGE_ORDER[index + 1].value
    position = item_ids.index(item_id)
    if position + 1 < len(item_ids):
        return item_ids[position + 1], STAGE_ORDER[0].value
    return None


def require_live(status: str) -> None:
    if status == SessionStatus.SCHEDULED:
        raise Refused("The session has not started yet. The chair starts it from the board.")
    if status == SessionStatus.CLOSED:
        raise Refused("The session is closed; the board can no longer be changed.")


def require_not_closed(status: str) -> None:
    if status == SessionStatus.CLOSED:
        raise Refused("The session is closed; the board can no longer be changed.")


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Text exactly as typed, less surrounding blank lines; checked for presence and length."""
    text = clean("" if value is None else str(value)).strip("\n ")
    if required and not text.strip():
        raise Invalid(f"Enter the {label.lower()}.", {field: f"Enter the {label.lower()}"})
    if len(text) > max_length:
        raise Invalid(f"The {label.lower()} must be {max_length:,} characters or fewer.",
                      {field: f"{label} must be {max_length:,} characters or fewer"})
    return text


def card_placement(stage_value: str, heading: str | None, stage_of_change: str | None,
                   adult_id: int | None) -> tuple[str, str | None, str | None]:
    """Validate where a card goes: analysis cards need a heading; only perspectives record a stage of change."""
    card_stage = stage(stage_value)
    if card_stage not in CARD_STAGES:
        raise Invalid("Cards go in the family situation, specialist perspectives or analysis.",
                      {"stage": "Choose where the card goes"})
    if card_stage is Stage.ANALYSIS:
        try:
            heading = AnalysisHeading(heading).value
        except ValueError:
            raise Invalid("Choose which analysis heading the card goes under.",
                          {"heading": "Choose a heading"}) from None
    else:
        heading = None
    if stage_of_change:
        if card_stage is not Stage.PERSPECTIVES:
            raise Invalid("A stage of change is recorded on a specialist perspective.",
                          {"stage_of_change": "Only perspectives record a stage of change"})
        try:
            stage_of_change = StageOfChange(stage_of_change).value
        except ValueError:
            raise Invalid("Choose a stage of change from the list.", {"stage_of_change": "Choose a stage of change"}) from None
        if adult_id is None:
            raise Invalid("Say which adult the stage of change is about.", {"adult_id": "Choose the adult"})
    return card_stage.value, heading, stage_of_change or None


def may_change_card(*, actor_user_id: int, author_id: int, can_edit_any: bool) -> bool:
    return can_edit_any or actor_user_id == author_id


def require_may_change_card(*, actor_user_id: int, author_id: int, can_edit_any: bool) -> None:
    if not may_change_card(actor_user_id=actor_user_id, author_id=author_id, can_edit_any=can_edit_any):
        raise Refused("You can only change your own contributions; the team manager can change any.")


def check_version(current_version: int, based_on, current: dict) -> None:
    """Refuse an edit made to an old version, returning what is there now so nothing is overwritten."""
    try:
        based_on = int(based_on)
    except (TypeError, ValueError):
        raise Invalid("The change did not say which version it was based on.", {"version": "Missing version"}) from None
    if based_on != current_version:
        raise Conflict("Someone else changed this while you were editing. Your text has not been saved; "
                       "compare it with theirs below.", current=current)


def require_unsigned(signed_off: bool) -> None:
    if signed_off:
        raise Refused("The decision is signed off. A correction is recorded as an amendment with a reason.")


CLOSED_BY_SIGN_OFF = ("This family's decision is signed off, so its discussion is closed: cards, notes and reviews "
                      "of previous actions no longer change. Add what came later as an entry added after sign-off, "
                      "or ask the team manager to amend the decision with a reason.")


def require_discussion_open(signed_off: bool) -> None:
    """What a signed-off record was built from stays as it was signed."""
    if signed_off:
        raise Refused(CLOSED_BY_SIGN_OFF)


def require_signed_for_addition(signed_off: bool) -> None:
    if not signed_off:
        raise Refused("This family's decision is not signed off yet: add a card or write it in the notes instead.")


def require_signed(signed_off: bool) -> None:
    if not signed_off:
        raise Refused("Only a signed-off decision is amended; before sign-off, edit it directly.")


def plan_outcome(value: str | None, *, required: bool) -> str | None:
    if not value:
        if required:
            raise Invalid("Choose the plan outcome.", {"outcome": "Choose the plan outcome"})
        return None
    try:
        return PlanOutcome(value).value
    except ValueError:
        raise Invalid("Choose the plan outcome from the list.", {"outcome": "Choose the plan outcome"}) from None


def parse_date(value, *, field: str, label: str, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise Invalid(f"Enter the {label.lower()}.", {field: f"Enter the {label.lower()}"})
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"The {label.lower()} must be a real date, like 2026-12-01.",
                      {field: f"{label} must be a real date"}) from None


def ready_to_sign(decision_text: str, rationale: str, outcome: str | None, next_discussion_on) -> None:
    """Everything the record needs before the manager signs: a decision, its rationale, the outcome."""
    fields = {}
    if not decision_text.strip():
        fields["decision_text"] = "Enter the decision"
    if not rationale.strip():
        fields["rationale"] = "Enter the rationale"
    if not outcome:
        fields["outcome"] = "Choose the plan outcome"
    if outcome != PlanOutcome.CLOSE and next_discussion_on is None:
        fields["next_discussion_on"] = "Enter when the family comes back to group supervision"
    if fields:
        raise Invalid("The decision cannot be signed off yet.", fields)


def review_outcome(value: str) -> ReviewOutcome:
    try:
        return ReviewOutcome(value)
    except ValueError:
        raise Invalid("Mark the action as done, not done or carried forward.", {"outcome": "Choose an outcome"}) from None


def action_status_after_review(outcome: ReviewOutcome) -> ActionStatus:
    """A carried-forward action stays open into the new decision; the others are closed with their outcome."""
    return {
        ReviewOutcome.DONE: ActionStatus.DONE,
        ReviewOutcome.NOT_DONE: ActionStatus.NOT_DONE,
        ReviewOutcome.CARRIED_FORWARD: ActionStatus.OPEN,
    }[outcome]
