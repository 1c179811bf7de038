"""Server time of the board page and the Word records for a full session: eight families with forty cards each.

The page (GET /sessions/<id>/board, the board.show view: snapshot, arranging, template)
is served in-process by the Flask test client, so the figure is the server's work alone,
no network and no browser. The baseline is the sign-in page in the same run: a small
form, no database query. The snapshot (`services.board.snapshot_for`) is also timed
alone, so the rest of the page's time is arranging and rendering. The Word records are
timed through the export form's post, as the team manager presses the button: read from
the database, written to EXPORT_DIR, logged, redirected.

Run: python -m benchmarks.board_page [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import time

from . import harness

FAMILIES = 8
CARDS = 40


def timed(function, repeat: int) -> list[float]:
    for _ in range(3):  # warm up: templates compiled, statement caches filled
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return sorted(times)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--exports", type=int, default=10, help="runs of each Word record")
    args = parser.parse_args(argv if argv is not None else [])

    from supervision.extensions import db
    from supervision.services.board import snapshot_for
    from supervision.store.models import AgendaItem, User

    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        built = harness.build_sessions(url, directory, sessions=1, families=FAMILIES, cards_per_family=CARDS,
                                       status="live")
        session = built[0]
        app = harness.in_process_app(url, directory)
        signed_in = harness.signed_in(app, session.usernames[0])
        anonymous = app.test_client()
        board_url = f"/sessions/{session.id}/board"

        def board_page():
            response = signed_in.get(board_url)
            assert response.status_code == 200, f"board page answered {response.status_code}"
            return response

        exports_url = f"/sessions/{session.id}/exports"
        token = harness.csrf_token(signed_in.get(exports_url).get_data(as_text=True))

        def export(record: str):
            def post():
                response = signed_in.post(exports_url, data={"csrf_token": token, "record": record})
                assert response.status_code == 302, f"export answered {response.status_code}"
            return post

        with app.app_context():
            family_id = db.session.get(AgendaItem, session.item_ids[0]).family_id

        def sign_in_page():
            assert anonymous.get("/sign-in").status_code == 200

        with app.app_context():
            chair_id = db.session.query(User.id).filter_by(username=session.usernames[0]).scalar()

        def snapshot():
            with app.app_context():
                snapshot_for(chair_id, session.id)

        size = len(board_page().get_data())
        page_times = timed(board_page, args.repeat)
        snapshot_times = timed(snapshot, args.repeat)
        minutes_times = timed(export("minutes"), args.exports)
        family_times = timed(export(f"family-{family_id}"), args.exports)
        baseline_times = timed(sign_in_page, args.repeat)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    timings = (("page", page_times), ("snapshot", snapshot_times), ("minutes", minutes_times),
               ("family", family_times), ("baseline", baseline_times))
    median = {name: statistics.median(times) * 1000 for name, times in timings}
    p90 = {name: harness.percentile(times, 90) * 1000 for name, times in timings}
    render = median["page"] - median["snapshot"]
    print(f"Board page, {FAMILIES} families x {CARDS} cards ({FAMILIES * CARDS} cards, {size / 1024:.0f} KiB of HTML); "
          f"server time in-process, {args.repeat} requests each ({args.exports} of each record) after 3 to warm up, SQLite")
    rows = [
        ["GET /sessions/ID/board (whole page)", f"{median['page']:.1f}", f"{p90['page']:.1f}",
         harness.ratio(median["page"], median["baseline"])],
        ["  of which snapshot_for", f"{median['snapshot']:.1f}", f"{p90['snapshot']:.1f}",
         harness.ratio(median["snapshot"], median["baseline"])],
        ["  of which arranging and rendering", f"{render:.1f}", "", harness.ratio(render, median["baseline"])],
        ["POST /sessions/ID/exports: the session minutes", f"{median['minutes']:.1f}", f"{p90['minutes']:.1f}",
         harness.ratio(median["minutes"], median["baseline"])],
        ["POST /sessions/ID/exports: one family's record", f"{median['family']:.1f}", f"{p90['family']:.1f}",
         harness.ratio(median["family"], median["baseline"])],
        ["GET /sign-in (baseline)", f"{median['baseline']:.1f}", f"{p90['baseline']:.1f}", "1.00x"],
    ]
    print("\n".join("  " + line for line in
                    harness.table(["request", "median ms", "p90 ms", "ratio to /sign-in"], rows).splitlines()))
    return {"median_ms": median, "p90_ms": p90, "html_bytes": size}


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
