"""Browser latency of the live board, per event type, and the server's CPU per change.

Five Chromium contexts (Debian's /usr/bin/chromium through Playwright) sign in through the
sign-in form of the embedded server (`supervision run`: gevent, one process, SQLite) in a process
of its own: the chair (team manager), a social worker, a specialist (recovery worker),
business support, and the big screen (`/sessions/ID/board/present`, in its own context,
signed in as the chair). They go through whole discussions with every kind of event the
board sends, each made as a person makes it: a board form filled in and submitted in the
sender's page (the page's script sends it live), business support typing notes that save
as she types, a family added to the agenda from the set-up pages while the session is live,
and a person coming onto the board and leaving it (a Socket.IO client of their own).

Latency is from the submit (for autosaved notes, from the moment business support's page
sends the save) to the moment the change is visible on each other screen: a
MutationObserver in each page notes when a marker the change makes visible (its text, an
element id appearing or going, a count) is in the page and rendered visible
(`checkVisibility()`). Times are performance.timeOrigin + performance.now() in every page,
so they share the machine's clock. For the last screen to show each change, the time is also
split where its board event reached that page (Socket.IO's client, hooked as the page loads it):
before, the server and the network; after, the page drawing it. A screen that never shows a kind of event (the big
screen shows no notes and no people) is left out of that row. Nothing here depends on how
the board draws a change: only on the board's forms (`data-change`, their fields, form ids),
element ids (`card-ID`, `action-ID`), a card's "Change or remove" link (`change-card-ID`, followed
before its forms are used, as its author does) and the words the pages show.

The browsers run at a lower priority than the server (`--browser-nice`, 10 by default): in use,
each person's browser is on their own computer and never takes the server's processor, as five
of them on this one 2-core machine otherwise would; they still have every cycle the server
leaves. `--browser-nice 0` runs them at the server's priority.

Server CPU per change is the embedded server process's user + system time (/proc/PID/stat)
over a batch of changes, less its idle rate measured just before, with 5, 12 and 24 viewers
on the board. The viewers beyond the five screens are more Chromium pages, each a person of
the team on the board, so each costs the server what a real browser costs it.

Run: python -m benchmarks.browser_latency [--repeat N] [--sessions N] [--reloads N]
     [--viewers 5,12,24] [--batch N] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from . import harness

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 # Pages in background windows keep their timers and rendering at full speed.
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]
PAGE_SCRIPT = Path(__file__).with_name("latency_page.js")
SUPERVISION = str(Path(sys.executable).with_name("supervision"))
SCREENS = ("chair", "social worker", "specialist", "business support", "big screen")
PEOPLE = 26  # the team: the five screens' people, one who comes and goes, and up to 19 more viewers
# Indexes into harness.TABLE's order (harness.build_sessions): who is who in the team.
CHAIR, BUSINESS_SUPPORT, VISITOR, SOCIAL_WORKER, SPECIALIST = 0, 1, 2, 3, 8
CONNECTED_MS = 30_000
HOOKED = "() => Boolean(window.io && window.io.Socket && window.io.Socket.prototype.__latencyHooked)"


# ---------------------------------------------------------------- the data

@dataclass
class Plan:
    sessions: list[int]  # the first has the whole discussion; the others start, decide, sign off, close
    items: list[int]  # each session's family discussion
    previous_action: int  # an action from the family's last discussion, to review
    reload_families: list[str]  # families not on the agenda, added while the session is live
    usernames: list[str]
    names: list[str]


def seed(url: str, directory: Path, sessions: int, reloads: int) -> Plan:
    from supervision import create_app
    from supervision.extensions import db
    from supervision.store.models import (
        Action, Adult, AgendaItem, Attendance, Child, Family, SupervisionSession, User,
    )

    built = harness.build_sessions(url, directory, sessions=1, people=PEOPLE, families=1, status="scheduled")[0]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_PROFILE": "CHEAPEST"})
    now = datetime.now(timezone.utc)
    with app.app_context():
        first = db.session.get(SupervisionSession, built.id)
        users = [db.session.scalar(db.select(User).filter_by(username=u)) for u in built.usernames]
        team_id, family = first.team_id, first.agenda[0].family
        users[VISITOR].display_name = "Noor Hadley"  # unique on the people list, which the presence markers read

        def new_family(name: str, reference: str) -> Family:
            made = Family(team_id=team_id, case_reference=reference, display_name=name,
                          social_worker_id=users[SOCIAL_WORKER].id, plan_level="child_in_need")
            made.children.append(Child(first_name="Robin", age_description="6 years", plan_level="child_in_need"))
            made.adults.append(Adult(first_name="Morgan", relationship_to_child="Mother"))
            db.session.add(made)
            return made

        def new_session(starts_at: datetime, status: str) -> SupervisionSession:
            made = SupervisionSession(team_id=team_id, starts_at=starts_at, chair_id=users[CHAIR].id,
                                      minute_taker_id=users[BUSINESS_SUPPORT].id, status=status)
            for membership_user in users:
                role_id = membership_user.memberships[0].role_id
                made.attendance.append(Attendance(user_id=membership_user.id, role_id=role_id, status="present"))
            db.session.add(made)
            return made

        # The family's last discussion, four weeks ago, left an action to review today.
        earlier = new_session(now - timedelta(days=28), "closed")
        earlier.started_at, earlier.closed_at = now - timedelta(days=28), now - timedelta(days=28, hours=-2)
        earlier_item = AgendaItem(family_id=family.id, position=1, minutes_allowed=30)
        earlier.agenda.append(earlier_item)
        db.session.flush()
        action = Action(family_id=family.id, agenda_item_id=earlier_item.id, text="Book the family group conference",
                        owner_id=users[SOCIAL_WORKER].id, due_on=date.today(), status="open",
                        proposed_by_id=users[CHAIR].id)
        db.session.add(action)
        session_ids, item_ids = [first.id], [first.agenda[0].id]
        for n in range(1, sessions):
            other = new_session(now + timedelta(minutes=5 + n), "scheduled")
            other_family = new_family(f"Session {n + 1} family", f"LAT-S{n + 1}")
            db.session.flush()
            other.agenda.append(AgendaItem(family_id=other_family.id, position=1, minutes_allowed=30))
            db.session.flush()
            session_ids.append(other.id)
            item_ids.append(other.agenda[0].id)
        reload_names = [f"Added family {n + 1:02d}" for n in range(reloads)]
        for n, name in enumerate(reload_names):
            new_family(name, f"LAT-R{n + 1:02d}")
        db.session.commit()
        plan = Plan(session_ids, item_ids, action.id, reload_names, built.usernames, [u.display_name for u in users])
        db.session.remove()
        db.engine.dispose()
    return plan


# ---------------------------------------------------------------- the embedded server

class EmbeddedServer:
    """`supervision run` (gevent's WSGI server, one process) on a free port, in a process of its own."""

    def __init__(self, url: str, workdir: Path):
        self.port = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.log = open(self.log_path, "w")
        env = {**os.environ, **harness.app_env(url, workdir),
               # Set-up only: two dozen people sign in within seconds from one address.
               "SIGN_IN_LIMIT": "10000 per minute",
               # One chair sends a few hundred changes in minutes; nothing here tests the limits.
               "SOCKET_CHANGE_LIMIT": "100 per second;10000 per minute",
               "SOCKET_CATCH_UP_LIMIT": "100 per 10 seconds;1000 per 10 minutes",
               "SOCKET_CONNECTIONS_PER_PERSON": "20"}
        env.pop("SOCKETIO_ASYNC_MODE", None)
        env.pop("FLASK_RUN_FROM_CLI", None)
        self.process = subprocess.Popen([SUPERVISION, "run", "--host", "127.0.0.1", "--port", str(self.port)],
                                        cwd=harness.ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_until_ready(self) -> EmbeddedServer:
        harness.wait_for_http(self.url + "/sign-in", self.process, self.log_path)
        return self

    def cpu(self) -> float:
        return harness.proc_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        harness.stop_process(self.process)
        self.log.close()


# ---------------------------------------------------------------- screens

@dataclass
class Screen:
    name: str
    page: object  # playwright Page
    present: bool = False
    hooked: bool | None = None  # whether the page's Socket.IO acknowledgements can be read


def signed_in_page(browser, base_url: str, username: str):
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768})
    context.add_init_script(path=str(PAGE_SCRIPT))
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(harness.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    return page


def open_board(page, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("[data-connection-state]")).to_have_text("Connected", timeout=CONNECTED_MS)


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "p50": harness.percentile(ordered, 50), "p99": harness.percentile(ordered, 99),
            "max": ordered[-1] if ordered else float("nan")}


