"""A whole group supervision over real sockets: nine people in nine roles, two families."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import BoardEvent, Card, User
from tests.demo_session import everyone_present

ROLES = ["manager", "senior", "social", "practitioner", "recovery", "da-practitioner", "da-officer",
         "mental-health", "support"]



def adult_id(client, item_id: int, first_name: str) -> int:
    family_id = client.state["item"][str(item_id)]["family_id"]
    family = client.context["families"][str(family_id)]
    return next(a["id"] for a in family["adults"] if a["first_name"] == first_name)


def previous_actions(client, item_id: int) -> list[dict]:
    item = client.state["item"][str(item_id)]
    return [a for a in client.state["action"].values()
            if a["family_id"] == item["family_id"] and a["item_id"] != item_id]


def test_nine_people_discuss_two_families_and_end_with_the_same_board(app, connect, todays_session):
    everyone_present(app, todays_session)
    people = {name: connect(name) for name in ROLES}
    for client in people.values():
        assert client.join(todays_session)["ok"]
    manager, social, support = people["manager"], people["social"], people["support"]
    manager.wait_for(lambda: len(manager.presence) == 9)
    assert {p["role"] for p in manager.presence} >= {"Team manager", "Business support officer", "Recovery worker"}

    manager.ok("start_session")
    harper, khan = sorted(manager.state["item"], key=lambda i: manager.state["item"][i]["position"])[:2]
    harper, khan = int(harper), int(khan)
    assert manager.state["room"]["room"]["current_item_id"] == harper

    # 1. Family situation, previous actions reviewed first.
    carried = None
    for action, outcome in zip(previous_actions(manager, harper), ["done", "not_done", "carried_forward"]):
        social.ok("review_action", {"item_id": harper, "action_id": action["id"], "outcome": outcome})
        carried = action["id"] if outcome == "carried_forward" else carried
    social.ok("add_card", {"item_id": harper, "stage": "situation",
                           "text": "Mia has moved to a flat nearer her aunt.\nAva is gaining weight."})
    manager.ok("move", {"next": True})

    # 2. Specialist perspectives, with stages of change for named adults.
    mia, liam = adult_id(manager, harper, "Mia"), adult_id(manager, harper, "Liam")
    people["recovery"].ok("add_card", {"item_id": harper, "stage": "perspectives", "adult_id": mia,
                                       "stage_of_change": "preparation", "text": "Two clear tests this month."})
    people["da-officer"].ok("add_card", {"item_id": harper, "stage": "perspectives", "adult_id": liam,
                                         "stage_of_change": "pre_contemplation", "text": "Liam came to one session."})
    people["da-practitioner"].ok("add_card", {"item_id": harper, "stage": "perspectives", "adult_id": mia,
                                              "text": "Mia updated her safety plan."})
    people["mental-health"].ok("add_card", {"item_id": harper, "stage": "perspectives",
                                            "text": "No referral needed at present."})
    manager.ok("move", {"next": True})

    # 3. Analysis under its headings; live notes as they are written.
    people["practitioner"].ok("add_card", {"item_id": harper, "stage": "analysis", "heading": "working_well",
                                           "text": "Ava is settled at nursery."})
    people["senior"].ok("add_card", {"item_id": harper, "stage": "analysis", "heading": "worries",
                                     "text": "We still do not know when Liam visits."})
    manager.ok("add_card", {"item_id": harper, "stage": "analysis", "heading": "lived_experience",
                            "text": "What does this mean for a baby who cannot tell anyone?"})
    notes = support.ok("save_notes", {"item_id": harper, "version": 0, "text": "Priya presented."})
    support.ok("save_notes", {"item_id": harper, "version": notes["changes"][0]["value"]["version"],
                              "text": "Priya presented.\nGrace: two clear tests."})
    manager.ok("move", {"next": True})

    # 4. Decision: only the manager records it; others propose actions.
    refused = social.change("save_decision", {"item_id": harper, "version": 0, "decision_text": "Step down"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    assert "team manager" in refused["error"]["message"]
    proposal = social.ok("propose_action", {"item_id": harper, "text": "Book a review health check for Ava"})
    proposal_id = int(proposal["changes"][0]["id"])
    owner = next(m["user_id"] for m in manager.context["members"] if m["name"] == "Tom Riley")
    due = (date.today() + timedelta(days=14)).isoformat()
    manager.ok("accept_action", {"action_id": proposal_id, "owner_id": owner, "due_on": due})
    manager.ok("add_action", {"item_id": harper, "text": "Visit Liam with the police liaison officer",
                              "owner_id": owner, "due_on": due})
    saved = manager.ok("save_decision", {"item_id": harper, "version": 0,
                                         "decision_text": "Ava stays on her Child Protection plan.",
                                         "rationale": "Progress is real but new; Liam's part is unknown.",
                                         "outcome": "continue",
                                         "next_discussion_on": (date.today() + timedelta(days=28)).isoformat()})
    signed = manager.ok("sign_off", {"item_id": harper, "version": saved["changes"][0]["value"]["version"]})
    assert signed["changes"][0]["value"]["signed_off_by"] == "Helen Brooks"

    # The second family, more briefly.
    manager.ok("move", {"next": True})
    assert manager.state["room"]["room"] == {**manager.state["room"]["room"], "current_item_id": khan,
                                             "current_stage": "situation"}
    social.ok("add_card", {"item_id": khan, "stage": "situation", "text": "Zara has joined the young carers group."})
    people["mental-health"].ok("add_card", {"item_id": khan, "stage": "perspectives", "text": "Nadia finished therapy."})
    saved = manager.ok("save_decision", {"item_id": khan, "version": 0, "decision_text": "Step down to Early Help.",
                                         "rationale": "The children's needs are met with support.",
                                         "outcome": "step_down",
                                         "next_discussion_on": (date.today() + timedelta(days=56)).isoformat()})
    final = manager.ok("sign_off", {"item_id": khan, "version": saved["changes"][0]["value"]["version"]})

    for client in people.values():
        client.wait_for_seq(final["seq"])
    hashes = {name: client.state_hash() for name, client in people.items()}
    assert len(set(hashes.values())) == 1, hashes
    for client in people.values():
        assert client.duplicates == 0
        assert client.seen == list(range(client.seen[0], final["seq"] + 1))
    # A newcomer's snapshot is the same board.
    late = connect("manager")
    late.join(todays_session)
    assert late.state_hash() == hashes["manager"]
    assert manager.state["action"][str(carried)]["status"] == "open"
    assert manager.state["decision"][str(harper)]["signed_off"] is True
    with app.app_context():
        seqs = list(db.session.scalars(select(BoardEvent.seq).where(BoardEvent.session_id == todays_session)
                                       .order_by(BoardEvent.seq)))
    assert seqs == list(range(1, final["seq"] + 1)), "sequence numbers are gap-free"


def test_south_user_cannot_join_a_north_board(connect, todays_session):
    south = connect("south-manager")
    ack = south.join(todays_session)
    assert ack == {"ok": False, "error": {"code": "not_found", "message": "That session could not be found."}}
    refused = south.change("add_card", {"stage": "situation", "text": "x"})
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"


def test_a_dropped_client_gets_exactly_what_it_missed(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, recovery = connect("manager"), connect("recovery")
    manager.join(todays_session)
    recovery.join(todays_session)
    manager.ok("start_session")
    recovery.wait_for_seq(1)
    recovery.disconnect()
    for n in range(3):
        last = manager.ok("add_card", {"stage": "situation", "text": f"Update {n}"})
    recovery.connect()
    ack = recovery.join(todays_session)
    assert [e["seq"] for e in ack["events"]] == [2, 3, 4]
    recovery.wait_for_seq(last["seq"])
    assert recovery.duplicates == 0
    assert recovery.state_hash() == manager.state_hash()


def test_two_edits_of_one_version_one_wins_and_the_other_sees_the_current_text(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, social = connect("manager"), connect("social")
    manager.join(todays_session)
    social.join(todays_session)
    manager.ok("start_session")
    card = social.ok("add_card", {"stage": "situation", "text": "First draft"})["changes"][0]["value"]
    first = social.change("edit_card", {"card_id": card["id"], "version": card["version"], "text": "Social's edit"})
    second = manager.change("edit_card", {"card_id": card["id"], "version": card["version"], "text": "Manager's edit"})
    assert first["ok"] is True
    assert second["ok"] is False and second["error"]["code"] == "conflict"
    assert second["error"]["current"]["text"] == "Social's edit"
    with app.app_context():
        assert db.session.get(Card, card["id"]).text == "Social's edit"


def test_a_resent_queued_change_is_applied_once(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager = connect("manager")
    manager.join(todays_session)
    manager.ok("start_session")
    first = manager.change("add_card", {"stage": "situation", "text": "Queued while offline"}, client_change_id="c-1")
    again = manager.change("add_card", {"stage": "situation", "text": "Queued while offline"}, client_change_id="c-1")
    assert first["ok"] and again["ok"] and first["seq"] == again["seq"]
    with app.app_context():
        texts = db.session.scalars(select(Card.text).where(Card.text == "Queued while offline")).all()
    assert texts == ["Queued while offline"]


def test_someone_not_signed_in_cannot_connect(live_server):
    import socketio

    client = socketio.Client(reconnection=False)
    try:
        client.connect(live_server.url, transports=["websocket"], wait_timeout=5)
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    assert connected is False


def test_a_family_added_to_a_live_agenda_reaches_every_board(app, connect, todays_session):
    from supervision.services import session_setup
    from supervision.services.session_setup import AgendaEntry
    from supervision.store.models import Family, SupervisionSession

    everyone_present(app, todays_session)
    manager, recovery = connect("manager"), connect("recovery")
    manager.join(todays_session)
    recovery.join(todays_session)
    manager.ok("start_session")
    with app.app_context():
        session = db.session.get(SupervisionSession, todays_session)
        entries = [AgendaEntry(family_id=item.family_id, minutes_allowed=item.minutes_allowed)
                   for item in session.agenda]
        doyle = db.session.scalar(select(Family.id).where(Family.case_reference == "FS-1063"))
        support_id = db.session.scalar(select(User.id).where(User.username == "support"))
        session_setup.set_agenda(support_id, todays_session, entries + [AgendaEntry(doyle, 15)])
    recovery.wait_for_seq(2)
    assert recovery.summaries[-1] == "Business support officer changed the agenda"
    assert doyle in {item["family_id"] for item in recovery.state["item"].values()}
    added = next(item["id"] for item in recovery.state["item"].values() if item["family_id"] == doyle)
    # Only the new family is drawn, into the board, with the agenda, the room and the big screen around it.
    drawn = {region["id"]: region for region in recovery.events[-1]["regions"]}
    assert set(drawn) == {f"item-{added}", f"notes-panel-{added}", "board-agenda", "board-room", "present-body"}
    assert drawn[f"item-{added}"]["parent"] == "board-main" and "Doyle" in drawn[f"item-{added}"]["html"]
    assert drawn[f"notes-panel-{added}"]["parent"] == "board-notes"
    assert set(recovery.events[-1]) <= {"session_id", "seq", "type", "summary", "actor", "changes", "client_change_id",
                                         "regions"}

    # Taken off again before anyone spoke about it: it goes from every board, and from the state.
    with app.app_context():
        session_setup.set_agenda(support_id, todays_session, entries)
    recovery.wait_for_seq(3)
    assert str(added) not in recovery.state["item"]
    drawn = {region["id"]: region for region in recovery.events[-1]["regions"]}
    assert drawn[f"item-{added}"] == {"id": f"item-{added}", "removed": True}
    assert "board-body" not in drawn
