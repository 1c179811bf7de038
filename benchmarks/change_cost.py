"""Server time of one live board change, in-process: the handler, the unit of work, the broadcast.

A signed-in chair's Socket.IO connection (Flask-SocketIO's test client, so no network and no
other process) sends changes one after another and waits for each acknowledgement. Timed
per change: the wall time and the process's CPU time, for the changes people make most
(a card, a note saved, a card changed, the room moving on, the decision saved, an action proposed
or dropped while the family already has `--proposals` proposed actions waiting). The baseline, in the same run, is the bare
Flask-SocketIO server of the load benchmark (benchmarks/bare_server.py) taking the same card
the same way: numbering it, sending it to the room, acknowledging it; no sign-in, database or rules.

SQLite runs with `synchronous=NORMAL` here, so that the disk's flush (measured apart in
benchmarks/durability.py) does not hide the Python work this benchmark is about.

Run: python -m benchmarks.change_cost [--changes N] [--families N] [--cards N] [--proposals N] [--only KIND,...]
(`--cards`: cards each family already has, over the three stages)
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from . import harness

CARD_TEXT = "Mum says the mornings are calmer since the new routine started; school confirms he is on time. " * 2


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=1500, help="changes of each kind")
    parser.add_argument("--families", type=int, default=2, help="families on the agenda")
    parser.add_argument("--cards", type=int, default=0, help="cards each family already has")
    parser.add_argument("--proposals", type=int, default=20, help="proposed actions waiting in the family")
    parser.add_argument("--only", default="", help="the kinds of change to time, by name (default: all)")
    args = parser.parse_args(argv if argv is not None else [])
    os.environ["SQLITE_SYNCHRONOUS"] = "NORMAL"

    from supervision.extensions import db

    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        session = harness.build_sessions(url, directory, sessions=1, people=12, families=max(2, args.families),
                                         cards_per_family=args.cards)[0]
        app = harness.in_process_app(url, directory, SOCKET_LIMITS=harness.QUICK_CHANGES)
        chair = harness.BoardConnection(app, session.usernames[0], session.id)
        send = chair.send
        send("start_session", {})
        first, second = session.item_ids[:2]
        notes_version = [0]
        edited = send("add_card", {"item_id": first, "stage": "situation", "text": CARD_TEXT}, -1)["event"]["changes"][0]
        card_version = [edited["value"]["version"]]
        decision_version = [0]

        def edit(n: int) -> None:
            send("edit_card", {"card_id": int(edited["id"]), "version": card_version[0], "text": f"{CARD_TEXT} ({n})"}, n)
            card_version[0] += 1

        def decide(n: int) -> None:
            send("save_decision", {"item_id": first, "version": decision_version[0], "rationale": "Why: Mia is safer.",
                                   "decision_text": f"Stay on the child protection plan (draft {n})"}, n)
            decision_version[0] += 1

        def card(n: int) -> None:
            send("add_card", {"item_id": first, "stage": "situation", "text": CARD_TEXT}, n)

        def notes(n: int) -> None:
            send("save_notes", {"item_id": first, "version": notes_version[0], "text": f"Notes, draft {n}"}, n)
            notes_version[0] += 1

        def move(n: int) -> None:  # to a stage the cards added above do not fill, so the moves stay alike
            send("move", {"item_id": (first, second)[n % 2], "stage": "perspectives"}, n)

        for n in range(args.proposals):
            send("propose_action", {"item_id": second, "text": f"Ask the school about Mia's attendance ({n})"}, -2 - n)

        def propose_or_drop(n: int) -> None:  # the family keeps the same number of proposals waiting
            if n % 2 == 0:
                proposed[0] = send("propose_action", {"item_id": second, "text": f"Book the family group meeting ({n})",
                                                      "owner_id": "", "due_on": ""}, n)["event"]["changes"][0]["id"]
            else:
                send("drop_action", {"action_id": int(proposed[0])}, n)

        proposed = [None]

        from .bare_server import app as bare_app, socketio as bare_socketio

        bare = bare_socketio.test_client(bare_app)
        bare.emit("join", {"session_id": 1}, callback=True)

        def bare_card(n: int) -> None:
            answer = bare.emit("change", {"session_id": 1, "type": "add_card", "client_change_id": f"bare-{n}",
                                          "data": {"item_id": 1, "stage": "situation", "text": CARD_TEXT}},
                               callback=True)
            assert answer.get("ok"), answer
            bare.get_received()

        results = {}
        for name, work in (("bare server's card", bare_card), ("add_card", card), ("save_notes", notes),
                           ("edit_card", edit), ("move", move), ("save_decision", decide),
                           ("propose_or_drop_action", propose_or_drop)):
            if args.only and name not in args.only.split(",") and name != "bare server's card":
                continue
            for n in range(50):  # warm up: templates, statement caches
                work(10_000_000 + n)
            walls, started_cpu = [], time.process_time()
            for n in range(args.changes):
                started = time.perf_counter()
                work(n)
                walls.append(time.perf_counter() - started)
            cpu = (time.process_time() - started_cpu) / args.changes
            walls.sort()
            results[name] = {"p50_ms": statistics.median(walls) * 1000, "p99_ms": harness.percentile(walls, 99) * 1000,
                             "cpu_ms": cpu * 1000}
        chair.client.disconnect()
        bare.disconnect()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    base = results["bare server's card"]
    print(f"One change in-process (Flask-SocketIO test client, SQLite synchronous=NORMAL), {args.changes} of each")
    rows = [[name, f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}", f"{r['cpu_ms']:.2f}",
             harness.ratio(r["cpu_ms"], base["cpu_ms"])] for name, r in results.items()]
    print("\n".join("  " + line for line in harness.table(
        ["change", "p50 ms", "p99 ms", "CPU ms/change", "CPU ratio to the bare server"], rows).splitlines()))
    return results


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
