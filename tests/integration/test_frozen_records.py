"""A signed record never changes behind its reader, on SQLite and PostgreSQL.

The discussion runs through the board service (tests/discussion.py); afterwards the family,
its plan, a child's date of birth and the actions all change, and the record exported again
is the same document.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from supervision.domain.board import CLOSED_BY_SIGN_OFF
from supervision.domain.errors import DomainError, Refused
from supervision.domain.wording import age_on, local
from supervision.extensions import db
from supervision.services import board as board_service
from supervision.services import records
from supervision.store.models import (
    Action, AgendaItem, Card, Child, FrozenRecord, SupervisionSession, User,
)
from tests import discussion
from tests.demo_session import everyone_present, todays_session_id
from tests.integration.test_records import demo_closed_session, item_of
from tests.unit.test_docx_writer import header_text, open_docx, saved, table_rows, texts


class ServiceDriver:
    """Runs the shared discussion script straight through the board service."""

    def __init__(self, app, session_id: int):
        self.app, self.session_id = app, session_id
        with app.app_context():
            self.users = {u.username: u.id for u in db.session.scalars(select(User))}

    def do(self, username, change_type, data):
        with self.app.app_context():
            board_service.apply_change(self.users[username], self.session_id, change_type, data)

    def refused(self, username, change_type, data):
        with self.app.app_context():
            try:
                board_service.apply_change(self.users[username], self.session_id, change_type, data)
            except DomainError as error:
                return error.code
        return None

    def snapshot(self):
        with self.app.app_context():
            return board_service.snapshot_for(self.users["manager"], self.session_id)

    def state(self):
        return self.snapshot()["state"]


def harper_item(session_id: int) -> AgendaItem:
    session = db.session.get(SupervisionSession, session_id)
    return next(i for i in session.agenda if i.family.case_reference == "FS-1042")


def export_harper(app, session_id: int) -> bytes:
    with app.app_context():
        support = db.session.scalar(select(User.id).where(User.username == "support"))
        log = records.export_record(support, session_id, harper_item(session_id).family_id)
        return (Path(app.config["EXPORT_DIR"]) / log.filename).read_bytes()


def properties(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in ("docProps/core.xml", "docProps/app.xml")}


@pytest.fixture
def discussed(app):
    """Today's session discussed to the end: Harper and Khan signed off, the session closed."""
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    with app.app_context():
        born = local(db.session.get(SupervisionSession, session_id).starts_at).date() - timedelta(days=160)
        harper_item(session_id).family.children[0].date_of_birth = born
        db.session.commit()
    driver = ServiceDriver(app, session_id)
    discussion.run(driver, driver.snapshot()["context"])
    return session_id, born


def test_a_signed_record_exported_again_after_everything_changed_is_the_same(app, discussed):
    session_id, born = discussed
    first = export_harper(app, session_id)
    document = open_docx(first)
    children = table_rows(document.tables[1])[1:]
    with app.app_context():
        session_day = local(db.session.get(SupervisionSession, session_id).starts_at).date()
    assert children == [["Ava", age_on(born, session_day), "Child Protection"]]
    previous = [row[3] for row in table_rows(document.tables[2])[1:]]
    assert previous == ["Done", "Not done", "Carried forward"]
    assert "Plan: Child Protection" in texts(document)

    with app.app_context():
        item = harper_item(session_id)
        family = item.family
        family.display_name = "Harper-Cole family"
        family.plan_level = "child_in_need"
        family.social_worker_id = db.session.scalar(select(User.id).where(User.username == "senior"))
        ava = family.children[0]
        ava.date_of_birth, ava.plan_level = date(2020, 1, 1), "child_in_need"
        family.children.append(Child(first_name="Rowan", age_description="2 weeks", plan_level="child_in_need"))
        family.adults[0].first_name = "Mya"
        for action in db.session.scalars(select(Action).where(Action.family_id == family.id)):
            action.status, action.text = "done", action.text + " (since changed)"
        db.session.commit()

    second = export_harper(app, session_id)
    assert texts(open_docx(second)) == texts(document)
    assert header_text(open_docx(second)) == header_text(document)
    assert properties(second) == properties(first)
    assert second == first  # even the bytes: fixed zip times, properties from the sign-off
    assert "Harper-Cole" not in "\n".join(texts(open_docx(second)))


