"""Benchmarks: `nox -s bench` (never part of the tests; figures are ratios against a peer in the same run)."""
