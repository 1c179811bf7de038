"""What a record keeps at sign-off: ages at the session date, record data to JSON and back, and when it last changed."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from supervision.domain.wording import age_on
from supervision.export import frozen
from supervision.export.record import FAMILY, AddedEntry, FamilyRecord, Person, RecordData
from supervision.export.sample import sample_family, sample_record

SESSION_DAY = date(2026, 11, 22)


def test_a_childs_age_is_said_as_people_say_it_on_the_session_date():
    for born, expected in [(date(2026, 11, 20), "Under a week old"), (date(2026, 11, 1), "3 weeks"),
                           (date(2026, 10, 22), "1 month"), (date(2026, 6, 23), "4 months"),
                           (date(2026, 6, 22), "5 months"), (date(2024, 11, 23), "23 months"),
                           (date(2024, 11, 22), "2 years"), (date(2017, 2, 28), "9 years"),
                           (date(2027, 1, 5), "Not born yet (due 5 January 2027)")]:
        assert age_on(born, SESSION_DAY) == expected, born


def test_an_age_at_the_session_stays_that_age_when_read_later():
    born = date(2026, 6, 10)
    assert age_on(born, SESSION_DAY) == "5 months"
    assert age_on(born, SESSION_DAY + timedelta(days=400)) != "5 months"  # why records never use today


def test_a_leap_day_birthday_counts_whole_months():
    assert age_on(date(2024, 2, 29), date(2026, 2, 28)) == "23 months"
    assert age_on(date(2024, 2, 29), date(2026, 3, 1)) == "2 years"


def test_a_family_record_survives_json_unchanged():
    family = replace(sample_family(1), adults=["Mia (Mother)"], added_after_sign_off=[
        AddedEntry("The test result came back clear.", Person("Jenny Marsh", "Business support officer"),
                   datetime(2026, 11, 23, 10, tzinfo=timezone.utc))])
    stored = json.loads(json.dumps(frozen.dump(family)))  # exactly what the database column holds
    assert frozen.load(FamilyRecord, stored) == family


def test_an_unsigned_family_and_empty_parts_survive_json_too():
    family = replace(sample_family(0, signed_off=False), social_worker=None, next_discussion_on=None, children=[])
    assert frozen.load(FamilyRecord, json.loads(json.dumps(frozen.dump(family)))) == family


def test_a_final_records_moments_come_from_sign_off_and_later_changes_not_from_the_export():
    record = sample_record(2, kind=FAMILY)
    first, second = record.families
    created, modified, who, revision = record.final_as_at
    assert created == first.decision.signed_off_at
    last_amendment = max(a.at for f in record.families for a in f.decision.amendments)
    assert modified == last_amendment and who == second.decision.amendments[-1].author
    assert revision == 2 + 2  # each sign-off and each amendment
    later = replace(record, produced_at=record.produced_at + timedelta(days=90), produced_by="Someone else")
    assert later.final_as_at == record.final_as_at


def test_a_draft_has_no_final_moments():
    assert sample_record(1, kind=FAMILY, signed_off=False).final_as_at is None


def test_what_changed_after_sign_off_is_said_in_the_headers_words():
    family = sample_family(0)
    assert family.changed_after_sign_off == "Amended after sign-off"
    entry = AddedEntry("Later news.", Person("Jenny Marsh"), family.decision.signed_off_at + timedelta(hours=2))
    assert replace(family, added_after_sign_off=[entry]).changed_after_sign_off == (
        "Amended and added to after sign-off")
    plain = replace(family, decision=replace(family.decision, amendments=[]))
    assert plain.changed_after_sign_off is None
    assert replace(plain, added_after_sign_off=[entry]).changed_after_sign_off == "Added to after sign-off"
    assert replace(plain, added_after_sign_off=[entry]).last_changed == (entry.at, entry.author)


def test_record_data_with_no_families_is_a_draft():
    record = RecordData(kind=FAMILY, team="T", starts_at=datetime(2026, 11, 22, tzinfo=timezone.utc),
                        chair=Person("A"), minute_taker=Person("B"), attendance=[], families=[],
                        produced_at=datetime(2026, 11, 22, tzinfo=timezone.utc))
    assert record.draft and record.final_as_at is None
