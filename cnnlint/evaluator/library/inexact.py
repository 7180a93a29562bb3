"""Floats a library computes with code whose last bits cnnlint cannot reproduce (NumPy's and PyTorch's own
log, exp, power): each carries a bound on its error, arithmetic widens the bound, and a rounding taken
on it is decided only where no value within the bound would round otherwise.

A ``unit`` is the relative size of one rounding of the float type: ``FLOAT64`` or ``FLOAT32``.
"""

from __future__ import annotations

import math

FLOAT64 = 2.0 ** -52
FLOAT32 = 2.0 ** -23
#: a library's own log/exp/power are within a few units in the last place (NumPy's and SLEEF's SIMD ones
#: document up to 4); a margin over that
FUNCTION_ULPS = 16
#: the smallest error a rounded result can carry (so that a zero result is not taken as exact)
_TINY = 2.0 ** -126


class NotKnown(ValueError):
    """A result whose bits cnnlint cannot be sure of, and why."""


def rounding(value: float, unit: float, ulps: int = 1) -> float:
    """The error of one rounding (``ulps`` of them) of ``value``."""
    return max(abs(value), _TINY) * unit * ulps if math.isfinite(value) else math.inf


def arithmetic_slack(symbol: str, x: float, ex: float, y: float, ey: float, value: float, unit: float) -> float:
    """How far ``x <symbol> y`` computed from approximations within ``ex``/``ey`` may be from the library's."""
    if not (ex or ey):
        return 0.0
    if symbol in ("+", "-"):
        slack = ex + ey
    elif symbol == "*":
        slack = abs(x) * ey + abs(y) * ex + ex * ey
    elif symbol == "/":
        if abs(y) <= ey:
            raise NotKnown("division by an inexact float that may be zero")
        slack = (abs(x) * ey + abs(y) * ex) / (abs(y) * (abs(y) - ey))
    else:
        raise NotKnown(f"{symbol} of floats computed inexactly")
    return slack + 2 * rounding(value, unit)


def function_slack(name: str, x: float, ex: float, value: float, unit: float, ulps: int = FUNCTION_ULPS) -> float:
    """The error of ``name(x)`` (log, log2, exp, sqrt) from an input within ``ex`` of ``x``: the input's
    error carried through, plus the function's own ``ulps`` (none for a sqrt the hardware rounds correctly,
    as NumPy's; PyTorch's float32 one is not always)."""
    if ex and name in ("log", "log2") and x - ex <= 0:
        raise NotKnown(f"{name} of an inexact float that may not be positive")
    if ex and name == "sqrt" and x - ex < 0:
        raise NotKnown("sqrt of an inexact float that may be negative")
    spread = {"log": lambda: ex / (x - ex), "log2": lambda: ex / ((x - ex) * math.log(2)),
              "exp": lambda: math.exp(x) * math.expm1(ex), "sqrt": lambda: ex / math.sqrt(x - ex) if x > ex else
              math.sqrt(ex)}[name]() if ex else 0.0
    own = rounding(value, unit, ulps) if ulps else 0.0
    return spread + own + (rounding(value, unit) if ex else 0.0)


def _decided(value: float, slack: float, boundary: float) -> None:
    if abs(value - boundary) <= 2 * slack:
        raise NotKnown("an inexact float lies too close to a rounding boundary to be sure")


def rounded(how: str, value: float, slack: float) -> float:
    """round (halves to even), floor, ceil or trunc of a float within ``slack`` of ``value``, as a float
    (its sign kept: NumPy's round(-0.3) is -0.0)."""
    if not math.isfinite(value):
        raise NotKnown("rounding a float that is not a finite number")
    if slack:
        _decided(value, slack, math.floor(value) + 0.5 if how == "round" else float(round(value)))
    result = {"round": round, "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc}[how](value)
    return math.copysign(float(result), value)


def check_comparable(x: float, ex: float, y: float, ey: float) -> None:
    """Raise unless the order of x and y (or their being equal) is sure."""
    if ex or ey:
        _decided(float(x) - float(y), ex + ey, 0.0)
