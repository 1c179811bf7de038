"""How much one live connection may ask of the server.

A person typing, or a browser sending the changes it queued while offline, stays well
inside these; a script flooding the board does not, and is answered `rate_limited` with
the seconds to wait. Counted per connection, in the connection's own record in this
worker's memory (a connection lives on one worker, docs/deployment.md), as token buckets.

Written here rather than with the `limits` library that Flask-Limiter uses for sign-in:
its in-memory storage keeps a timer that wakes every few milliseconds to expire keys, and
with it the counting took 8-10% of a live worker's CPU at the council peak
(docs/performance.md). A bucket is two numbers on the connection and goes with it.
"""
from __future__ import annotations

import math
import re
from functools import cache
import time
from dataclasses import dataclass, field

from ..domain.errors import DomainError

_RULE = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d*)\s*(second|minute|hour)s?\s*$")
_UNIT = {"second": 1, "minute": 60, "hour": 3600}


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: int):
        super().__init__(f"That is too many requests at once. Wait {retry_after} seconds; "
                         "nothing you sent before this was lost.", retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rule:
    """`count` events per `seconds`, allowed in a burst and refilled evenly."""

    count: int
    seconds: float


@cache
def parse(limit: str) -> tuple[Rule, ...]:
    """'20 per second;300 per minute' (the Flask-Limiter notation, also '10 per 10 seconds')."""
    rules = []
    for part in limit.split(";"):
        match = _RULE.match(part)
        if match is None:
            raise ValueError(f"Not a rate limit: {part!r} (write e.g. '20 per second;300 per minute')")
        count, multiple, unit = match.groups()
        rules.append(Rule(int(count), int(multiple or 1) * _UNIT[unit]))
    return tuple(rules)


@dataclass
class Bucket:
    rule: Rule
    tokens: float
    at: float

    def take(self, now: float) -> float:
        """Take one token; 0 if there was one, else the seconds until there will be."""
        rate = self.rule.count / self.rule.seconds
        self.tokens = min(self.rule.count, self.tokens + (now - self.at) * rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / rate


@dataclass
class Allowance:
    """One connection's buckets, by kind of event (`change`, `catch_up`, `typing`)."""

    limits: dict[str, tuple[Rule, ...]]
    buckets: dict[str, list[Bucket]] = field(default_factory=dict)

    def check(self, kind: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        buckets = self.buckets.get(kind)
        if buckets is None:
            buckets = self.buckets[kind] = [Bucket(rule, rule.count, now) for rule in self.limits[kind]]
        waits = [bucket.take(now) for bucket in buckets]
        if any(waits):
            for bucket, wait in zip(buckets, waits):
                if not wait:
                    bucket.tokens += 1  # refused: the event takes nothing from the other buckets
            raise RateLimited(max(1, math.ceil(max(waits))))


def allowance(config: dict[str, str]) -> Allowance:
    return Allowance({kind: parse(limit) for kind, limit in config.items()})
