"""Bounds on static evaluation: hostile code ends in an ``Unknown`` with a reason, never in a hang."""

from __future__ import annotations

import time

MAX_COLLECTION = 100_000
#: all analysis of one file (its module body, every model traced) stops after this long
FILE_SECONDS = 10.0
#: integers beyond this many bits are not computed (model sizes are far smaller)
MAX_INT_BITS = 1 << 16


class Budget:
    """Limits for one analysis: steps, call depth, loop iterations, time."""

    def __init__(self, steps: int = 400_000, depth: int = 60, loop: int = 20_000, seconds: float = 3.0):
        self.steps_left = steps
        self.max_depth = depth
        self.max_loop = loop
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds


class BudgetExceeded(Exception):
    """A bound was hit.  ``exhausted``: the step or time budget is gone, so nothing
    more can run; otherwise only the construct at ``site`` was too large."""

    def __init__(self, reason: str, site=None, exhausted: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.site = site
        self.exhausted = exhausted
