"""The change types and their fields: declared once (domain/changes.py), documented the same (docs/protocol.md)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from supervision.domain.changes import CHANGE_FIELDS, parse_change
from supervision.domain.errors import Invalid

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def documented_change_types() -> dict[str, set[str]]:
    """Section 6's table: each type with the field names its data column lists (values in brackets left out)."""
    section = PROTOCOL.read_text().split("## 6. Change types", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`\w+`", cells[0]):
            data = re.sub(r"\([^)]*\)", "", cells[2])
            rows[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", data))
    return rows


def test_the_protocol_documents_every_change_type_with_exactly_its_fields():
    documented = documented_change_types()
    assert set(documented) == set(CHANGE_FIELDS)
    for change_type, fields in CHANGE_FIELDS.items():
        assert documented[change_type] == set(fields), change_type


def test_fields_not_declared_are_dropped_and_declared_ones_typed():
    change_type, data = parse_change("edit_card", {"card_id": "12", "version": 3, "text": "Dad moved out.",
                                                   "author_id": 1, "session_id": 99})
    assert (change_type, data) == ("edit_card", {"card_id": 12, "version": 3, "text": "Dad moved out."})


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
