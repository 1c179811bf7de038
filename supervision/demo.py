"""Fictional demo data: two teams, their people, families and sessions. Never real people.

Loading is idempotent: people, families and sessions that already exist are left as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .extensions import db
from .services.accounts import hash_password
from .services.records import freeze
from .store.models import (
    Action, Adult, AgendaItem, Attendance, Card, Decision, Family, Child, Membership,
    Role, Specialism, SupervisionSession, Team, User,
)

LONDON = ZoneInfo("Europe/London")

NORTH = "Family Safeguarding Team North"
SOUTH = "Family Safeguarding Team South"

PEOPLE = {
    NORTH: [
        # username, name, role key, specialism key
        ("manager", "Helen Brooks", "team-manager", None),
        ("senior", "David Mensah", "senior-social-worker", None),
        ("social", "Priya Shah", "social-worker", None),
        ("practitioner", "Tom Riley", "family-practitioner", None),
        ("recovery", "Grace Whitfield", "recovery-worker", "recovery"),
        ("da-practitioner", "Amara Bello", "domestic-abuse-practitioner", "domestic-abuse-harmed"),
        ("da-officer", "Mark Dunn", "domestic-abuse-officer", "domestic-abuse-risk"),
        ("mental-health", "Ruth Ellison", "mental-health-practitioner", "mental-health"),
        ("support", "Jenny Marsh", "business-support", None),
    ],
    SOUTH: [
        ("south-manager", "Omar Haddad", "team-manager", None),
        ("south-social", "Lucy Fenwick", "social-worker", None),
        ("south-support", "Ian Clarke", "business-support", None),
    ],
}

# case ref, display name, social worker, plan level, children, adults (first name, relationship, specialisms)
FAMILIES = {
    NORTH: [
        ("FS-1042", "Harper family", "social", "child_protection",
         [("Ava", None, "5 months", "child_protection")],
         [("Mia", "Mother", ["recovery", "domestic-abuse-harmed"]),
          ("Liam", "Father (Liam Cole)", ["domestic-abuse-risk"])]),
        ("FS-1057", "Khan family", "social", "child_in_need",
         [("Zara", None, "9 years", "child_in_need"), ("Adam", None, "6 years", "child_in_need")],
         [("Nadia", "Mother", ["mental-health"])]),
        ("FS-1063", "Doyle family", "senior", "early_help",
         [("Callum", None, "14 years", "early_help")],
         [("Sean", "Father", ["recovery"])]),
        ("FS-1071", "Okoro family", "social", "pre_proceedings",
         [("Tayo", None, "3 years", "pre_proceedings"), ("Kemi", None, "1 year", "pre_proceedings")],
         [("Joy", "Mother", ["domestic-abuse-harmed", "mental-health"])]),
        ("FS-1080", "Walsh family", "senior", "looked_after",
         [("Ellie", None, "11 years", "looked_after")],
         [("Karen", "Mother", ["recovery"])]),
    ],
    SOUTH: [
        ("FS-2011", "Price family", "south-social", "child_in_need",
         [("Noah", None, "7 years", "child_in_need")],
         [("Leanne", "Mother", ["mental-health"])]),
        ("FS-2019", "Morgan family", "south-social", "child_protection",
         [("Ruby", None, "2 years", "child_protection")],
         [("Dean", "Father", ["recovery"])]),
    ],
}


@dataclass
class DemoResult:
    created_users: list[str] = field(default_factory=list)
    created_families: list[str] = field(default_factory=list)
    created_sessions: int = 0
    usernames: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not (self.created_users or self.created_families or self.created_sessions):
            return "Demo data is already loaded; nothing changed."
        return (f"Demo data loaded: {len(self.created_users)} people, {len(self.created_families)} families, "
                f"{self.created_sessions} sessions.")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(timezone.utc)


def load_demo(password: str) -> DemoResult:
    result = DemoResult()
    roles = {r.key: r for r in db.session.scalars(select(Role))}
    specialisms = {s.key: s for s in db.session.scalars(select(Specialism))}
    if not roles:
        raise RuntimeError("The database has no roles: run `supervision db upgrade` first.")
    # Every run sets the demo people's password to the one printed, so what is printed is always true.
    password_hash = hash_password(password)
    for team_name, people in PEOPLE.items():
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            team = Team(name=team_name, slug=team_name.split()[-1].lower())
            db.session.add(team)
            db.session.flush()
        for username, name, role_key, specialism_key in people:
            result.usernames.append(username)
            existing = db.session.scalar(select(User).where(User.username == username))
            if existing is not None:
                existing.password_hash = password_hash
                continue
            user = User(username=username, display_name=name, password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(team_id=team.id, user_id=user.id, role_id=roles[role_key].id,
                                      specialism_id=specialisms[specialism_key].id if specialism_key else None))
            result.created_users.append(username)
    db.session.flush()
    users = {u.username: u for u in db.session.scalars(select(User))}
    for team_name, families in FAMILIES.items():
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        for ref, name, worker, level, children, adults in families:
            if db.session.scalar(select(Family.id).where(Family.team_id == team.id, Family.case_reference == ref)):
                continue
            family = Family(team_id=team.id, case_reference=ref, display_name=name,
                            social_worker_id=users[worker].id, plan_level=level)
            for first, dob, age, child_level in children:
                family.children.append(Child(first_name=first, date_of_birth=dob, age_description=age,
                                             plan_level=child_level))
            for first, relationship, keys in adults:
                family.adults.append(Adult(first_name=first, relationship_to_child=relationship,
                                           specialisms=[specialisms[k] for k in keys]))
            db.session.add(family)
            result.created_families.append(ref)
    db.session.flush()
    result.created_sessions += _north_sessions(users, roles)
    result.created_sessions += _south_session(users, roles)
    db.session.commit()
    return result


def _team(name: str) -> Team:
    return db.session.scalar(select(Team).where(Team.name == name))


def _families(team: Team) -> dict[str, Family]:
    return {f.case_reference: f for f in db.session.scalars(select(Family).where(Family.team_id == team.id))}


def _attend(session: SupervisionSession, users, team: Team, absent: dict[str, str] | None = None) -> None:
    absent = absent or {}
    for membership in db.session.scalars(select(Membership).where(Membership.team_id == team.id)):
        username = membership.user.username
        session.attendance.append(Attendance(user_id=membership.user_id, role_id=membership.role_id,
                                             status=absent.get(username, "present")))


def _north_sessions(users, roles) -> int:
    team = _team(NORTH)
    if db.session.scalar(select(SupervisionSession.id).where(SupervisionSession.team_id == team.id)):
        return 0
    families = _families(team)
    today = date.today()
    past_day = today - timedelta(days=14)
    past = SupervisionSession(team_id=team.id, starts_at=_at(past_day, 9, 30), chair_id=users["manager"].id,
                              minute_taker_id=users["support"].id, status="closed",
                              started_at=_at(past_day, 9, 32), closed_at=_at(past_day, 11, 5),
                              current_stage="decision")
    db.session.add(past)
    _attend(past, users, team, absent={"mental-health": "apologies", "practitioner": "late"})
    harper = AgendaItem(family_id=families["FS-1042"].id, position=1, minutes_allowed=30,
                        started_at=_at(past_day, 9, 35))
    khan = AgendaItem(family_id=families["FS-1057"].id, position=2, minutes_allowed=20,
                      started_at=_at(past_day, 10, 10))
    past.agenda.extend([harper, khan])
    db.session.flush()
    _harper_discussion(harper, users, _at(past_day, 10, 5))
    _khan_discussion(khan, users, _at(past_day, 10, 35))
    past.current_item_id = khan.id
    db.session.flush()
    for item in (harper, khan):  # as signing off on the board does
        freeze(item)

    upcoming = SupervisionSession(team_id=team.id, starts_at=_at(today, 14, 0), chair_id=users["manager"].id,
                                  minute_taker_id=users["support"].id, status="scheduled")
    db.session.add(upcoming)
    _attend(upcoming, users, team, absent={"mental-health": "apologies"})
    for position, (ref, minutes) in enumerate([("FS-1042", 30), ("FS-1057", 20), ("FS-1071", 25)], start=1):
        upcoming.agenda.append(AgendaItem(family_id=families[ref].id, position=position, minutes_allowed=minutes))
    return 2


def _card(item, users, username, stage, text, *, heading=None, adult=None, stage_of_change=None):
    user = users[username]
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    item.cards.append(Card(stage=stage, heading=heading, author_id=user.id, author_role_label=membership.role.label,
                           author_specialism_label=membership.specialism.label if membership.specialism else None,
                           adult_id=adult.id if adult else None, stage_of_change=stage_of_change, text=text))


def _harper_discussion(item: AgendaItem, users, signed_at: datetime) -> None:
    family = item.family
    mia = next(a for a in family.adults if a.first_name == "Mia")
    liam = next(a for a in family.adults if a.first_name == "Liam")
    _card(item, users, "social", "situation",
          "Ava is 5 months old and has been on a Child Protection plan since before she was born. "
          "Mia's older child lives with her aunt.\nSince we last met Mia has asked for help with her housing.")
    _card(item, users, "social", "situation",
          "I wonder whether some of the cooperation we see is only apparent.")
    _card(item, users, "recovery", "perspectives",
          "Mia has come to every testing appointment, but twice she arrived intoxicated.",
          adult=mia, stage_of_change="contemplation")
    _card(item, users, "da-officer", "perspectives",
          "Liam has missed his last three appointments with me. I have written to him and will try a home visit.",
          adult=liam, stage_of_change="pre_contemplation")
    _card(item, users, "da-practitioner", "perspectives",
          "Mia talks openly about the relationship and has a safety plan she can describe.", adult=mia)
    _card(item, users, "manager", "analysis", "Mia attends every appointment with Ava's health visitor.",
          heading="working_well")
    _card(item, users, "social", "analysis", "Mia asked for help with her housing herself.", heading="working_well")
    _card(item, users, "recovery", "analysis", "Drug use on days Mia is caring for Ava alone.", heading="worries")
    _card(item, users, "da-officer", "analysis", "We do not know where Liam is staying or how often he visits.",
          heading="worries")
    _card(item, users, "manager", "analysis",
          "What does this mean for a baby who cannot tell anyone? Ava's days depend on how Mia is that morning.",
          heading="lived_experience")
    _card(item, users, "social", "analysis",
          "Mia may be telling us what she thinks we want to hear because she fears losing Ava.", heading="hypotheses")
    _card(item, users, "senior", "analysis", "A joint visit by the recovery worker and the social worker.",
          heading="next_steps")
    item.notes_text = ("Priya presented. Previous actions reviewed: none open.\n"
                       "Grace: two intoxicated attendances; Mia wants to reduce.\n"
                       "Helen asked what this means for Ava. Group agreed the plan continues.")
    item.notes_version = 1
    item.notes_updated_by_id = users["support"].id
    item.notes_updated_at = signed_at
    item.decision = Decision(decision_text="Ava stays on her Child Protection plan.",
                             rationale="Mia is working with us and the health visitor, but drug use and Liam's "
                                       "absence from his work mean the risks to Ava have not reduced yet.",
                             outcome="continue", next_discussion_on=signed_at.date() + timedelta(days=28),
                             version=2, updated_by_id=users["manager"].id, updated_at=signed_at,
                             signed_off_by_id=users["manager"].id, signed_off_role_label="Team manager",
                             signed_off_at=signed_at)
    db.session.flush()
    for text, owner, days in [
        ("Joint home visit with Mia to talk about testing and Ava's routine", "recovery", 7),
        ("Home visit to Liam to offer his sessions again", "da-officer", 10),
        ("Ask the housing team about Mia's application", "practitioner", 14),
    ]:
        db.session.add(Action(family_id=family.id, agenda_item_id=item.id, text=text, owner_id=users[owner].id,
                              due_on=signed_at.date() + timedelta(days=days), status="open",
                              proposed_by_id=users["manager"].id))


def _khan_discussion(item: AgendaItem, users, signed_at: datetime) -> None:
    family = item.family
    nadia = family.adults[0]
    _card(item, users, "social", "situation",
          "Zara and Adam are on a Child in Need plan. Nadia has been feeling low since the winter.")
    _card(item, users, "mental-health", "perspectives",
          "Nadia has started talking therapy and keeps her appointments.", adult=nadia, stage_of_change="action")
    _card(item, users, "practitioner", "analysis", "The children are in school every day.", heading="working_well")
    _card(item, users, "social", "analysis", "Zara is caring for Adam in the mornings.", heading="worries")
    _card(item, users, "practitioner", "analysis", "Zara may feel she has to look after the family.",
          heading="lived_experience")
    item.notes_text = "Ruth sent her update in advance. Group agreed Zara needs time that is just hers."
    item.notes_version = 1
    item.notes_updated_by_id = users["support"].id
    item.notes_updated_at = signed_at
    item.decision = Decision(decision_text="Continue the Child in Need plan and refer Zara to the young carers group.",
                             rationale="Nadia is making progress; Zara's caring role needs support of its own.",
                             outcome="continue", next_discussion_on=signed_at.date() + timedelta(days=42),
                             version=1, updated_by_id=users["manager"].id, updated_at=signed_at,
                             signed_off_by_id=users["manager"].id, signed_off_role_label="Team manager",
                             signed_off_at=signed_at)
    db.session.flush()
    db.session.add(Action(family_id=family.id, agenda_item_id=item.id, text="Refer Zara to the young carers group",
                          owner_id=users["practitioner"].id, due_on=signed_at.date() + timedelta(days=14),
                          status="open", proposed_by_id=users["practitioner"].id))


def _south_session(users, roles) -> int:
    team = _team(SOUTH)
    if db.session.scalar(select(SupervisionSession.id).where(SupervisionSession.team_id == team.id)):
        return 0
    families = _families(team)
    session = SupervisionSession(team_id=team.id, starts_at=_at(date.today(), 10, 0),
                                 chair_id=users["south-manager"].id, minute_taker_id=users["south-support"].id,
                                 status="scheduled")
    db.session.add(session)
    _attend(session, users, team)
    for position, ref in enumerate(["FS-2011", "FS-2019"], start=1):
        session.agenda.append(AgendaItem(family_id=families[ref].id, position=position, minutes_allowed=25))
    return 1