@dataclass
class Results:
    latency: dict = field(default_factory=dict)  # event -> screen -> [ms]
    slowest: dict = field(default_factory=dict)  # event -> [ms], the last screen to show each change
    missed: dict = field(default_factory=dict)  # event -> screen -> count not shown within the timeout
    senders: dict = field(default_factory=dict)  # event -> set of senders
    # Where the last screen's time went, event -> [ms]: from the submit to the sender's page sending the
    # change, and to its board event reaching that screen (the server and the network); from there
    # to the change being visible (that page drawing it).
    sent: dict = field(default_factory=dict)
    reached: dict = field(default_factory=dict)
    drawn: dict = field(default_factory=dict)


class Bench:
    def __init__(self, screens: list[Screen], timeout_ms: int, pause: float):
        self.screens = screens
        self.by_name = {s.name: s for s in screens}
        self.timeout_ms = timeout_ms
        self.pause = pause
        self.results = Results()
        self.count = 0

    def measure(self, event: str, sender: Screen | None, act, markers, *, from_ack=None, record=True,
                watchers: list[Screen] | None = None, sent_by: str | None = None) -> list[str]:
        """Arm each other screen's marker, act (submit), and note when each screen shows the change.

        `markers(screen)` gives (marker, args) or None for a screen that does not show this event.
        `act()` returns the submit time (ms since the epoch) or None when `from_ack` says where
        it comes from: a function returning the acknowledgement time from the sender's page.
        """
        self.count += 1
        key = f"m{self.count}"
        armed = []
        for screen in (watchers or self.screens):
            if screen is sender:
                continue
            marker = markers(screen)
            if marker is None:
                continue
            arrivals = screen.page.evaluate(
                "([k, m, a, t]) => { window.__latency.watch(k, m, a, t); return window.__latency.arrivals.length }",
                [key, marker[0], marker[1], self.timeout_ms])
            armed.append((screen, arrivals))
        sends_before = self._sends(sender)
        try:
            started = act()
        except Exception as error:  # noqa: BLE001 (a form that is not there: counted as missed, the run goes on)
            print(f"  {event}: could not be sent: {str(error).splitlines()[0]}", flush=True)
            missed = self.results.missed.setdefault(event, {})
            for screen, _ in armed:
                missed[screen.name] = missed.get(screen.name, 0) + 1
            return [screen.name for screen, _ in armed]
        seen: dict[str, float | None] = {}
        arrived: dict[str, float | None] = {}  # the first board event to reach each page after arming
        for screen, arrivals in armed:
            handle = screen.page.wait_for_function(
                "([k, n]) => { const L = window.__latency; const w = L.watches[k]; "
                "return w && w.done ? { at: w.at, arrived: L.arrivals.length > n ? L.arrivals[n] : null } : false }",
                arg=[key, arrivals], timeout=self.timeout_ms + 10_000, polling=20)
            answer = handle.json_value()
            seen[screen.name], arrived[screen.name] = answer["at"], answer["arrived"]
        if from_ack is not None:
            started = from_ack()
        self._settle(sender, sends_before)
        sent = self._sent(sender, sends_before)
        if not record:
            return []
        if started is None:
            raise RuntimeError(f"{event}: no start time (the sender's acknowledgement was not seen)")
        latency = self.results.latency.setdefault(event, {})
        missed = self.results.missed.setdefault(event, {})
        self.results.senders.setdefault(event, set()).add(sent_by or sender.name)
        for name, at in seen.items():
            if at is None:
                missed[name] = missed.get(name, 0) + 1
            else:
                latency.setdefault(name, []).append(at - started)
        if seen and all(at is not None for at in seen.values()):
            last = max(seen, key=seen.get)
            self.results.slowest.setdefault(event, []).append(seen[last] - started)
            if sent is not None and from_ack is None:
                self.results.sent.setdefault(event, []).append(sent - started)
            if arrived[last] is not None and arrived[last] <= seen[last]:
                self.results.reached.setdefault(event, []).append(arrived[last] - started)
                self.results.drawn.setdefault(event, []).append(seen[last] - arrived[last])
        return [name for name, at in seen.items() if at is None]

    def _sent(self, screen: Screen | None, before: int) -> float | None:
        """When the sender's page sent the change it was asked to make (None: not known)."""
        if screen is None or not screen.hooked:
            return None
        return screen.page.evaluate("n => { const s = window.__latency.sends[n]; return s ? s.sent : null }", before)

    def _sends(self, screen: Screen | None) -> int:
        if screen is None or screen.hooked is False:
            return 0
        return screen.page.evaluate("() => window.__latency.sends.length")

    def _settle(self, sender: Screen | None, before: int) -> None:
        """Let the sender's own page take its acknowledgement before the next change, then pause."""
        if sender is not None and sender.hooked is not False:
            try:
                sender.page.wait_for_function(
                    "n => { const s = window.__latency.sends; return s.length > n && s[s.length - 1].acked !== null }",
                    arg=before, timeout=self.timeout_ms, polling=20)
                sender.hooked = True
            except Exception:  # noqa: BLE001 (no Socket.IO hook on this page: pause only)
                if sender.hooked is None:
                    sender.hooked = False
        time.sleep(self.pause)

    # ---- acting

    def submit(self, sender: Screen, change: str, match: dict, fields: dict | None = None,
               button: str | None = None):
        return lambda: sender.page.evaluate("([t, m, f, b]) => window.__latency.submit(t, m, f, b)",
                                            [change, match, fields or {}, button])


