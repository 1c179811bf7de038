"""The decision (draft, signed, amended) and reviews of previous actions, as aggregates without a database."""
from __future__ import annotations

from datetime import date

import pytest

from supervision.domain.decision import Amended, FamilyDecision, Saved, SignedOff
from supervision.domain.errors import Conflict, Invalid, Refused
from supervision.domain.reviews import PreviousAction, Reviewed
from supervision.domain.vocabulary import ActionStatus, ReviewOutcome


def now_is(decision: FamilyDecision):
    return lambda: {"version": decision.version, "decision_text": decision.decision_text}


def drafted() -> FamilyDecision:
    decision = FamilyDecision()
    decision.save(0, now_is(decision), decision_text="Ava stays on her plan.", rationale="Progress is new.",
                  outcome="continue", next_discussion_on="2027-01-12")
    return decision


def test_a_draft_is_saved_version_by_version_and_may_be_incomplete():
    decision = FamilyDecision()
    decision.save(0, now_is(decision), decision_text="Ava stays", rationale="", outcome=None, next_discussion_on="")
    assert (decision.state, decision.version, decision.events) == ("draft", 1, [Saved(1)])
    with pytest.raises(Conflict) as conflict:
        decision.save(0, now_is(decision), decision_text="Step down", rationale="", outcome=None,
                      next_discussion_on="")
    assert conflict.value.details["current"] == {"version": 1, "decision_text": "Ava stays"}
    assert decision.decision_text == "Ava stays"


def test_signing_off_needs_the_whole_decision_and_no_action_left_proposed():
    incomplete = FamilyDecision()
    incomplete.save(0, now_is(incomplete), decision_text="Ava stays", rationale="", outcome=None,
                    next_discussion_on="")
    with pytest.raises(Invalid) as refused:
        incomplete.sign_off(1, now_is(incomplete), proposed_actions=0)
    assert set(refused.value.fields) == {"rationale", "outcome", "next_discussion_on"}
    decision = drafted()
    with pytest.raises(Refused, match="proposed actions"):
        decision.sign_off(1, now_is(decision), proposed_actions=1)
    assert (decision.state, decision.version) == ("draft", 1)
    decision.sign_off(1, now_is(decision), proposed_actions=0)
    assert (decision.state, decision.version, decision.events[-1]) == ("signed", 2, SignedOff(2))


def test_a_signed_decision_is_not_edited_but_amended_with_its_reason_and_original_kept():
    decision = drafted()
    decision.sign_off(1, now_is(decision), proposed_actions=0)
    with pytest.raises(Refused, match="signed off"):
        decision.save(2, now_is(decision), decision_text="x", rationale="y", outcome="close", next_discussion_on="")
    with pytest.raises(Refused, match="signed off"):
        decision.sign_off(2, now_is(decision), proposed_actions=0)
    decision.amend(2, now_is(decision), field_name="next_discussion_on", text="2027-01-19",
                   reason="The conference moved")
    assert decision.state == "amended" and decision.next_discussion_on == date(2027, 1, 19)
    assert decision.events[-1] == Amended(3, "next_discussion_on", "2027-01-12", "2027-01-19", "The conference moved")
    with pytest.raises(Invalid) as refused:
        decision.amend(3, now_is(decision), field_name="signed_off_by", text="x", reason="y")
    assert set(refused.value.fields) == {"field"}


def test_only_a_signed_decision_is_amended():
    decision = drafted()
    with pytest.raises(Refused, match="Only a signed-off decision"):
        decision.amend(1, now_is(decision), field_name="rationale", text="x", reason="y")


def test_a_reviewed_action_closes_with_its_outcome_unless_carried_forward():
    done = PreviousAction("open")
    done.review("done")
    assert (done.status, done.reviewed_as, done.version) == ("done", "done", 1)
    carried = PreviousAction("open")
    carried.review("carried_forward")
    assert carried.status == "open"
    assert carried.events == [Reviewed(ReviewOutcome.CARRIED_FORWARD, ActionStatus.OPEN)]


def test_a_discussion_corrects_its_own_review_but_not_one_closed_earlier():
    corrected = PreviousAction("not_done", reviewed_as="not_done", version=1)
    corrected.review("done")
    assert (corrected.status, corrected.version) == ("done", 2)
    closed_before = PreviousAction("done")
    with pytest.raises(Refused, match="already closed"):
        closed_before.review("carried_forward")
    with pytest.raises(Invalid):
        PreviousAction("open").review("maybe")
