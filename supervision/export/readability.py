"""How easy a piece of writing is to read, as a reading age (textstat, British English).

The reading age is the Flesch-Kincaid grade plus five, as reading ages are usually given in
England (grade 1 is read at about six). A letter is compared with a target the authority sets
(LETTER_READING_AGE_TARGET); it is a guide beside the writing, never a gate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import textstat

LANGUAGE = "en_GB"
GRADE_TO_AGE = 5
_LIST_MARK = re.compile(r"^\s*[-*\u2022]\s*", re.MULTILINE)

_measure = textstat.textstat.__class__()  # its own instance: the language set here touches no one else's
_measure.set_lang(LANGUAGE)


@dataclass(frozen=True)
class Readability:
    reading_age: int | None  # None when there is too little writing to measure
    reading_ease: float | None  # Flesch reading ease: 60 and over is plain English
    words: int
    target: int

    @property
    def within_target(self) -> bool:
        return self.reading_age is not None and self.reading_age <= self.target

    @property
    def summary(self) -> str:
        if self.reading_age is None:
            return "There is not enough writing yet to measure how easy it is to read."
        verdict = "within" if self.within_target else "above"
        return (f"Reading age about {self.reading_age}: {verdict} the target of {self.target} "
                f"({self.words} words).")


def _sentences(text: str) -> str:
    """Each line of a list counts as a sentence, as a reader takes it."""
    lines = [_LIST_MARK.sub("", line).strip() for line in text.splitlines()]
    return " ".join(line if line.endswith((".", "!", "?", ":")) else f"{line}." for line in lines if line)


def measure(text: str, target: int) -> Readability:
    prose = _sentences(text or "")
    words = _measure.lexicon_count(prose)
    if words < 10:
        return Readability(None, None, words, target)
    grade = _measure.flesch_kincaid_grade(prose)
    return Readability(max(5, round(grade) + GRADE_TO_AGE), _measure.flesch_reading_ease(prose), words, target)
