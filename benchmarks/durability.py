"""What full sync costs the live board: the council peak with SQLite's synchronous=FULL against NORMAL.

FULL (the app's setting) makes every commit wait for the write-ahead log to reach the
disk, so an acknowledged change survives a power cut; NORMAL may lose the last commits.
Both runs use the same load, worker and async mode, one after the other; the figures are
ratios of FULL to NORMAL. `python -m benchmarks.durability [--scale 0.5]`.
"""
from __future__ import annotations

import argparse
import sys

from . import harness
from .load import LOADS, run_app, scaled


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default=harness.default_mode(), choices=harness.ASYNC_MODES)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.5, help="multiply the council peak's 60 s")
    args = parser.parse_args(argv if argv is not None else [])
    load = scaled(LOADS["council"], args.scale)
    print(f"Machine: {harness.machine()}; {load.describe()}, {args.mode}, one worker, SQLite")
    results = {setting: run_app(load, args.mode, args.procs, {"SQLITE_SYNCHRONOUS": setting})
               for setting in ("NORMAL", "FULL")}
    normal, full = results["NORMAL"], results["FULL"]
    rows = [[name] + [f"{r[key]:.1f}" for key in ("p50", "p99", "max", "changes_per_s", "cpu_per_change_ms")]
            + [str(r["lost"] + r["duplicated"]), f"{r['others_cpu_pct']:.0f}"]
            for name, r in (("synchronous=NORMAL", normal), ("synchronous=FULL", full))]
    rows.append(["FULL / NORMAL"] + [harness.ratio(full[key], normal[key]) for key in
                                     ("p50", "p99", "max", "changes_per_s", "cpu_per_change_ms")] + ["", ""])
    print(harness.table(["SQLite", "p50 ms", "p99 ms", "max ms", "changes/s", "CPU ms/change", "lost+dup",
                         "others' CPU %"], rows))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
