"""Benchmarks: scripts that build data at scale in a separate database and measure."""
