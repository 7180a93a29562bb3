"""Reporters: one module per output format, each ``render(run) -> str``."""
