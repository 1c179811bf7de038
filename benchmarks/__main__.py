"""Run every benchmark in turn: `python -m benchmarks`. Add a module to BENCHMARKS to include it."""
from __future__ import annotations

import importlib

BENCHMARKS = [
    "benchmarks.record_export",
    "benchmarks.board_page",
    "benchmarks.team_pages",
    "benchmarks.change_cost",
    "benchmarks.sign_off",
    "benchmarks.session_close",
    "benchmarks.idle_clients",
    "benchmarks.durability",
    "benchmarks.browser_latency",
    "benchmarks.workers",  # exits 1 after its tables if any delivery was lost or duplicated; the rest still run
    "benchmarks.load",  # last: it exits 1 after its tables if any delivery was lost or duplicated
]


def main() -> None:
    failed = None
    for name in BENCHMARKS:
        print(f"== {name}")
        try:
            importlib.import_module(name).main()
        except SystemExit as stop:
            failed = failed or stop.code
    if failed:
        raise SystemExit(failed)


if __name__ == "__main__":
    main()
