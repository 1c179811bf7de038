"""Records loaded from the database: what each contains, and what a per-family record must never contain."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from supervision.domain.errors import NotFound, Refused
from supervision.export.text import clean
from supervision.extensions import db
from supervision.services import records
from supervision.store.models import (
    Action, ActionReview, Adult, AgendaItem, Amendment, Attendance, Card, Child, Decision, ExportLog, Family,
    Membership, SupervisionSession, Team, User,
)
from tests.unit.test_docx_writer import header_text, headings, open_docx, package_text, saved, table_rows, texts

STARTS = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
EARLIER = datetime(2026, 10, 25, 9, 30, tzinfo=timezone.utc)


def users() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User))}


def north() -> Team:
    return db.session.scalar(select(Team).where(Team.slug == "north"))


def _card(item, author: User, stage: str, text: str, **extra) -> Card:
    membership = db.session.scalar(select(Membership).where(Membership.user_id == author.id))
    card = Card(stage=stage, author_id=author.id, author_role_label=membership.role.label,
                author_specialism_label=membership.specialism.label if membership.specialism else None,
                text=text, **extra)
    item.cards.append(card)
    return card


# Three fictional families, each with words no other family has: (ref, surname, child, adult)
FAMILIES = [("FS-3101", "Pemberton", "Orla", "Bethan"), ("FS-3102", "Achterberg", "Ludo", "Saskia"),
            ("FS-3103", "Kowalczyk", "Inka", "Wiktor")]


def family_words(ref: str) -> list[str]:
    _ref, surname, child, adult = next(f for f in FAMILIES if f[0] == ref)
    return [ref, surname, child, adult, f"NOTES-{ref}", f"SITUATION-{ref}", f"VIEW-{ref}", f"WORRY-{ref}",
            f"DECISION-{ref}", f"ACTION-{ref}", f"EARLIER-{ref}"]


def build_three_family_session(notes: dict[str, str] | None = None) -> SupervisionSession:
    """A North session with three families in agenda order 3101, 3102, 3103 (inserted out of order).

    3101 and 3102 are signed off; 3103 is not. 3101 also has an earlier session, previous actions,
    a removed card, proposed and dropped actions, and an amendment.
    """
    people, team = users(), north()
    families = {}
    for ref, surname, child, adult in FAMILIES:
        family = Family(team_id=team.id, case_reference=ref, display_name=f"{surname} family",
                        social_worker_id=people["social"].id, plan_level="child_in_need")
        family.children.append(Child(first_name=child, age_description="4 years", plan_level="child_in_need"))
        family.adults.append(Adult(first_name=adult, relationship_to_child="Mother"))
        db.session.add(family)
        families[ref] = family
    db.session.flush()

    earlier = SupervisionSession(team_id=team.id, starts_at=EARLIER, chair_id=people["manager"].id,
                                 minute_taker_id=people["support"].id, status="closed")
    db.session.add(earlier)
    earlier_item = AgendaItem(family_id=families["FS-3101"].id, position=1)
    earlier.agenda.append(earlier_item)
    db.session.flush()
    previous = {name: Action(family_id=families["FS-3101"].id, agenda_item_id=earlier_item.id,
                             text=f"EARLIER-FS-3101 {name}", owner_id=people["recovery"].id,
                             due_on=date(2026, 11, 1), status=status, proposed_by_id=people["manager"].id)
                for name, status in [("done", "done"), ("carried", "open"), ("unreviewed", "open")]}
    db.session.add_all(previous.values())

    session = SupervisionSession(team_id=team.id, starts_at=STARTS, chair_id=people["manager"].id,
                                 minute_taker_id=people["support"].id, status="live")
    db.session.add(session)
    for username, status in [("manager", "present"), ("support", "present"), ("social", "late"),
                             ("mental-health", "apologies")]:
        membership = db.session.scalar(select(Membership).where(Membership.user_id == people[username].id))
        session.attendance.append(Attendance(user_id=people[username].id, role_id=membership.role_id, status=status))
    items = {}
    for position, ref in [(3, "FS-3103"), (1, "FS-3101"), (2, "FS-3102")]:
        items[ref] = AgendaItem(family_id=families[ref].id, position=position,
                                notes_text=(notes or {}).get(ref, f"NOTES-{ref} written by business support."))
        session.agenda.append(items[ref])
    db.session.flush()

    for ref, item in items.items():
        adult = families[ref].adults[0]
        _card(item, people["social"], "situation", f"SITUATION-{ref} about {adult.first_name}.")
        _card(item, people["recovery"], "perspectives", f"VIEW-{ref} from recovery.", adult_id=adult.id,
              stage_of_change="preparation")
        _card(item, people["manager"], "analysis", f"WORRY-{ref} for the child.", heading="worries")
        signed = ref != "FS-3103"
        item.decision = Decision(
            decision_text=f"DECISION-{ref}: continue the plan.", rationale="Progress is steady.", outcome="continue",
            next_discussion_on=date(2026, 12, 20), updated_by_id=people["manager"].id,
            signed_off_by_id=people["manager"].id if signed else None,
            signed_off_role_label="Team manager" if signed else None,
            signed_off_at=STARTS + timedelta(minutes=30) if signed else None)
        db.session.add(Action(family_id=families[ref].id, agenda_item_id=item.id, text=f"ACTION-{ref} home visit",
                              owner_id=people["da-officer"].id, due_on=date(2026, 12, 1), status="open",
                              proposed_by_id=people["manager"].id))

    first = items["FS-3101"]
    _card(first, people["social"], "situation", "REMOVED-CARD was taken off the board.",
          removed_at=STARTS + timedelta(minutes=5))
    _card(first, people["practitioner"], "analysis", "STRENGTH-FS-3101 school every day.", heading="working_well")
    _card(first, people["manager"], "decision", "DISCUSSED-FS-3101 before deciding.")
    for status in ("proposed", "dropped"):
        db.session.add(Action(family_id=families["FS-3101"].id, agenda_item_id=first.id,
                              text=f"{status.upper()}-ACTION never agreed", status=status,
                              proposed_by_id=people["social"].id))
    db.session.flush()
    for name, outcome in [("done", "done"), ("carried", "carried_forward")]:
        db.session.add(ActionReview(agenda_item_id=first.id, action_id=previous[name].id, outcome=outcome,
                                    reviewed_by_id=people["manager"].id))
    db.session.add(Amendment(decision_id=first.decision.id, field="rationale", original_text="Progress is slow.",
                             amended_text="Progress is steady.", reason="The first wording was wrong.",
                             author_id=people["manager"].id, author_role_label="Team manager",
                             created_at=STARTS + timedelta(days=1)))
    db.session.commit()
    return session


def item_of(session: SupervisionSession, ref: str) -> AgendaItem:
    return next(i for i in session.agenda if i.family.case_reference == ref)


def demo_closed_session() -> SupervisionSession:
    return db.session.scalar(select(SupervisionSession).join(Team).where(
        Team.slug == "north", SupervisionSession.status == "closed"))


def test_a_family_record_contains_nothing_of_the_other_families(app):
    with app.app_context():
        session = build_three_family_session()
        for ref, *_ in FAMILIES:
            data = saved(records.load_record(session, item_of(session, ref)))
            everything = package_text(data)
            for word in family_words(ref)[:-1]:
                assert word in everything, (ref, word)
            for other, *_ in FAMILIES:
                if other != ref:
                    leaked = [w for w in family_words(other) if w in everything]
                    assert leaked == [], f"{ref}'s record mentions {other}: {leaked}"


def test_the_minutes_hold_every_family_in_agenda_order_and_are_draft_until_all_are_signed(app):
    with app.app_context():
        session = build_three_family_session()
        document = open_docx(saved(records.load_record(session)))
        families = [text for style, text in headings(document) if style == "Heading 1"][3:]
        assert families == ["Pemberton family (FS-3101)", "Achterberg family (FS-3102)", "Kowalczyk family (FS-3103)"]
        assert "DRAFT" in header_text(document)
        assert "DRAFT" not in header_text(open_docx(saved(records.load_record(session, item_of(session, "FS-3101")))))
        assert "DRAFT" in header_text(open_docx(saved(records.load_record(session, item_of(session, "FS-3103")))))


def test_family_record_contents_from_the_board(app):
    with app.app_context():
        session = build_three_family_session()
        document = open_docx(saved(records.load_record(session, item_of(session, "FS-3101"))))
        body = texts(document)
        joined = "\n".join(body)
        assert "REMOVED-CARD" not in joined
        assert "PROPOSED-ACTION" not in joined and "DROPPED-ACTION" not in joined
        assert "Signed off by Helen Brooks, Team manager, on 22 November 2026 at 10:00am" in body
        assert "Original wording: Progress is slow." in body and "Reason: The first wording was wrong." in body
        assert "What changed: The rationale" in body
        assert "DISCUSSED-FS-3101 before deciding.\nHelen Brooks, Team manager" in body
        analysis = [t for s, t in headings(document) if s == "Heading 3"]
        assert analysis.index("What is working well") < analysis.index("What we are worried about")
        assert any(line.startswith("VIEW-FS-3101") and line.endswith(
            "Grace Whitfield, Recovery worker. About Bethan, Mother. Stage of change: Preparation") for line in body)
        attendance, children, previous, actions = document.tables
        assert ["Priya Shah", "Child and family social worker", "Late"] in table_rows(attendance)
        assert ["Ruth Ellison", "Mental health practitioner", "Apologies"] in table_rows(attendance)
        assert table_rows(children)[1:] == [["Orla", "4 years", "Child in Need"]]
        owner = "Grace Whitfield, Recovery worker"
        assert table_rows(previous)[1:] == [
            ["EARLIER-FS-3101 done", owner, "1 November 2026", "Done"],
            ["EARLIER-FS-3101 carried", owner, "1 November 2026", "Carried forward"],
            ["EARLIER-FS-3101 unreviewed", owner, "1 November 2026", "Not yet reviewed"]]
        da_officer = "Mark Dunn, Domestic abuse officer"
        assert table_rows(actions)[1:] == [
            ["ACTION-FS-3101 home visit", da_officer, "1 December 2026"],
            ["EARLIER-FS-3101 carried\n(Carried forward from 25 October 2026)", owner, "1 November 2026"]]


def test_amended_outcomes_and_dates_read_as_words(app):
    with app.app_context():
        session = build_three_family_session()
        decision, manager = item_of(session, "FS-3102").decision, users()["manager"]
        for field, original, amended in [("outcome", "continue", "step_down"),
                                         ("next_discussion_on", "2026-12-20", "2027-01-10")]:
            db.session.add(Amendment(decision_id=decision.id, field=field, original_text=original,
                                     amended_text=amended, reason=f"Corrected the {field}.", author_id=manager.id,
                                     author_role_label="Team manager", created_at=STARTS + timedelta(hours=2)))
        db.session.commit()
        body = texts(open_docx(saved(records.load_record(session, item_of(session, "FS-3102")))))
        assert "Amended by Helen Brooks, Team manager on 22 November 2026 at 11:30am" in body
        for line in ["What changed: The plan outcome", "Original wording: Continue the plan", "New wording: Step down",
                     "What changed: The date of the next discussion", "Original wording: 20 December 2026",
                     "New wording: 10 January 2027"]:
            assert line in body


def test_demo_harper_record_and_an_unsigned_session(app):
    with app.app_context():
        closed = demo_closed_session()
        harper = open_docx(saved(records.load_record(closed, item_of(closed, "FS-1042"))))
        assert header_text(harper) == "OFFICIAL-SENSITIVE\nHarper family, case reference FS-1042"
        assert "No actions from the last discussion." in texts(harper)
        assert "Khan" not in package_text(saved(records.load_record(closed, item_of(closed, "FS-1042"))))
        upcoming = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))
        minutes = open_docx(saved(records.load_record(upcoming)))
        assert "DRAFT" in header_text(minutes)
        assert texts(minutes).count("No decision has been recorded.") == 3
        # Harper's three actions from the closed session wait for review at the next one.
        harper_next = open_docx(saved(records.load_record(upcoming, item_of(upcoming, "FS-1042"))))
        assert [row[3] for row in table_rows(harper_next.tables[2])[1:]] == ["Not yet reviewed"] * 3


def test_typed_text_with_forbidden_characters_round_trips_from_the_database(app):
    # NUL and lone surrogates cannot be stored by either database; the unit tests cover them.
    hostile = ("<b>bold?</b> & <w:p/> \x01\x0b\x1f\ufffe\r\nשלום مرحبا 👩‍👩‍👧\n" + "long line " * 2000)
    with app.app_context():
        session = build_three_family_session(notes={"FS-3101": hostile})
        document = open_docx(saved(records.load_record(session, item_of(session, "FS-3101"))))
        assert clean(hostile) in texts(document)


def test_exporting_writes_the_file_and_logs_who_and_which_record(app):
    with app.app_context():
        closed, people = demo_closed_session(), users()
        harper = item_of(closed, "FS-1042")
        log = records.export_record(people["support"].id, closed.id, harper.family_id)
        assert (log.user_id, log.family_id, log.session_id, log.via, log.draft) == (
            people["support"].id, harper.family_id, closed.id, "web", False)
        path = Path(app.config["EXPORT_DIR"]) / log.filename
        assert log.filename == f"{closed.starts_at:%Y-%m-%d}_north_FS-1042_group-supervision.docx"
        assert "Harper family (FS-1042)" in [t for _s, t in headings(open_docx(str(path)))]
        minutes = records.export_record(people["manager"].id, closed.id)
        assert minutes.family_id is None and minutes.filename.endswith("_north_group-supervision-minutes.docx")
        assert db.session.scalar(select(ExportLog.id).where(ExportLog.id == minutes.id)) is not None


def test_exporting_respects_roles_and_the_team_boundary(app, tmp_path):
    with app.app_context():
        closed, people = demo_closed_session(), users()
        with pytest.raises(Refused):
            records.export_record(people["social"].id, closed.id)
        with pytest.raises(NotFound):
            records.export_record(people["south-manager"].id, closed.id)
        south_family = db.session.scalar(select(Family.id).where(Family.case_reference == "FS-2011"))
        with pytest.raises(NotFound):
            records.export_record(people["support"].id, closed.id, south_family)
        assert db.session.scalars(select(ExportLog)).all() == []
        assert not Path(app.config["EXPORT_DIR"]).exists() or list(Path(app.config["EXPORT_DIR"]).iterdir()) == []
