"""A letter to the family: drafted from one family's signed record in plain words, written as an accessible Word document,
and measured for how easy it is to read."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from docx import Document

from supervision.export.letter import TO_WRITE, LetterContent, LetterSection, draft
from supervision.export.letter_docx import write_letter
from supervision.export.readability import measure
from supervision.export.record import FAMILY, ActionRow, Contribution, DecisionRecord, Group, Person
from supervision.export.sample import sample_family, sample_record

SIMPLE = ("You came to every appointment with Ava. We are glad about that. "
          "We will meet again next month. Please call Priya if you need help.")
HARD = ("The multi-agency safeguarding partnership necessitates comprehensive consideration of "
        "intergenerational vulnerabilities, contextual safeguarding responsibilities and the "
        "cumulative impact of parental substance misuse upon developmental trajectories.")


def harper_record():
    family = replace(
        sample_family(0), name="Harper family", case_reference="FS-1042", adults=["Mia (Mother)", "Liam (Father)"],
        social_worker=Person("Priya Shah", "Child and family social worker"),
        decision=DecisionRecord("Ava stays on her child protection plan.", "Mia is doing well with testing, "
                                "but Liam has missed three appointments.", "Continue the plan",
                                Person("Helen Brooks", "Team manager"), datetime(2026, 11, 2, 11, tzinfo=timezone.utc)),
        actions=[ActionRow("Book a joint visit with Mia", Person("Priya Shah", "Social worker"), date(2026, 11, 16)),
                 ActionRow("Offer Liam a new appointment", None, None)],
        next_discussion_on=date(2026, 11, 30),
        analysis=[Group("What is working well", [Contribution("Mia attends every health visit", Person("Tom"))]),
                  Group("Hypotheses", [Contribution("INTERNAL HYPOTHESIS TEXT", Person("Tom"))])],
    )
    return replace(sample_record(0, kind=FAMILY), families=[family],
                   starts_at=datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc))


def test_the_draft_speaks_to_the_parents_with_the_decision_actions_and_next_date():
    letter = draft(harper_record(), writer="Priya Shah", writer_role="Child and family social worker")
    text = "\n".join(letter.texts())
    assert letter.greeting == "Dear Mia and Liam,"
    assert "On 2 November 2026, the team working with your family met" in letter.opening
    headings = [section.heading for section in letter.sections]
    assert headings == ["What is going well", "What we are worried about", "What we decided, and why",
                        "What happens next", "Who will do what, and by when",
                        "When we will talk about your family again"]
    assert "Ava stays on her child protection plan.\n\nWhy: Mia is doing well" in text
    assert "Your family's plan stays as it is for now." in text
    assert "- Priya Shah by 16 November 2026: Book a joint visit with Mia" in text
    assert "- Someone we will agree with you: Offer Liam a new appointment" in text
    assert "The team will talk about your family again on 30 November 2026." in text
    assert "Yours sincerely,\n\nPriya Shah\nChild and family social worker" in letter.closing


def test_the_teams_analysis_is_never_copied_in_and_the_parts_to_write_are_marked():
    letter = draft(harper_record(), writer="Priya Shah", writer_role="Social worker")
    text = "\n".join(letter.texts())
    assert "INTERNAL HYPOTHESIS TEXT" not in text and "Mia attends every health visit" not in text
    assert letter.unwritten == ["What is going well", "What we are worried about"]
    letter.sections[0].text = "You take Ava to every health visit."
    letter.sections[1].text = "We worry when Liam misses his appointments."
    assert letter.unwritten == []


def test_content_survives_storage():
    letter = draft(harper_record(), writer="Priya Shah", writer_role="Social worker")
    assert LetterContent.from_json(letter.as_json()) == letter


def test_the_word_letter_has_real_headings_large_type_a_list_and_british_english():
    letter = LetterContent("Dear Mia,", "We met to talk about Ava.", [
        LetterSection("What we decided", "Ava stays on her plan."),
        LetterSection("Who will do what", "- Priya by 16 November: visit\n- Tom by 20 November: call Liam"),
    ], "Yours sincerely,\n\nPriya Shah")
    buffer = io.BytesIO()
    write_letter(letter, buffer, title="About our meeting on 2 November 2026", author="Priya Shah",
                 dated=datetime(2026, 11, 3, 10, tzinfo=timezone.utc))
    document = Document(io.BytesIO(buffer.getvalue()))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "About our meeting on 2 November 2026") in styled
    assert [text for style, text in styled if style == "Heading 2"] == ["What we decided", "Who will do what"]
    assert [text for style, text in styled if style == "List Bullet"] == ["Priya by 16 November: visit",
                                                                          "Tom by 20 November: call Liam"]
    assert document.styles["Normal"].font.size.pt >= 14
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.title == "About our meeting on 2 November 2026"


def test_the_same_letter_gives_the_same_bytes():
    letter = LetterContent("Dear Mia,", "Hello.", [LetterSection("Next", "We meet again.")], "Bye")
    made = []
    for _ in range(2):
        buffer = io.BytesIO()
        write_letter(letter, buffer, title="About", author="P", dated=datetime(2026, 11, 3, tzinfo=timezone.utc))
        made.append(buffer.getvalue())
    assert made[0] == made[1]


@pytest.mark.parametrize("text, low, high", [(SIMPLE, 5, 9), (HARD, 18, 60)])
def test_the_reading_age_of_known_texts(text, low, high):
    measured = measure(text, target=11)
    assert low <= measured.reading_age <= high
    assert measured.within_target == (measured.reading_age <= 11)


def test_plain_writing_reads_younger_than_jargon_and_too_little_is_not_measured():
    assert measure(SIMPLE, 11).reading_age < measure(HARD, 11).reading_age
    assert measure(SIMPLE, 11).reading_ease > 60 > measure(HARD, 11).reading_ease
    assert measure("Dear Mia,", 11).reading_age is None
    assert "not enough writing" in measure("Dear Mia,", 11).summary
    assert measure(SIMPLE, 11).summary.startswith("Reading age about")


def test_list_lines_count_as_sentences():
    listed = "- Priya will visit you on Monday\n- Tom will call Liam on Tuesday\n- We will meet again in June"
    assert measure(listed, 11).reading_age <= 9
    assert TO_WRITE.startswith("[")
