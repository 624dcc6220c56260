"""Benchmarks: reference models, comparator implementations and a harness.

Run ``python -m benchmarks.run --help``; see ``benchmarks/README.md``.
"""
