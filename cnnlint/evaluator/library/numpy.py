"""The NumPy functions model code uses on plain numbers (layer widths, drop rates)."""

from __future__ import annotations

import math

from ..budget import MAX_COLLECTION
from .builtins import builtin_range, numeric, sequence


class _Array(list):
    """A NumPy array of plain numbers, as the code uses it: a list that also has ``tolist()``."""

    def tolist(self) -> list:
        return list(self)


def _linspace(start, stop, num: int) -> _Array:
    """As NumPy computes it: ``i * step + start``, the last value exactly ``stop``."""
    if num > MAX_COLLECTION:
        raise ValueError(f"{num:,} points are too many to evaluate")
    if num <= 1:
        return _Array([float(start)] * max(num, 0))
    step = (stop - start) / (num - 1)
    return _Array([i * step + start for i in range(num - 1)] + [float(stop)])


FUNCTIONS = {
    "numpy.linspace": numeric("linspace", lambda start, stop, num=50: _linspace(start, stop, num)),
    "numpy.arange": builtin_range,
    "numpy.prod": sequence("prod", math.prod),
    "numpy.sum": sequence("sum", sum),
    "numpy.cumsum": sequence("cumsum", lambda xs: [sum(xs[:i + 1]) for i in range(len(xs))]),
    "numpy.ceil": numeric("ceil", math.ceil),
    "numpy.floor": numeric("floor", math.floor),
    "numpy.sqrt": numeric("sqrt", math.sqrt),
}
