"""How a record reads as a document, checked in its XML: running header, decision box, sign-off block,
pages that do not split a row or strand a heading, and properties that say only what is true."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import timedelta

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from supervision.export.docx_layout import APPLICATION
from supervision.export.record import FAMILY, AddedEntry, Person
from supervision.export.sample import sample_family, sample_record
from tests.unit.test_docx_writer import header_text, open_docx, package_text, saved, texts

SIDES = ("top", "left", "bottom", "right")


def body_paragraphs(document) -> list[Paragraph]:
    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]


def boxed(paragraph: Paragraph) -> bool:
    borders = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
    return borders is not None and all(
        borders.find(qn(f"w:{side}")) is not None and borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"
        for side in SIDES)


def starting(document, prefix: str) -> list[Paragraph]:
    return [p for p in body_paragraphs(document) if p.text.startswith(prefix)]


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_every_page_of_a_family_record_names_the_family_and_case_reference():
    document = open_docx(saved(sample_record(1, kind=FAMILY)))
    assert header_text(document).splitlines()[:2] == ["OFFICIAL-SENSITIVE", "Harper family, case reference FS-1042"]
    assert len(document.sections) == 1  # one section: its header is on every page


def test_the_minutes_header_names_the_team_and_date():
    document = open_docx(saved(sample_record(2, signed_off=False)))
    assert header_text(document).splitlines() == [
        "OFFICIAL-SENSITIVE \u2013 DRAFT: not signed off",
        "Family Safeguarding Team North: group supervision minutes, 22 November 2026"]


def test_the_header_says_when_a_final_record_changed_after_sign_off():
    family = sample_family(0)
    plain = replace(family, decision=replace(family.decision, amendments=[]))
    record = replace(sample_record(0, kind=FAMILY), families=[plain])
    assert "after sign-off" not in header_text(open_docx(saved(record)))
    entry = AddedEntry("The test result came back clear.", Person("Jenny Marsh", "Business support officer"),
                       plain.decision.signed_off_at + timedelta(days=2))
    added = replace(record, families=[replace(plain, added_after_sign_off=[entry])])
    document = open_docx(saved(added))
    assert header_text(document).splitlines()[-1] == "Added to after sign-off"
    body = texts(document)
    assert "Added after sign-off by Jenny Marsh, Business support officer on 24 November 2026 at 10:05am" in body
    assert "The test result came back clear." in body
    amended = replace(added, families=[replace(added.families[0], decision=family.decision)])
    assert header_text(open_docx(saved(amended))).splitlines()[-1] == "Amended and added to after sign-off"


def test_the_decision_stands_in_a_box():
    document = open_docx(saved(sample_record(1, kind=FAMILY)))
    decision = [starting(document, prefix)[0] for prefix in ("Decision: ", "Rationale: ", "Plan outcome: ",
                                                             "Signed off by Helen Brooks, Team manager, on")]
    assert all(boxed(p) for p in decision)
    # Consecutive paragraphs: one box, with nothing unboxed inside it.
    paragraphs = body_paragraphs(document)
    indexes = [next(i for i, p in enumerate(paragraphs) if p._p is d._p) for d in decision]
    assert indexes == list(range(indexes[0], indexes[0] + 4))
    assert not boxed(paragraphs[indexes[0] - 1]) and not boxed(paragraphs[indexes[-1] + 1])
    assert not any(boxed(p) for p in starting(document, "Case reference: "))


def test_a_sign_off_block_closes_each_familys_record():
    document = open_docx(saved(sample_record(2)))
    paragraphs = body_paragraphs(document)
    for family, next_heading in [(0, "Quill family (FS-1043)"), (1, None)]:
        sign_offs = [i for i, p in enumerate(paragraphs) if p.style.name == "Heading 2" and p.text == "Sign-off"]
        start = sign_offs[family]
        block = paragraphs[start + 1:start + 5]
        assert [p.text.split(": ")[0] for p in block] == ["Signed off by", "Role", "Date and time", "After sign-off"]
        assert block[1].text == "Role: Team manager" and all(boxed(p) for p in block)
        following = [p for p in paragraphs[start + 5:] if p.text.strip()]
        if next_heading is None:
            assert following == []
        else:
            assert (following[0].style.name, following[0].text) == ("Heading 1", next_heading)


def test_an_unsigned_record_ends_saying_it_is_not_signed_off():
    document = open_docx(saved(sample_record(1, kind=FAMILY, signed_off=False)))
    last = [p.text for p in body_paragraphs(document) if p.text.strip()][-2:]
    assert last == ["Sign-off", "Not signed off. This record is a draft and may change."]


def test_headings_keep_with_what_follows():
    document = open_docx(saved(sample_record(1, kind=FAMILY)))
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].paragraph_format.keep_with_next is True, name
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)


def test_table_rows_never_split_across_pages():
    document = open_docx(saved(sample_record(2)))
    rows = [row for table in document.tables for row in table.rows]
    assert len(rows) > 10
    for row in rows:
        flag = row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
        assert flag is not None and flag.get(qn("w:val")) == "true"


def test_no_metadata_is_left_from_the_template_and_the_application_is_named_honestly():
    data = saved(sample_record(1, kind=FAMILY))
    names = set(parts(data))
    assert "docProps/thumbnail.jpeg" not in names
    assert not any(name.startswith("customXml/") for name in names)
    everything = package_text(data)
    for leftover in ("python-docx", "Macintosh", "Normal.dotm", "2013-12-23", "w:rsid", "docId"):
        assert leftover not in everything, leftover
    app = parts(data)["docProps/app.xml"].decode()
    assert f"<Application>{APPLICATION}</Application>" in app and APPLICATION == "Group supervision"
    for claim in ("Microsoft", "Template", "AppVersion", "Company", "TotalTime"):
        assert claim not in app, claim


def test_a_final_records_properties_come_from_its_sign_off_and_last_change():
    record = sample_record(2, kind=FAMILY)
    properties = open_docx(saved(record)).core_properties
    created, modified, who, revision = record.final_as_at
    assert properties.created == created.replace(microsecond=0)
    assert properties.modified == modified.replace(microsecond=0)
    assert (properties.last_modified_by, properties.revision) == (who.name, revision)
    assert properties.author == "Jenny Marsh"
    assert "Record as it stood on: 23 November 2026 at 10:30am" in texts(open_docx(saved(record)))


def test_two_exports_of_a_final_record_are_the_same_bytes_whenever_they_are_made():
    record = sample_record(2, kind=FAMILY)
    later = replace(record, produced_at=record.produced_at + timedelta(days=200), produced_by="Another person")
    first, second = saved(record), saved(later)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_draft_says_when_and_by_whom_it_was_produced():
    record = sample_record(1, kind=FAMILY, signed_off=False)
    document = open_docx(saved(record))
    assert document.core_properties.created == record.produced_at
    assert "Record produced: 22 November 2026 at 3:10pm by Jenny Marsh" in texts(document)
