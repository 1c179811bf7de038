"""One group supervision discussion of two families, as a script any driver can run.

A driver has `do(username, change_type, data) -> None`, `refused(username, change_type, data) -> code`
and `state() -> board state`. The socket test and the form-post test run the same script, so
both paths must end at the same board.
"""
from __future__ import annotations

from datetime import date, timedelta

TIMESTAMPS = {"started_at", "closed_at", "signed_off_at", "at"}


def normalise(value):
    """The state without the moments things happened, which differ between two runs."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in TIMESTAMPS}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def _items(state) -> list[int]:
    return [int(i) for i in sorted(state["item"], key=lambda i: state["item"][i]["position"])]


def _adult(context, state, item_id: int, first_name: str) -> int:
    family = context["families"][str(state["item"][str(item_id)]["family_id"])]
    return next(a["id"] for a in family["adults"] if a["first_name"] == first_name)


def run(driver, context: dict) -> None:
    driver.do("manager", "start_session", {})
    harper, khan = _items(driver.state())[:2]
    state = driver.state()
    previous = [a for a in state["action"].values()
                if a["family_id"] == state["item"][str(harper)]["family_id"] and a["item_id"] != harper]
    for action, outcome in zip(sorted(previous, key=lambda a: a["id"]), ["done", "not_done", "carried_forward"]):
        driver.do("social", "review_action", {"item_id": harper, "action_id": action["id"], "outcome": outcome})
    driver.do("social", "add_card", {"item_id": harper, "stage": "situation",
                                     "text": "Mia has moved nearer her aunt.\nAva is gaining weight."})
    driver.do("manager", "move", {"next": "1"})
    mia = _adult(context, state, harper, "Mia")
    driver.do("recovery", "add_card", {"item_id": harper, "stage": "perspectives", "adult_id": mia,
                                       "stage_of_change": "preparation", "text": "Two clear tests this month."})
    driver.do("da-officer", "add_card", {"item_id": harper, "stage": "perspectives",
                                         "text": "Liam came to one session."})
    driver.do("manager", "move", {"next": "1"})
    driver.do("practitioner", "add_card", {"item_id": harper, "stage": "analysis", "heading": "working_well",
                                           "text": "Ava is settled at nursery."})
    driver.do("manager", "add_card", {"item_id": harper, "stage": "analysis", "heading": "lived_experience",
                                      "text": "What does this mean for a baby who cannot tell anyone?"})
    driver.do("support", "save_notes", {"item_id": harper, "version": 0, "text": "Priya presented."})
    card = next(c for c in driver.state()["card"].values() if c["text"] == "Ava is settled at nursery.")
    driver.do("practitioner", "edit_card", {"card_id": card["id"], "version": card["version"],
                                            "text": "Ava is settled at nursery and eating well."})
    driver.do("manager", "move", {"next": "1"})
    assert driver.refused("social", "save_decision", {"item_id": harper, "version": 0,
                                                      "decision_text": "Step down"}) == "forbidden"
    driver.do("social", "propose_action", {"item_id": harper, "text": "Book Ava's health check"})
    proposal = next(a for a in driver.state()["action"].values() if a["status"] == "proposed")
    owner = next(m["user_id"] for m in context["members"] if m["name"] == "Tom Riley")
    due = (date.today() + timedelta(days=14)).isoformat()
    driver.do("manager", "accept_action", {"action_id": proposal["id"], "owner_id": owner, "due_on": due})
    driver.do("manager", "save_decision", {
        "item_id": harper, "version": 0, "decision_text": "Ava stays on her Child Protection plan.",
        "rationale": "Progress is real but new.", "outcome": "continue",
        "next_discussion_on": (date.today() + timedelta(days=28)).isoformat()})
    version = driver.state()["decision"][str(harper)]["version"]
    driver.do("manager", "sign_off", {"item_id": harper, "version": version})
    driver.do("manager", "move", {"next": "1"})
    driver.do("social", "add_card", {"item_id": khan, "stage": "situation", "text": "Zara joined the young carers."})
    driver.do("manager", "save_decision", {
        "item_id": khan, "version": 0, "decision_text": "Step down to Early Help.",
        "rationale": "Needs are met with support.", "outcome": "step_down",
        "next_discussion_on": (date.today() + timedelta(days=56)).isoformat()})
    version = driver.state()["decision"][str(khan)]["version"]
    driver.do("manager", "sign_off", {"item_id": khan, "version": version})
    driver.do("manager", "close_session", {})
