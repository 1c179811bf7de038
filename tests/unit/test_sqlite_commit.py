"""Under gevent, waiting for SQLite's commit to reach the disk never stops the worker's other boards.

A fresh interpreter for each case (monkey-patching cannot be undone). SQLite's trace callback
runs on the thread that executes each statement, so it shows where COMMIT ran; a second
greenlet counts how often the loop ran while the commits were waiting.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sqlite3, tempfile, threading, os
from supervision.store.sqlite import Connection
import sqlalchemy
from supervision.config import sqlalchemy_engine_options

folder = tempfile.mkdtemp()
url = "sqlite:///" + os.path.join(folder, "probe.db")
engine = sqlalchemy.create_engine(url, **sqlalchemy_engine_options(url))
threads = []
with engine.connect() as connection:
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, Connection), type(raw)
    raw.set_trace_callback(lambda sql: threads.append(threading.get_native_id()) if sql == "COMMIT" else None)
    connection.exec_driver_sql("CREATE TABLE notes (text TEXT)")
    connection.commit()
    loop_thread = threading.get_native_id()
    ticks = [0]
    if PATCHED:
        import gevent
        def tick():
            while True:
                ticks[0] += 1
                gevent.sleep(0)
        ticker = gevent.spawn(tick)
        gevent.sleep(0)
    for n in range(20):
        connection.exec_driver_sql("INSERT INTO notes VALUES ('Mum rang the school')")
        connection.commit()
    if PATCHED:
        ticker.kill()
with engine.connect() as other:
    stored = other.exec_driver_sql("SELECT count(*) FROM notes").scalar()
print(json.dumps({"stored": stored, "commits": len(threads),
                  "off_loop": sum(1 for t in threads if t != loop_thread), "ticks": ticks[0]}))
"""


@pytest.mark.parametrize("patched", [True, False])
def test_commits_wait_for_the_disk_off_the_event_loop_only_under_gevent(patched):
    prelude = "from gevent import monkey; monkey.patch_all(); PATCHED = True\n" if patched else "PATCHED = False\n"
    result = subprocess.run([sys.executable, "-c", prelude + PROBE], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["stored"] == 20  # every commit reached the database
    assert seen["commits"] == 20  # one COMMIT per INSERT (the table's creation needs none)
    if patched:
        assert seen["off_loop"] == 20
        assert seen["ticks"] >= 20  # the loop ran while each commit waited
    else:
        assert seen["off_loop"] == 0