# ---------------------------------------------------------------- markers

def token(kind: str, n: int) -> str:
    return f"{kind}{n:03d}x{uuid.uuid4().hex[:6]}"


def everywhere(marker: str, **args):
    return lambda screen: (marker, args)


def boards_only(marker: str, **args):
    return lambda screen: None if screen.present else (marker, args)


def stage_number(stage: str) -> int:
    return ("situation", "perspectives", "analysis", "decision").index(stage) + 1


def room_at(stage: str):
    """The room's place, as the board's room status and the big screen's bar both say it."""
    return everywhere("text", text=f"stage {stage_number(stage)} of")


# ---------------------------------------------------------------- the discussion

def whole_discussion(bench: Bench, plan: Plan, repeat: int, reloads: int, reload_page, base_url: str) -> None:
    chair, social_worker, specialist, support = (bench.by_name[n] for n in SCREENS[:4])
    item, session_id = plan.items[0], plan.sessions[0]
    stage = "situation"

    bench.measure("start the session", chair, bench.submit(chair, "start_session", {}),
                  lambda s: ("noText", {"text": "starts soon"}) if s.present else ("text", {"text": "The room is on"}))

    # Situation: previous actions reviewed, cards added, changed and removed, notes.
    outcomes = [("done", "Done"), ("carried_forward", "Carried forward"), ("not_done", "Not done")]
    for n in range(repeat):
        value, label = outcomes[n % 3]
        ids = [f"review-{item}-{plan.previous_action}-row", f"present-review-{plan.previous_action}"]
        bench.measure("review of a previous action", social_worker,
                      bench.submit(social_worker, "review_action", {"action_id": plan.previous_action}, button=value),
                      lambda s, ids=ids, label=label: (
                          "label", {"ids": ids, "label": f"· {label}" if s.present else f"Marked: {label}"}))
    senders = [social_worker, specialist, support, chair]
    cards = []
    for n in range(repeat):
        sender = senders[n % len(senders)]
        text = token("card", n)
        bench.measure("card added", sender,
                      bench.submit(sender, "add_card", {"item_id": item, "stage": "situation"}, {"text": text}),
                      everywhere("text", text=text))
        sender.page.wait_for_function("t => window.__latency.idOf('card-', t)", arg=text, timeout=bench.timeout_ms)
        cards.append((sender, sender.page.evaluate("t => window.__latency.idOf('card-', t)", text)))
    for n, (sender, card_id) in enumerate(cards):
        text = token("edited", n)
        bench.measure("card edited", sender,
                      bench.submit(sender, "edit_card", {"card_id": card_id}, {"text": text}),
                      everywhere("text", text=text))
    for sender, card_id in cards:
        bench.measure("card removed", sender, bench.submit(sender, "remove_card", {"card_id": card_id}),
                      everywhere("gone", ids=[f"card-{card_id}", f"present-card-{card_id}"]))
    for n in range(repeat):
        text = token("note", n)
        key = f"notes{n}"

        def saved(text=text, key=key):
            """When business support's page sent the save (found by its acknowledgement); else her status
            line saying "Saved"."""
            if support.hooked is not False:
                found = support.page.wait_for_function(
                    "t => { const r = window.__latency.sends.find(r => r.type === 'save_notes' && r.acked !== null"
                    " && String(r.data.text || '').includes(t)); return r ? { at: r.sent } : false }",
                    arg=text, timeout=bench.timeout_ms + 5_000)
                return found.json_value()["at"]
            found = support.page.wait_for_function(
                "k => { const w = window.__latency.watches[k]; return w && w.done ? { at: w.at } : false }",
                arg=key, timeout=bench.timeout_ms + 5_000)
            return found.json_value()["at"]

        def type_notes(text=text, key=key):
            support.page.evaluate("([k, t]) => window.__latency.watch(k, 'savedAgain', {}, t)",
                                  [key, bench.timeout_ms])
            return support.page.evaluate("([m, t]) => window.__latency.type('save_notes', m, t)",
                                         [{"item_id": item}, text])

        bench.measure("notes (autosaved as typed)", support, type_notes, boards_only("text", text=text),
                      from_ack=saved)

    # Room moves: to a chosen stage, and "next".
    def move(to: str, record: bool = True):
        nonlocal stage
        bench.measure("room moved", chair,
                      bench.submit(chair, "move", {"#": "room-move"}, {"item_id": str(item), "stage": to}),
                      room_at(to), record=record)
        stage = to

    for n in range(repeat):
        move(("perspectives", "analysis")[n % 2])
    move("situation")
    for n in range(repeat):
        if stage == "decision":
            move("situation")
        following = ("situation", "perspectives", "analysis", "decision")[stage_number(stage)]
        bench.measure("next stage", chair, bench.submit(chair, "move", {"next": "1"}), room_at(following))
        stage = following
    if stage != "decision":
        move("decision")

    # The decision: drafts, actions agreed, proposed, accepted and dropped; sign-off.
    due = (date.today() + timedelta(days=28)).isoformat()
    for n in range(repeat):
        text = token("decision", n)
        bench.measure("decision saved", chair,
                      bench.submit(chair, "save_decision", {"item_id": item},
                                   {"decision_text": text, "rationale": "Keep the plan while school attendance holds.",
                                    "outcome": "continue", "next_discussion_on": due}),
                      everywhere("text", text=text))
    for n in range(repeat):
        text = token("action", n)
        bench.measure("action added", chair,
                      bench.submit(chair, "add_action", {"item_id": item},
                                   {"text": text, "owner_id": "*first", "due_on": due}),
                      everywhere("text", text=text))
    proposers = [social_worker, specialist]
    proposed = []
    for n in range(2 * repeat):
        sender = proposers[n % 2]
        text = token("proposal", n)
        bench.measure("action proposed", sender,
                      bench.submit(sender, "propose_action", {"item_id": item}, {"text": text}),
                      lambda s, text=text, count=n + 1: (("proposedCount", {"count": count, "gone": []}) if s.present
                                                         else ("text", {"text": text})))
        sender.page.wait_for_function("t => window.__latency.idOf('action-', t)", arg=text, timeout=bench.timeout_ms)
        proposed.append(sender.page.evaluate("t => window.__latency.idOf('action-', t)", text))
    waiting = len(proposed)
    for n, action_id in enumerate(proposed):
        waiting -= 1
        if n % 2 == 0:
            bench.measure("action accepted", chair,
                          bench.submit(chair, "accept_action", {"action_id": action_id},
                                       {"owner_id": "*first", "due_on": due}),
                          lambda s, action_id=action_id: (
                              ("label", {"ids": [f"present-action-{action_id}"], "label": ""}) if s.present
                              else ("accepted", {"id": action_id})))
        else:
            bench.measure("action dropped", chair, bench.submit(chair, "drop_action", {"action_id": action_id}),
                          lambda s, action_id=action_id, count=waiting: (
                              ("proposedCount", {"count": count, "gone": [f"action-{action_id}"]}) if s.present
                              else ("gone", {"ids": [f"action-{action_id}"]})))
    sign_off(bench, item)
    for n in range(repeat):
        text = token("amended", n)
        bench.measure("decision amended", chair,
                      bench.submit(chair, "amend_decision", {"item_id": item, "field": "decision_text"},
                                   {"text": text, "reason": "The date of the conference was wrong."}),
                      everywhere("text", text=text))
    for n in range(repeat):
        text = token("later", n)
        bench.measure("added after sign-off", support,
                      bench.submit(support, "add_after_sign_off", {"item_id": item}, {"text": text}),
                      everywhere("text", text=text))

    # Set-up while live: a family added to the agenda from the session's agenda page.
    agenda_url = f"/sessions/{session_id}/agenda"
    for n, name in enumerate(plan.reload_families[:reloads]):
        reload_page.goto(agenda_url)

        def add_family(name=name):
            return reload_page.evaluate(
                """name => {
                     const select = document.querySelector('select[name="add_family"]')
                     const option = [...select.options].find(o => o.textContent.trim().startsWith(name + ' ('))
                     select.value = option.value
                     const at = window.__latency.now()
                     setTimeout(() => select.form.requestSubmit(), 0)
                     return at
                   }""", name)

        bench.measure("set-up reload (family added)", None, add_family,
                      lambda s, name=name, count=n + 2: (("familyCount", {"count": count}) if s.present
                                                         else ("text", {"text": name})),
                      sent_by="business support (agenda page)")
        reload_page.wait_for_load_state()

    presence(bench, plan, repeat, base_url)
    bench.measure("session closed", chair, bench.submit(chair, "close_session", {}),
                  everywhere("text", text="This session is closed"))


