"""Typed text goes into Word exactly as typed, minus only what XML cannot hold."""
from docx import Document
from lxml import etree

from supervision.export.text import add_text, clean

FORBIDDEN = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + "\ud800\udfff\ufffe\uffff"


def test_clean_removes_only_what_xml_forbids():
    typed = f"Mia{FORBIDDEN} said\t\"no\" & <b>left</b> \u202eשלום مرحبا 👶🏽 \x7f\x85end"
    assert clean(typed) == "Mia said\t\"no\" & <b>left</b> \u202eשלום مرحبا 👶🏽 \x7f\nend"


def test_clean_makes_every_line_ending_one_newline():
    assert clean("one\r\ntwo\rthree\nfour\u2028five") == "one\ntwo\nthree\nfour\nfive"
    assert clean(None) == "" and clean("") == ""


def test_every_character_survives_xml_after_cleaning():
    everything = "".join(chr(c) for c in range(0x110000))
    cleaned = clean(everything)
    element = etree.Element("t")
    element.text = cleaned  # lxml raises ValueError on anything XML forbids
    assert etree.fromstring(etree.tostring(element, encoding="utf-8")).text == cleaned
    allowed = {chr(c) for c in [0x09, 0x0A, 0x0D, *range(0x20, 0xD800), *range(0xE000, 0xFFFE), *range(0x10000, 0x110000)]}
    line_endings = {"\r", "\x85", "\u2028", "\u2029"}  # kept, as newlines
    assert set(cleaned) == allowed - line_endings


def test_add_text_keeps_line_breaks_and_leaves_markup_as_text():
    paragraph = Document().add_paragraph()
    add_text(paragraph, "First line\r\nsecond <w:br/> line\n\nfourth\tafter a tab", bold=True)
    assert paragraph.text == "First line\nsecond <w:br/> line\n\nfourth\tafter a tab"
    xml = paragraph._p.xml
    assert xml.count("<w:br/>") == 3
    assert "&lt;w:br/&gt;" in xml
    assert all(run.bold for run in paragraph.runs)
