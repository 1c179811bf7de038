"""Group commit for SQLite: a commit counts as done once its write-ahead log is on disk, and
one flush of the log serves every commit made while the one before it ran.

With `synchronous=FULL` SQLite flushes the log inside each commit. Under gevent the whole
server waits for that flush, every board with it, once per change. Here connections run
`synchronous=NORMAL` (a commit writes the log and does not flush it) and, after a commit
that wrote, the session waits for a flush of the log file begun after the commit returned.
The flush runs on a native thread, so other boards' changes go on meanwhile and share the
next flush. The guarantee is FULL's: nothing is acknowledged before it is on disk, and the
log's checksums let SQLite drop, after a power cut, a commit whose flush never finished.

A commit inside `unwaited()` does not wait at all: the next flush takes it to the disk with the
others (noting when a sign-in was last used, which a power cut may lose without harm).

A commit inside `deferred()` (the live board's unit of work, which holds the one-writer
lock) does not wait there: the unit of work calls `wait()` once it has let go of the lock,
so the next change can commit while this one's flush runs.

Under gevent the log is also copied back into the database (a checkpoint) on a native thread
of its own, at most once a second while commits come (store/sqlite.py turns SQLite's own
checkpoints off there): SQLite's own run inside the commit that finds the log long, with two
flushes, while every board on the worker waits.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..runtime import NativeThreads
from .sqlite import checkpoints_beside

_flushing = NativeThreads(1)
_checkpointing = NativeThreads(1)  # apart, so the log's flushes never wait behind a checkpoint
CHECKPOINT_SECONDS = 1.0
log = logging.getLogger(__name__)
_READS = ("SELECT", "PRAGMA", "WITH", "EXPLAIN")


class LogFlusher:
    """Flushes one database's write-ahead log, one flush at a time, for every commit made before it."""

    def __init__(self, wal_path: str, run=None, checkpoint=None):
        self.path = wal_path
        self._run = run or _flushing.run
        # Starts a checkpoint without waiting for it; None: SQLite checkpoints in its commits.
        self._start_checkpoint = checkpoint
        self._checkpointing = False
        self._checkpointed_at = 0.0
        self.checkpoints = 0
        self._lock = threading.Condition()
        self._committed = 0  # commits counted so far (each gets the next number)
        self._flushed = 0  # every commit up to this number is on disk
        self._busy = False
        self.flushes = 0

    def committed(self) -> int:
        """Count a commit whose write has returned; its number is what `wait` is given."""
        with self._lock:
            self._committed += 1
            return self._committed

    def wait(self, ticket: int) -> None:
        """Return once commit `ticket` is on disk: by a flush begun after it, led by whoever comes first."""
        with self._lock:
            while self._flushed < ticket:
                if self._busy:
                    self._lock.wait()
                    continue
                self._busy = True
                covers = self._committed
                self._lock.release()
                try:
                    self._run(self._flush)
                finally:
                    self._lock.acquire()
                    self._busy = False
                    self._lock.notify_all()
                self._flushed = max(self._flushed, covers)
                self._maybe_checkpoint()

    def _maybe_checkpoint(self) -> None:
        if self._start_checkpoint is None or self._checkpointing:
            return
        now = time.monotonic()
        if now - self._checkpointed_at < CHECKPOINT_SECONDS:
            return
        self._checkpointing, self._checkpointed_at = True, now
        self._start_checkpoint(self._checkpoint)

    def _checkpoint(self) -> None:
        """Copy what the log holds back into the database, beside readers and writers (PASSIVE)."""
        try:
            connection = sqlite3.connect(self.path.removesuffix("-wal"), timeout=30, check_same_thread=False)
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                connection.close()
            self.checkpoints += 1
        except sqlite3.Error:  # the log stays as it is; the next commit's checkpoint tries again
            log.exception("checkpointing %s failed", self.path)
        finally:
            self._checkpointing = False

    def _flush(self) -> None:
        descriptor = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        self.flushes += 1


_flushers: dict[str, LogFlusher] = {}
_flushers_lock = threading.Lock()
_attached: "weakref.WeakKeyDictionary[Engine, LogFlusher]" = weakref.WeakKeyDictionary()
_local = threading.local()  # per thread, or per greenlet under gevent


def flusher_for(database: str) -> LogFlusher:
    with _flushers_lock:
        found = _flushers.get(database)
        if found is None:
            found = _flushers[database] = LogFlusher(
                database + "-wal", checkpoint=_checkpointing.start if checkpoints_beside() else None)
        return found


def attach(engine: Engine) -> None:
    """Make every commit through `engine` wait for its log to reach the disk (SQLite files at NORMAL)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    flusher = flusher_for(os.path.abspath(database))

    _attached[engine] = flusher

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(_connection, _cursor, statement, *_rest):
        if not statement.lstrip()[:7].upper().startswith(_READS):
            _local.wrote = flusher

    @event.listens_for(engine, "rollback")
    def _forget_write(_connection):
        _local.wrote = None


def note_write(engine: Engine) -> None:
    """A write made on the driver's cursor, past SQLAlchemy's execution (store/hot_path.py): its commit
    waits for the disk as every other write's does."""
    flusher = _attached.get(engine)
    if flusher is not None:
        _local.wrote = flusher


@event.listens_for(Session, "after_commit")
def _after_commit(_session) -> None:
    flusher = getattr(_local, "wrote", None)
    if flusher is None:
        return
    _local.wrote = None
    ticket = flusher.committed()
    if getattr(_local, "unwaited", 0):
        return  # the next flush, whoever waits for it, takes this commit to the disk too
    if getattr(_local, "deferred", 0):
        _local.pending = (flusher, ticket)
    else:
        flusher.wait(ticket)


@contextmanager
def deferred():
    """Commits made inside are waited for by `wait()`, called after the caller has let go of its locks."""
    _local.deferred = getattr(_local, "deferred", 0) + 1
    try:
        yield
    finally:
        _local.deferred -= 1


@contextmanager
def unwaited():
    """Commits made inside return without waiting for the disk: for a write that may be lost to a
    power cut without harm (when a sign-in was last used), never for what a person is told is saved."""
    _local.unwaited = getattr(_local, "unwaited", 0) + 1
    try:
        yield
    finally:
        _local.unwaited -= 1


def wait() -> None:
    """Wait for the flush of the commit made last inside `deferred()`, if any."""
    pending = getattr(_local, "pending", None)
    if pending is not None:
        _local.pending = None
        flusher, ticket = pending
        flusher.wait(ticket)
