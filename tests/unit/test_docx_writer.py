"""The Word record, built from plain data and read back with python-docx as a reader's software would."""
from __future__ import annotations

import html
import io
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from supervision.domain.vocabulary import AnalysisHeading
from supervision.export.docx_writer import write_document
from supervision.export.record import FAMILY, SESSION, DecisionRecord, FamilyRecord, Person, RecordData
from supervision.export.sample import sample_family, sample_record
from supervision.export.text import clean

# Reading helpers, shared with the integration and web tests ----------------------------------


def saved(record: RecordData) -> bytes:
    buffer = io.BytesIO()
    write_document(record, buffer)
    return buffer.getvalue()


def open_docx(source) -> docx.document.Document:
    return docx.Document(io.BytesIO(source) if isinstance(source, bytes) else source)


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


def texts(document) -> list[str]:
    """Every paragraph of the body in reading order, table cells included."""
    return [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]


def header_text(document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def footer_xml(document) -> str:
    return document.sections[0].footer._element.xml


def package_text(source) -> str:
    """Every XML part of the file (body, headers, footers, properties), entities decoded: for 'is X anywhere?'."""
    data = source if isinstance(source, bytes) else open(source, "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(html.unescape(package.read(name).decode("utf-8")) for name in package.namelist()
                         if name.endswith((".xml", ".rels")))


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# Tests ---------------------------------------------------------------------------------------


def test_structure_uses_words_built_in_title_and_headings():
    document = open_docx(saved(sample_record(2)))
    found = headings(document)
    assert found[0] == ("Title", "Group supervision minutes: 22 November 2026")
    level_one = [text for style, text in found if style == "Heading 1"]
    assert level_one == ["Meeting", "Attendance", "Agenda", "Harper family (FS-1042)", "Quill family (FS-1043)"]
    first_family = found[found.index(("Heading 1", "Harper family (FS-1042)")):
                         found.index(("Heading 1", "Quill family (FS-1043)"))]
    assert [text for style, text in first_family if style == "Heading 2"] == [
        "Family and plan", "Review of previous actions", "Family situation", "Specialist perspectives",
        "Analysis", "Business support notes", "Decision", "Actions", "Next discussion", "Sign-off"]
    level_three = [text for style, text in first_family if style == "Heading 3"]
    assert level_three[:3] == ["Drug and alcohol recovery", "Domestic abuse: the adult who may pose a risk",
                               "Adult mental health"]
    assert level_three[3:8] == [h.label for h in AnalysisHeading]
    assert level_three[3] == "What is working well"  # strengths first


def test_meeting_attendance_and_family_facts():
    document = open_docx(saved(sample_record(1, kind=FAMILY)))
    body = texts(document)
    for line in ["Date and time: 22 November 2026 at 9:30am", "Team: Family Safeguarding Team North",
                 "Chair: Helen Brooks, Team manager", "Minute taker: Jenny Marsh, Business support officer",
                 "Case reference: FS-1042", "Plan: Child Protection"]:
        assert line in body
    attendance, children, previous, actions = document.tables
    assert table_rows(attendance)[0] == ["Name", "Role", "Attendance"]
    assert ["Ruth Ellison", "Mental health practitioner", "Apologies"] in table_rows(attendance)
    assert ["Tom Riley", "Child and family practitioner", "Late"] in table_rows(attendance)
    assert table_rows(children)[1] == ["Ava", "5 months", "Child Protection"]
    assert table_rows(previous)[0] == ["Action", "Owner", "Due date", "Outcome"]
    assert ["Ask the housing team about the application", "Tom Riley, Child and family practitioner",
            "8 November 2026", "Carried forward"] in table_rows(previous)
    assert table_rows(actions)[0] == ["Action", "Owner and role", "Due date"]
    assert table_rows(actions)[1] == ["Joint home visit about testing and the baby's routine",
                                      "Grace Whitfield, Recovery worker", "29 November 2026"]
    assert table_rows(actions)[3][0] == ("Ask the housing team about the application\n"
                                         "(Carried forward from 25 October 2026)")


def test_every_table_repeats_its_header_row_and_has_a_caption():
    document = open_docx(saved(sample_record(2)))
    assert len(document.tables) == 1 + 2 * 3
    for table in document.tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for row in table.rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))


def test_decision_sign_off_and_amendments():
    body = texts(open_docx(saved(sample_record(1, kind=FAMILY))))
    assert "Decision: Ava stays on the Child Protection plan." in body
    assert "Plan outcome: Continue the plan" in body
    assert "Signed off by Helen Brooks, Team manager, on 22 November 2026 at 10:05am" in body
    assert "Reason: The first wording left out that progress is being made." in body
    assert "Original wording: The risks have not reduced." in body
    assert "New wording: The risks have not reduced yet." in body
    assert "The family will next be discussed on 20 December 2026." in body


def test_specialist_lines_name_the_adult_and_stage_of_change():
    body = texts(open_docx(saved(sample_record(1, kind=FAMILY))))
    assert any(line.endswith("Mark Dunn, Domestic abuse officer. About Father. Stage of change: Pre-contemplation")
               for line in body)


