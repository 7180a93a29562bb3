"""Binding a framework call's arguments to a layer builder.

Each builder is an ordinary Python function whose signature mirrors the
framework constructor (names, order, defaults), so positional and keyword
arguments bind exactly as the framework binds them.
"""

from __future__ import annotations

import inspect
from typing import Callable, Dict

from ..engine.base import InvalidArgument

Builder = Callable


class LayerTable:
    """Framework layer names -> builder functions."""

    def __init__(self, framework: str):
        self.framework = framework
        self.builders: Dict[str, Builder] = {}
        self._signatures: Dict[str, inspect.Signature] = {}

    def register(self, *names: str):
        def decorate(fn: Builder) -> Builder:
            for name in names:
                self.builders[name] = fn
            return fn

        return decorate

    def __contains__(self, name: str) -> bool:
        return name in self.builders

    def build(self, type_name: str, args, kwargs):
        """Bind and build; raises InvalidArgument for a call the framework rejects."""
        fn = self.builders[type_name]
        sig = self._signatures.get(type_name)
        if sig is None:
            sig = self._signatures[type_name] = inspect.signature(fn)
        try:
            bound = sig.bind(type_name, *args, **kwargs)
        except TypeError as exc:
            raise InvalidArgument(f"{type_name}(): {exc}") from None
        return fn(*bound.args, **bound.kwargs)


def rank_of(type_name: str) -> int:
    """The spatial rank a layer name ends with: Conv2d, MaxPooling3D."""
    for ch in reversed(type_name):
        if ch.isdigit():
            return int(ch)
    raise InvalidArgument(f"cannot tell the rank of {type_name}")


def integer_axis(value, what: str = "axis") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{what} must be an integer, got {value!r}")
    return value
