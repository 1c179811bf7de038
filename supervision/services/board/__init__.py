"""Every change to the live board: one function per intent, one unit of work each.

The files say what they hold: `access` (who may be on a board), `unit_of_work` (numbering,
storing and publishing a change), one file of handlers per area of the board (`room`,
`cards`, `notes`, `reviews`, `decision`, `actions`), `registry` (every change type, declared
once), `changes` (the one way in), `read` (the snapshot and the events since a seq) and
`typing` (who is typing where: a signal, never stored).
"""
from .access import RECHECK_SECONDS, Board, BoardAccess, admit, open_board, revoke_access
from .changes import apply_change
from .registry import CHANGES, for_browser
from .read import event_message, events_since, last_seqs, snapshot_for
from .typing import typing_signal
from .unit_of_work import SETUP_KEY, Outcome, SetUpChange, announce_setup_change, change

__all__ = [
    "RECHECK_SECONDS", "SETUP_KEY", "Board", "BoardAccess", "CHANGES", "Outcome", "SetUpChange", "admit",
    "announce_setup_change",
    "apply_change", "change", "event_message", "for_browser", "events_since", "last_seqs", "open_board",
    "revoke_access", "snapshot_for",
    "typing_signal",
]