def sign_off(bench: Bench, item: int) -> None:
    chair = bench.by_name["chair"]
    bench.measure("sign-off", chair, bench.submit(chair, "sign_off", {"item_id": item}),
                  everywhere("text", text="igned off by"))


def presence(bench: Bench, plan: Plan, repeat: int, base_url: str) -> None:
    """A person comes onto the board and leaves it: a Socket.IO client of their own (python-socketio)."""
    import requests
    import socketio

    name = plan.names[VISITOR]
    http = requests.Session()
    page = http.get(f"{base_url}/sign-in", timeout=10).text
    csrf = harness.csrf_token(page)
    response = http.post(f"{base_url}/sign-in", allow_redirects=False, timeout=10,
                         data={"csrf_token": csrf, "username": plan.usernames[VISITOR], "password": harness.PASSWORD})
    assert response.status_code == 302, "the visitor could not sign in"
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    for _ in range(repeat):
        client = socketio.Client(reconnection=False)
        client.connect(base_url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)

        def join(client=client):
            at = time.time() * 1000
            ack = client.call("join", {"session_id": plan.sessions[0]}, timeout=10)
            assert ack.get("ok"), ack
            return at

        def leave(client=client):
            at = time.time() * 1000
            client.disconnect()
            return at

        bench.measure("presence (someone joins)", None, join, boards_only("present", name=name),
                      sent_by="another person (Socket.IO client)")
        bench.measure("presence (someone leaves)", None, leave, boards_only("absent", name=name),
                      sent_by="another person (Socket.IO client)")


