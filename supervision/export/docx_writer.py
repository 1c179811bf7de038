"""Turn a RecordData into a Word document. No database here: the record is all it reads.

Every section is written even when empty, saying so in words, so a reader can tell
"nothing was said" from "this part is missing".
"""
from __future__ import annotations

from typing import BinaryIO

from .docx_layout import add_table, box, mark_pages, new_document, save_fixed, set_properties, styled_paragraph
from .record import FAMILY, SESSION, ActionRow, AddedEntry, Contribution, DecisionRecord, FamilyRecord, RecordData
from .text import add_text
from .wording import date_and_time, long_date, sign_off_line


_DRAFT_NOTE = {
    FAMILY: "DRAFT: the decision in this record has not been signed off, so it may change.",
    SESSION: "DRAFT: not every decision in these minutes has been signed off, so they may change.",
}


def build_document(record: RecordData):
    """The python-docx Document for this record."""
    document = new_document()
    _properties(document, record)
    mark_pages(document, draft=record.draft, running=_running_header(record))
    add_text(styled_paragraph(document, "Title"), record.title)
    if record.draft:
        _line(document, _DRAFT_NOTE[record.kind], bold=True)
    _meeting(document, record)
    _attendance(document, record)
    if record.kind == SESSION:
        _agenda(document, record)
    for family in record.families:
        _family(document, family)
    return document


def write_document(record: RecordData, target: str | BinaryIO) -> None:
    save_fixed(build_document(record), target)


def _properties(document, record: RecordData) -> None:
    """A final record takes its times from its sign-off and last change; a draft from the moment it is made."""
    author = record.minute_taker.name or record.team
    final = record.final_as_at
    if final is None:
        created = modified = record.produced_at
        last_by, revision = author, 1
    else:
        created, modified, last_person, revision = final
        last_by = last_person.name
    set_properties(document, title=record.title, subject=_subject(record), author=author, created=created,
                   modified=modified, last_modified_by=last_by, revision=revision)


def _running_header(record: RecordData) -> list[str]:
    """Below the marking on every page: whose record it is, and whether it changed after sign-off."""
    if record.kind == FAMILY and record.families:
        family = record.families[0]
        lines = [f"{family.name}, case reference {family.case_reference}"]
        changed = family.changed_after_sign_off
    else:
        lines = [f"{record.team}: group supervision minutes, {long_date(record.starts_at)}"]
        notes = {family.changed_after_sign_off for family in record.families} - {None}
        changed = "Amended or added to after sign-off" if notes else None
    return lines + ([changed] if changed and not record.draft else [])


def _subject(record: RecordData) -> str:
    kind = "Case file record" if record.kind == FAMILY else "Team minutes"
    return f"{kind}: group supervision, {record.team}, {long_date(record.starts_at)}"


def _line(document, text: str, *, bold: bool = False, style: str | None = None):
    paragraph = styled_paragraph(document, style) if style else document.add_paragraph()
    add_text(paragraph, text, bold=bold)
    return paragraph


def _heading(document, text: str, level: int) -> None:
    add_text(styled_paragraph(document, f"Heading {level}"), text)


def _or(text: str, when_empty: str) -> str:
    return text if text.strip() else when_empty


