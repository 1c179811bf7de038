"""The change types: declared once (services/board/registry.py), documented the same (docs/protocol.md)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from supervision.domain.errors import Invalid
from supervision.domain.permissions import Permission
from supervision.services.board.registry import CHANGES, change_type as parse_change, for_browser

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _section(heading: str) -> str:
    return PROTOCOL.read_text().split(heading, 1)[1].split("\n## ", 1)[0]


def _table(text: str, first_header: str) -> list[dict[str, str]]:
    """The rows of the markdown table whose first header is `first_header`, as header -> cell."""
    rows, headers = [], None
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            if headers:
                break
            continue
        if headers is None:
            if cells[0] == first_header:
                headers = cells
        elif not set("".join(cells)) <= set("-"):
            rows.append(dict(zip(headers, cells)))
    return rows


def _names(cell: str) -> set[str]:
    """The field names a cell lists in backticks, leaving out values given in brackets."""
    return set(re.findall(r"`(\w+)`", re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", cell)))


def documented_change_types() -> dict[str, dict]:
    rows = _table(_section("## 6. Change types"), "type")
    return {row["type"].strip("`"): {
        "permission": row["permission"].split()[0].strip("`"),
        "required": _names(row["required"]),
        "optional": _names(row["optional"]),
        "versioned": row["versioned"] == "yes",
        "event": row["event type"].split()[0].strip("`"),
    } for row in rows}


def test_the_protocol_documents_every_change_type_as_the_registry_declares_it():
    documented = documented_change_types()
    assert set(documented) == set(CHANGES)
    for name, kind in CHANGES.items():
        doc = documented[name]
        assert doc["required"] == set(kind.required), name
        assert doc["required"] | doc["optional"] == set(kind.fields), name
        assert doc["permission"] == kind.permission.value, name
        assert doc["versioned"] == kind.versioned, name
        assert doc["event"] == kind.event, name


def test_the_protocol_lists_every_permission_value():
    rows = _table(_section("## 6. Change types").split("### Permission values", 1)[1], "permission")
    assert [row["permission"].strip("`") for row in rows] == [p.value for p in Permission]


def test_the_page_script_is_told_each_change_type_as_declared():
    sent = for_browser()
    assert set(sent) == set(CHANGES)
    assert sent["sign_off"] == {"event": "decision.signed_off", "done": "The decision is signed off.",
                                "permission": "sign_off", "fields": ["item_id", "version"],
                                "required": ["version"], "versioned": True}
    assert sent["add_card"]["versioned"] is False


def test_a_required_field_left_out_is_refused_by_name():
    with pytest.raises(Invalid) as refused:
        parse_change("amend_decision", {"version": 2, "field": "rationale", "text": "New"})
    assert set(refused.value.fields) == {"reason"}


def test_a_required_field_sent_empty_goes_on_to_the_rules():
    kind, data = parse_change("add_card", {"stage": "situation", "text": ""})
    assert (kind.name, data) == ("add_card", {"stage": "situation", "text": ""})


def test_fields_not_declared_are_dropped_and_declared_ones_typed():
    kind, data = parse_change("edit_card", {"card_id": "12", "version": 3, "text": "Dad moved out.",
                                            "author_id": 1, "session_id": 99})
    assert (kind.name, data) == ("edit_card", {"card_id": 12, "version": 3, "text": "Dad moved out."})


@pytest.mark.parametrize("change_type, data, field", [
    ("edit_card", {"card_id": 2**64}, "card_id"),
    ("edit_card", {"card_id": float("inf")}, "card_id"),
    ("edit_card", {"card_id": True}, "card_id"),
    ("edit_card", {"card_id": "0x10"}, "card_id"),
    ("edit_card", {"card_id": 0}, "card_id"),
    ("edit_card", {"card_id": 1, "version": -1}, "version"),
    ("edit_card", {"card_id": 1, "version": 1.5}, "version"),
    ("edit_card", {"card_id": 1, "text": 42}, "text"),
    ("move", {"next": "maybe"}, "next"),
    ("add_card", {"stage": ["situation"]}, "stage"),
    ("add_card", {"stage": "x" * 61}, "stage"),
])
def test_malformed_values_name_their_field(change_type, data, field):
    with pytest.raises(Invalid) as refused:
        parse_change(change_type, data)
    assert set(refused.value.fields) == {field}


@pytest.mark.parametrize("change_type", [None, 3, ["add_card"], "drop_table", "x" * 10_000])
def test_an_unknown_change_type_is_invalid(change_type):
    with pytest.raises(Invalid) as refused:
        parse_change(change_type, {})
    assert set(refused.value.fields) == {"type"}
    assert len(refused.value.message) < 100


def test_data_that_is_not_an_object_is_invalid():
    with pytest.raises(Invalid) as refused:
        parse_change("add_card", ["stage", "situation"])
    assert set(refused.value.fields) == {"data"}


def test_every_change_feed_sentence_names_the_person_and_the_family():
    facts = {"actor": "Priya Shah", "family": "Harper family", "stage": "analysis", "heading": "worries",
             "outcome": "done", "owner": "Tom Riley", "field": "rationale"}
    for name, kind in CHANGES.items():
        sentence = kind.summary(facts)
        assert sentence.startswith("Priya Shah "), name
        assert "Harper family" in sentence or name == "close_session", name
    assert CHANGES["add_card"].summary(facts) == "Priya Shah added to the Harper family's analysis: what we are worried about"
