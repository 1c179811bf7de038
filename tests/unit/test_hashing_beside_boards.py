"""A password hash on a gevent worker runs beside the live boards, not in front of them.

Signing in hashes a password for about a quarter of a second; on the event loop, a handful
of people signing in together held every board on the worker still for seconds, and their
connections timed out. The check runs in a gevent-patched interpreter of its own, as
`supervision run` and gunicorn's gevent workers are.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import gevent
    from gevent.monkey import get_original

    from supervision.runtime import off_the_event_loop

    # A native lock: waiting on it blocks the thread that waits, whatever gevent patched.
    board_moved = get_original("_thread", "allocate_lock")()
    board_moved.acquire()

    def slow_work():
        # Stands in for the hash: it finishes only once a board on the loop has moved.
        return board_moved.acquire(timeout=20)

    def a_board_change():
        board_moved.release()

    gevent.spawn(a_board_change)
    print("boards moved during the work" if off_the_event_loop(slow_work) else "boards held still")
""")


def test_slow_work_runs_while_other_boards_move():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "boards moved during the work"


def test_without_gevent_the_work_runs_in_place():
    from supervision.runtime import off_the_event_loop

    import threading

    assert off_the_event_loop(threading.get_ident) == threading.get_ident()
