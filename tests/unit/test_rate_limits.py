"""A live connection's allowance: bursts up to the limit, refills evenly, says how long to wait."""
from __future__ import annotations

import pytest

from supervision.realtime.limits import Allowance, RateLimited, Rule, allowance, parse


def test_limits_are_written_as_for_sign_in():
    assert parse("20 per second;300 per minute") == (Rule(20, 1), Rule(300, 60))
    assert parse("10 per 10 seconds; 60 per 10 minutes") == (Rule(10, 10), Rule(60, 600))
    with pytest.raises(ValueError):
        parse("lots")


def test_a_burst_up_to_the_limit_passes_and_the_next_waits_for_a_token():
    connection = allowance({"change": "5 per second"})
    for _ in range(5):
        connection.check("change", now=100.0)
    with pytest.raises(RateLimited) as refused:
        connection.check("change", now=100.0)
    assert refused.value.retry_after == 1
    connection.check("change", now=100.2)  # a fifth of a second refills one token


def test_the_longer_limit_holds_a_steady_flood_and_says_how_long_to_wait():
    connection = Allowance({"change": parse("100 per second;30 per minute")})
    for _ in range(30):
        connection.check("change", now=0.0)
    with pytest.raises(RateLimited) as refused:
        connection.check("change", now=0.0)
    assert refused.value.retry_after == 2  # one of 30 a minute comes back every 2 seconds
    connection.check("change", now=2.0)


def test_a_refused_event_takes_nothing_and_kinds_are_counted_apart():
    connection = allowance({"change": "2 per second;100 per minute", "catch_up": "1 per 10 seconds"})
    connection.check("change", now=0.0)
    connection.check("change", now=0.0)
    for _ in range(50):
        with pytest.raises(RateLimited):
            connection.check("change", now=0.0)
    connection.check("catch_up", now=0.0)
    connection.check("change", now=1.0)
    connection.check("change", now=1.0)  # the refusals above used none of the hundred a minute
