"""File names are built by the server: date, team, cleaned case reference, kind. Never a path from user text."""
import re
from datetime import datetime, timezone

from supervision.export.files import find_record, record_filename, safe_part, write_record
from supervision.export.record import FAMILY
from supervision.export.sample import sample_record

SAFE = re.compile(r"^[A-Za-z0-9_-]+\.docx$")
NOVEMBER = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def test_names_for_a_family_record_and_the_minutes():
    assert record_filename(NOVEMBER, "north", "FS-1042") == "2026-11-22_north_FS-1042_group-supervision.docx"
    assert record_filename(NOVEMBER, "north") == "2026-11-22_north_group-supervision-minutes.docx"


def test_the_date_is_the_session_date_in_england():
    late_summer_evening = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)  # 00:30 on 1 July in London
    assert record_filename(late_summer_evening, "north").startswith("2026-07-01_")


def test_hostile_case_references_are_cleaned_to_letters_digits_and_hyphens():
    for typed, expected in [("../../etc/passwd", "etc-passwd"), ("FS 1042<script>", "FS-1042-script"),
                            ("FS/1042\\..\x00", "FS-1042"), ("שלום 👶", "family"), ("", "family"),
                            ("A" * 200, "A" * 40)]:
        assert safe_part(typed, "family") == expected
        name = record_filename(NOVEMBER, "North Team/..", typed)
        assert SAFE.match(name), name
        assert name.startswith("2026-11-22_north-team_")


def test_a_second_export_gets_a_new_name_and_the_first_is_kept(tmp_path):
    record = sample_record(1, kind=FAMILY)
    target = tmp_path / "exports" / "nested"
    first = write_record(record, target, "2026-11-22_north_FS-1042_group-supervision.docx")
    second = write_record(record, target, "2026-11-22_north_FS-1042_group-supervision.docx")
    assert first.name == "2026-11-22_north_FS-1042_group-supervision.docx"
    assert second.name == "2026-11-22_north_FS-1042_group-supervision-2.docx"
    assert first.stat().st_size > 0 and second.stat().st_size > 0


def test_names_already_logged_elsewhere_are_not_reused(tmp_path):
    record = sample_record(0)
    logged = {"2026-11-22_north_group-supervision-minutes.docx",
              "2026-11-22_north_group-supervision-minutes-2.docx"}
    path = write_record(record, tmp_path, "2026-11-22_north_group-supervision-minutes.docx",
                        name_taken=logged.__contains__)
    assert path.name == "2026-11-22_north_group-supervision-minutes-3.docx"


def test_finding_a_file_accepts_only_server_made_names(tmp_path):
    (tmp_path / "2026-11-22_north_group-supervision-minutes.docx").write_bytes(b"x")
    (tmp_path.parent / "outside.docx").write_bytes(b"x")
    assert find_record(tmp_path, "2026-11-22_north_group-supervision-minutes.docx") is not None
    assert find_record(tmp_path, "../outside.docx") is None
    assert find_record(tmp_path, "/etc/passwd") is None
    assert find_record(tmp_path, "missing.docx") is None