def one_shot_session(bench: Bench, plan: Plan, n: int, base_url: str, cpu_phase=None) -> None:
    """Another session of the day: start, move to the decision, decide, sign off, close."""
    session_id, item = plan.sessions[n], plan.items[n]
    for screen in bench.screens:
        open_board(screen.page, f"/sessions/{session_id}/board" + ("/present" if screen.present else ""))
    chair = bench.by_name["chair"]
    bench.measure("start the session", chair, bench.submit(chair, "start_session", {}),
                  lambda s: ("noText", {"text": "starts soon"}) if s.present else ("text", {"text": "The room is on"}))
    if cpu_phase is not None:
        cpu_phase(session_id, item)
    bench.measure("room moved", chair,
                  bench.submit(chair, "move", {"#": "room-move"}, {"item_id": str(item), "stage": "decision"}),
                  room_at("decision"))
    text = token("decision", 1000 + n)
    due = (date.today() + timedelta(days=28)).isoformat()
    bench.measure("decision saved", chair,
                  bench.submit(chair, "save_decision", {"item_id": item},
                               {"decision_text": text, "rationale": "The family is ready to step down.",
                                "outcome": "continue", "next_discussion_on": due}),
                  everywhere("text", text=text))
    sign_off(bench, item)
    bench.measure("session closed", chair, bench.submit(chair, "close_session", {}),
                  everywhere("text", text="This session is closed"))


