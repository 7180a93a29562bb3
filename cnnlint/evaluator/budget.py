"""Bounds on static evaluation: hostile code ends in an ``Unknown`` with a reason, never in a hang."""

from __future__ import annotations

MAX_COLLECTION = 100_000
#: all analysis of one file (its module body, every model traced) stops after this many steps: counted, not timed,
#: so that the same file gets the same answer on any machine (the wall clock is only the supervisor's outer guard)
FILE_STEPS = 1_000_000
#: integers beyond this many bits are not computed (model sizes are far smaller)
MAX_INT_BITS = 1 << 16
#: a single Python operation (==, str(), copy.deepcopy, %, a method) may touch at most this much of its values
MAX_WEIGHT = MAX_COLLECTION
#: the work of one step of the analysis, in weight units: an operation is charged weight // WEIGHT_PER_STEP steps
WEIGHT_PER_STEP = 16
#: values whose weight is one unit
SCALARS = (int, float, bool, complex, type(None))


class Budget:
    """Limits for one analysis, all counted: steps, call depth, loop iterations."""

    def __init__(self, steps: int = 400_000, depth: int = 60, loop: int = 20_000):
        self.steps_left = steps
        self.max_depth = depth
        self.max_loop = loop


def weight(value, limit: int = MAX_WEIGHT) -> int:
    """The work of touching every part of ``value`` (==, str(), a deep copy), counted up to just past ``limit``.

    A container shared at several places counts at each: ``a = [a, a]`` forty
    times is two items to build and a trillion to compare or print.  Strings
    and bytes count a unit per 16 characters, a range its length.
    """
    if type(value) in SCALARS:
        return 1
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        total += 1
        if type(item) in SCALARS:
            continue
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item) // 16
        elif isinstance(item, range):
            total += max(0, (item.stop - item.start) // item.step)  # len() overflows beyond sys.maxsize
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            if len(item) > limit - total:
                total += len(item)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            else:
                stack.extend(item)
    return total


class BudgetExceeded(Exception):
    """A bound was hit.  ``exhausted``: the step or time budget is gone, so nothing
    more can run; otherwise only the construct at ``site`` was too large."""

    def __init__(self, reason: str, site=None, exhausted: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.site = site
        self.exhausted = exhausted
