"""Speed measurements, run with `python -m benchmarks` (make bench). Not part of the test suite."""
