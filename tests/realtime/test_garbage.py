"""A live board change leaves next to nothing for the garbage collector.

Under gevent every board on a worker waits while the collector runs. Objects caught in reference
cycles are freed only by it, so a change that leaves many makes it run often and long: each
Socket.IO event's request context held a Not Found with its traceback (the event's path had no
rule), about 70 objects a change, freed in pauses of 8-25 ms every two seconds or so at a
council's peak.

The count is taken in a process of its own: in the test process, other tests' servers and
threads leave garbage of their own meanwhile.
"""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from supervision.extensions import socketio
from tests.conftest import Browser, make_app
from tests.demo_session import everyone_present, todays_session_id

CHANGES = 20  # in each of three windows
# Werkzeug's URL matcher left its recursive closure (8 objects) per event until the socket path was matched once.
MOST_LEFT_PER_CHANGE = 2
ROOT = Path(__file__).resolve().parents[2]


def left_per_change(database_url: str, directory: str) -> float:
    """Objects in reference cycles per card added, as the collector would find them."""
    app = make_app(database_url, Path(directory), SOCKET_LIMITS={
        "change": "1000 per second", "catch_up": "100 per second", "typing": "1 per second"})
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    manager = socketio.test_client(app, flask_test_client=Browser(app.test_client()).sign_in("manager").client)
    assert manager.emit("join", {"session_id": session_id}, callback=True)["ok"]

    def change(change_type: str, data: dict, n: int) -> None:
        answer = manager.emit("change", {"session_id": session_id, "type": change_type, "data": data,
                                         "client_change_id": f"garbage-{n}"}, callback=True)
        assert answer["ok"], answer
        manager.get_received()

    change("start_session", {}, 0)
    item_id = manager.emit("join", {"session_id": session_id}, callback=True)[
        "snapshot"]["state"]["room"]["room"]["current_item_id"]
    for n in range(1, 11):  # warm up: templates compiled, statements cached
        change("add_card", {"item_id": item_id, "stage": "situation", "text": f"Mia is settled ({n})."}, n)

    def left_by(changes: int, first: int) -> int:
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for n in range(first, first + changes):
                change("add_card", {"item_id": item_id, "stage": "situation", "text": f"School says hello ({n})."}, n)
            gc.collect()
            return len(gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()

    # Something made before (the migrations' statements, say) may come loose once, in any window:
    # the median of three windows is what the changes themselves leave.
    left = sorted(left_by(CHANGES, 1000 * window) for window in (1, 2, 3))[1] / CHANGES
    manager.disconnect()
    return left


def test_a_card_added_leaves_almost_nothing_in_reference_cycles(database_url, tmp_path):
    measured = subprocess.run(
        [sys.executable, "-c", "import sys; from tests.realtime.test_garbage import left_per_change; "
                               "print(left_per_change(sys.argv[1], sys.argv[2]))", database_url, str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert measured.returncode == 0, measured.stderr[-3000:]
    left = float(measured.stdout.strip().splitlines()[-1])
    assert left <= MOST_LEFT_PER_CHANGE, f"{left:.0f} objects in reference cycles per change"
