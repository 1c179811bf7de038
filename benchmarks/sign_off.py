"""Server time of a sign-off, in-process: the decision signed, the family's record frozen, its regions drawn.

A signed-in chair's Socket.IO connection (Flask-SocketIO's test client, so no network and no
other process) starts a session of `--families` families with `--cards` cards each, then for each
family saves a complete decision and signs it off. Each family can be signed off once, so each
sign-off is one family's; the first few fill the statement and template caches and are left out.
The baseline, in the same run, is the same connection's card (`add_card`), the change made most
often.

Run: python -m benchmarks.sign_off [--families N] [--cards N]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import time

from . import harness
from .change_cost import CARD_TEXT

WARM_UP = 4


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=16, help="families on the agenda, each signed off once")
    parser.add_argument("--cards", type=int, default=40, help="cards each family has")
    args = parser.parse_args(argv if argv is not None else [])
    os.environ["SQLITE_SYNCHRONOUS"] = "NORMAL"  # the disk's flush is measured apart (benchmarks/durability.py)

    from supervision import create_app
    from supervision.extensions import socketio

    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        session = harness.build_sessions(url, directory, sessions=1, people=12, families=args.families,
                                         cards_per_family=args.cards)[0]
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_PROFILE": "CHEAPEST",
                          "SECRET_KEY": harness.SECRET_KEY, "EXPORT_DIR": str(directory / "exports"),
                          "SOCKET_LIMITS": {"change": "1000000 per second", "catch_up": "1000 per second",
                                            "typing": "1 per second"}})
        web = app.test_client()
        page = web.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        signed_in = web.post("/sign-in", data={"csrf_token": token, "username": session.usernames[0],
                                               "password": harness.PASSWORD})
        assert signed_in.status_code == 302, "the chair could not sign in"
        client = socketio.test_client(app, flask_test_client=web)

        def send(change_type: str, data: dict, n: int) -> dict:
            answer = client.emit("change", {"session_id": session.id, "type": change_type, "data": data,
                                            "client_change_id": f"{change_type}-{n}"}, callback=True)
            assert answer.get("ok"), answer
            client.get_received()
            return answer

        def timed(change_type: str, data: dict, n: int) -> float:
            started = time.perf_counter()
            send(change_type, data, n)
            return (time.perf_counter() - started) * 1000

        assert client.emit("join", {"session_id": session.id}, callback=True).get("ok")
        send("start_session", {}, 0)
        sign_offs, cards = [], []
        for n, item_id in enumerate(session.item_ids):
            cards.append(timed("add_card", {"item_id": item_id, "stage": "situation", "text": CARD_TEXT}, n))
            saved = send("save_decision", {"item_id": item_id, "version": 0, "decision_text": "Stay on the plan",
                                           "rationale": "Why: Mia is safer at home.", "outcome": "continue",
                                           "next_discussion_on": "2027-01-10"}, n)
            version = saved["event"]["changes"][0]["value"]["version"]
            sign_offs.append(timed("sign_off", {"item_id": item_id, "version": version}, n))
        client.disconnect()

    measured = {"sign_off": sign_offs[WARM_UP:], "add_card": cards[WARM_UP:]}
    print(f"A sign-off in-process ({args.families} families x {args.cards} cards, "
          f"the first {WARM_UP} left out), ms")
    for name, times in measured.items():
        print(f"  {name:9}  median {statistics.median(times):6.1f}  min {min(times):6.1f}  max {max(times):6.1f}"
              f"  (n={len(times)})")
    return {name: statistics.median(times) for name, times in measured.items()}


if __name__ == "__main__":
    main()
