"""Benchmarks: `make bench` (python -m tests.bench). They print numbers; they are not tests."""
