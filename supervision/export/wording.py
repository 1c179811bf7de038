"""Wording of the Word record (dates come from the rules the pages use too)."""
from __future__ import annotations

from datetime import datetime

from ..domain.wording import date_and_time, local, long_date, time_of_day  # noqa: F401  (used by the writer)


def sign_off_line(who: str, at: datetime) -> str:
    """'Signed off by NAME, ROLE, on DATE at TIME'; `who` is the name and role already joined."""
    return f"Signed off by {who}, on {long_date(at)} at {time_of_day(at)}"
