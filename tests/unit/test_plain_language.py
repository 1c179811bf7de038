"""The plain-language matcher, on the table of sentences the browser's module is tested on too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from supervision.domain.plain_language import (
    DEFAULTS, KIND_LABELS, Phrase, PhraseList, clean_forms, looks_like_an_abbreviation,
)

CASES = json.loads((Path(__file__).resolve().parents[2] / "static/js/tests/plain-language-cases.json")
                   .read_text("utf-8"))["cases"]
LISTED = PhraseList(DEFAULTS)


@pytest.mark.parametrize("case", CASES, ids=[case["why"] for case in CASES])
def test_the_matcher_finds_what_the_table_says(case):
    assert [prompt.key for prompt in LISTED.find(case["text"])] == case["found"]


def test_a_prompt_says_where_the_phrase_is_and_as_it_was_typed():
    text = "On Monday Mia\nFailed to  engage."
    (prompt,) = LISTED.find(text)
    assert prompt.found == "Failed to  engage"
    assert text[prompt.start:prompt.end] == prompt.found
    assert prompt.phrase.why and prompt.phrase.instead


def test_standing_names_each_phrase_once():
    prompts = LISTED.standing("Chaotic. Still chaotic, and the CP plan is CP.")
    assert [prompt.key for prompt in prompts] == ["chaotic", "cp"]


def test_the_list_ships_at_least_40_entries_each_with_a_reason_and_an_alternative():
    assert len(DEFAULTS) >= 40
    assert len({phrase.key for phrase in DEFAULTS}) == len(DEFAULTS)
    for phrase in DEFAULTS:
        assert phrase.kind in KIND_LABELS, phrase.key
        assert phrase.forms and all(form.strip() for form in phrase.forms), phrase.key
        assert len(phrase.why) > 20 and len(phrase.instead) > 10, phrase.key


def test_the_issue_examples_are_all_listed():
    examples = ["failed to engage", "non-compliant", "refused to", "hard to reach", "chose not to", "manipulative",
                "concerns were raised", "some issues", "CiN", "CP", "LAC", "PLO", "DA", "MH", "S47", "ICPC"]
    for example in examples:
        assert LISTED.find(f"Here: {example}."), example


def test_every_listed_form_is_found_as_written_and_only_outside_quotes():
    for phrase in DEFAULTS:
        alone = PhraseList([phrase])
        for form in phrase.forms:
            assert [p.key for p in alone.find(f"We noted {form} today.")] == [phrase.key], form
            assert alone.find(f'Mia said "{form}" today.') == [], form


def test_a_teams_own_phrase_is_cleaned_and_abbreviations_keep_their_case():
    assert clean_forms(" no  recourse ,\nNRPF\n\nno recourse") == ("no recourse", "NRPF")
    assert looks_like_an_abbreviation(("NRPF", "CiN"))
    assert not looks_like_an_abbreviation(("no recourse",))
    own = PhraseList([Phrase("own", "acronym", ("NRPF",), "why not", "say it", match_case=True, custom=True)])
    assert [p.found for p in own.find("NRPF and nrpf")] == ["NRPF"]
