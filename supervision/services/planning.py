"""Planning the next session: the families due are offered first, each with a suggested time,
and one press puts them on the agenda (through the same agenda change as the agenda form)."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.cadence import NextDue, suggested_minutes
from ..domain.errors import Invalid
from ..domain.wording import local
from ..store.models import SupervisionSession
from . import session_setup
from .team_picture import FamilyLine, families_due


@dataclass(frozen=True)
class Suggestion:
    family: FamilyLine
    due: NextDue
    minutes: int

def suggestions(session: SupervisionSession) -> list[Suggestion]:
    """Families due by the session's day (overdue, or due within the fortnight after it) not on its agenda."""
    on_agenda = {item.family_id for item in session.agenda}
    day = local(session.starts_at).date()
    return [Suggestion(f, due, suggested_minutes(f.plan_level))
            for f, due in families_due(session.team_id, day)
            if due.needs_discussion and f.id not in on_agenda]

def add_due(user_id: int, session_id: int, family_ids: list[int]) -> list[FamilyLine]:
    """Add these due families to the end of the agenda with their suggested times."""
    session, _families = session_setup.agenda_to_change(user_id, session_id)  # 404, 403, closed
    offered = suggestions(session)
    by_id = {s.family.id: s for s in offered}
    chosen = [by_id[i] for i in dict.fromkeys(family_ids) if i in by_id]
    if not chosen:
        raise Invalid("No families were added.", {"due": "Choose at least one family that is due"})
    entries = [session_setup.AgendaEntry(item.family_id, item.minutes_allowed) for item in session.agenda]
    entries += [session_setup.AgendaEntry(s.family.id, s.minutes) for s in chosen]
    session_setup.set_agenda(user_id, session_id, entries)
    return [s.family for s in chosen]
