"""SQLite settings applied to every new connection: WAL, foreign keys, a busy timeout, and how a
commit reaches the disk.

By default (`GROUP`) a commit is on disk before it counts as done, as with `synchronous=FULL`,
but the flush is shared between commits made together and runs beside the event loop
(store/durability.py): connections run `synchronous=NORMAL` and the app waits for the flush.
SQLITE_SYNCHRONOUS=FULL has SQLite flush inside every commit instead; NORMAL, with no flush at
all, is for the durability benchmark only (benchmarks/durability.py measures the three).
"""
import os
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .. import runtime

SYNCHRONOUS = {"GROUP", "FULL", "EXTRA", "NORMAL"}


def synchronous() -> str:
    wanted = os.environ.get("SQLITE_SYNCHRONOUS", "GROUP").upper()
    return wanted if wanted in SYNCHRONOUS else "GROUP"


def group_commit() -> bool:
    return synchronous() == "GROUP"


def checkpoints_beside() -> bool:
    """Whether the write-ahead log is copied back into the database on a native thread
    (store/durability.py) rather than by whichever commit finds it long: under gevent that
    commit's flushes of the log and the database held every board on the worker (10-25 ms,
    every few seconds at a council's peak)."""
    return group_commit() and runtime.on_gevent()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA synchronous={'NORMAL' if group_commit() else synchronous()}")
        if checkpoints_beside():
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()
