"""Server time of a sign-off, in-process: the decision signed, the family's record frozen, its regions drawn.

A signed-in chair's Socket.IO connection (Flask-SocketIO's test client, so no network and no
other process) starts a session of `--families` families with `--cards` cards each, then for each
family saves a complete decision and signs it off. Each family can be signed off once, so each
sign-off is one family's; the first few fill the statement and template caches and are left out.
Then the last family's decision is amended `--amendments` times in a row, and as many entries are
added after its sign-off: the first and the last few of each show whether a change grows with those
before it. The baseline, in the same run, is the same connection's card (`add_card`), the change
made most often.

Run: python -m benchmarks.sign_off [--families N] [--cards N] [--amendments N]
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

WARM_UP = 4


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=16, help="families on the agenda, each signed off once")
    parser.add_argument("--cards", type=int, default=40, help="cards each family has")
    parser.add_argument("--amendments", type=int, default=20, help="amendments, and entries after sign-off, made in a row")
    args = parser.parse_args(argv if argv is not None else [])
    os.environ["SQLITE_SYNCHRONOUS"] = "NORMAL"  # the disk's flush is measured apart (benchmarks/durability.py)

    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        session = harness.build_sessions(url, directory, sessions=1, people=12, families=args.families,
                                         cards_per_family=args.cards)[0]
        app = harness.in_process_app(url, directory, SOCKET_LIMITS=harness.QUICK_CHANGES)
        chair = harness.BoardConnection(app, session.usernames[0], session.id)
        send = chair.send

        sizes: dict[str, list[int]] = {"amend_decision": [], "add_after_sign_off": []}
        last: list[dict] = [{}]  # the last change's acknowledgement

        def timed(change_type: str, data: dict, n: int) -> float:
            started = time.perf_counter()
            answer = last[0] = send(change_type, data, n)
            elapsed = (time.perf_counter() - started) * 1000
            if change_type in sizes:
                sizes[change_type].append(len(json.dumps(answer["event"])))
            return elapsed

        send("start_session", {})
        sign_offs, cards = [], []
        for n, item_id in enumerate(session.item_ids):
            cards.append(timed("add_card", {"item_id": item_id, "stage": "situation", "text": CARD_TEXT}, n))
            saved = send("save_decision", {"item_id": item_id, "version": 0, "decision_text": "Stay on the plan",
                                           "rationale": "Why: Mia is safer at home.", "outcome": "continue",
                                           "next_discussion_on": "2027-01-10"}, n)
            version = saved["event"]["changes"][0]["value"]["version"]
            sign_offs.append(timed("sign_off", {"item_id": item_id, "version": version}, n))
        amendments, entries = [], []
        version = last[0]["event"]["changes"][0]["value"]["version"]
        for n in range(args.amendments):
            field = ("decision_text", "rationale")[n % 2]
            amendments.append(timed("amend_decision", {"item_id": item_id, "version": version, "field": field,
                                                       "text": f"{CARD_TEXT} ({n})", "reason": "Clearer wording."}, n))
            version = last[0]["event"]["changes"][0]["value"]["version"]
            entries.append(timed("add_after_sign_off", {"item_id": item_id, "text": f"{CARD_TEXT} ({n})"}, n))
        chair.client.disconnect()

    measured = {"sign_off": sign_offs[WARM_UP:], "add_card": cards[WARM_UP:]}
    print(f"A sign-off in-process ({args.families} families x {args.cards} cards, "
          f"the first {WARM_UP} left out), ms")
    for name, times in measured.items():
        print(f"  {name:9}  median {statistics.median(times):6.1f}  min {min(times):6.1f}  max {max(times):6.1f}"
              f"  (n={len(times)})")
    few = min(5, max(1, args.amendments // 4))
    print(f"The last family amended {args.amendments} times, and as many entries added after its sign-off: "
          f"median ms (event KB) of the first {few} and the last {few}")
    for name, times in (("amend_decision", amendments), ("add_after_sign_off", entries)):
        size = sizes[name]
        print(f"  {name:18}  first {statistics.median(times[:few]):6.1f} ({statistics.median(size[:few]) / 1024:4.1f} KB)"
              f"  last {statistics.median(times[-few:]):6.1f} ({statistics.median(size[-few:]) / 1024:4.1f} KB)")
    return {name: statistics.median(times) for name, times in measured.items()}


if __name__ == "__main__":
    main(sys.argv[1:])
