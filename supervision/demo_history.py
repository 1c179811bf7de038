"""A year of fictional history for team North: fortnightly sessions, signed decisions, plan changes,
stage-of-change readings and actions with their outcomes, so every chart shows a real trend.

Deterministic: the same day gives the same history (a seeded generator, dates counted back from
today). Loaded after the demo (`supervision demo`); run twice, it adds nothing the second time.
Fictional people only.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .domain.cadence import DEFAULT_WEEKS
from .extensions import db
from .export.files import record_filename
from .services.records import freeze
from .store.models import (
    Action, ActionReview, Adult, AgendaItem, Amendment, Attendance, Card, Child, Decision, ExportLog, Family,
    Membership,
    Specialism, SupervisionSession, Team, User,
)

LONDON = ZoneInfo("Europe/London")
NORTH = "Family Safeguarding Team North"
SEED = 2026
SESSIONS = 26  # fortnightly: a year before the demo's closed session
SPECIALIST_OF = {"recovery": "recovery", "domestic-abuse-harmed": "da-practitioner",
                 "domestic-abuse-risk": "da-officer", "mental-health": "mental-health"}

# Families that join for the history: case ref, name, social worker, children, adults.
MORE_FAMILIES = [
    ("FS-1088", "Bennett family", "social", [("Leo", "4 years")], [("Chloe", "Mother", ["recovery"])]),
    ("FS-1091", "Novak family", "senior", [("Ivy", "8 years")], [("Petra", "Mother", ["mental-health"])]),
    ("FS-1094", "Ahmed family", "social", [("Yusuf", "2 years"), ("Amina", "6 years")],
     [("Sana", "Mother", ["domestic-abuse-harmed"]), ("Tariq", "Father", ["domestic-abuse-risk"])]),
    ("FS-1097", "Fraser family", "senior", [("Maisie", "10 months")], [("Kayleigh", "Mother", ["recovery", "mental-health"])]),
    ("FS-1102", "Lewis family", "social", [("Jack", "12 years")], [("Dawn", "Grandmother", ["mental-health"])]),
    ("FS-1105", "Quinn family", "senior", [("Rosie", "3 months")], [("Ellie", "Mother", ["recovery"]),
                                                                     ("Ryan", "Father", ["domestic-abuse-risk"])]),
]

# Each family's path: (first session index it is discussed at, [(from session index, plan or "closed")]).
# The last plan of the five demo families is the plan they have today.
PATHS = {
    "FS-1042": (0, [(0, "child_protection")]),
    "FS-1057": (0, [(0, "child_protection"), (9, "child_in_need")]),
    "FS-1063": (1, [(1, "child_in_need"), (15, "early_help")]),
    "FS-1071": (0, [(0, "child_in_need"), (6, "child_protection"), (17, "pre_proceedings")]),
    "FS-1080": (1, [(1, "pre_proceedings"), (5, "looked_after")]),
    "FS-1088": (0, [(0, "child_protection"), (11, "child_in_need"), (21, "closed")]),
    "FS-1091": (2, [(2, "child_in_need"), (11, "closed")]),
    "FS-1094": (1, [(1, "child_protection"), (18, "child_in_need")]),
    "FS-1097": (8, [(8, "child_protection"), (20, "child_in_need")]),
    "FS-1102": (0, [(0, "child_in_need"), (14, "early_help"), (23, "closed")]),
    "FS-1105": (12, [(12, "child_protection")]),
}
# Stage-of-change paths the readings wander along, one step at a time.
STAGES = ["relapse", "pre_contemplation", "contemplation", "preparation", "action", "maintenance"]
LEVEL_RANK = {"early_help": 0, "child_in_need": 1, "child_protection": 2, "pre_proceedings": 3, "looked_after": 4}

SITUATIONS = [
    "{child} is settled at nursery and seen every week.",
    "Since we last met {adult} has kept most appointments.",
    "{adult} asked for help with the family's money worries.",
    "School says {child} seems tired on Mondays.",
    "The family has moved to a new flat nearer {adult}'s sister.",
]
WORKING_WELL = ["{adult} and {child} have a steady morning routine.", "{adult} talks openly with the health visitor.",
                "{child}'s attendance has improved."]
WORRIES = ["We do not yet know who else visits the home.", "Missed appointments cluster around weekends.",
           "{adult} finds it hard to ask for help when things go wrong."]
ACTIONS = ["Joint visit to talk about {child}'s routine", "Ask the school how {child} is getting on",
           "Offer {adult} the parenting group again", "Check the housing application", "Book the next testing appointment"]


@dataclass
class HistoryResult:
    sessions: int = 0
    discussions: int = 0
    families: int = 0

    def summary(self) -> str:
        if not self.sessions:
            return "North's year of history is already loaded; nothing changed."
        return (f"North's year of history loaded: {self.sessions} sessions, {self.discussions} signed "
                f"discussions, {self.families} more families.")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return (datetime.combine(day, time(hour), LONDON) + timedelta(minutes=minute)).astimezone(timezone.utc)


def _plan_at(path: list[tuple[int, str]], index: int) -> str:
    plan = path[0][1]
    for start, level in path:
        if start <= index:
            plan = level
    return plan


def load_history(today: date | None = None) -> HistoryResult:
    """Add the year before the demo's closed session (a fortnight ago) to team North."""
    today = today or datetime.now(LONDON).date()
    result = HistoryResult()
    team = db.session.scalar(select(Team).where(Team.name == NORTH))
    if team is None:
        raise RuntimeError("Load the demo first: `supervision demo`.")
    first_day = today - timedelta(days=14 * (SESSIONS + 1))
    if db.session.scalar(select(SupervisionSession.id).where(SupervisionSession.team_id == team.id,
                                                             SupervisionSession.starts_at < _at(today - timedelta(days=20), 0))):
        return result
    rng = random.Random(SEED)
    users = {u.username: u for u in db.session.scalars(select(User))}
    memberships = {m.user.username: m for m in db.session.scalars(select(Membership).where(Membership.team_id == team.id))}
    specialisms = {s.key: s for s in db.session.scalars(select(Specialism))}
    families = {f.case_reference: f for f in db.session.scalars(select(Family).where(Family.team_id == team.id))}
    for ref, name, worker, children, adults in MORE_FAMILIES:
        if ref in families:
            continue
        family = Family(team_id=team.id, case_reference=ref, display_name=name, social_worker_id=users[worker].id,
                        plan_level=PATHS[ref][1][0][1])
        family.children = [Child(first_name=first, age_description=age, plan_level=family.plan_level)
                           for first, age in children]
        family.adults = [Adult(first_name=first, relationship_to_child=rel, specialisms=[specialisms[k] for k in keys])
                         for first, rel, keys in adults]
        db.session.add(family)
        families[ref] = family
        result.families += 1
    db.session.flush()
    current = {ref: f.plan_level for ref, f in families.items()}
    for ref, (start, path) in PATHS.items():
        family = families[ref]
        family.created_at = _at(first_day + timedelta(days=14 * start - 10), 9)
        final = [level for _, level in path if level != "closed"][-1]
        current[ref] = current[ref] if ref in {"FS-1042", "FS-1057", "FS-1063", "FS-1071", "FS-1080"} else final
    stage_now = {}
    last_item: dict[str, AgendaItem] = {}
    last_discussed: dict[str, int] = {}
    for index in range(SESSIONS):
        day = first_day + timedelta(days=14 * index)
        session = SupervisionSession(team_id=team.id, starts_at=_at(day, 9, 30), chair_id=users["manager"].id,
                                     minute_taker_id=users["support"].id, status="closed",
                                     started_at=_at(day, 9, 31), closed_at=_at(day, 12, 0), current_stage="decision")
        db.session.add(session)
        for username, membership in memberships.items():
            status = "apologies" if rng.random() < 0.08 else "present"
            session.attendance.append(Attendance(user_id=membership.user_id, role_id=membership.role_id, status=status))
        on_agenda = []
        for ref, (start, path) in PATHS.items():
            plan = _plan_at(path, index)
            if index < start or plan == "closed" and _plan_at(path, index - 1) == "closed":
                continue
            weeks = DEFAULT_WEEKS[_plan_at(path, max(index - 1, start))]
            gap = max(1, weeks // 2)
            changes_now = any(s == index for s, _ in path) and index != start
            if ref in last_discussed and index - last_discussed[ref] < gap and not changes_now:
                continue
            on_agenda.append(ref)
        if not on_agenda:
            continue
        result.sessions += 1
        for position, ref in enumerate(on_agenda, start=1):
            family = families[ref]
            start, path = PATHS[ref]
            item = AgendaItem(family_id=family.id, position=position, minutes_allowed=25,
                              started_at=_at(day, 9, 30 + 25 * (position - 1)))
            session.agenda.append(item)
            db.session.flush()
            plan_before = _plan_at(path, index - 1) if index > start else _plan_at(path, index)
            plan_next = _plan_at(path, index)
            # The record holds the plan the family was on when discussed; the decision moves it.
            family.plan_level = plan_before if plan_next != "closed" else _plan_at(path, index - 1)
            for child in family.children:
                child.plan_level = family.plan_level
            signed_at = _at(day, 9, 50 + 25 * (position - 1))
            _discussion(rng, item, family, memberships, users, stage_now, signed_at)
            outcome = _outcome(plan_before, plan_next)
            next_weeks = DEFAULT_WEEKS.get(plan_next if plan_next != "closed" else plan_before, 6)
            item.decision = Decision(
                decision_text=_decision_text(family, outcome, plan_next),
                rationale="The group weighed what is working well against the worries for the children.",
                outcome=outcome, next_discussion_on=None if outcome == "close" else day + timedelta(weeks=next_weeks),
                version=2, updated_by_id=users["manager"].id, updated_at=signed_at,
                signed_off_by_id=users["manager"].id, signed_off_role_label="Team manager", signed_off_at=signed_at)
            db.session.flush()
            _review_and_agree(rng, item, family, users, last_item.get(ref), signed_at, closing=outcome == "close")
            db.session.flush()
            freeze(item)
            if plan_next != "closed":
                family.plan_level = plan_next
            last_item[ref], last_discussed[ref] = item, index
            result.discussions += 1
            if index < SESSIONS - 2:  # business support exported the record; the last two are still to do
                db.session.add(ExportLog(session_id=session.id, family_id=family.id, user_id=users["support"].id,
                                         via="web", draft=False, created_at=_at(day + timedelta(days=1), 11),
                                         filename=record_filename(session.starts_at, team.slug, ref)))
        if index % 9 == 4:  # now and then a signed decision is corrected, with its reason
            item = session.agenda[0]
            new_date = item.decision.next_discussion_on + timedelta(days=7) if item.decision.next_discussion_on else None
            if new_date:
                db.session.add(Amendment(decision_id=item.decision.id, field="next_discussion_on",
                                         original_text=item.decision.next_discussion_on.isoformat(),
                                         amended_text=new_date.isoformat(), reason="The social worker is on leave that week.",
                                         author_id=users["manager"].id, author_role_label="Team manager",
                                         created_at=_at(day + timedelta(days=2), 10)))
                item.decision.next_discussion_on = new_date
    for ref, family in families.items():
        family.plan_level = current[ref]
        for child in family.children:
            child.plan_level = current[ref]
    db.session.commit()
    return result


def _outcome(before: str, after: str) -> str:
    if after == "closed":
        return "close"
    if after == before:
        return "continue"
    return "step_up" if LEVEL_RANK[after] > LEVEL_RANK[before] else "step_down"


def _decision_text(family: Family, outcome: str, plan: str) -> str:
    child = family.children[0].first_name
    return {
        "continue": f"{child} stays on the current plan.",
        "step_down": f"{child}'s plan steps down.",
        "step_up": f"{child}'s plan steps up: the worries have grown.",
        "close": f"The team's work with the {family.display_name.split()[0]}s closes.",
    }[outcome]


def _card(item, membership: Membership, stage: str, text: str, *, heading=None, adult=None, stage_of_change=None):
    item.cards.append(Card(stage=stage, heading=heading, author_id=membership.user_id,
                           author_role_label=membership.role.label,
                           author_specialism_label=membership.specialism.label if membership.specialism else None,
                           adult_id=adult.id if adult else None, stage_of_change=stage_of_change, text=text))


def _discussion(rng, item, family: Family, memberships, users, stage_now: dict, signed_at: datetime) -> None:
    adult, child = family.adults[0], family.children[0]
    words = {"adult": adult.first_name, "child": child.first_name}
    worker = memberships[family.social_worker.username] if family.social_worker else memberships["social"]
    _card(item, worker, "situation", rng.choice(SITUATIONS).format(**words))
    for each in family.adults:
        for specialism in each.specialisms:
            key = (each.id, specialism.key)
            position = stage_now.get(key, rng.choice([1, 1, 2]))
            step = rng.choice([-1, 0, 0, 1, 1]) if position != 0 else 2
            position = min(max(position + step, 0), len(STAGES) - 1)
            if position == 0 and rng.random() < 0.5:
                position = 2
            stage_now[key] = position
            _card(item, memberships[SPECIALIST_OF[specialism.key]], "perspectives",
                  f"My update on {each.first_name}: we met {rng.randint(2, 6)} times since the last discussion.",
                  adult=each, stage_of_change=STAGES[position])
    _card(item, memberships["practitioner"], "analysis", rng.choice(WORKING_WELL).format(**words),
          heading="working_well")
    _card(item, worker, "analysis", rng.choice(WORRIES).format(**words), heading="worries")
    _card(item, memberships["manager"], "analysis", f"What does this mean for {child.first_name} day to day?",
          heading="lived_experience")
    item.notes_text = f"{worker.user.display_name} presented. The group reflected on {child.first_name}'s week."
    item.notes_version = 1
    item.notes_updated_by_id = users["support"].id
    item.notes_updated_at = signed_at


def _review_and_agree(rng, item, family, users, previous: AgendaItem | None, signed_at: datetime, *, closing: bool):
    """Review the actions agreed last time, then agree new ones (none when the plan closes)."""
    if previous is not None:
        earlier = select(AgendaItem.id).join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id).where(
            AgendaItem.family_id == family.id, SupervisionSession.starts_at < item.session.starts_at)
        for action in db.session.scalars(select(Action).where(Action.family_id == family.id,
                                                              Action.agenda_item_id.in_(earlier),
                                                              Action.status == "open")):
            outcome = rng.choices(["done", "not_done", "carried_forward"], [6, 1, 2])[0]
            carried_before = db.session.scalar(select(ActionReview.id).where(ActionReview.action_id == action.id))
            if outcome == "carried_forward" and (closing or carried_before is not None):
                outcome = "done"
            db.session.add(ActionReview(agenda_item_id=item.id, action_id=action.id, outcome=outcome,
                                        reviewed_by_id=users["manager"].id, reviewed_at=signed_at))
            action.status = {"done": "done", "not_done": "not_done", "carried_forward": "open"}[outcome]
    if closing:
        return
    words = {"adult": family.adults[0].first_name, "child": family.children[0].first_name}
    owners = ["social", "practitioner", "recovery", "da-officer", "mental-health", "senior"]
    for text in rng.sample(ACTIONS, rng.choice([1, 2])):
        db.session.add(Action(family_id=family.id, agenda_item_id=item.id, text=text.format(**words),
                              owner_id=users[rng.choice(owners)].id,
                              due_on=signed_at.date() + timedelta(days=rng.choice([7, 10, 14, 21])),
                              status="open", proposed_by_id=users["manager"].id))
