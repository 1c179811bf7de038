"""Settings for a long-running server process, applied once the app is built."""
from __future__ import annotations

import gc
import sys
from typing import Callable, TypeVar

T = TypeVar("T")

# Objects allocated, less those freed, before the youngest generation is collected
# (Python's default is 700). A live board change leaves a few dozen objects in reference
# cycles; a larger threshold means fewer collections, and so ten times fewer full ones.
YOUNG_COLLECTION_THRESHOLD = 7000


def settle_garbage_collector() -> None:
    """Keep the collector from pausing every live board on the worker for long.

    A full collection walks every tracked object in the process. With hundreds of people
    connected one took 70-180 ms on a 2-core machine, and under gevent the whole worker
    waits. The modules, templates and app built at start-up live as long as the process,
    so freezing them takes them out of every later collection.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


class NativeThreads:
    """A few native threads for blocking work, used when the process serves on gevent.

    Under gevent every board on the worker shares one thread, so whatever blocks it holds
    every board still: a password hash (RFC 9106's profile, 64 MiB and about a quarter of
    a second of CPU; a few people signing in together held the boards past the Socket.IO
    ping timeout). Argon2's C code lets go of the interpreter lock, so on a native thread
    it runs beside the boards. The pool is small, so many sign-ins at once queue instead
    of taking 64 MiB each. Unpatched (tests, the threading mode), the work runs in place.
    (SQLite's commits were measured this way too, and cost more than the flush they hid:
    docs/performance.md.)
    """

    def __init__(self, size: int):
        self.size = size
        self._pool = None

    def run(self, work: Callable[..., T], *args) -> T:
        """Run `work` on a native thread and wait for it (in place when unpatched)."""
        if not on_gevent():
            return work(*args)
        return self._threads().apply(work, args)

    def start(self, work: Callable[..., object], *args) -> None:
        """Start `work` on a native thread and go on without waiting (in place when unpatched)."""
        if not on_gevent():
            work(*args)
            return
        self._threads().spawn(work, *args)

    def _threads(self):
        if self._pool is None:
            from gevent.threadpool import ThreadPool

            self._pool = ThreadPool(self.size)
        return self._pool


def on_gevent() -> bool:
    """Whether this process runs on gevent's patched threads (`supervision run`, gunicorn's gevent workers)."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")


password_hashing = NativeThreads(2)  # at most two 64 MiB hashes at once on one worker
