"""A password hash on a gevent worker runs beside the live boards, not in front of them.

Signing in hashes a password for about a quarter of a second; on the event loop, a handful
of people signing in together held every board on the worker still for seconds, and their
connections timed out. The check runs in a gevent-patched interpreter of its own, as
`supervision run` and gunicorn's gevent workers are.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import gevent
    from gevent.monkey import get_original

    from supervision.runtime import password_hashing

    # A native lock: waiting on it blocks the thread that waits, whatever gevent patched.
    board_moved = get_original("_thread", "allocate_lock")()
    board_moved.acquire()

    def slow_work():
        # Stands in for the hash: it finishes only once a board on the loop has moved.
        return board_moved.acquire(timeout=20)

    def a_board_change():
        board_moved.release()

    gevent.spawn(a_board_change)
    print("boards moved during the work" if password_hashing.run(slow_work) else "boards held still")
""")


def test_slow_work_runs_while_other_boards_move():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "boards moved during the work"


def test_without_gevent_the_work_runs_in_place():
    import threading

    from supervision.runtime import password_hashing

    assert password_hashing.run(threading.get_ident) == threading.get_ident()


PASSWORD_SET_WHILE_OTHERS_WRITE = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import sys

    import gevent
    from sqlalchemy import update

    from supervision import create_app
    from supervision.extensions import db
    from supervision.runtime import password_hashing
    from supervision.services import accounts, password_links
    from supervision.services.people import Steward
    from supervision.store.models import Team

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        team = Team(name="Fictional North", slug="north")
        db.session.add(team)
        db.session.commit()
        manager = accounts.create_user(username="mo-birch", display_name="Mo Birch", team_name=team.name,
                                       role_key="team-manager", specialism_key=None,
                                       password="a long fictional passphrase")
        worker = accounts.create_user(username="ada-ash", display_name="Ada Ash", team_name=team.name,
                                      role_key="social-worker", specialism_key=None,
                                      password="another fictional passphrase")
        token, _ = password_links.issue(Steward(manager.id, "Mo Birch", "Team manager", team.id), worker.id)

    def someone_else_writes():
        with app.app_context():
            db.session.execute(update(Team).values(name="Fictional North team"))
            db.session.commit()

    plain_run = password_hashing.run

    def run_while_others_write(work, *args):
        other = gevent.spawn(someone_else_writes)  # another board's change, committed during the hash
        other.join()
        if not other.successful():
            raise SystemExit(f"the other change failed: {other.exception}")
        return plain_run(work, *args)

    password_hashing.run = run_while_others_write
    with app.app_context():
        user = password_links.use(token, "seven quiet orchard lanterns")
        print("password set" if user is not None and accounts.authenticate("ada-ash", "seven quiet orchard lanterns")
              else "refused")
""")


def test_a_password_set_while_others_write_is_kept(tmp_path):
    """Setting a password hashes it before writing anything, so others' changes go on meanwhile.

    Hashing after the link was spent held SQLite's write lock across the hash: the next
    change waited for the lock on the only thread that could finish the hash.
    """
    result = subprocess.run([sys.executable, "-c", PASSWORD_SET_WHILE_OTHERS_WRITE, str(tmp_path / "board.db")],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"),
                                 "SECRET_KEY": "fictional-test-key"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "password set"
