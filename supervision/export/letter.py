"""A letter to the family, drafted from one family's signed record: plain data, no database, no Word.

The draft speaks to the parents ("you") in plain words: what was decided and why, what happens
next, who will do what by when, and when the family will be discussed again, all taken from the
signed record of that one family. The team's analysis is never copied in: the parts about what is
going well and what the team is worried about start as a note to the social worker, who writes
them in their own words (the page shows them what the record says, to write from). Every word of
the draft can be changed before the letter is final; a letter is not final while a note is left.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .record import FamilyRecord, RecordData
from .wording import long_date

# What the social worker still has to write; a letter cannot be made final while any is left.
TO_WRITE = "[Write here"

OUTCOMES = {
    "Continue the plan": "Your family's plan stays as it is for now.",
    "Step up": "We will give your family more help and check in more often.",
    "Step down": "Your family will get a lighter level of help from now on.",
    "Close": "We plan to stop working with your family.",
}


@dataclass
class LetterSection:
    heading: str
    text: str


@dataclass
class LetterContent:
    greeting: str
    opening: str
    sections: list[LetterSection] = field(default_factory=list)
    closing: str = ""

    def as_json(self) -> dict:
        return {"greeting": self.greeting, "opening": self.opening, "closing": self.closing,
                "sections": [{"heading": s.heading, "text": s.text} for s in self.sections]}

    @classmethod
    def from_json(cls, data: dict) -> LetterContent:
        return cls(data.get("greeting", ""), data.get("opening", ""),
                   [LetterSection(s.get("heading", ""), s.get("text", "")) for s in data.get("sections", [])],
                   data.get("closing", ""))

    def texts(self) -> list[str]:
        """Every piece of writing in the letter, in order."""
        return [self.greeting, self.opening] + [part for s in self.sections for part in (s.heading, s.text)] + [
            self.closing]

    @property
    def body(self) -> str:
        """The letter's running text, for the readability measure (headings and greeting left out)."""
        return "\n\n".join(text for text in [self.opening, *(s.text for s in self.sections), self.closing] if text)

    @property
    def unwritten(self) -> list[str]:
        """Headings of the parts the social worker has still to write."""
        missing = [s.heading or "A part without a heading" for s in self.sections if TO_WRITE in s.text]
        if TO_WRITE in self.opening or TO_WRITE in self.closing:
            missing.insert(0, "The opening or the closing")
        return missing


def first_name(adult: str) -> str:
    """'Mia (Mother)' -> 'Mia'."""
    return adult.split(" (", 1)[0].strip()


def _names(names: list[str]) -> str:
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def draft(record: RecordData, *, writer: str, writer_role: str) -> LetterContent:
    """The first draft of the letter about the record's one family, in the writer's name."""
    (family,) = record.families
    parents = _names([first_name(adult) for adult in family.adults])
    children = _names([child.name for child in family.children]) or "your children"
    worker = family.social_worker.name if family.social_worker else writer
    met_on = long_date(record.starts_at)

    sections = [
        LetterSection("What is going well", f"{TO_WRITE}, in your own words, what is going well for the family. "
                                            "Start with what the family is doing well.]"),
        LetterSection("What we are worried about", f"{TO_WRITE}, plainly and kindly, what the team is worried about "
                                                   f"and what it means for {children}.]"),
        LetterSection("What we decided, and why", _decided(family)),
        LetterSection("What happens next", _next(family)),
        LetterSection("Who will do what, and by when", _actions(family)),
        LetterSection("When we will talk about your family again", _again(family, worker)),
    ]
    return LetterContent(
        greeting=f"Dear {parents}," if parents else "Dear parent,",
        opening=(f"On {met_on}, the team working with your family met to talk about how things are going for "
                 f"{children}. This letter tells you what we talked about and what we agreed. "
                 f"{worker} is your social worker: please talk to them about anything in this letter."),
        sections=sections,
        closing=(f"If something in this letter is not clear, or you think something is wrong, please tell {worker}. "
                 "You can also ask to read what we have written about your family.\n\n"
                 f"Yours sincerely,\n\n{writer}\n{writer_role}"),
    )


def _decided(family: FamilyRecord) -> str:
    decision = family.decision
    if decision is None:
        return f"{TO_WRITE} what was decided.]"
    parts = [decision.text.strip()] if decision.text.strip() else []
    if decision.rationale.strip():
        parts.append(f"Why: {decision.rationale.strip()}")
    return "\n\n".join(parts) or f"{TO_WRITE} what was decided, and why.]"


def _next(family: FamilyRecord) -> str:
    outcome = family.decision.outcome if family.decision else None
    return OUTCOMES.get(outcome or "", f"{TO_WRITE} what happens next for the family.]")


def _actions(family: FamilyRecord) -> str:
    if not family.actions:
        return "We did not agree any new tasks this time."
    lines = []
    for action in family.actions:
        who = action.owner.name if action.owner else "Someone we will agree with you"
        when = f" by {long_date(action.due_on)}" if action.due_on else ""
        lines.append(f"- {who}{when}: {action.text.strip()}")
    return "\n".join(lines)


def _again(family: FamilyRecord, worker: str) -> str:
    if family.next_discussion_on is None:
        return f"We have not set a date yet. {worker} will tell you when we will talk about your family again."
    return (f"The team will talk about your family again on {long_date(family.next_discussion_on)}. "
            f"{worker} will tell you what we decide.")