# ---------------------------------------------------------------- server CPU with more viewers

def server_cpu(bench: Bench, server: EmbeddedServer, browser, plan: Plan, session_id: int, item: int,
               viewer_counts: list[int], batch: int) -> list[dict]:
    """CPU per change with 5, 12, 24 viewers: cards by the social worker, then room moves by the chair."""
    extra_people = [i for i in range(PEOPLE) if i not in (CHAIR, BUSINESS_SUPPORT, VISITOR, SOCIAL_WORKER, SPECIALIST)]
    chair, social_worker = bench.by_name["chair"], bench.by_name["social worker"]
    viewers: list[Screen] = []
    rows = []
    stage = "situation"
    try:
        for count in viewer_counts:
            while len(bench.screens) + len(viewers) < count:
                person = extra_people[len(viewers)]
                page = signed_in_page(browser, server.url, plan.usernames[person])
                open_board(page, f"/sessions/{session_id}/board")
                viewers.append(Screen(f"viewer {len(viewers) + 1}", page))
            watchers = bench.screens + viewers
            time.sleep(2.0)  # the new pages' first requests are over
            idle_started, idle_cpu = time.monotonic(), server.cpu()
            time.sleep(3.0)
            idle_rate = (server.cpu() - idle_cpu) / (time.monotonic() - idle_started)
            row = {"viewers": count}
            for kind in ("card added", "room moved"):
                started, cpu_before = time.monotonic(), server.cpu()
                for n in range(batch):
                    if kind == "card added":
                        text = token(f"cpu{count}v", n)
                        bench.measure(kind, social_worker,
                                      bench.submit(social_worker, "add_card", {"item_id": item, "stage": "situation"},
                                                   {"text": text}),
                                      everywhere("text", text=text), record=False, watchers=watchers)
                    else:
                        stage = "perspectives" if stage == "situation" else "situation"
                        bench.measure(kind, chair, bench.submit(chair, "move", {"#": "room-move"},
                                                                {"item_id": str(item), "stage": stage}),
                                      room_at(stage), record=False, watchers=watchers)
                time.sleep(1.0)  # late page re-reads are counted too
                elapsed = time.monotonic() - started
                cpu = server.cpu() - cpu_before - idle_rate * elapsed
                row[kind] = 1000 * cpu / batch
            row["idle_pct"] = 100 * idle_rate
            rows.append(row)
            print(f"  {count} viewers: {row['card added']:.1f} ms CPU per card, {row['room moved']:.1f} ms per move "
                  f"(idle {row['idle_pct']:.1f}% of a core)", flush=True)
        if stage != "situation":
            bench.measure("room moved", chair, bench.submit(chair, "move", {"#": "room-move"},
                                                            {"item_id": str(item), "stage": "situation"}),
                          room_at("situation"), record=False)
    finally:
        for viewer in viewers:
            viewer.page.context.close()
    return rows