def test_the_record_is_frozen_in_the_same_transaction_as_the_sign_off(app, discussed):
    session_id, _born = discussed
    with app.app_context():
        item = harper_item(session_id)
        kept = db.session.scalar(select(FrozenRecord).where(FrozenRecord.agenda_item_id == item.id))
        assert kept.frozen_at == item.decision.signed_off_at
        assert kept.data["family"]["name"] == "Harper family"
        assert kept.data["family"]["decision"]["signed_off_by"] == {"name": "Helen Brooks", "role": "Team manager"}
        okoro = next(i for i in item.session.agenda if i.family.case_reference == "FS-1071")
        assert db.session.scalar(select(FrozenRecord.id).where(FrozenRecord.agenda_item_id == okoro.id)) is None


def test_an_unsigned_discussion_still_reads_live_and_is_a_draft(app, discussed):
    session_id, _born = discussed
    with app.app_context():
        session = db.session.get(SupervisionSession, session_id)
        okoro = next(i for i in session.agenda if i.family.case_reference == "FS-1071")
        okoro.family.display_name = "Okoro-Adeyemi family"
        db.session.commit()
        record = records.load_record(session, okoro)
        assert record.draft and record.families[0].name == "Okoro-Adeyemi family"
        assert records.load_record(session).draft  # the minutes too, while one family is unsigned


@pytest.fixture
def signed_live(app):
    """Today's session live with Harper's decision signed off and one card from before sign-off."""
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    driver = ServiceDriver(app, session_id)
    driver.do("manager", "start_session", {})
    with app.app_context():
        item = harper_item(session_id)
        item_id, family_id = item.id, item.family_id
    driver.do("social", "add_card", {"item_id": item_id, "stage": "situation", "text": "Before sign-off."})
    driver.do("support", "save_notes", {"item_id": item_id, "version": 0, "text": "Notes before sign-off."})
    driver.do("manager", "save_decision", {"item_id": item_id, "version": 0, "decision_text": "Continue the plan.",
                                           "rationale": "Progress is new.", "outcome": "continue",
                                           "next_discussion_on": (date.today() + timedelta(days=28)).isoformat()})
    version = driver.state()["decision"][str(item_id)]["version"]
    driver.do("manager", "sign_off", {"item_id": item_id, "version": version})
    return driver, session_id, item_id, family_id


def test_cards_notes_and_reviews_stop_changing_at_sign_off(app, signed_live):
    driver, session_id, item_id, family_id = signed_live
    state = driver.state()
    card = next(c for c in state["card"].values() if c["item_id"] == item_id)
    notes = state["notes"][str(item_id)]
    action = next(a for a in state["action"].values() if a["family_id"] == family_id and a["item_id"] != item_id)
    attempts = [
        ("social", "add_card", {"item_id": item_id, "stage": "situation", "text": "After sign-off."}),
        ("social", "edit_card", {"card_id": card["id"], "version": card["version"], "text": "Changed."}),
        ("manager", "edit_card", {"card_id": card["id"], "version": card["version"], "text": "Changed."}),
        ("social", "remove_card", {"card_id": card["id"], "version": card["version"]}),
        ("support", "save_notes", {"item_id": item_id, "version": notes["version"], "text": "Tidied."}),
        ("social", "review_action", {"item_id": item_id, "action_id": action["id"], "outcome": "done"}),
    ]
    for username, change_type, data in attempts:
        with app.app_context(), pytest.raises(Refused) as refused:
            board_service.apply_change(driver.users[username], session_id, change_type, data)
        assert refused.value.message == CLOSED_BY_SIGN_OFF, change_type
    assert "entry added after sign-off" in CLOSED_BY_SIGN_OFF and "amend the decision" in CLOSED_BY_SIGN_OFF
    after = driver.state()
    assert after["card"] == state["card"] and after["notes"] == state["notes"] and after["review"] == state["review"]
    with app.app_context():
        assert db.session.get(Card, card["id"]).text == "Before sign-off."


