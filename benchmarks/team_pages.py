"""Server time of the team home (the team at a glance) and a family page with a year of history.

The demo is loaded with North's year of history (supervision/demo_history.py: 26 sessions, 104
signed discussions, 11 families), then each page is requested in-process by the Flask test client,
so the figure is the server's work alone. The baseline is the sign-in page in the same run (a small
form, no database query); the team home is also compared with the plain families list, and must stay
under 3x it. The team home is timed as the team manager (the figures, the lists and their audit row)
and as a practitioner (their own actions and families); the family page as a social worker.

Run: python -m benchmarks.team_pages [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import time

from . import harness

PASSWORD = "bench-password-long-enough"
LIMIT = 3.0  # the team home, as a multiple of the families list


def interleaved(requests: dict, repeat: int, clock=time.process_time) -> dict[str, list[float]]:
    """Each request once per round, round after round, so a busy moment on the machine falls on
    all of them alike and the ratios hold; 3 rounds to warm up first.

    The clock is this process's CPU time by default: the server's own work, which other programs
    busy on the same machine do not lengthen as they lengthen the time on the wall."""
    times = {name: [] for name in requests}
    for round_number in range(repeat + 3):
        for name, request in requests.items():
            started = clock()
            request()
            if round_number >= 3:
                times[name].append(clock() - started)
    return {name: sorted(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv if argv is not None else [])

    from flask_migrate import upgrade
    from sqlalchemy import select

    from supervision.demo import load_demo
    from supervision.demo_history import load_history
    from supervision.extensions import db
    from supervision.store.models import Family

    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        app = harness.in_process_app(url, directory)
        with app.app_context():
            upgrade()
            load_demo(PASSWORD)
            history = load_history()
            okoro = db.session.scalar(select(Family.id).where(Family.case_reference == "FS-1071"))

        manager, practitioner, social = (harness.signed_in(app, username, PASSWORD)
                                         for username in ("manager", "practitioner", "social"))
        anonymous = app.test_client()

        def get(client, url: str):
            def request():
                response = client.get(url)
                assert response.status_code == 200, f"{url} answered {response.status_code}"
                return response
            return request

        pages = [
            ("home_manager", "GET / as the team manager (the team at a glance)", get(manager, "/")),
            ("home_practitioner", "GET / as a practitioner (their own work)", get(practitioner, "/")),
            ("family", "GET /families/ID (a year of history)", get(social, f"/families/{okoro}")),
            ("families", "GET /families (the plain families list)", get(manager, "/families")),
            ("csv", "GET /team/families-by-plan-level.csv", get(manager, "/team/families-by-plan-level.csv")),
            ("baseline", "GET /sign-in (baseline)", get(anonymous, "/sign-in")),
        ]
        sizes = {name: len(request().get_data()) for name, _, request in pages}
        times = interleaved({name: request for name, _, request in pages}, args.repeat)
        wall = interleaved({name: request for name, _, request in pages}, args.repeat, time.perf_counter)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    p90 = {name: harness.percentile(values, 90) * 1000 for name, values in times.items()}
    wall_median = {name: statistics.median(values) * 1000 for name, values in wall.items()}
    print(f"Team pages with North's year of history ({history.sessions} sessions, {history.discussions} signed "
          f"discussions); server time in-process (CPU and wall), {args.repeat} rounds of every request in turn after 3 to warm up, SQLite")
    rows = [[label, f"{median[name]:.1f}", f"{p90[name]:.1f}", harness.ratio(median[name], median["baseline"]),
             f"{wall_median[name]:.1f}", harness.ratio(wall_median[name], wall_median["baseline"]),
             f"{sizes[name] / 1024:.0f}"] for name, label, _ in pages]
    print("\n".join("  " + line for line in harness.table(
        ["request", "CPU median ms", "CPU p90 ms", "ratio to /sign-in", "wall median ms", "wall ratio", "KiB"],
        rows).splitlines()))
    to_list = median["home_manager"] / median["families"]
    verdict = "within" if to_list < LIMIT else "OVER"
    print(f"  The team home (manager) is {to_list:.2f}x the families list in CPU time "
          f"({wall_median['home_manager'] / wall_median['families']:.2f}x on the wall): {verdict} the {LIMIT:.0f}x limit")
    return {"median_ms": median, "p90_ms": p90, "wall_median_ms": wall_median, "home_to_families": to_list}


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
