"""SQLite settings applied to every new connection: WAL, foreign keys, a busy timeout, full sync.

`synchronous=FULL` makes every commit wait until the write-ahead log is on disk, so an
acknowledged change survives a power cut, as docs/protocol.md promises. SQLITE_SYNCHRONOUS
overrides it for the durability benchmark only (benchmarks/durability.py measures the cost).

That wait is the disk's, often a millisecond or more. Under gevent (the live boards' workers)
a commit made on the event loop would stop every board on the worker for as long, so
`Connection.commit` waits in gevent's pool of real threads instead: the change that
committed still waits, everyone else's events keep moving.
"""
import os
import sqlite3
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

SYNCHRONOUS = {"FULL", "EXTRA", "NORMAL"}


def synchronous() -> str:
    wanted = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").upper()
    return wanted if wanted in SYNCHRONOUS else "FULL"


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA synchronous={synchronous()}")
        cursor.close()


def _gevent_threadpool():
    """gevent's pool of real threads when the process runs on gevent's loop, else None."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is None or not monkey.is_module_patched("threading"):
        return None
    import gevent

    return gevent.get_hub().threadpool


class Connection(sqlite3.Connection):
    """A SQLite connection whose commit, under gevent, waits for the disk off the event loop.

    The connection is used by one greenlet at a time (SQLAlchemy's pool hands it out), and
    the sqlite3 module lets go of the GIL while SQLite writes, so the loop runs meanwhile.
    """

    def commit(self) -> None:
        pool = _gevent_threadpool()
        if pool is None:
            return super().commit()
        return pool.apply(sqlite3.Connection.commit, (self,))