# ---------------------------------------------------------------- the report

ORDER = ["start the session", "room moved", "next stage", "card added", "card edited", "card removed",
         "notes (autosaved as typed)", "review of a previous action", "decision saved", "action added",
         "action proposed", "action accepted", "action dropped", "sign-off", "decision amended",
         "added after sign-off", "set-up reload (family added)", "presence (someone joins)",
         "presence (someone leaves)", "session closed"]


def cell(values: list[float] | None) -> str:
    if not values:
        return "—"
    s = summary(values)
    return f"{s['p50']:.0f} / {s['p99']:.0f}"


def niced(executable: str, niceness: int, directory: Path) -> str:
    """The browser, started at a lower priority than the server: in use, each person's browser runs on
    their own computer and never takes the server's processor, as five of them on this one would."""
    if niceness <= 0:
        return executable
    wrapper = directory / "chromium-niced"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {int(niceness)} "{executable}" "$@"\n')
    wrapper.chmod(0o700)
    return str(wrapper)


def server_times(log_path: Path) -> dict[str, list[float]]:
    """Each stored change's `duration_ms` from the server's log (its one `board event` line), by type,
    and the agenda page's posts (a set-up change, from the request to the redirect)."""
    times: dict[str, list[float]] = {}
    for line in log_path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("message") == "board event" and entry.get("type") and "duration_ms" in entry:
            times.setdefault(entry["type"], []).append(entry["duration_ms"])
        elif (entry.get("message") == "request" and entry.get("method") == "POST"
              and str(entry.get("path", "")).endswith("/agenda") and "duration_ms" in entry):
            # A set-up change is made by the agenda page's form: its post, stored and sent to the boards.
            times.setdefault("agenda form post (set-up)", []).append(entry["duration_ms"])
    return times


