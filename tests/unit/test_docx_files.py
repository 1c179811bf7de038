"""File names are built by the server: date, team, cleaned case reference, kind. Never a path from user text."""
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

from supervision.export.files import find_record, record_filename, safe_part, write_record
from supervision.export.record import FAMILY
from supervision.export.retention import on_start_up, prune
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


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def test_records_and_the_folders_made_for_them_are_owner_only_whatever_the_umask(tmp_path):
    tmp_path.chmod(0o755)
    previous = os.umask(0)  # the most permissive a process could run with
    try:
        path = write_record(sample_record(0), tmp_path / "new" / "exports", "2026-11-22_north_x.docx")
    finally:
        os.umask(previous)
    assert _mode(path) == 0o600
    assert _mode(tmp_path / "new" / "exports") == 0o700 and _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path) == 0o755  # a folder that was there (an operator's --out) is left alone


def test_a_second_file_in_an_existing_folder_is_owner_only_too(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    path = write_record(sample_record(0), folder, "2026-11-22_north_x.docx")
    assert _mode(path) == 0o600


def test_the_export_folder_is_made_owner_only_at_start_up(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    on_start_up({"EXPORT_DIR": str(folder), "EXPORT_RETENTION_DAYS": 30})
    assert _mode(folder) == 0o700
    on_start_up({"EXPORT_DIR": str(tmp_path / "missing"), "EXPORT_RETENTION_DAYS": 30})
    assert _mode(tmp_path / "missing") == 0o700


def _aged(path, days: float, now: float):
    path.write_bytes(b"x")
    os.utime(path, (now - days * 86_400, now - days * 86_400))
    return path


def test_pruning_removes_only_record_files_older_than_the_retention_period(tmp_path):
    now = time.time()
    old = _aged(tmp_path / "2026-10-01_north_FS-1042_group-supervision.docx", 31, now)
    recent = _aged(tmp_path / "2026-11-01_north_FS-1042_group-supervision.docx", 29, now)
    other = _aged(tmp_path / "notes.txt", 400, now)
    keep = _aged(tmp_path / ".gitkeep", 400, now)
    (tmp_path / "old-folder.docx").mkdir()
    assert prune(tmp_path, 30, now=now) == [old]
    assert not old.exists() and recent.exists() and other.exists() and keep.exists()
    assert prune(tmp_path / "not-there", 30) == []


def test_pruning_never_follows_a_link_out_of_the_folder(tmp_path):
    now = time.time()
    outside = _aged(tmp_path / "outside.docx", 400, now)
    folder = tmp_path / "exports"
    folder.mkdir()
    link = folder / "2026-10-01_north_group-supervision-minutes.docx"
    link.symlink_to(outside)
    os.utime(link, (now - 400 * 86_400,) * 2, follow_symlinks=False)
    prune(folder, 30, now=now)
    assert outside.exists()


def test_the_wsgi_app_prunes_old_records_and_locks_the_folder_when_it_starts(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    now = time.time()
    old = _aged(folder / "2026-10-01_north_group-supervision-minutes.docx", 10, now)
    recent = _aged(folder / "2026-11-20_north_group-supervision-minutes.docx", 1, now)
    environment = {**os.environ, "EXPORT_DIR": str(folder), "EXPORT_RETENTION_DAYS": "5",
                   "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    subprocess.run([sys.executable, "-c", "import supervision.wsgi"], env=environment, check=True, timeout=120)
    assert not old.exists() and recent.exists()
    assert _mode(folder) == 0o700
