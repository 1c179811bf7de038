"""How much one live connection may ask of the server.

A person typing, or a browser sending the changes it queued while offline, stays well
inside these; a script flooding the board does not, and is answered `rate_limited` with
the seconds to wait. Counted per connection with the `limits` library, in this worker's
memory: a connection lives on one worker (docs/deployment.md).
"""
from __future__ import annotations

import time

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from ..domain.errors import DomainError

_limiter = SlidingWindowCounterRateLimiter(MemoryStorage())


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: int):
        super().__init__(f"That is too many requests at once. Wait {retry_after} seconds; "
                         "nothing you sent before this was lost.", retry_after=retry_after)
        self.retry_after = retry_after


def check(kind: str, sid: str, limit: str) -> None:
    """Count one event of this kind (`change`, `catch_up`) for the connection; RateLimited if over `limit`."""
    for item in parse_many(limit):
        if not _limiter.hit(item, kind, sid):
            reset = _limiter.get_window_stats(item, kind, sid).reset_time
            raise RateLimited(max(1, int(reset - time.time() + 0.999)))


def forget(sid: str, limits: dict[str, str]) -> None:
    """A closed connection's counters go with it."""
    for kind, limit in limits.items():
        for item in parse_many(limit):
            _limiter.clear(item, kind, sid)
