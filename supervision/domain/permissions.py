"""Who may do what. Every role rule in the service is here and nowhere else.

Roles are data (an authority can add an education specialist); each role has a
kind, and the kind decides the permissions.
"""
from __future__ import annotations

from enum import Enum

from .errors import Refused
from .vocabulary import RoleKind


class Permission(str, Enum):
    MANAGE_FAMILIES = "manage_families"
    SCHEDULE_SESSIONS = "schedule_sessions"
    RECORD_ATTENDANCE = "record_attendance"
    CHAIR = "chair"
    RUN_ROOM = "run_room"
    CONTRIBUTE = "contribute"
    EDIT_ANY_CARD = "edit_any_card"
    WRITE_NOTES = "write_notes"
    RECORD_DECISION = "record_decision"
    SIGN_OFF = "sign_off"
    PROPOSE_ACTION = "propose_action"
    REVIEW_ACTIONS = "review_actions"
    EXPORT_RECORDS = "export_records"
    ADD_AFTER_SIGN_OFF = "add_after_sign_off"
    VIEW_AUDIT = "view_audit"
    MANAGE_PEOPLE = "manage_people"
    VIEW_TEAM_PICTURE = "view_team_picture"
    SET_CADENCE = "set_cadence"
    MANAGE_PLAIN_LANGUAGE = "manage_plain_language"
    WRITE_ANY_LETTER = "write_any_letter"  # besides the family's allocated social worker


_ALL_CONTRIBUTORS = {Permission.CONTRIBUTE, Permission.PROPOSE_ACTION}

RULES: dict[RoleKind, frozenset[Permission]] = {
    RoleKind.MANAGER: frozenset(Permission),
    RoleKind.SENIOR_SOCIAL_WORKER: frozenset(
        _ALL_CONTRIBUTORS | {Permission.MANAGE_FAMILIES, Permission.CHAIR, Permission.VIEW_TEAM_PICTURE}
    ),
    RoleKind.SOCIAL_WORKER: frozenset(_ALL_CONTRIBUTORS | {Permission.REVIEW_ACTIONS}),
    RoleKind.PRACTITIONER: frozenset(_ALL_CONTRIBUTORS),
    RoleKind.SPECIALIST: frozenset(_ALL_CONTRIBUTORS),
    RoleKind.BUSINESS_SUPPORT: frozenset(
        _ALL_CONTRIBUTORS
        | {
            Permission.MANAGE_FAMILIES,
            Permission.SCHEDULE_SESSIONS,
            Permission.RECORD_ATTENDANCE,
            Permission.WRITE_NOTES,
            Permission.EXPORT_RECORDS,
            Permission.ADD_AFTER_SIGN_OFF,
        }
    ),
}

# Powers the chair holds only while chairing: the chair runs the room, and a senior social
# worker deputising for an absent manager records and signs off the decision and reviews
# actions for that session. A team manager holds them all, chairing or not.
CHAIR_POWERS = frozenset({
    Permission.RUN_ROOM, Permission.RECORD_DECISION, Permission.SIGN_OFF, Permission.REVIEW_ACTIONS,
    Permission.EDIT_ANY_CARD, Permission.ADD_AFTER_SIGN_OFF,
})

REASONS: dict[Permission, str] = {
    Permission.MANAGE_FAMILIES: "Only the team manager, a senior social worker or business support can add or change families.",
    Permission.SCHEDULE_SESSIONS: "Only the team manager or business support can set up a session.",
    Permission.RECORD_ATTENDANCE: "Only the team manager or business support can record attendance.",
    Permission.CHAIR: "Only the team manager, or a senior social worker deputising, can chair.",
    Permission.RUN_ROOM: "Only the chair moves the room on.",
    Permission.CONTRIBUTE: "Only people attending this session can add to the board.",
    Permission.EDIT_ANY_CARD: "You can only change your own contributions.",
    Permission.WRITE_NOTES: "Only business support or the team manager can write the notes.",
    Permission.RECORD_DECISION: "Only the team manager, or the chair deputising, can record the decision.",
    Permission.SIGN_OFF: "Only the team manager, or the chair deputising, can sign off the decision.",
    Permission.PROPOSE_ACTION: "Only people attending this session can propose actions.",
    Permission.REVIEW_ACTIONS: "Only the chair, the team manager or a social worker can review previous actions.",
    Permission.EXPORT_RECORDS: "Only business support or the team manager can export records.",
    Permission.ADD_AFTER_SIGN_OFF: ("Only the team manager, the chair or business support can add to a record after "
                                    "sign-off. Tell one of them what needs adding."),
    Permission.VIEW_AUDIT: "Only the team manager can see who has looked at or changed the team's records.",
    Permission.MANAGE_PEOPLE: "Only the team manager or an administrator can add or change the team's people.",
    Permission.VIEW_TEAM_PICTURE: "Only the team manager or a senior social worker can see the team's figures.",
    Permission.SET_CADENCE: "Only the team manager can set how often families are discussed.",
    Permission.MANAGE_PLAIN_LANGUAGE: "Only the team manager can change the team's plain language list.",
    Permission.WRITE_ANY_LETTER: "Only the family's social worker or the team manager can write to the family.",
}


def role_kind(value: str | RoleKind) -> RoleKind:
    return value if isinstance(value, RoleKind) else RoleKind(value)


def can(kind: str | RoleKind, permission: Permission, *, is_chair: bool = False) -> bool:
    """True if a person of this role kind holds the permission (chairing adds CHAIR_POWERS)."""
    granted = RULES.get(role_kind(kind), frozenset())
    return permission in granted or (is_chair and permission in CHAIR_POWERS)


def require(kind: str | RoleKind | None, permission: Permission, *, is_chair: bool = False) -> None:
    """Raise Refused with a plain reason unless the role kind holds the permission."""
    if kind is None or not can(kind, permission, is_chair=is_chair):
        raise Refused(REASONS[permission])


def may_chair(kind: str | RoleKind) -> bool:
    return can(kind, Permission.CHAIR)


CASE_HOLDING_KINDS = frozenset({RoleKind.SOCIAL_WORKER, RoleKind.SENIOR_SOCIAL_WORKER, RoleKind.MANAGER})


def may_hold_cases(kind: str | RoleKind) -> bool:
    """Who can be a family's allocated social worker."""
    return role_kind(kind) in CASE_HOLDING_KINDS


def may_write_letter(kind: str | RoleKind, *, allocated: bool) -> bool:
    """A letter to a family: its allocated social worker, or the team manager."""
    return allocated and may_hold_cases(kind) or can(kind, Permission.WRITE_ANY_LETTER)


def require_letter_writer(kind: str | RoleKind | None, *, allocated: bool) -> None:
    if kind is None or not may_write_letter(kind, allocated=allocated):
        raise Refused(REASONS[Permission.WRITE_ANY_LETTER])
