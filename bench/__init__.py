"""Benchmarks at the scale of a national association (`make bench`); see bench/README.md."""
