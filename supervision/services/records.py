"""Word records: load a session into plain data, write the document, log who exported it.

A per-family record is loaded from that one agenda item and nothing else, so no
other family on the same agenda can reach it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ..domain.errors import Invalid, NotFound
from ..domain.permissions import Permission
from ..domain.vocabulary import (
    ActionStatus, AnalysisHeading, AttendanceStatus, PlanLevel, PlanOutcome, ReviewOutcome, Stage, StageOfChange,
)
from ..domain.wording import age_on
from ..export import frozen
from ..export.docx_writer import write_document
from ..export.files import find_record, record_filename, write_record
from ..export.record import (
    FAMILY, SESSION, ActionRow, AddedEntry, AmendmentRow, AttendanceRow, ChildRow, Contribution, DecisionRecord,
    FamilyRecord, Group, Person, PreviousAction, RecordData,
)
from ..export.wording import local, long_date
from ..extensions import db
from ..store.models import (
    Action, ActionReview, Adult, AfterSignOffEntry, AgendaItem, Attendance, Card, Decision, ExportLog, FrozenRecord,
    Membership, SupervisionSession, User, utcnow,
)
from . import scope

AMENDED_PARTS = {"decision_text": "The decision", "rationale": "The rationale", "outcome": "The plan outcome",
                 "next_discussion_on": "The date of the next discussion"}
NOT_AGREED = (ActionStatus.PROPOSED.value, ActionStatus.DROPPED.value)


# Reading: the database into plain data ---------------------------------------------------------

class _People:
    """Names with the role each person holds in the session's team."""

    def __init__(self, team_id: int):
        memberships = db.session.scalars(
            select(Membership).where(Membership.team_id == team_id)
            .options(joinedload(Membership.user), joinedload(Membership.role), joinedload(Membership.specialism)))
        self.known = {m.user_id: Person(m.user.display_name, m.role_label) for m in memberships}

    def __call__(self, user: User | None) -> Person | None:
        if user is None:
            return None
        return self.known.get(user.id) or Person(user.display_name)


def load_record(session: SupervisionSession, item: AgendaItem | None = None, *,
                produced_by: str | None = None, as_at: datetime | None = None) -> RecordData:
    """The session minutes, or (given one agenda item) that family's record and nothing of the others.

    A signed-off discussion is read from what it held at sign-off, plus the amendments and
    entries added after sign-off up to `as_at` (now, unless rebuilding an earlier export);
    an unsigned one is read as it stands (a draft).
    """
    as_at = as_at or utcnow()
    people = _People(session.team_id)
    items = [item] if item is not None else list(session.agenda)
    kept = _frozen_records([each.id for each in items])
    families = [_signed_family(kept[each.id], each, as_at) if each.id in kept else _family(session, each, people)
                for each in items]
    if items and len(kept) == len(items):
        meeting = _meeting_from(max(kept.values(), key=lambda record: (record.frozen_at, record.id)))
    else:
        meeting = _meeting(session, people)
    return RecordData(kind=FAMILY if item is not None else SESSION, families=families, produced_at=as_at,
                      produced_by=produced_by, **meeting)


def _meeting(session: SupervisionSession, people: _People) -> dict:
    return dict(team=session.team.name, starts_at=session.starts_at, chair=people(session.chair),
                minute_taker=people(session.minute_taker), attendance=_attendance(session))


_MEETING_TYPES = {"team": str, "starts_at": datetime, "chair": Person, "minute_taker": Person,
                  "attendance": list[AttendanceRow]}


def _meeting_from(record: FrozenRecord) -> dict:
    return {name: frozen.load(kind, record.data["meeting"][name]) for name, kind in _MEETING_TYPES.items()}


# Freezing at sign-off --------------------------------------------------------------------------

def freeze(item: AgendaItem) -> FrozenRecord:
    """Keep what this family's record holds now; called by sign-off inside its unit of work."""
    session = item.session
    people = _People(session.team_id)
    family = _family(session, item, people)
    data = {"format": frozen.FORMAT,
            "meeting": {name: frozen.dump(value) for name, value in _meeting(session, people).items()},
            "family": frozen.dump(family)}
    record = FrozenRecord(agenda_item_id=item.id, data=data, frozen_at=item.decision.signed_off_at)
    db.session.add(record)
    return record


