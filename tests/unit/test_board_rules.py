"""The board's rules, with no database: stage order, role rules, versions, sign-off lock, amendments."""
from datetime import date

import pytest

from supervision.domain import board as rules
from supervision.domain.errors import Conflict, Invalid, Refused
from supervision.domain.permissions import Permission, can, require
from supervision.domain.vocabulary import ActionStatus, ReviewOutcome, RoleKind, Stage


def test_stages_run_situation_perspectives_analysis_decision():
    assert [s.value for s in rules.STAGE_ORDER] == ["situation", "perspectives", "analysis", "decision"]


def test_next_takes_the_next_stage_then_the_next_family_then_stops():
    items = [10, 20]
    assert rules.next_position("situation", items, 10) == (10, "perspectives")
    assert rules.next_position("analysis", items, 10) == (10, "decision")
    assert rules.next_position("decision", items, 10) == (20, "situation")
    assert rules.next_position("decision", items, 20) is None


@pytest.mark.parametrize("kind", list(RoleKind))
def test_only_the_manager_records_decisions_unless_chairing(kind):
    assert can(kind, Permission.RECORD_DECISION) is (kind is RoleKind.MANAGER)


def test_a_senior_social_worker_chairing_may_record_the_decision():
    assert can(RoleKind.SENIOR_SOCIAL_WORKER, Permission.RECORD_DECISION, is_chair=True)
    assert not can(RoleKind.SOCIAL_WORKER, Permission.CHAIR)


def test_a_social_worker_is_refused_the_decision_with_a_plain_reason():
    with pytest.raises(Refused, match="Only the team manager"):
        require(RoleKind.SOCIAL_WORKER, Permission.RECORD_DECISION)


@pytest.mark.parametrize("kind,allowed", [(RoleKind.BUSINESS_SUPPORT, True), (RoleKind.MANAGER, True),
                                          (RoleKind.SPECIALIST, False), (RoleKind.SOCIAL_WORKER, False)])
def test_only_business_support_and_the_manager_write_notes(kind, allowed):
    assert can(kind, Permission.WRITE_NOTES) is allowed


def test_everyone_attending_may_contribute_and_propose_actions():
    for kind in RoleKind:
        assert can(kind, Permission.CONTRIBUTE) and can(kind, Permission.PROPOSE_ACTION)


def test_only_the_chair_or_a_manager_runs_the_room():
    require(RoleKind.SENIOR_SOCIAL_WORKER, Permission.RUN_ROOM, is_chair=True)
    require(RoleKind.MANAGER, Permission.RUN_ROOM, is_chair=False)
    with pytest.raises(Refused, match="Only the chair moves the room on"):
        require(RoleKind.SENIOR_SOCIAL_WORKER, Permission.RUN_ROOM, is_chair=False)


@pytest.mark.parametrize("kind, is_chair, allowed", [
    (RoleKind.MANAGER, False, True), (RoleKind.SENIOR_SOCIAL_WORKER, True, True),
    (RoleKind.SENIOR_SOCIAL_WORKER, False, False), (RoleKind.SOCIAL_WORKER, False, False),
    (RoleKind.BUSINESS_SUPPORT, False, False)])
def test_who_may_sign_off_is_the_manager_or_the_chair_deputising(kind, is_chair, allowed):
    assert can(kind, Permission.SIGN_OFF, is_chair=is_chair) is allowed


def test_an_edit_on_an_old_version_is_refused_with_the_current_text():
    current = {"text": "What is there now", "version": 3}
    rules.check_version(3, "3", current)
    with pytest.raises(Conflict) as refused:
        rules.check_version(3, 2, current)
    assert refused.value.details["current"] == current


def test_people_change_only_their_own_cards_unless_they_may_edit_any():
    assert rules.may_change_card(actor_user_id=1, author_id=1, can_edit_any=False)
    assert rules.may_change_card(actor_user_id=2, author_id=1, can_edit_any=True)
    with pytest.raises(Refused):
        rules.require_may_change_card(actor_user_id=2, author_id=1, can_edit_any=False)


def test_analysis_cards_need_one_of_the_five_headings():
    assert rules.card_placement("analysis", "working_well", None, None) == ("analysis", "working_well", None)
    with pytest.raises(Invalid):
        rules.card_placement("analysis", None, None, None)
    with pytest.raises(Invalid):
        rules.card_placement("decision", None, None, None)


def test_stage_of_change_belongs_to_a_perspective_about_a_named_adult():
    assert rules.card_placement("perspectives", None, "relapse", 7) == ("perspectives", None, "relapse")
    with pytest.raises(Invalid, match="which adult"):
        rules.card_placement("perspectives", None, "relapse", None)
    with pytest.raises(Invalid):
        rules.card_placement("situation", None, "action", 7)


def test_a_signed_off_decision_is_locked_and_only_amended():
    rules.require_unsigned(False)
    with pytest.raises(Refused, match="amendment"):
        rules.require_unsigned(True)
    rules.require_signed(True)
    with pytest.raises(Refused):
        rules.require_signed(False)


def test_sign_off_needs_decision_rationale_outcome_and_a_return_date():
    with pytest.raises(Invalid) as missing:
        rules.ready_to_sign("", "", None, None)
    assert set(missing.value.fields) == {"decision_text", "rationale", "outcome", "next_discussion_on"}
    rules.ready_to_sign("Close the plan", "Needs met", "close", None)
    rules.ready_to_sign("Continue", "Still worried", "continue", date(2026, 12, 1))


def test_text_is_kept_as_typed_but_not_empty_or_too_long():
    assert rules.clean_text("Line one\r\nLine two\n", field="text", label="Text", max_length=50) == "Line one\nLine two"
    with pytest.raises(Invalid):
        rules.clean_text("   \n ", field="text", label="Text", max_length=50)
    with pytest.raises(Invalid, match="50 characters"):
        rules.clean_text("x" * 51, field="text", label="Text", max_length=50)


def test_a_carried_forward_action_stays_open():
    assert rules.action_status_after_review(ReviewOutcome.CARRIED_FORWARD) is ActionStatus.OPEN
    assert rules.action_status_after_review(ReviewOutcome.DONE) is ActionStatus.DONE
    assert rules.action_status_after_review(ReviewOutcome.NOT_DONE) is ActionStatus.NOT_DONE


def test_dates_must_be_real():
    assert rules.parse_date("2026-12-01", field="d", label="Date") == date(2026, 12, 1)
    with pytest.raises(Invalid, match="real date"):
        rules.parse_date("2026-02-30", field="d", label="Date")


def test_the_room_cannot_change_before_start_or_after_close():
    rules.require_live("live")
    for status in ("scheduled", "closed"):
        with pytest.raises(Refused):
            rules.require_live(status)


def test_stage_values_outside_the_four_are_refused():
    assert rules.stage("analysis") is Stage.ANALYSIS
    with pytest.raises(Invalid):
        rules.stage("gossip")