def test_signed_off_record_is_final_and_marked_official_sensitive():
    document = open_docx(saved(sample_record(2)))
    assert header_text(document) == ("OFFICIAL-SENSITIVE\n"
                                      "Family Safeguarding Team North: group supervision minutes, 22 November 2026\n"
                                      "Amended or added to after sign-off")
    assert "DRAFT" not in "\n".join(texts(document))


def test_unsigned_record_says_draft_in_its_header():
    document = open_docx(saved(sample_record(1, kind=FAMILY, signed_off=False)))
    assert "DRAFT" in header_text(document) and "OFFICIAL-SENSITIVE" in header_text(document)
    assert "Not signed off: this decision is a draft and may change." in texts(document)


def test_minutes_are_draft_while_any_family_is_unsigned():
    record = sample_record(3)
    record.families[1] = sample_family(1, signed_off=False)
    assert "DRAFT" in header_text(open_docx(saved(record)))


def test_footer_has_marking_and_page_x_of_y_fields():
    document = open_docx(saved(sample_record(1)))
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert footer.paragraphs[1].text.startswith("Page ") and " of " in footer.paragraphs[1].text
    instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [node.get(qn("w:fldCharType")) for node in footer._element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_language_properties_font_and_page():
    document = open_docx(saved(sample_record(1, kind=FAMILY)))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
    properties = document.core_properties
    assert properties.language == "en-GB"
    assert properties.title == "Group supervision record: Harper family (FS-1042)"
    assert properties.subject == "Case file record: group supervision, Family Safeguarding Team North, 22 November 2026"
    assert properties.author == "Jenny Marsh"
    assert "python-docx" not in (properties.comments + properties.last_modified_by)
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Arial", 12)
    assert round(document.sections[0].page_width.mm) == 210


def test_empty_sections_say_so():
    empty = FamilyRecord(case_reference="FS-2000", name="Linden family", plan="Early Help", social_worker=None,
                         children=[], previous_actions=[], situation=[], perspectives=[], analysis=[], notes=" ",
                         decision=None, actions=[], next_discussion_on=None)
    record = replace(sample_record(0, kind=FAMILY), families=[empty], attendance=[])
    body = texts(open_docx(saved(record)))
    for sentence in ["No attendance was recorded.", "No children are recorded for this family.",
                     "No actions from the last discussion.", "Nothing was recorded about the family situation.",
                     "No specialist perspectives were recorded.", "No analysis was recorded.",
                     "No notes were taken.", "No decision has been recorded.", "No actions were agreed.",
                     "No date has been set for the next discussion.", "Allocated social worker: None recorded"]:
        assert sentence in body


def test_session_with_no_families_is_a_draft_that_says_so():
    document = open_docx(saved(sample_record(0, kind=SESSION)))
    assert "No families were on the agenda." in texts(document)
    assert "DRAFT" in header_text(document)


HOSTILE = ("<script>alert('x')</script> <w:p/> {{ session }} &amp; ]]> MERGEFIELD Name \x00\x01\x08\x0b\x0c\x1f"
           "\ud800\udfff\ufffe\uffff\r\nשלום, مرحبا بك\u200f (RTL)\n👩‍👩‍👧 👶🏽 \U0001F600\ttab")


def test_hostile_text_round_trips_into_a_valid_file():
    long_notes = ("Line of notes about the family with < and > & \"quotes\".\n" * 400)[:20_000]
    family = sample_family(0)
    family = replace(family, name="Harper <b>family</b>\x07", notes=HOSTILE + "\n" + long_notes,
                     decision=replace(family.decision, rationale=HOSTILE))
    data = saved(replace(sample_record(0, kind=FAMILY), families=[family]))
    document = open_docx(data)
    body = texts(document)
    assert clean(HOSTILE + "\n" + long_notes) in body
    assert "Rationale: " + clean(HOSTILE) in body
    assert ("Heading 1", "Harper <b>family</b> (FS-1042)") in headings(document)
    assert document.core_properties.title == "Group supervision record: Harper <b>family</b> (FS-1042)"
    assert "<script>" not in document.element.xml  # escaped, never markup
    assert len(clean(HOSTILE + "\n" + long_notes)) > 20_000


def test_contributions_keep_their_line_breaks_as_word_breaks():
    family = sample_family(0)
    situation = [replace(family.situation[0], text="First line\nSecond line\r\nThird line")]
    record = replace(sample_record(0, kind=FAMILY), families=[replace(family, situation=situation)])
    document = open_docx(saved(record))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("First line"))
    assert paragraph.text == "First line\nSecond line\nThird line\nPriya Shah, Child and family social worker"
    assert paragraph.style.name == "List Bullet"


def test_unsigned_decision_with_partial_sign_off_fields_is_not_called_signed():
    decision = DecisionRecord("Continue.", "Because.", None, signed_off_by=Person("Helen Brooks", "Team manager"))
    family = replace(sample_family(0), decision=decision)
    record = replace(sample_record(0, kind=FAMILY), families=[family],
                     produced_at=datetime(2026, 11, 22, 12, tzinfo=timezone.utc))
    document = open_docx(saved(record))
    assert record.draft and "DRAFT" in header_text(document)
    assert "Plan outcome: Not recorded" in texts(document)
