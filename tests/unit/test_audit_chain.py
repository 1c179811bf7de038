"""The audit trail's hash chain, without a database: a row changed, removed or cut off is named."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from supervision.domain import audit as chain


def build(count: int) -> tuple[list[dict], dict]:
    rows, prev = [], chain.GENESIS
    start = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    for position in range(1, count + 1):
        row = {"id": position + 100, "position": position, "at": start + timedelta(seconds=position),
               "user_id": 7, "user_name": "Jenny Marsh", "role": "Business support officer",
               "address": "192.0.2.10", "action": "family.viewed", "team_id": 1, "family_id": 3,
               "session_id": None, "details": {"n": position}}
        row["prev_hash"] = prev
        row["hash"] = prev = chain.seal(row, prev)
        rows.append(row)
    return rows, {"position": count, "last_hash": prev}


def test_an_untouched_chain_verifies_with_its_row_count():
    rows, head = build(5)
    verdict = chain.verify(rows, head)
    assert verdict.ok and verdict.rows == 5


def test_a_changed_row_is_named():
    rows, head = build(5)
    rows[2]["user_name"] = "Someone else"
    broken = chain.verify(rows, head).broken
    assert (broken.row_id, broken.position) == (103, 3)
    assert "content does not match its hash" in broken.reason


def test_a_changed_row_sealed_again_breaks_the_link_of_the_next():
    rows, head = build(5)
    rows[2]["details"] = {"n": 99}
    rows[2]["hash"] = chain.seal(rows[2], rows[2]["prev_hash"])
    broken = chain.verify(rows, head).broken
    assert broken.row_id == 104 and "link to the row before" in broken.reason


def test_a_removed_row_is_named_by_the_row_after_it():
    rows, head = build(5)
    del rows[1]
    broken = chain.verify(rows, head).broken
    assert broken.row_id == 103 and "2 to 2 are missing" in broken.reason


def test_rows_cut_off_the_end_are_found_by_the_head():
    rows, head = build(5)
    broken = chain.verify(rows[:4], head).broken
    assert broken.row_id is None and "removed from the end" in broken.reason


def test_the_instant_is_sealed_in_utc_whatever_zone_it_comes_in():
    rows, _ = build(1)
    moved = {**rows[0], "at": rows[0]["at"].astimezone(timezone(timedelta(hours=1)))}
    assert chain.seal(moved, chain.GENESIS) == rows[0]["hash"]


def test_cells_that_a_spreadsheet_would_run_are_made_text():
    assert [chain.spreadsheet_safe(v) for v in ("=1+2", "+44", "-3", "@SUM(A1)", "\tx", "Harper", None, 5)] == \
        ["'=1+2", "'+44", "'-3", "'@SUM(A1)", "'\tx", "Harper", "", "5"]


def test_details_are_kept_small_and_plain():
    details = chain.small({"text": "x" * 1000, "many": list(range(100)), "when": datetime(2026, 1, 1)})
    assert len(details["text"]) == chain.MAX_TEXT
    assert len(details["many"]) == chain.MAX_ITEMS + 1
    assert details["when"] == "2026-01-01T00:00:00.000000+00:00"


def test_changes_keep_only_what_differs():
    assert chain.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": {"old": 2, "new": 3}, "c": {"old": None, "new": 4}}
