"""SQLite settings applied to every new connection: WAL, foreign keys, a busy timeout, full sync.

`synchronous=FULL` makes every commit wait until the write-ahead log is on disk, so an
acknowledged change survives a power cut, as docs/protocol.md promises. SQLITE_SYNCHRONOUS
overrides it for the durability benchmark only (benchmarks/durability.py measures the cost).
"""
import os
import sqlite3

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