def report(results: Results) -> list[list[str]]:
    rows = []
    for event in ORDER + [e for e in results.latency if e not in ORDER]:
        if event not in results.latency and event not in results.missed:
            continue
        per_screen = results.latency.get(event, {})
        missed = sum(results.missed.get(event, {}).values())
        n = max((len(v) for v in per_screen.values()), default=0)
        rows.append([event, ", ".join(sorted(results.senders.get(event, []))), str(n),
                     *[cell(per_screen.get(name)) for name in SCREENS],
                     cell(results.slowest.get(event)), str(missed)])
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="changes of each repeatable kind")
    parser.add_argument("--sessions", type=int, default=5, help="sessions started, signed off and closed")
    parser.add_argument("--reloads", type=int, default=10, help="families added to the agenda while live")
    parser.add_argument("--viewers", default="5,12,24", help="viewer counts for server CPU per change")
    parser.add_argument("--batch", type=int, default=20, help="changes of each kind per CPU measurement")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a screen may take to show a change")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between one change and the next")
    parser.add_argument("--browser-nice", type=int, default=10,
                        help="niceness of the browsers (0: the same priority as the server)")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv if argv is not None else [])
    if not Path(CHROMIUM).exists():
        print(f"  skipped: Chromium is not installed at {CHROMIUM} (make install-test installs Debian's chromium)")
        return {}
    from playwright.sync_api import sync_playwright

    viewer_counts = [int(v) for v in args.viewers.split(",") if v.strip()]
    started_at = datetime.now(timezone.utc)
    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        plan = seed(url, directory, max(2, args.sessions), args.reloads)
        server = EmbeddedServer(url, directory)
        try:
            server.wait_until_ready()
            busy = harness.wait_for_quiet(max_wait=float(os.environ.get("BENCH_QUIET_WAIT", "20")))
            busy_start, wall_start = harness.cpu_busy_seconds(), time.monotonic()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=niced(CHROMIUM, args.browser_nice, directory),
                                                     args=CHROMIUM_ARGS)
                try:
                    people = {"chair": CHAIR, "social worker": SOCIAL_WORKER, "specialist": SPECIALIST,
                              "business support": BUSINESS_SUPPORT, "big screen": CHAIR}
                    screens = [Screen(name, signed_in_page(browser, server.url, plan.usernames[people[name]]),
                                      present=name == "big screen") for name in SCREENS]
                    reload_page = signed_in_page(browser, server.url, plan.usernames[BUSINESS_SUPPORT])
                    for screen in screens:
                        open_board(screen.page, f"/sessions/{plan.sessions[0]}/board"
                                   + ("/present" if screen.present else ""))
                    for screen in screens:
                        screen.hooked = screen.page.evaluate(HOOKED)
                    bench = Bench(screens, int(args.timeout * 1000), args.pause)
                    whole_discussion(bench, plan, args.repeat, args.reloads, reload_page, server.url)
                    cpu_rows: list[dict] = []

                    def cpu_phase(session_id, item):
                        cpu_rows.extend(server_cpu(bench, server, browser, plan, session_id, item,
                                                   viewer_counts, args.batch))

                    for n in range(1, len(plan.sessions)):
                        one_shot_session(bench, plan, n, server.url, cpu_phase if n == 1 else None)
                finally:
                    browser.close()
            during = 100 * (harness.cpu_busy_seconds() - busy_start) / (time.monotonic() - wall_start) / os.cpu_count()
        finally:
            server.stop()
        handled = server_times(server.log_path)

    rows = report(bench.results)
    print(f"Browser latency per event type: embedded server (supervision run, gevent, SQLite), Chromium "
          f"at nice {max(0, args.browser_nice)}, {started_at:%Y-%m-%d %H:%M} UTC; machine {busy * 100:.0f}% busy before, "
          f"{during:.0f}% during (all processes, these browsers included)")
    print("  ms from submit (notes: from the save being sent) to visible, p50 / p99 per screen; "
          "'slowest' is the last screen to show each change")
    if bench.by_name["business support"].hooked is False:
        print("  notes timed from business support's status line reading 'Saved' (her page's acks were not readable)")
    headers = ["event", "sent by", "n", *SCREENS, "slowest", "missed"]
    print("\n".join("  " + line for line in harness.table(headers, rows).splitlines()))
    print("The last screen to show each change, ms p50 / p99 from the submit: the sender's page sending it, "
          "its board event reaching that screen (the server and the network), and from there to visible "
          "(the page drawing it)")
    split = [[event, cell(bench.results.sent.get(event)), cell(bench.results.reached.get(event)),
              cell(bench.results.drawn.get(event))]
             for event in ORDER + [e for e in bench.results.reached if e not in ORDER] if event in bench.results.reached]
    print("\n".join("  " + line for line in harness.table(["event", "sent", "reached", "drawn"], split).splitlines()))
    print("The server's own time per change type, from its log: event received to acknowledged (stored, "
          "regions drawn, sent to the board), ms p50 / p99")
    print("\n".join("  " + line for line in harness.table(
        ["change type", "n", "handled"], [[kind, str(len(v)), cell(v)] for kind, v in sorted(handled.items())]
    ).splitlines()))
    print("Server CPU per change (embedded server process, less its idle rate), viewers beyond 5 are Chromium pages")
    base = cpu_rows[0] if cpu_rows else None

    def per_viewer(row: dict, kind: str) -> str:
        extra = row["viewers"] - base["viewers"]
        return f"{(row[kind] - base[kind]) / extra:+.2f}" if extra else ""

    cpu_table = [[str(r["viewers"]), f"{r['card added']:.1f}", per_viewer(r, "card added"), f"{r['room moved']:.1f}",
                  per_viewer(r, "room moved"), f"{r['idle_pct']:.1f}%"] for r in cpu_rows]
    print("\n".join("  " + line for line in harness.table(
        ["viewers", "CPU ms per card added", "per extra viewer", "CPU ms per room move", "per extra viewer",
         "idle CPU"], cpu_table).splitlines()))
    figures = {"latency": bench.results.latency, "slowest": bench.results.slowest, "missed": bench.results.missed,
               "sent": bench.results.sent, "reached": bench.results.reached, "drawn": bench.results.drawn,
               "handled": handled,
               "cpu": cpu_rows, "table": rows}
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=sorted))
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
