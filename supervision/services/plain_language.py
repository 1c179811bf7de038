"""A team's plain-language list, its manager's changes to it, and the prompts standing in a family's record.

The listed phrases ship with the package (domain/plain_language.json); a team manager switches
any of them off for their team and adds the team's own. Everything here is read and changed
within one team only.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.errors import Invalid, NotFound
from ..domain.permissions import Permission
from ..domain.plain_language import (
    DEFAULT_KEYS, DEFAULTS, KIND_LABELS, Phrase, PhraseList, Prompt, clean_forms, looks_like_an_abbreviation,
)
from ..export.record import FamilyRecord
from ..extensions import db
from ..store.models import SupervisionSession, TeamPhrase, utcnow
from .scope import Actor

MAX_OWN = 200
MAX_WHY = 600


def _rows(team_id: int) -> list[TeamPhrase]:
    return list(db.session.scalars(select(TeamPhrase).where(TeamPhrase.team_id == team_id).order_by(TeamPhrase.id)))


def _own(row: TeamPhrase) -> Phrase:
    forms = clean_forms(row.forms)
    return Phrase(f"own-{row.id}", row.kind, forms, row.why, row.instead,
                  match_case=looks_like_an_abbreviation(forms), custom=True)


def phrases_for_team(team_id: int) -> PhraseList:
    """The listed phrases the team keeps, then the team's own."""
    rows = _rows(team_id)
    off = {row.default_key for row in rows if row.default_key and row.switched_off}
    own = [_own(row) for row in rows if not row.default_key and not row.switched_off]
    return PhraseList([phrase for phrase in DEFAULTS if phrase.key not in off] + [p for p in own if p.forms])


def for_browser(team_id: int) -> list[dict]:
    return phrases_for_team(team_id).for_browser()


def prompts_in(team_id: int, texts: list[str]) -> list[Prompt]:
    """The standing prompts over several pieces of writing (the fields of one form), each phrase once."""
    phrases = phrases_for_team(team_id)
    seen: set[str] = set()
    found = []
    for text in texts:
        for prompt in phrases.standing(text):
            if prompt.key not in seen:
                seen.add(prompt.key)
                found.append(prompt)
    return found


# The manager's page -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedRow:
    phrase: Phrase
    on: bool


@dataclass(frozen=True)
class TeamList:
    listed: list[ListedRow]
    own: list[Phrase]
    kinds: list[tuple[str, str]]

    @property
    def switched_off(self) -> int:
        return sum(1 for row in self.listed if not row.on)


def team_list(actor: Actor) -> TeamList:
    actor.require(Permission.MANAGE_PLAIN_LANGUAGE)
    rows = _rows(actor.team_id)
    off = {row.default_key for row in rows if row.default_key and row.switched_off}
    own = [_own(row) for row in rows if not row.default_key and not row.switched_off]
    return TeamList([ListedRow(phrase, phrase.key not in off) for phrase in DEFAULTS], own,
                    list(KIND_LABELS.items()))


def switch(actor: Actor, key: str, on: bool) -> Phrase:
    """Switch a listed phrase off (or back on) for the manager's team."""
    actor.require(Permission.MANAGE_PLAIN_LANGUAGE)
    phrase = DEFAULT_KEYS.get(key)
    if phrase is None:
        raise NotFound("That phrase")
    row = db.session.scalar(select(TeamPhrase).where(TeamPhrase.team_id == actor.team_id,
                                                     TeamPhrase.default_key == key))
    if row is None:
        row = TeamPhrase(team_id=actor.team_id, default_key=key)
        db.session.add(row)
    row.switched_off = not on
    row.changed_by_id = actor.user_id
    row.changed_at = utcnow()
    db.session.commit()
    return phrase


def add_own(actor: Actor, forms: str, kind: str, why: str, instead: str) -> Phrase:
    """A phrase of the team's own, with why and what to say instead."""
    actor.require(Permission.MANAGE_PLAIN_LANGUAGE)
    cleaned = clean_forms(forms)
    why, instead = " ".join((why or "").split()), " ".join((instead or "").split())
    errors = {}
    if not cleaned:
        errors["forms"] = "Enter the phrase"
    if kind not in KIND_LABELS:
        errors["kind"] = "Choose what kind of phrase it is"
    if not why:
        errors["why"] = "Enter why it is worth another look"
    elif len(why) > MAX_WHY:
        errors["why"] = f"Why must be {MAX_WHY} characters or fewer"
    if not instead:
        errors["instead"] = "Enter what to say instead"
    elif len(instead) > MAX_WHY:
        errors["instead"] = f"What to say instead must be {MAX_WHY} characters or fewer"
    if not errors and sum(1 for row in _rows(actor.team_id) if not row.default_key) >= MAX_OWN:
        errors["forms"] = f"A team can add up to {MAX_OWN} phrases of its own"
    if errors:
        raise Invalid("Check the phrase.", errors)
    row = TeamPhrase(team_id=actor.team_id, default_key=None, forms="\n".join(cleaned), kind=kind, why=why,
                     instead=instead, changed_by_id=actor.user_id, changed_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return _own(row)


def remove_own(actor: Actor, own_id: int) -> Phrase:
    actor.require(Permission.MANAGE_PLAIN_LANGUAGE)
    row = db.session.scalar(select(TeamPhrase).where(TeamPhrase.id == own_id, TeamPhrase.team_id == actor.team_id,
                                                     TeamPhrase.default_key.is_(None)))
    if row is None:
        raise NotFound("That phrase")
    phrase = _own(row)
    db.session.delete(row)
    db.session.commit()
    return phrase


# Before exporting: what still stands in a family's record ---------------------------------------

@dataclass(frozen=True)
class Standing:
    """A prompt still standing in a family's record: where it is and what it is about."""

    family: str
    where: str
    prompt: Prompt


def record_texts(family: FamilyRecord) -> list[tuple[str, str]]:
    """Every piece of writing in a family's record, with where it sits, in the record's order."""
    texts = [("Family situation", c.text) for c in family.situation]
    texts += [(f"Perspectives: {group.title}", c.text) for group in family.perspectives for c in group.contributions]
    texts += [(f"Analysis: {group.title}", c.text) for group in family.analysis for c in group.contributions]
    texts += [("Notes", family.notes)]
    texts += [("Decision", c.text) for c in family.decision_discussion]
    if family.decision is not None:
        texts += [("The decision", family.decision.text), ("Rationale", family.decision.rationale)]
        texts += [("Amendment", a.amended) for a in family.decision.amendments]
    texts += [("Actions", action.text) for action in family.actions]
    texts += [("Added after sign-off", entry.text) for entry in family.added_after_sign_off]
    return [(where, text) for where, text in texts if text]


def standing_before_export(session: SupervisionSession) -> list[Standing]:
    """For business support before exporting: the prompts still standing in each family's record."""
    from . import records  # records imports nothing of this module; read here to keep the import light
    return standing_in(session.team_id, [records.load_record(session, item).families[0] for item in session.agenda])


def standing_in(team_id: int, families: list[FamilyRecord], limit: int = 8) -> list[Standing]:
    """Per family, the first place each phrase is used, up to `limit` per family."""
    phrases = phrases_for_team(team_id)
    found = []
    for family in families:
        seen: set[str] = set()
        for where, text in record_texts(family):
            for prompt in phrases.standing(text):
                if prompt.key not in seen and len(seen) < limit:
                    seen.add(prompt.key)
                    found.append(Standing(family.heading, where, prompt))
    return found
