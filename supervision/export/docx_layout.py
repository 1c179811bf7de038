"""The parts of a Word record that are about the document, not the meeting.

Page, styles, language, marking, page numbers, properties and accessible tables,
using Word's built-in styles so the navigation pane and screen readers see the structure.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import BinaryIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .text import add_text, clean

MARKING = "OFFICIAL-SENSITIVE"
LANGUAGE = "en-GB"
FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
SIZES = {"Normal": 12, "Title": 24, "Heading 1": 18, "Heading 2": 15, "Heading 3": 13}
APPLICATION = "Group supervision"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"  # Word 2010's copy
# Every part of the package gets this time, so two saves of the same record are the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)
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
    _without_template_leftovers(document)
    return document


def _without_template_leftovers(document) -> None:
    """Drop what python-docx's template brings that says nothing true about this record: its
    thumbnail, its sample bibliography, the word processor and ids it was made with."""
    package = document.part.package
    for rels, kinds in ((package.rels, {RT.THUMBNAIL}), (document.part.rels, {RT.CUSTOM_XML, _STYLES_WITH_EFFECTS})):
        for key in [key for key, rel in rels.items() if rel.reltype in kinds]:
            del rels[key]
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML.encode("utf-8")
    settings = document.settings.element
    for name in ("w:rsids", "w:savePreviewPicture", "w14:docId"):
        for node in settings.findall(qn(name)):
            settings.remove(node)
    for style in document.styles.element.iter(qn("w:style")):
        for node in style.findall(qn("w:rsid")):
            style.remove(node)
    for section in document.element.body.iter(qn("w:sectPr")):
        for name in [name for name in section.attrib if name.startswith(qn("w:rsid"))]:
            del section.attrib[name]


def save_fixed(document, target: str | BinaryIO) -> None:
    """Save with every zip entry dated ZIP_TIME, so the same record always gives the same bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as fixed:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            fixed.writestr(entry, source.read(info.filename))


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
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].paragraph_format.keep_with_next = True  # never the last line of a page


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


def set_properties(document, *, title: str, subject: str, author: str, created: datetime, modified: datetime,
                   last_modified_by: str, revision: int) -> None:
    """Core properties. For a final record they come from its sign-off and later changes, not the export."""
    properties = document.core_properties
    properties.title = clean(title)
    properties.subject = clean(subject)
    properties.author = clean(author)
    properties.last_modified_by = clean(last_modified_by)
    properties.comments = ""
    properties.keywords = MARKING
    properties.category = MARKING
    properties.created = created.replace(microsecond=0)
    properties.modified = modified.replace(microsecond=0)
    properties.revision = revision


def mark_pages(document, *, draft: bool, running: list[str] = ()) -> None:
    """OFFICIAL-SENSITIVE in header and footer, DRAFT in the header, 'Page X of Y' in the footer.

    `running` lines follow the marking in the header of every page: which family (or team
    and date) the page belongs to, and whether it changed after sign-off.
    """
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(MARKING).bold = True
    if draft:
        header.add_run(" \u2013 ")
        header.add_run("DRAFT: not signed off").bold = True
    for line in running:
        paragraph = section.header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(paragraph, line)
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


def box(paragraphs) -> None:
    """Draw one box round consecutive paragraphs (Word joins equal borders): a border, not a
    layout table, so screen readers read the paragraphs as they are."""
    for paragraph in paragraphs:
        properties = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            line = OxmlElement(f"w:{side}")
            for name, value in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", "0B0C0C")):
                line.set(qn(f"w:{name}"), value)
            borders.append(line)
        properties.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                                         "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                                         "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                                         "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                                         "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                                         "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                                         "w:rPr", "w:sectPr", "w:pPrChange")


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
    _row_flag(header_row, "w:cantSplit")
    _row_flag(header_row, "w:tblHeader")
    for cell, text in zip(header_row.cells, headers):
        add_text(cell.paragraphs[0], text, bold=True)
    for values in rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")  # a row is read whole: it moves to the next page rather than split
        for cell, text in zip(row.cells, values):
            add_text(cell.paragraphs[0], text)
    document.add_paragraph()  # keeps the next heading clear of the table
    return table


def _row_flag(row, name: str) -> None:
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