def _labelled(document, label: str, value: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    add_text(paragraph, value)
    return paragraph


def _meeting(document, record: RecordData) -> None:
    _heading(document, "Meeting", 1)
    _labelled(document, "Date and time", date_and_time(record.starts_at))
    _labelled(document, "Team", record.team)
    _labelled(document, "Chair", str(record.chair))
    _labelled(document, "Minute taker", str(record.minute_taker))
    final = record.final_as_at
    if final is not None:  # the same words however often it is exported
        _labelled(document, "Record as it stood on", date_and_time(final[1]))
        return
    produced = date_and_time(record.produced_at)
    _labelled(document, "Record produced", f"{produced} by {record.produced_by}" if record.produced_by else produced)


def _attendance(document, record: RecordData) -> None:
    _heading(document, "Attendance", 1)
    if not record.attendance:
        _line(document, "No attendance was recorded.")
        return
    add_table(document, "Who attended, in which role", ["Name", "Role", "Attendance"],
              [[row.name, row.role, row.status] for row in record.attendance])


def _agenda(document, record: RecordData) -> None:
    _heading(document, "Agenda", 1)
    if not record.families:
        _line(document, "No families were on the agenda.")
    for family in record.families:
        _line(document, family.heading, style="List Number")


def _family(document, family: FamilyRecord) -> None:
    _heading(document, family.heading, 1)
    _about_family(document, family)
    _previous_actions(document, family)
    _heading(document, "Family situation", 2)
    _contributions(document, family.situation, "Nothing was recorded about the family situation.")
    _perspectives(document, family)
    _analysis(document, family)
    _heading(document, "Business support notes", 2)
    _line(document, _or(family.notes, "No notes were taken."))
    _decision(document, family.decision, family.decision_discussion)
    _actions(document, family.actions)
    _heading(document, "Next discussion", 2)
    if family.next_discussion_on:
        _line(document, f"The family will next be discussed on {long_date(family.next_discussion_on)}.")
    else:
        _line(document, "No date has been set for the next discussion.")
    if family.added_after_sign_off:
        _added_after_sign_off(document, family.added_after_sign_off)
    _sign_off_block(document, family)


def _added_after_sign_off(document, entries: list[AddedEntry]) -> None:
    _heading(document, "Added after sign-off", 2)
    _line(document, "These entries were added after the decision was signed off. They are not part of the "
                    "discussion the decision was based on.")
    for entry in entries:
        _line(document, f"Added after sign-off by {entry.author} on {date_and_time(entry.at)}", bold=True)
        _line(document, entry.text)


def _sign_off_block(document, family: FamilyRecord) -> None:
    """Who signed the record off, in which role and when: the last thing in each family's record."""
    _heading(document, "Sign-off", 2)
    if not family.signed_off:
        _line(document, "Not signed off. This record is a draft and may change.", bold=True)
        return
    decision = family.decision
    paragraphs = [_labelled(document, "Signed off by", decision.signed_off_by.name),
                  _labelled(document, "Role", decision.signed_off_by.role or "Not recorded"),
                  _labelled(document, "Date and time", date_and_time(decision.signed_off_at))]
    if family.changed_after_sign_off:
        amendments, added = len(decision.amendments), len(family.added_after_sign_off)
        paragraphs.append(_labelled(document, "After sign-off", (
            f"{family.changed_after_sign_off}: {amendments} {'amendment' if amendments == 1 else 'amendments'} "
            f"and {added} {'entry' if added == 1 else 'entries'} added, each shown above with who made it and when")))
    box(paragraphs)


def _about_family(document, family: FamilyRecord) -> None:
    _heading(document, "Family and plan", 2)
    _labelled(document, "Case reference", family.case_reference)
    _labelled(document, "Plan", family.plan)
    _labelled(document, "Allocated social worker", str(family.social_worker) if family.social_worker else "None recorded")
    _labelled(document, "Adults", "; ".join(family.adults) if family.adults else "None recorded")
    if not family.children:
        _line(document, "No children are recorded for this family.")
        return
    add_table(document, "The children and their plans", ["Child", "Age", "Plan level"],
              [[child.name, child.age, child.plan] for child in family.children])


def _previous_actions(document, family: FamilyRecord) -> None:
    _heading(document, "Review of previous actions", 2)
    if not family.previous_actions:
        _line(document, "No actions from the last discussion.")
        return
    add_table(document, "Actions from earlier discussions and their outcome",
              ["Action", "Owner", "Due date", "Outcome"],
              [[a.text, _owner(a.owner), _due(a.due_on), a.outcome] for a in family.previous_actions])


def _contributions(document, contributions: list[Contribution], when_empty: str, *, detail: bool = False) -> None:
    if not contributions:
        _line(document, when_empty)
    for item in contributions:
        paragraph = styled_paragraph(document, "List Bullet")
        add_text(paragraph, item.text)
        paragraph.add_run().add_break()
        credit = str(item.author)
        if detail and item.about:
            credit += f". About {item.about}"
        if detail and item.stage_of_change:
            credit += f". Stage of change: {item.stage_of_change}"
        add_text(paragraph, credit, italic=True)


def _perspectives(document, family: FamilyRecord) -> None:
    _heading(document, "Specialist perspectives", 2)
    if not family.perspectives:
        _line(document, "No specialist perspectives were recorded.")
    for group in family.perspectives:
        _heading(document, group.title, 3)
        _contributions(document, group.contributions, "Nothing was recorded.", detail=True)


def _analysis(document, family: FamilyRecord) -> None:
    _heading(document, "Analysis", 2)
    if not family.analysis:
        _line(document, "No analysis was recorded.")
    for group in family.analysis:
        _heading(document, group.title, 3)
        _contributions(document, group.contributions, "Nothing was recorded under this heading.")


def _decision(document, decision: DecisionRecord | None, discussion: list[Contribution]) -> None:
    _heading(document, "Decision", 2)
    if discussion:
        _heading(document, "Discussion before the decision", 3)
        _contributions(document, discussion, "")
    if decision is None:
        _line(document, "No decision has been recorded.")
        return
    boxed = [_labelled(document, "Decision", _or(decision.text, "No decision text was recorded.")),
             _labelled(document, "Rationale", _or(decision.rationale, "No rationale was recorded.")),
             _labelled(document, "Plan outcome", decision.outcome or "Not recorded")]
    if decision.signed_off:
        boxed.append(_line(document, sign_off_line(str(decision.signed_off_by), decision.signed_off_at), bold=True))
    else:
        boxed.append(_line(document, "Not signed off: this decision is a draft and may change.", bold=True))
    box(boxed)
    _heading(document, "Amendments", 3)
    if not decision.amendments:
        _line(document, "This decision has not been amended.")
    for amendment in decision.amendments:
        _line(document, f"Amended by {amendment.author} on {date_and_time(amendment.at)}", bold=True)
        _labelled(document, "What changed", amendment.what)
        _labelled(document, "Reason", amendment.reason)
        _labelled(document, "Original wording", amendment.original)
        _labelled(document, "New wording", amendment.amended)


def _actions(document, actions: list[ActionRow]) -> None:
    _heading(document, "Actions", 2)
    if not actions:
        _line(document, "No actions were agreed.")
        return
    rows = []
    for action in actions:
        text = action.text
        if action.carried_forward_from:
            text += f"\n(Carried forward from {long_date(action.carried_forward_from)})"
        rows.append([text, _owner(action.owner), _due(action.due_on)])
    add_table(document, "Actions agreed: what, who, by when", ["Action", "Owner and role", "Due date"], rows)


def _owner(owner) -> str:
    return str(owner) if owner else "No owner named"


def _due(due_on) -> str:
    return long_date(due_on) if due_on else "No date set"
