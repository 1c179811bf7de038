"""SQLite's group commit: a commit counts as done only once the write-ahead log holding it is on
disk, and commits made while one flush runs share the next flush instead of each waiting for its own."""
from __future__ import annotations

import os
import sqlite3
import threading

from supervision.extensions import db
from supervision.store import durability, hot_path
from supervision.store.durability import LogFlusher
from supervision.store.models import SupervisionSession


class Gate:
    """Runs each flush in place, but holds the first one until the test lets it go."""

    def __init__(self):
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, flush):
        self.calls += 1
        if self.calls == 1:
            self.first_started.set()
            assert self.release.wait(10)
        return flush()


def test_commits_made_during_a_flush_share_the_next_one_and_none_returns_before_its_flush(tmp_path):
    wal = tmp_path / "board.db-wal"
    wal.write_bytes(b"frames")
    gate = Gate()
    flusher = LogFlusher(str(wal), run=gate)
    returned: list[int] = []

    def commit_and_wait(ticket: int) -> None:
        flusher.wait(ticket)
        returned.append(ticket)

    first = threading.Thread(target=commit_and_wait, args=(flusher.committed(),))
    first.start()
    assert gate.first_started.wait(10)
    # Two more commits land while the first flush is still running: it began before them.
    later = [threading.Thread(target=commit_and_wait, args=(flusher.committed(),)) for _ in range(2)]
    for thread in later:
        thread.start()
    assert returned == [], "nothing is done before its flush"
    gate.release.set()
    for thread in [first, *later]:
        thread.join(10)
    assert sorted(returned) == [1, 2, 3]
    assert flusher.flushes == 2, "the two later commits shared one flush"


def test_a_commit_already_flushed_does_not_wait_for_another(tmp_path):
    wal = tmp_path / "board.db-wal"
    wal.write_bytes(b"frames")
    flusher = LogFlusher(str(wal), run=lambda flush: flush())
    first, second = flusher.committed(), flusher.committed()
    flusher.wait(second)
    flusher.wait(first)
    assert flusher.flushes == 1


def test_a_failed_flush_fails_the_commit_that_waits_for_it(tmp_path):
    flusher = LogFlusher(str(tmp_path / "missing-wal"), run=lambda flush: flush())
    ticket = flusher.committed()
    try:
        flusher.wait(ticket)
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a commit whose log could not be flushed was reported done")


def test_every_commit_that_writes_waits_for_a_flush_of_its_log_and_reads_do_not(app):
    with app.app_context():
        path = os.path.abspath(db.engine.url.database)
        flusher = durability.flusher_for(path)
        level = db.session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        assert level == 1, "connections leave the flush to the group commit (NORMAL)"
        db.session.rollback()

        before = flusher.flushes
        session = db.session.scalars(db.select(SupervisionSession)).first()
        db.session.commit()
        assert flusher.flushes == before, "a commit that wrote nothing waits for nothing"

        version = session.access_version + 1
        session.access_version = version
        db.session.commit()
        assert flusher.flushes == before + 1
        # What the flush covered is what another connection reads back.
        with sqlite3.connect(path) as other:
            stored = other.execute("SELECT access_version FROM supervision_sessions WHERE id = ?",
                                   (session.id,)).fetchone()
        assert stored == (version,)


def test_under_gevent_the_log_is_copied_back_into_the_database_beside_the_commits(tmp_path):
    """SQLite's own checkpoints are off there; the flusher starts one (at most once a second)
    after a flush, on a thread of its own, and what the log held is then in the database file."""
    path = tmp_path / "board.db"
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE cards (text TEXT)")
    writer.executemany("INSERT INTO cards VALUES (?)", [(f"Card {n}",) for n in range(2000)])
    writer.commit()

    def database_file_alone() -> int:
        """The cards in the database file itself, read without its log."""
        copy = tmp_path / "copy.db"
        copy.write_bytes(path.read_bytes())
        with sqlite3.connect(copy) as alone:
            return alone.execute("SELECT count(*) FROM sqlite_master WHERE name = 'cards'").fetchone()[0] and \
                alone.execute("SELECT count(*) FROM cards").fetchone()[0]

    assert database_file_alone() == 0, "with SQLite's own checkpoints off, the rows are in the log only"
    started: list = []
    flusher = LogFlusher(str(path) + "-wal", run=lambda flush: flush(),
                         checkpoint=lambda work: (started.append(work), work()))
    flusher.wait(flusher.committed())
    flusher.wait(flusher.committed())
    assert len(started) == 1 and flusher.checkpoints == 1, "one checkpoint, however many flushes within a second"
    assert database_file_alone() == 2000
    writer.close()


def test_a_commit_nobody_waits_for_is_taken_to_the_disk_by_the_next_flush(app):
    """When a sign-in was last used is written before a change without waiting for the disk; the
    change's own flush, which the person waits for, covers it."""
    with app.app_context():
        flusher = durability.flusher_for(os.path.abspath(db.engine.url.database))
        session = db.session.scalars(db.select(SupervisionSession)).first()
        before = flusher.flushes
        with durability.unwaited():
            session.access_version = session.access_version + 1
            db.session.commit()
        assert flusher.flushes == before, "the unwaited commit returned without a flush"
        unwaited = flusher._committed
        assert flusher._flushed < unwaited

        session.access_version = session.access_version + 1
        db.session.commit()
        assert flusher.flushes == before + 1
        assert flusher._flushed >= unwaited, "the next commit's flush covered the unwaited one"



def test_a_write_on_the_drivers_own_sql_waits_for_its_flush_too(app):
    """A card's statements run past SQLAlchemy's execution (store/hot_path.py): their commit must
    still wait for the disk, or a change could be acknowledged and then lost to a power cut."""
    with app.app_context():
        flusher = durability.flusher_for(os.path.abspath(db.engine.url.database))
        session_id = db.session.scalars(db.select(SupervisionSession.id)).first()
        db.session.commit()
        before = flusher.flushes
        head = hot_path.NEXT_SEQ.run({"session_id": session_id})
        db.session.commit()
        assert flusher.flushes == before + 1
        assert db.session.scalar(db.select(SupervisionSession.last_seq).where(
            SupervisionSession.id == session_id)) == head.last_seq
