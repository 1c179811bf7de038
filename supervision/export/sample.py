"""A fictional record with full content, built in memory: for the benchmark and writer tests.

Every person and family here is invented (PRACTICE.md: never real data).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..domain.vocabulary import AnalysisHeading
from .record import (
    SESSION, ActionRow, AmendmentRow, AttendanceRow, ChildRow, Contribution, DecisionRecord, FamilyRecord,
    Group, Person, PreviousAction, RecordData,
)

MANAGER = Person("Helen Brooks", "Team manager")
SUPPORT = Person("Jenny Marsh", "Business support officer")
SOCIAL = Person("Priya Shah", "Child and family social worker")
RECOVERY = Person("Grace Whitfield", "Recovery worker")
DA_OFFICER = Person("Mark Dunn", "Domestic abuse officer")
MENTAL_HEALTH = Person("Ruth Ellison", "Mental health practitioner")
PRACTITIONER = Person("Tom Riley", "Child and family practitioner")

SURNAMES = ["Harper", "Quill", "Marlowe", "Fenner", "Ashby", "Tremaine", "Castell", "Oyelaran",
            "Penhallow", "Rookwood"]
CHILDREN = ["Ava", "Jude", "Maisie", "Idris", "Poppy", "Kit", "Esme", "Tobi", "Wren", "Arlo"]
PARENTS = ["Mia", "Carys", "Dom", "Shona", "Lee", "Bryony", "Nell", "Femi", "Tess", "Rory"]

STARTS = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def _paragraphs(seed: str, count: int) -> str:
    sentence = (f"{seed} has kept most appointments this month and talked about what a good day looks like. "
                "The worker noticed warmth in how the child was greeted after nursery.")
    return "\n".join(sentence for _ in range(count))


def sample_family(index: int, *, signed_off: bool = True) -> FamilyRecord:
    surname, child, parent = SURNAMES[index % 10], CHILDREN[index % 10], PARENTS[index % 10]
    signed_at = STARTS + timedelta(minutes=35 + 25 * index)
    situation = [Contribution(_paragraphs(parent, 3), SOCIAL),
                 Contribution(f"Since the last discussion {parent} has asked for help with housing.", SOCIAL),
                 Contribution(f"I wonder whether some of {parent}'s cooperation is only apparent.", SOCIAL)]
    perspectives = [
        Group("Drug and alcohol recovery", [
            Contribution(_paragraphs(f"{parent} (testing)", 2), RECOVERY, f"{parent}, Mother", "Contemplation"),
            Contribution("Two tests were positive; both were on days with no childcare.", RECOVERY,
                         f"{parent}, Mother", "Contemplation")]),
        Group("Domestic abuse: the adult who may pose a risk", [
            Contribution("Missed the last three appointments. A home visit is planned.", DA_OFFICER,
                         "Father", "Pre-contemplation")]),
        Group("Adult mental health", [
            Contribution(_paragraphs(f"{parent} (therapy)", 2), MENTAL_HEALTH, f"{parent}, Mother", "Action")]),
    ]
    texts = {
        AnalysisHeading.WORKING_WELL: [f"{parent} attends every health visitor appointment with {child}.",
                                       f"{parent} asked for help with housing herself."],
        AnalysisHeading.WORRIES: ["Drug use on days when the baby is cared for alone.",
                                  "We do not know where the father is staying."],
        AnalysisHeading.LIVED_EXPERIENCE: [f"What does this mean for {child}, who cannot tell anyone?"],
        AnalysisHeading.HYPOTHESES: [f"{parent} may say what she thinks we want to hear, out of fear."],
        AnalysisHeading.NEXT_STEPS: ["A joint visit by the recovery worker and the social worker.",
                                     "Offer the father his sessions again."],
    }
    analysis = [Group(h.label, [Contribution(t, MANAGER) for t in texts[h]]) for h in AnalysisHeading]
    decision = DecisionRecord(
        text=f"{child} stays on the Child Protection plan.",
        rationale=_paragraphs(parent, 2) + "\nThe risks have not reduced yet.",
        outcome="Continue the plan",
        signed_off_by=MANAGER if signed_off else None,
        signed_off_at=signed_at if signed_off else None,
        amendments=[AmendmentRow("Rationale", "The risks have not reduced.", "The risks have not reduced yet.",
                                 "The first wording left out that progress is being made.", MANAGER,
                                 signed_at + timedelta(days=1))] if signed_off else [],
    )
    due = signed_at.date()
    return FamilyRecord(
        case_reference=f"FS-{1042 + index}", name=f"{surname} family", plan="Child Protection",
        social_worker=SOCIAL,
        children=[ChildRow(child, "5 months", "Child Protection"), ChildRow(f"{child}'s sister", "4 years",
                                                                             "Child Protection")],
        previous_actions=[
            PreviousAction("Joint home visit to talk about testing", RECOVERY, due - timedelta(days=21), "Done"),
            PreviousAction("Ask the housing team about the application", PRACTITIONER, due - timedelta(days=14),
                           "Carried forward"),
            PreviousAction("Write to the father offering sessions", DA_OFFICER, due - timedelta(days=20), "Not done"),
        ],
        situation=situation, perspectives=perspectives, analysis=analysis,
        notes=_paragraphs(f"Notes: {parent}", 8),
        decision=decision,
        actions=[ActionRow("Joint home visit about testing and the baby's routine", RECOVERY, due + timedelta(days=7)),
                 ActionRow("Home visit to the father to offer his sessions again", DA_OFFICER, due + timedelta(days=10)),
                 ActionRow("Ask the housing team about the application", PRACTITIONER, due + timedelta(days=14),
                           carried_forward_from=due - timedelta(days=28)),
                 ActionRow("Update the child's plan with the decision", SOCIAL, due + timedelta(days=3))],
        next_discussion_on=due + timedelta(days=28),
    )


def sample_record(families: int = 8, *, kind: str = SESSION, signed_off: bool = True) -> RecordData:
    return RecordData(
        kind=kind, team="Family Safeguarding Team North", starts_at=STARTS, chair=MANAGER, minute_taker=SUPPORT,
        attendance=[AttendanceRow(p.name, p.role, status) for p, status in [
            (MANAGER, "Present"), (SOCIAL, "Present"), (PRACTITIONER, "Late"), (RECOVERY, "Present"),
            (DA_OFFICER, "Present"), (MENTAL_HEALTH, "Apologies"), (SUPPORT, "Present")]],
        families=[sample_family(i, signed_off=signed_off) for i in range(families)],
        produced_at=datetime(2026, 11, 22, 15, 10, tzinfo=timezone.utc), produced_by=SUPPORT.name,
    )