def _freeze_signed_before_freezing_existed(session: SupervisionSession, item: AgendaItem | None) -> None:
    """A discussion signed off before records were kept at sign-off is kept at its first export,
    so later changes stop reaching it from then on. Committed with the export's log row."""
    items = [item] if item is not None else list(session.agenda)
    kept = _frozen_records([each.id for each in items])
    for each in items:
        if each.id not in kept and each.decision is not None and each.decision.signed_off_at is not None:
            freeze(each)
    db.session.flush()


def _frozen_records(item_ids: list[int]) -> dict[int, FrozenRecord]:
    if not item_ids:
        return {}
    rows = db.session.scalars(select(FrozenRecord).where(FrozenRecord.agenda_item_id.in_(item_ids)))
    return {row.agenda_item_id: row for row in rows}


def _signed_family(record: FrozenRecord, item: AgendaItem, as_at: datetime) -> FamilyRecord:
    """The family as it stood at sign-off, with the amendments and additions made up to `as_at`."""
    amendments = [a for a in (item.decision.amendments if item.decision else []) if a.created_at <= as_at]
    return signed_family_from(record, amendments, _added(item, as_at))


def signed_family_from(record: FrozenRecord, amendments: list, added: list[AddedEntry]) -> FamilyRecord:
    """The family as it stood at sign-off with these amendments and additions: what its record says."""
    family = frozen.load(FamilyRecord, record.data["family"])
    decision, next_on = amended_decision(family.decision, family.next_discussion_on, amendments)
    return replace(family, decision=decision, next_discussion_on=next_on, added_after_sign_off=added)


def amended_decision(decision: DecisionRecord, next_on: date | None,
                     amendments: list) -> tuple[DecisionRecord, date | None]:
    """A signed decision and its next-discussion date as these amendments (oldest first) leave them.

    The family timeline and the team's figures read signed decisions through here too, so a
    figure and the record it came from never disagree.
    """
    for amendment in amendments:
        value = amendment.amended_text
        if amendment.field == "decision_text":
            decision = replace(decision, text=value)
        elif amendment.field == "rationale":
            decision = replace(decision, rationale=value)
        elif amendment.field == "outcome":
            decision = replace(decision, outcome=PlanOutcome.label_of(value))
        elif amendment.field == "next_discussion_on":
            next_on = date.fromisoformat(value) if value else None
    return replace(decision, amendments=[_amendment(a) for a in amendments]), next_on


def _added(item: AgendaItem, as_at: datetime | None = None) -> list[AddedEntry]:
    entries = db.session.scalars(select(AfterSignOffEntry).where(AfterSignOffEntry.agenda_item_id == item.id)
                                 .order_by(AfterSignOffEntry.created_at, AfterSignOffEntry.id))
    return [AddedEntry(e.text, Person(e.author_name, e.author_role_label), e.created_at)
            for e in entries if as_at is None or e.created_at <= as_at]


# Reading the discussion as it stands -----------------------------------------------------------

def _attendance(session: SupervisionSession) -> list[AttendanceRow]:
    attendance = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)
                                    .options(joinedload(Attendance.user), joinedload(Attendance.role)))
    rows = sorted(attendance, key=lambda a: (a.role.sort_order, a.user.display_name))
    return [AttendanceRow(a.user.display_name, a.role.label, AttendanceStatus.label_of(a.status)) for a in rows]


def _family(session: SupervisionSession, item: AgendaItem, people: _People) -> FamilyRecord:
    family, decision = item.family, item.decision
    cards = _cards(item)
    return FamilyRecord(
        case_reference=family.case_reference,
        name=family.display_name,
        plan=PlanLevel.label_of(family.plan_level),
        social_worker=people(family.social_worker),
        children=[ChildRow(child.first_name, _age(child, local(session.starts_at).date()),
                           PlanLevel.label_of(child.plan_level)) for child in family.children],
        previous_actions=_previous_actions(session, item, people),
        situation=[_contribution(card) for card in cards if card.stage == Stage.SITUATION.value],
        perspectives=_perspectives(cards),
        analysis=_analysis(cards),
        notes=item.notes_text or "",
        decision=_decision(decision) if decision is not None else None,
        actions=_actions(item, people),
        next_discussion_on=decision.next_discussion_on if decision is not None else None,
        decision_discussion=[_contribution(card) for card in cards if card.stage == Stage.DECISION.value],
        added_after_sign_off=_added(item),
        adults=[f"{adult.first_name} ({adult.relationship_to_child})" for adult in family.adults],
    )


