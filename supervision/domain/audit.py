"""The audit trail's hash chain, in plain Python: how a row is sealed and how the chain is checked.

Each row is sealed with SHA-256 over its own canonical content and the previous row's hash, so
changing, removing or reordering a row breaks the chain at that row. The chain's head (the last
position and hash, kept apart from the rows) shows when rows were cut off the end.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Mapping

GENESIS = "0" * 64
# What a row's hash covers, besides the previous row's hash.
SEALED_FIELDS = ("position", "at", "user_id", "user_name", "role", "address", "action",
                 "team_id", "family_id", "session_id", "details")
MAX_TEXT = 200  # characters kept of any one value in `details`
MAX_ITEMS = 40  # entries kept of any one list or mapping in `details`


def timestamp(at: datetime) -> str:
    """The instant as sealed: UTC, to the microsecond (what both databases keep)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def as_json(value) -> str:
    """The one JSON spelling the chain uses: sorted keys, no spaces, text kept as written."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(row: Mapping, prev_hash: str) -> bytes:
    """One byte string per row content: the sealed fields and the previous hash, as `as_json` spells them."""
    content = {name: row[name] for name in SEALED_FIELDS}
    content["at"] = timestamp(row["at"])
    content["prev_hash"] = prev_hash
    return as_json(content).encode("utf-8")


def seal(row: Mapping, prev_hash: str) -> str:
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()


def small(details: Mapping | None) -> dict:
    """Details as plain JSON values, bounded: long text is cut, long lists and mappings are shortened."""
    def bound(value, depth=0):
        if isinstance(value, Mapping):
            items = list(value.items())
            kept = {str(key)[:MAX_TEXT]: bound(item, depth + 1) for key, item in items[:MAX_ITEMS]}
            if len(items) > MAX_ITEMS:
                kept["..."] = f"{len(items) - MAX_ITEMS} more"
            return kept
        if isinstance(value, (list, tuple, set, frozenset)):
            items = list(value)
            kept = [bound(item, depth + 1) for item in items[:MAX_ITEMS]]
            if len(items) > MAX_ITEMS:
                kept.append(f"{len(items) - MAX_ITEMS} more")
            return kept
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, datetime):
            return timestamp(value)
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"

    return bound(dict(details or {}))


def changes(old: Mapping, new: Mapping) -> dict:
    """The fields whose value differs, each as {"old": ..., "new": ...} (a new object has old None)."""
    return {key: {"old": old.get(key), "new": new.get(key)}
            for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)}


@dataclass(frozen=True)
class Break:
    """Where the chain first fails to hold, in words an operator can act on."""

    row_id: int | None
    position: int | None
    reason: str

    def describe(self) -> str:
        where = f"row {self.row_id} (position {self.position})" if self.row_id is not None else "the chain's end"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Verdict:
    rows: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(rows: Iterable[Mapping], head: Mapping | None) -> Verdict:
    """Walk the rows in position order; the first that does not follow from the one before is named.

    Each row is a mapping with the sealed fields plus `id`, `prev_hash` and `hash`; `head` has
    `position` and `last_hash` (None when the head is missing).
    """
    expected_position, expected_prev, count = 1, GENESIS, 0
    for row in rows:
        count += 1
        position = row["position"]
        if position != expected_position:
            missing = "are missing" if position > expected_position else "is repeated or out of order"
            reason = (f"expected position {expected_position}; rows {expected_position} to {position - 1} {missing}"
                      if position > expected_position else f"position {position} {missing}")
            return Verdict(count, Break(row["id"], position, reason))
        if seal(row, row["prev_hash"]) != row["hash"]:
            return Verdict(count, Break(row["id"], position, "its content does not match its hash (changed after it was written)"))
        if row["prev_hash"] != expected_prev:
            return Verdict(count, Break(row["id"], position,
                                        "its link to the row before does not match that row's hash "
                                        "(the row before was changed or replaced)"))
        expected_position, expected_prev = position + 1, row["hash"]
    last_position = expected_position - 1
    if head is None:
        return Verdict(count, Break(None, None, "the chain's head is missing"))
    if head["position"] != last_position or head["last_hash"] != expected_prev:
        reason = (f"the head records {head['position']} rows ending in {head['last_hash'][:12]}…, "
                  f"the table ends at position {last_position}: rows were removed from the end")
        return Verdict(count, Break(None, None, reason))
    return Verdict(count, None)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# What each action key means, in the words the audit page uses.
ACTION_LABELS = {
    "sign_in": "Signed in",
    "sign_in.failed": "Sign-in failed",
    "sign_out": "Signed out",
    "family.viewed": "Viewed the family page",
    "family.added": "Added the family",
    "family.changed": "Changed the family's details",
    "session.viewed": "Viewed the session page",
    "sessions.listed": "Listed today's sessions (API)",
    "session.scheduled": "Set up the session",
    "session.changed": "Changed the session details",
    "agenda.changed": "Changed the agenda",
    "attendance.changed": "Changed the attendance",
    "board.viewed": "Viewed the board",
    "board.presented": "Opened the big-screen view",
    "board.change": "Changed the board",
    "record.exported": "Exported a Word record",
    "record.viewed": "Viewed an exported record",
    "record.downloaded": "Downloaded a Word record",
    "audit.exported": "Downloaded the audit trail",
    "people.listed": "Viewed the team's people",
    "person.added": "Added a person to the team",
    "person.viewed": "Viewed a person's details",
    "person.changed": "Changed a person's details",
    "person.deactivated": "Closed a person's account",
    "person.reactivated": "Reopened a person's account",
    "password_link.issued": "Made a link to set a password",
    "password.set": "Set a password with a one-time link",
    "password_link.refused": "Refused: a password link that does not work",
    "administration.viewed": "Viewed the administration page",
    "administrator.granted": "Made a person an administrator",
    "administrator.removed": "Stopped a person being an administrator",
    "team.added": "Added a team",
    "role.added": "Added a role",
    "role.changed": "Changed a role",
    "specialism.added": "Added a specialism",
    "specialism.changed": "Changed a specialism",
    "sign_in.refused": "Refused: sign-in through the council's sign-in",
    "team.figures.downloaded": "Downloaded the team's figures",
    "cadence.changed": "Changed how often families are discussed",
    "plain_language.viewed": "Viewed the team's plain language list",
    "plain_language.switched_off": "Switched a plain language phrase off",
    "plain_language.switched_on": "Switched a plain language phrase back on",
    "plain_language.added": "Added a plain language phrase",
    "plain_language.removed": "Removed a plain language phrase",
    "letter.drafted": "Drafted a letter to the family",
    "letter.viewed": "Viewed a letter to the family",
    "letter.changed": "Changed a letter to the family",
    "letter.finalised": "Made a letter to the family final and filed it",
    "letter.downloaded": "Downloaded a letter to the family",
    "refused.forbidden": "Refused: not permitted",
    "refused.not_found": "Refused: not found",
    "refused.rate_limited": "Refused: too many requests",
    "refused.csrf": "Refused: form expired or forged",
    "refused.unauthenticated": "Refused: not signed in",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def describe_details(details: Mapping | None) -> str:
    """Details in one line: changes as 'field: old → new', anything else as 'key: value'."""
    parts = []
    for key, value in (details or {}).items():
        if isinstance(value, Mapping) and set(value) == {"old", "new"}:
            parts.append(f"{key}: {_plain(value['old'])} → {_plain(value['new'])}")
        else:
            parts.append(f"{key}: {_plain(value)}")
    return "; ".join(parts)


def _plain(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "none"
    return str(value)
