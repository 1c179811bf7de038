"""Run every benchmark in turn: `python -m benchmarks`. Add a module to BENCHMARKS to include it."""
from __future__ import annotations

import importlib

BENCHMARKS = [
    "benchmarks.record_export",
    "benchmarks.board_page",
    "benchmarks.team_pages",
    "benchmarks.change_cost",
    "benchmarks.idle_clients",
    "benchmarks.durability",
    "benchmarks.browser_latency",
    "benchmarks.load",  # last: it exits 1 after its tables if any delivery was lost or duplicated
]


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