# A discussion's cards in the order they were added, with their authors' names and the adults they are
# about: one statement of plain rows (as entities with their authors and adults, they were a quarter
# of a sign-off's time).
CARDS = (select(Card.text, Card.stage, Card.heading, Card.stage_of_change, Card.author_role_label,
                Card.author_specialism_label, User.display_name.label("author_name"),
                Adult.first_name.label("adult_name"), Adult.relationship_to_child.label("adult_relationship"))
         .join(User, User.id == Card.author_id).outerjoin(Adult, Adult.id == Card.adult_id)
         .where(Card.agenda_item_id == bindparam("item_id"), Card.removed_at.is_(None)).order_by(Card.id))


def _cards(item: AgendaItem) -> list:
    return list(db.session.execute(CARDS, {"item_id": item.id}))


def _age(child, on: date) -> str:
    """The child's age on the session date; the age as typed when no date of birth is known."""
    if child.date_of_birth:
        return age_on(child.date_of_birth, on)
    return child.age_description or "Not recorded"


def _contribution(card) -> Contribution:
    """A card (a row of CARDS) as the record shows it."""
    return Contribution(
        text=card.text,
        author=Person(card.author_name, card.author_role_label),
        about=f"{card.adult_name}, {card.adult_relationship}" if card.adult_name is not None else None,
        stage_of_change=StageOfChange.label_of(card.stage_of_change) if card.stage_of_change else None,
    )


def _perspectives(cards: list) -> list[Group]:
    """Grouped under each specialism, in the order the specialists first spoke."""
    groups: dict[str, list[Contribution]] = {}
    for card in cards:
        if card.stage == Stage.PERSPECTIVES.value:
            title = card.author_specialism_label or card.author_role_label
            groups.setdefault(title, []).append(_contribution(card))
    return [Group(title, contributions) for title, contributions in groups.items()]


def _analysis(cards: list) -> list[Group]:
    """Every heading, strengths first; cards under no known heading come last."""
    analysis = [card for card in cards if card.stage == Stage.ANALYSIS.value]
    headings = [heading.value for heading in AnalysisHeading]
    groups = [Group(heading.label, [_contribution(c) for c in analysis if c.heading == heading.value])
              for heading in AnalysisHeading]
    other = [_contribution(c) for c in analysis if c.heading not in headings]
    return groups + ([Group("Other reflections", other)] if other else [])


def _previous_actions(session: SupervisionSession, item: AgendaItem, people: _People) -> list[PreviousAction]:
    """Actions reviewed in this discussion, then this family's earlier open actions nobody has reviewed yet."""
    reviews = list(db.session.scalars(
        select(ActionReview).where(ActionReview.agenda_item_id == item.id)
        .options(joinedload(ActionReview.action).joinedload(Action.owner)).order_by(ActionReview.id)))
    rows = [PreviousAction(r.action.text, people(r.action.owner), r.action.due_on, ReviewOutcome.label_of(r.outcome))
            for r in reviews]
    reviewed = {review.action_id for review in reviews}
    earlier_open = db.session.scalars(
        select(Action)
        .join(AgendaItem, Action.agenda_item_id == AgendaItem.id)
        .join(SupervisionSession, AgendaItem.session_id == SupervisionSession.id)
        .where(Action.family_id == item.family_id, Action.status == ActionStatus.OPEN.value,
               SupervisionSession.starts_at < session.starts_at)
        .options(joinedload(Action.owner)).order_by(Action.id))
    rows += [PreviousAction(a.text, people(a.owner), a.due_on, "Not yet reviewed")
             for a in earlier_open if a.id not in reviewed]
    return rows


