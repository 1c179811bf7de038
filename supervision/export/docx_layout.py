"""The parts of a Word record that are about the document, not the meeting.

Page, styles, language, marking, page numbers, properties and accessible tables,
using Word's built-in styles so the navigation pane and screen readers see the structure.
"""
from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .text import add_text, clean

MARKING = "OFFICIAL-SENSITIVE"
LANGUAGE = "en-GB"
FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
SIZES = {"Normal": 12, "Title": 24, "Heading 1": 18, "Heading 2": 15, "Heading 3": 13}
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def new_document():
    """An A4 document with plain, readable built-in styles in British English."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    _plain_styles(document)
    _british_english(document)
    return document


def _plain_styles(document) -> None:
    document.styles["Normal"].font.name = FONT
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
    for name, size in SIZES.items():
        style = document.styles[name]
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = TEXT_COLOUR
            style.font.bold = name != "Title"
    document.styles["Normal"].paragraph_format.space_after = Pt(6)


def _british_english(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    for lang in document.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), LANGUAGE)
    document.core_properties.language = LANGUAGE


_STYLE_IDS: dict[str, str] = {}  # every record starts from python-docx's template, so the ids never change


def _style_id(document, name: str) -> str:
    """Looked up once: python-docx searches every style on each add_paragraph(style=name), and a
    record of eight families spent most of its time there."""
    if name not in _STYLE_IDS:
        _STYLE_IDS[name] = document.styles[name].style_id
    return _STYLE_IDS[name]


def styled_paragraph(document, style: str):
    """A new paragraph in one of Word's built-in styles (Title, Heading 1-3, List Bullet...)."""
    paragraph = document.add_paragraph()
    paragraph._p.get_or_add_pPr().style = _style_id(document, style)
    return paragraph


def set_properties(document, *, title: str, subject: str, author: str, when: datetime) -> None:
    properties = document.core_properties
    properties.title = clean(title)
    properties.subject = clean(subject)
    properties.author = clean(author)
    properties.last_modified_by = clean(author)
    properties.comments = ""
    properties.keywords = MARKING
    properties.category = MARKING
    properties.created = properties.modified = when.replace(microsecond=0)
    properties.revision = 1


def mark_pages(document, *, draft: bool) -> None:
    """OFFICIAL-SENSITIVE in header and footer, DRAFT in the header, 'Page X of Y' in the footer."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(MARKING).bold = True
    if draft:
        header.add_run(" \u2013 ")
        header.add_run("DRAFT: not signed off").bold = True
    footer = section.footer
    marking = footer.paragraphs[0]
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run(MARKING).bold = True
    pages = footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pages.add_run("Page ")
    add_field(pages, "PAGE", "1")
    pages.add_run(" of ")
    add_field(pages, "NUMPAGES", "1")


def add_field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the pages."""

    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run_with(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_table(document, caption: str, headers: list[str], rows: list[list[str]]):
    """A bordered table whose header row repeats on every page, with a caption for screen readers."""
    table = document.add_table(rows=1, cols=len(headers))
    table._tbl.tblPr.style = _style_id(document, "Table Grid")
    title = OxmlElement("w:tblCaption")  # the table's title in Word's Alt Text, read by screen readers
    title.set(qn("w:val"), clean(caption))
    table._tbl.tblPr.append(title)
    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header_row.cells, headers):
        add_text(cell.paragraphs[0], text, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            add_text(cell.paragraphs[0], text)
    document.add_paragraph()  # keeps the next heading clear of the table
    return table
