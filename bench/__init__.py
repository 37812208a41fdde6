"""Benchmarks for issue 7: `python -m bench` prints a table and exits non-zero on a miss.

They are not tests: the machine is shared and noisy, so every speed target is a ratio
measured in the same run, or a bound far from today's figure. See docs/PERFORMANCE.md.
"""
