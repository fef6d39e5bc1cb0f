"""Benchmarks of Löftesboken: a national data set and ratios against baselines run alongside.

Each benchmark measures our figure and a baseline in the same process, so the ratio
holds on a noisy machine. `python -m bench` runs them all; `--smoke` at a tiny scale.
"""