def test_an_entry_added_after_sign_off_shows_in_the_record_as_such(app, signed_live):
    driver, session_id, item_id, family_id = signed_live
    before = export_harper(app, session_id)
    assert "after sign-off" not in header_text(open_docx(before))

    assert driver.refused("social", "add_after_sign_off", {"item_id": item_id, "text": "News."}) == "forbidden"
    assert driver.refused("support", "add_after_sign_off", {"item_id": item_id, "text": " "}) == "invalid"
    with app.app_context():
        okoro = next(i for i in db.session.get(SupervisionSession, session_id).agenda
                     if i.family.case_reference == "FS-1071")
    assert driver.refused("support", "add_after_sign_off", {"item_id": okoro.id, "text": "News."}) == "forbidden"
    driver.do("support", "add_after_sign_off", {"item_id": item_id, "text": "The test result came back clear."})
    (entry,) = driver.state()["addition"].values()
    assert (entry["item_id"], entry["author_name"], entry["author_role"]) == (
        item_id, "Jenny Marsh", "Business support officer")

    document = open_docx(export_harper(app, session_id))
    assert header_text(document).splitlines()[-1] == "Added to after sign-off"
    body = texts(document)
    line = next(text for text in body if text.startswith("Added after sign-off by Jenny Marsh, Business support officer on"))
    assert body[body.index(line) + 1] == "The test result came back clear."
    assert "Notes before sign-off." in body and "Before sign-off.\nPriya Shah, Child and family social worker" in body

    decision = driver.state()["decision"][str(item_id)]
    driver.do("manager", "amend_decision", {"item_id": item_id, "version": decision["version"], "field": "rationale",
                                            "text": "Progress is new but real.", "reason": "Said more plainly."})
    driver.do("manager", "close_session", {})
    driver.do("manager", "add_after_sign_off", {"item_id": item_id, "text": "Added once the session closed."})
    document = open_docx(export_harper(app, session_id))
    assert header_text(document).splitlines()[-1] == "Amended and added to after sign-off"
    body = texts(document)
    assert "Rationale: Progress is new but real." in body and "Original wording: Progress is new." in body
    assert "Added once the session closed." in body


def test_the_minutes_of_a_signed_session_are_built_from_what_each_family_held_at_sign_off(app):
    with app.app_context():
        closed = demo_closed_session()
        first = texts(open_docx(saved(records.load_record(closed))))
        assert not records.load_record(closed).draft
        for item in closed.agenda:
            item.family.display_name = "Renamed family"
            item.family.plan_level = "early_help"
        closed.chair_id = db.session.scalar(select(User.id).where(User.username == "senior"))
        db.session.commit()
        again = records.load_record(closed)
        assert texts(open_docx(saved(again))) == first
        assert again.chair.name == "Helen Brooks"


def test_a_discussion_signed_before_records_were_kept_is_kept_at_its_first_export(app):
    with app.app_context():
        closed = demo_closed_session()
        harper = item_of(closed, "FS-1042")
        db.session.execute(delete(FrozenRecord))  # as a database upgraded from before
        db.session.commit()
        support = db.session.scalar(select(User.id).where(User.username == "support"))
        first = records.export_record(support, closed.id, harper.family_id)
        assert db.session.scalar(select(FrozenRecord.id).where(FrozenRecord.agenda_item_id == harper.id))
        harper.family.display_name = "Renamed family"
        db.session.commit()
        second = records.export_record(support, closed.id, harper.family_id)
        folder = Path(app.config["EXPORT_DIR"])
        assert (folder / first.filename).read_bytes() == (folder / second.filename).read_bytes()
