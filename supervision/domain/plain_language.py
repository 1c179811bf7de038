"""Gentle plain-language prompts: which listed phrases a piece of writing uses, and what to say instead.

The defaults are data (plain_language.json beside this file); a team adds its own and switches
defaults off (services/plain_language.py). Matching:

- ignores case, except for entries marked match_case (abbreviations: "CP" but not "cp");
- takes a plural ending on the last word ("some issues" for "some issue");
- lets any run of spaces, line breaks or hyphens stand between words ("hard-to-reach");
- never fires inside a longer word ("scraped" never hits "CP", "de-escalated" never hits "escalated");
- leaves alone what is quoted from the family, between straight or curly quotation marks.

The browser finds phrases the same way (static/js/board-prompts.js builds the same patterns from
the same entries); both are tested on one table of sentences, static/js/tests/plain-language-cases.json.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

# A letter, digit or underscore on either side means the phrase is part of a longer word.
WORD_CHAR = "A-Za-z0-9_\u00c0-\u024f"
START = f"(?<![{WORD_CHAR}])(?<![{WORD_CHAR}][\\-\u2010\u2011])"  # nor after a prefix: "de-escalate"
END = f"(?![{WORD_CHAR}])"
BETWEEN = "[\\s\\-\u2010\u2011\u2013]+"  # spaces, line breaks, hyphens, en dash
PLURAL = "(?:s|es)?"
_ESCAPE = re.compile(r"([.*+?^${}()|\[\]\\/])")

# Quoted from the family: "...", “...”, ‘...’ and '...'. A single quote opens only where a word
# could start and closes only where one ends, so apostrophes (Mia's, didn’t) are not quotes.
QUOTED = re.compile(
    "\"[^\"]*\""
    "|\u201c[^\u201d]*\u201d"
    f"|(?<![{WORD_CHAR}])[\u2018'](?=\\S)[\\s\\S]*?(?<=\\S)[\u2019'](?![{WORD_CHAR}])"
)

KIND_LABELS: dict[str, str] = {}
MAX_FORMS = 12
MAX_FORM_LENGTH = 80


@dataclass(frozen=True)
class Phrase:
    """One listed phrase: the forms it takes, why it is worth another look, and what to say instead."""

    key: str
    kind: str
    forms: tuple[str, ...]
    why: str
    instead: str
    match_case: bool = False
    custom: bool = False  # added by the team rather than shipped

    @property
    def label(self) -> str:
        return self.forms[0]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.capitalize())

    @property
    def pattern(self) -> str:
        alternatives = "|".join(_form_pattern(form) for form in sorted(self.forms, key=len, reverse=True))
        return f"{START}(?:{alternatives}){PLURAL}{END}"

    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, 0 if self.match_case else re.IGNORECASE)

    def for_browser(self) -> dict:
        return {"key": self.key, "label": self.label, "kind": self.kind_label, "why": self.why,
                "instead": self.instead, "forms": list(self.forms), "match_case": self.match_case}


@dataclass(frozen=True)
class Prompt:
    """A listed phrase found in a piece of writing, where it was and what it said."""

    phrase: Phrase
    found: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.phrase.key


@dataclass
class PhraseList:
    phrases: list[Phrase] = field(default_factory=list)

    def __post_init__(self):
        self._compiled = [(phrase, phrase.compiled()) for phrase in self.phrases]

    def __len__(self) -> int:
        return len(self.phrases)

    def find(self, text: str | None) -> list[Prompt]:
        """Every listed phrase in the text outside quotations, in the order they appear."""
        if not text:
            return []
        quoted = quoted_spans(text)
        prompts = []
        for phrase, pattern in self._compiled:
            for match in pattern.finditer(text):
                if not any(start <= match.start() and match.end() <= end for start, end in quoted):
                    prompts.append(Prompt(phrase, match.group(0), match.start(), match.end()))
        return sorted(prompts, key=lambda prompt: (prompt.start, -prompt.end))

    def standing(self, text: str | None) -> list[Prompt]:
        """The first use of each listed phrase: one prompt per phrase, whatever the times it is used."""
        seen: set[str] = set()
        first = []
        for prompt in self.find(text):
            if prompt.key not in seen:
                seen.add(prompt.key)
                first.append(prompt)
        return first

    def for_browser(self) -> list[dict]:
        return [phrase.for_browser() for phrase in self.phrases]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in QUOTED.finditer(text)]


def _form_pattern(form: str) -> str:
    words = [word for word in re.split(BETWEEN, form.strip()) if word]
    return BETWEEN.join(_ESCAPE.sub(r"\\\1", word) for word in words)


def clean_forms(text: str) -> tuple[str, ...]:
    """The forms a person typed for a phrase of their own: one a line (or comma-separated), blanks dropped."""
    forms = []
    for part in re.split(r"[\n,]", text or ""):
        form = " ".join(part.split())
        if form and form.casefold() not in {each.casefold() for each in forms}:
            forms.append(form[:MAX_FORM_LENGTH])
    return tuple(forms[:MAX_FORMS])


def looks_like_an_abbreviation(forms: tuple[str, ...]) -> bool:
    """Forms such as 'CP' or 'CiN' are matched with their case, so ordinary words are left alone."""
    return bool(forms) and all(" " not in form and len(form) <= 6 and sum(ch.isupper() for ch in form) >= 2
                               for form in forms)


def _load() -> tuple[dict[str, str], list[Phrase]]:
    data = json.loads(resources.files(__package__).joinpath("plain_language.json").read_text("utf-8"))
    phrases = [Phrase(entry["key"], entry["kind"], tuple(entry["forms"]), entry["why"], entry["instead"],
                      bool(entry.get("match_case", False))) for entry in data["phrases"]]
    return data["kinds"], phrases


KIND_LABELS, DEFAULTS = _load()
DEFAULT_KEYS = {phrase.key: phrase for phrase in DEFAULTS}


def kind_choices() -> list[tuple[str, str]]:
    return list(KIND_LABELS.items())