def _actions(item: AgendaItem, people: _People) -> list[ActionRow]:
    """Actions agreed in this discussion, then earlier ones carried forward into it."""
    agreed = db.session.scalars(
        select(Action).where(Action.agenda_item_id == item.id, Action.status.not_in(NOT_AGREED))
        .options(joinedload(Action.owner)).order_by(Action.id))
    rows = [ActionRow(a.text, people(a.owner), a.due_on) for a in agreed]
    carried = db.session.scalars(
        select(ActionReview).where(ActionReview.agenda_item_id == item.id,
                                   ActionReview.outcome == ReviewOutcome.CARRIED_FORWARD.value)
        .options(joinedload(ActionReview.action).joinedload(Action.agenda_item).joinedload(AgendaItem.session))
        .order_by(ActionReview.id))
    rows += [ActionRow(r.action.text, people(r.action.owner), r.action.due_on,
                       carried_forward_from=local(r.action.agenda_item.session.starts_at).date()) for r in carried]
    return rows


def _decision(decision: Decision) -> DecisionRecord:
    signer = decision.signed_off_by
    signed = signer is not None and decision.signed_off_at is not None
    return DecisionRecord(
        text=decision.decision_text or "",
        rationale=decision.rationale or "",
        outcome=PlanOutcome.label_of(decision.outcome) if decision.outcome else None,
        signed_off_by=Person(signer.display_name, decision.signed_off_role_label or "") if signed else None,
        signed_off_at=decision.signed_off_at if signed else None,
        amendments=[_amendment(a) for a in decision.amendments],
    )


def _amendment(a) -> AmendmentRow:
    return AmendmentRow(AMENDED_PARTS.get(a.field, a.field.replace("_", " ").capitalize()),
                        _amended_value(a.field, a.original_text), _amended_value(a.field, a.amended_text),
                        a.reason, Person(a.author.display_name, a.author_role_label), a.created_at)


def _amended_value(field: str, value: str) -> str:
    """Amendments store values as text; show outcomes and dates in words, as the rest of the record does."""
    if field == "outcome" and value:
        return PlanOutcome.label_of(value)
    if field == "next_discussion_on" and value:
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value or "(blank)"


# Writing and logging ---------------------------------------------------------------------------

def export_dir() -> str:
    return current_app.config["EXPORT_DIR"]


def name_logged(name: str) -> bool:
    return db.session.scalar(select(ExportLog.id).where(ExportLog.filename == name).limit(1)) is not None


def _export(session: SupervisionSession, item: AgendaItem | None, *, directory: str, user_id: int | None,
            produced_by: str | None, via: str) -> tuple[ExportLog, Path]:
    now = utcnow()
    _freeze_signed_before_freezing_existed(session, item)
    record = load_record(session, item, produced_by=produced_by, as_at=now)
    filename = record_filename(session.starts_at, session.team.slug,
                               item.family.case_reference if item is not None else None)
    path = write_record(record, directory, filename, name_taken=name_logged)
    log = ExportLog(session_id=session.id, family_id=item.family_id if item is not None else None,
                    user_id=user_id, via=via, filename=path.name, draft=record.draft, created_at=now)
    db.session.add(log)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    return log, path


def export_record(user_id: int, session_id: int, family_id: int | None = None) -> ExportLog:
    """Business support or the manager export the minutes, or one family's record (a draft before sign-off)."""
    session, actor = scope.session_for(user_id, session_id)
    actor.require(Permission.EXPORT_RECORDS)
    item = None
    if family_id is not None:
        item = next((each for each in session.agenda if each.family_id == family_id), None)
        if item is None:
            raise NotFound("That family's discussion")
    log, _path = _export(session, item, directory=export_dir(), user_id=actor.user_id,
                         produced_by=actor.display_name, via="web")
    return log


def export_as_operator(session_id: int, case_reference: str | None = None,
                       out_dir: str | None = None) -> list[Path]:
    """The CLI: one family's record, or the minutes and every family's record. No team boundary: an operator runs it."""
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound(f"Session {session_id}")
    items: list[AgendaItem | None]
    if case_reference is not None:
        wanted = case_reference.strip().casefold()
        item = next((each for each in session.agenda if each.family.case_reference.casefold() == wanted), None)
        if item is None:
            on_agenda = ", ".join(each.family.case_reference for each in session.agenda) or "none"
            raise Invalid(f"{case_reference} is not on the agenda of session {session_id} "
                          f"(on the agenda: {on_agenda}).", {"family": "Not on this session's agenda"})
        items = [item]
    else:
        items = [None, *session.agenda]
    directory = out_dir or export_dir()
    return [_export(session, each, directory=directory, user_id=None, produced_by=None, via="cli")[1]
            for each in items]


