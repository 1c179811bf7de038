"""What durable commits cost the live board: SQLite's group commit and synchronous=FULL against NORMAL.

GROUP (the app's default) and FULL both make a commit wait for the write-ahead log to reach
the disk, so an acknowledged change survives a power cut; NORMAL (no flush) may lose the last
commits and is the baseline. FULL flushes inside each commit, holding the event loop; GROUP
flushes on a native thread, once for the commits made while the previous flush ran. Each
setting runs the same load, worker and async mode, one after the other; the figures are
ratios to NORMAL. `python -m benchmarks.durability [--load burst|council] [--scale 0.5]`.
"""
from __future__ import annotations

import argparse
import sys

from . import harness
from .load import LOADS, run_app, scaled

SETTINGS = ("NORMAL", "FULL", "GROUP")
FIGURES = ("p50", "p99", "max", "changes_per_s", "cpu_per_change_ms")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default=harness.default_mode(), choices=harness.ASYNC_MODES)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--load", default="burst", choices=("burst", "council"))
    parser.add_argument("--scale", type=float, default=0.5, help="multiply the load's duration")
    args = parser.parse_args(argv if argv is not None else [])
    load = scaled(LOADS[args.load], args.scale)
    print(f"Machine: {harness.machine()}; {load.describe()}, {args.mode}, one worker, SQLite")
    results = {setting: run_app(load, args.mode, args.procs, {"SQLITE_SYNCHRONOUS": setting})
               for setting in SETTINGS}
    normal = results["NORMAL"]
    rows = [[f"synchronous={name}"] + [f"{r[key]:.1f}" for key in FIGURES]
            + [str(r["lost"] + r["duplicated"]), f"{r['others_cpu_pct']:.0f}"]
            for name, r in results.items()]
    rows += [[f"{name} / NORMAL"] + [harness.ratio(results[name][key], normal[key]) for key in FIGURES] + ["", ""]
             for name in SETTINGS[1:]]
    print(harness.table(["SQLite", "p50 ms", "p99 ms", "max ms", "changes/s", "CPU ms/change", "lost+dup",
                         "others' CPU %"], rows))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
