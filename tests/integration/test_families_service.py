"""The families service on SQLite and PostgreSQL: adding and changing families, and their history."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from supervision.domain.errors import Invalid, NotFound, Refused
from supervision.extensions import db
from supervision.services import families
from supervision.services.families import AdultDetails, ChildDetails, FamilyDetails
from supervision.services.scope import actor_for
from supervision.store.models import Adult, Card, Family, Specialism, SupervisionSession, Team, User


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def actor(username: str, team: str = "north"):
    team_id = db.session.scalar(select(Team.id).where(Team.slug == team))
    return actor_for(user(username).id, team_id)


def specialism(key: str) -> int:
    return db.session.scalar(select(Specialism.id).where(Specialism.key == key))


def family(reference: str, team: str = "north") -> Family:
    return db.session.scalar(select(Family).join(Team).where(Team.slug == team, Family.case_reference == reference))


def ashby(**overrides) -> FamilyDetails:
    details = FamilyDetails(
        case_reference="FS-1101", display_name="Ashby family", plan_level="child_in_need",
        social_worker_id=user("social").id,
        children=[ChildDetails("Leo", "child_in_need", age_description="4 years"),
                  ChildDetails("Rose", "child_protection", date_of_birth=date(2025, 1, 9))],
        adults=[AdultDetails("Sam", "Father", [specialism("recovery"), specialism("mental-health")])],
    )
    for name, value in overrides.items():
        setattr(details, name, value)
    return details


def test_create_a_family_with_children_and_adults(ctx):
    created = families.create_family(actor("support"), ashby())
    db.session.expire_all()
    stored = db.session.get(Family, created.id)
    assert stored.team.slug == "north"
    assert (stored.case_reference, stored.display_name, stored.plan_level, stored.social_worker.username) == (
        "FS-1101", "Ashby family", "child_in_need", "social")
    assert [(c.first_name, c.age_description, c.date_of_birth, c.plan_level) for c in stored.children] == [
        ("Leo", "4 years", None, "child_in_need"), ("Rose", None, date(2025, 1, 9), "child_protection")]
    assert [(a.first_name, a.relationship_to_child, sorted(s.key for s in a.specialisms)) for a in stored.adults] == [
        ("Sam", "Father", ["mental-health", "recovery"])]


def test_update_keeps_adults_by_id_so_board_cards_still_point_at_them(ctx):
    harper = family("FS-1042")
    mia, liam = harper.adults
    ava = harper.children[0]
    mia_cards = db.session.scalar(select(func.count(Card.id)).where(Card.adult_id == mia.id))
    assert mia_cards > 0
    details = FamilyDetails(
        case_reference="FS-1042", display_name="Harper family", plan_level="child_protection",
        social_worker_id=user("senior").id,
        children=[ChildDetails("Ava", "child_protection", age_description="6 months", id=ava.id),
                  ChildDetails("Noor", "child_protection", age_description="Unborn")],
        adults=[AdultDetails("Mia", "Mother", [specialism("recovery")], id=mia.id)],
    )
    families.update_family(user("manager").id, harper.id, details)
    db.session.expire_all()
    harper = family("FS-1042")
    assert [(c.id == ava.id, c.first_name, c.age_description) for c in harper.children] == [
        (True, "Ava", "6 months"), (False, "Noor", "Unborn")]
    assert [(a.id, [s.key for s in a.specialisms]) for a in harper.adults] == [(mia.id, ["recovery"])]
    assert db.session.scalar(select(func.count(Card.id)).where(Card.adult_id == mia.id)) == mia_cards
    assert db.session.get(Adult, liam.id) is None
    assert harper.social_worker.username == "senior"


def test_invalid_details_change_nothing(ctx):
    harper = family("FS-1042")
    before = (harper.display_name, [c.first_name for c in harper.children], [a.first_name for a in harper.adults])
    cases = {
        "case_reference": ashby(case_reference="  "),
        "display_name": ashby(case_reference="FS-1042", display_name=""),
        "plan_level": ashby(case_reference="FS-1042", plan_level="on_a_plan"),
        "social_worker": ashby(case_reference="FS-1042", social_worker_id=user("south-social").id),
        "children": ashby(case_reference="FS-1042", children=[ChildDetails(" ", "child_in_need")]),
        "adults": ashby(case_reference="FS-1042", adults=[AdultDetails("Sam", "", [])]),
    }
    for field, details in cases.items():
        with pytest.raises(Invalid) as raised:
            families.update_family(user("manager").id, harper.id, details)
        assert field in raised.value.fields
        db.session.rollback()
    # a case reference used by another family of the team
    with pytest.raises(Invalid) as raised:
        families.update_family(user("manager").id, family("FS-1057").id, ashby(case_reference="fs-1042"))
    assert raised.value.fields["case_reference"] == "The team already has a family with case reference fs-1042"
    db.session.rollback()
    db.session.expire_all()
    harper = family("FS-1042")
    assert (harper.display_name, [c.first_name for c in harper.children], [a.first_name for a in harper.adults]) == before
    assert family("FS-1057").case_reference == "FS-1057"


def test_the_team_boundary_and_role_rules(ctx):
    price = family("FS-2011", "south")
    with pytest.raises(NotFound):
        families.update_family(user("manager").id, price.id, ashby())
    with pytest.raises(Refused):
        families.create_family(actor("social"), ashby())
    with pytest.raises(Refused):
        families.update_family(user("recovery").id, family("FS-1042").id, ashby(case_reference="FS-1042"))
    with pytest.raises(Invalid):  # an adult id of another family is not taken on trust
        families.update_family(user("manager").id, family("FS-1057").id, ashby(
            case_reference="FS-1057", adults=[AdultDetails("Mia", "Mother", [], id=family("FS-1042").adults[0].id)]))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Family.id)).where(Family.case_reference == "FS-1101")) == 0


def test_last_discussed_and_history(ctx):
    rows = {row.family.case_reference: row for row in families.team_families(actor("social"), order="last_discussed")}
    closed = db.session.scalar(select(SupervisionSession).join(Team).where(
        Team.slug == "north", SupervisionSession.status == "closed"))
    assert rows["FS-1042"].last_discussed == closed.starts_at
    assert rows["FS-1071"].last_discussed is None
    assert "FS-2011" not in rows
    ordered = list(rows)
    assert ordered.index("FS-1063") < ordered.index("FS-1042"), "never discussed comes first"

    history = families.family_history(family("FS-1042"))
    assert [(d.session.status, d.outcome) for d in history.discussions] == [("scheduled", None), ("closed", "continue")]
    assert [a.owner.username for a in history.open_actions] == ["recovery", "da-officer", "practitioner"]


def test_a_worker_who_no_longer_holds_cases_can_stay_allocated_but_not_be_newly_chosen(ctx):
    khan = family("FS-1057")
    khan.social_worker_id = user("practitioner").id  # e.g. their role changed after allocation
    db.session.commit()
    keep = FamilyDetails(case_reference="FS-1057", display_name="Khan family", plan_level="child_in_need",
                         social_worker_id=user("practitioner").id)
    families.update_family(user("manager").id, khan.id, keep)
    with pytest.raises(Invalid) as raised:
        families.update_family(user("manager").id, khan.id, FamilyDetails(
            case_reference="FS-1057", display_name="Khan family", plan_level="child_in_need",
            social_worker_id=user("recovery").id))
    assert raised.value.fields == {"social_worker": "Choose a social worker from this team"}
    db.session.rollback()
    assert family("FS-1057").social_worker.username == "practitioner"
