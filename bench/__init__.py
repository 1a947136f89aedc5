"""Benchmarks (not tests): they print figures and write them to bench/results/."""