# Finding exports again -------------------------------------------------------------------------

def export_for(user_id: int, export_id: int) -> ExportLog:
    """A logged export, for someone who may export in that session's team; another team's is 'not found'."""
    log = db.session.get(ExportLog, export_id)
    if log is None:
        raise NotFound("That record")
    _session, actor = scope.session_for(user_id, log.session_id)
    actor.require(Permission.EXPORT_RECORDS)
    return log


def export_file(user_id: int, export_id: int) -> tuple[ExportLog, Path | bytes]:
    """The file of a logged export; rebuilt from the signed record once retention has removed it.

    A final record is rebuilt as it stood when it was exported (amendments and additions made
    later are left out), so its text is what was downloaded the first time. A draft is not
    kept: it said what the board held at that moment, which is no longer known.
    """
    log = export_for(user_id, export_id)
    path = find_record(export_dir(), log.filename)
    if path is not None:
        return log, path
    if log.draft:
        raise NotFound("That draft record")
    return log, rebuild(log)


def rebuild(log: ExportLog) -> bytes:
    if log.kind == "letter":
        from . import letters  # letters builds on this module
        return letters.rebuild(log)
    session = db.session.get(SupervisionSession, log.session_id)
    item = None
    if log.family_id is not None:
        item = next((each for each in session.agenda if each.family_id == log.family_id), None)
        if item is None:
            raise NotFound("That family's discussion")
    buffer = io.BytesIO()
    write_document(load_record(session, item, as_at=log.created_at), buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportEntry:
    """One logged export as people see it: which record, who, when, draft or final."""

    id: int
    session_id: int
    record: str
    who: str
    when: datetime
    draft: bool
    filename: str
    via: str = "web"
    downloadable: bool = True  # its file is here, or it is final and can be rebuilt


@dataclass(frozen=True)
class ExportPanel:
    session_id: int
    records: list[tuple[str, str]]  # (form value, which record)
    exports: list[ExportEntry]  # made from the pages
    operator_exports: list[ExportEntry] = ()  # made with `supervision export`, perhaps to another folder


MINUTES = "minutes"


def _families_on(session: SupervisionSession) -> dict[int, tuple[str, str]]:
    return {item.family_id: (item.family.display_name, item.family.case_reference) for item in session.agenda}


def _entry(log: ExportLog, families: dict[int, tuple[str, str]]) -> ExportEntry:
    if log.family_id is None:
        what = "Session minutes"
    elif log.family_id in families:
        what = "{} ({})".format(*families[log.family_id])
    else:
        what = "A family's record"
    if log.kind == "letter":
        what = f"Letter to the family: {what}"
    who = log.user.display_name if log.user is not None else "An operator, from the command line"
    downloadable = not log.draft or find_record(export_dir(), log.filename) is not None
    return ExportEntry(log.id, log.session_id, what, who, log.created_at, log.draft, log.filename, log.via,
                       downloadable)


def describe_export(log: ExportLog) -> ExportEntry:
    return _entry(log, _families_on(db.session.get(SupervisionSession, log.session_id)))


def export_panel(user_id: int, session_id: int) -> ExportPanel | None:
    """What the session page offers for export and what was exported before; None for people who cannot export."""
    session, actor = scope.session_for(user_id, session_id)
    if not actor.can(Permission.EXPORT_RECORDS):
        return None
    families = _families_on(session)
    records = [(MINUTES, "Session minutes")] + [
        (f"family-{family_id}", "{} ({})".format(*names)) for family_id, names in families.items()]
    logs = db.session.scalars(select(ExportLog).where(ExportLog.session_id == session.id)
                              .options(joinedload(ExportLog.user))
                              .order_by(ExportLog.created_at.desc(), ExportLog.id.desc()))
    entries = [_entry(log, families) for log in logs]
    return ExportPanel(session.id, records, [e for e in entries if e.via != "cli"],
                       [e for e in entries if e.via == "cli"])


def parse_record_choice(value: str | None) -> int | None:
    """The family id in a panel form's value ('family-12'), or None for the minutes; Invalid otherwise."""
    if value == MINUTES:
        return None
    if value and value.startswith("family-") and value[len("family-"):].isdigit():
        return int(value[len("family-"):])
    raise Invalid("Choose which record to export.", {"record": "Choose which record to export"})
