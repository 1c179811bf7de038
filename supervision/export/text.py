"""Text a person typed, made safe for a Word file without changing what they wrote."""
from __future__ import annotations

from ..domain.wording import clean


def add_text(paragraph, text: str | None, *, bold: bool = False, italic: bool = False):
    """Append typed text to a python-docx paragraph exactly as typed: line breaks become Word line breaks.

    python-docx escapes the characters itself, so markup in the text stays text.
    """
    lines = clean(text).split("\n")
    runs = [paragraph.add_run(lines[0])]
    for line in lines[1:]:
        runs[-1].add_break()
        runs.append(paragraph.add_run(line))
    for run in runs:
        if bold:
            run.bold = True
        if italic:
            run.italic = True
    return runs[-1]
