"""A letter to the family as an accessible Word document.

Large, plain type (Arial 14 point, headings larger), real headings (Heading 1 for the letter's
subject, Heading 2 for each part) so screen readers and the navigation pane see its structure,
lines starting "- " as a real bulleted list, and British English throughout.
"""
from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from docx.shared import Pt

from .docx_layout import new_document, save_fixed, styled_paragraph
from .letter import LetterContent
from .text import add_text, clean
from .wording import long_date

SIZES = {"Normal": 14, "Heading 1": 20, "Heading 2": 16, "List Bullet": 14}


def letter_title(met_on: datetime) -> str:
    return f"About our meeting on {long_date(met_on)}"


def write_letter(content: LetterContent, target: str | BinaryIO, *, title: str, author: str,
                 dated: datetime) -> None:
    document = new_document()
    for name, size in SIZES.items():
        document.styles[name].font.size = Pt(size)
    document.styles["Normal"].paragraph_format.space_after = Pt(10)
    document.styles["Normal"].paragraph_format.line_spacing = 1.2

    add_text(styled_paragraph(document, "Normal"), long_date(dated))
    add_text(styled_paragraph(document, "Heading 1"), title)
    add_text(styled_paragraph(document, "Normal"), content.greeting)
    _add_body(document, content.opening)
    for section in content.sections:
        if section.heading.strip():
            add_text(styled_paragraph(document, "Heading 2"), section.heading)
        _add_body(document, section.text)
    _add_body(document, content.closing)

    properties = document.core_properties
    properties.title = clean(title)
    properties.subject = "A letter to the family"
    properties.author = clean(author)
    properties.last_modified_by = clean(author)
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.created = dated.replace(microsecond=0)
    properties.modified = dated.replace(microsecond=0)
    properties.revision = 1
    save_fixed(document, target)


def _add_body(document, text: str) -> None:
    """Paragraphs split at blank lines; a run of lines starting '- ' is a bulleted list."""
    for block in clean(text).split("\n\n"):
        lines = [line for line in block.split("\n")]
        if not "".join(lines).strip():
            continue
        if all(line.lstrip().startswith("- ") for line in lines if line.strip()):
            for line in lines:
                if line.strip():
                    add_text(styled_paragraph(document, "List Bullet"), line.lstrip()[2:])
        else:
            add_text(styled_paragraph(document, "Normal"), block.strip("\n"))
