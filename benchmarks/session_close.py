"""Server time of closing a session, in-process: the event stored and the parts of the board it changes drawn.

Each of `--sessions` sessions (a team of its own) has `--families` families of `--cards` cards.
Its chair (Flask-SocketIO's test client, so no network and no other process) starts it, adds a
card to each family, signs off the first family's decision, and closes it. The first session
fills the statement and template caches and is left out. The baseline, in the same run, is the
same connections' cards (`add_card`), the change made most often. The size is the event's, as
every browser on the board receives it.

Run: python -m benchmarks.session_close [--sessions N] [--families N] [--cards N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from . import harness
from .change_cost import CARD_TEXT

WARM_UP = 1


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8, help="sessions, each closed once")
    parser.add_argument("--families", type=int, default=8, help="families on each agenda")
    parser.add_argument("--cards", type=int, default=40, help="cards each family has")
    args = parser.parse_args(argv if argv is not None else [])
    os.environ["SQLITE_SYNCHRONOUS"] = "NORMAL"  # the disk's flush is measured apart (benchmarks/durability.py)

    closes, sizes, cards = [], [], []
    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        sessions = harness.build_sessions(url, directory, sessions=args.sessions, people=12,
                                          families=args.families, cards_per_family=args.cards)
        app = harness.in_process_app(url, directory, SOCKET_LIMITS=harness.QUICK_CHANGES)
        for session in sessions:
            chair = harness.BoardConnection(app, session.usernames[0], session.id)
            chair.send("start_session", {})
            for n, item_id in enumerate(session.item_ids):
                started = time.perf_counter()
                chair.send("add_card", {"item_id": item_id, "stage": "situation", "text": CARD_TEXT}, n)
                cards.append((time.perf_counter() - started) * 1000)
            first = session.item_ids[0]
            saved = chair.send("save_decision", {"item_id": first, "version": 0, "decision_text": "Stay on the plan",
                                                 "rationale": "Why: Mia is safer at home.", "outcome": "continue",
                                                 "next_discussion_on": "2027-01-10"})
            chair.send("sign_off", {"item_id": first, "version": saved["event"]["changes"][0]["value"]["version"]})
            started = time.perf_counter()
            answer = chair.send("close_session", {})
            closes.append((time.perf_counter() - started) * 1000)
            sizes.append(len(json.dumps(answer["event"])))
            chair.client.disconnect()

    measured = {"close_session": closes[WARM_UP:], "add_card": cards[WARM_UP * args.families:]}
    print(f"Closing a session in-process ({args.families} families x {args.cards} cards, one signed off; "
          f"the first {WARM_UP} left out), ms")
    for name, times in measured.items():
        print(f"  {name:13}  median {statistics.median(times):6.1f}  min {min(times):6.1f}  max {max(times):6.1f}"
              f"  (n={len(times)})")
    print(f"  close_session's event: median {statistics.median(sizes[WARM_UP:]) / 1024:.1f} KB")
    return {name: statistics.median(times) for name, times in measured.items()}


if __name__ == "__main__":
    main(sys.argv[1:])
