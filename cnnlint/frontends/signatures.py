"""Binding a framework call's arguments to a layer builder.

Each builder is an ordinary Python function whose signature mirrors the
framework constructor (names, order, defaults), so positional and keyword
arguments bind exactly as the framework binds them.
"""

from __future__ import annotations

import inspect
from typing import Callable, Dict, Optional

from ..engine.base import InvalidArgument

Builder = Callable

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class _Binding:
    """A signature's parameters, laid out for binding a call the way Python does."""

    __slots__ = ("signature", "order", "positional", "keyword", "names", "required", "defaults", "var_positional",
                 "var_keyword")

    def __init__(self, signature: inspect.Signature):
        params = list(signature.parameters.values())
        self.signature = signature
        self.order = [p.name for p in params]
        self.positional = [p.name for p in params if p.kind in _POSITIONAL]
        self.keyword = frozenset(p.name for p in params if p.kind in _KEYWORD)
        self.names = frozenset(self.order)
        self.required = [p.name for p in params if p.default is p.empty and p.kind in _POSITIONAL + _KEYWORD]
        self.defaults = {p.name: p.default for p in params if p.default is not p.empty}
        self.var_positional = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)
        self.var_keyword = next((p.name for p in params if p.kind is p.VAR_KEYWORD), None)
        if self.var_positional is not None:
            self.defaults[self.var_positional] = ()


#: id(signature) -> its _Binding (which keeps the signature, so the id stays its own)
_BINDINGS: Dict[int, _Binding] = {}


def bind_arguments(signature: inspect.Signature, args, kwargs, defaults: bool = False) -> dict:
    """``signature.bind(*args, **kwargs)``'s ``arguments`` (after ``apply_defaults()`` with ``defaults``).

    Layers are bound by the ten thousand in a large file, and ``inspect``'s
    binder is most of a layer's cost: a call that binds plainly (every
    argument has its parameter, every required one is given) is bound here;
    any other goes to ``inspect``, for its result or its TypeError.
    """
    binding = _BINDINGS.get(id(signature))
    if binding is None or binding.signature is not signature:
        binding = _BINDINGS[id(signature)] = _Binding(signature)
    positional = binding.positional
    if len(args) > len(positional) and binding.var_positional is None:
        return _bound_by_inspect(signature, args, kwargs, defaults)
    given = dict(zip(positional, args))
    extra = {}
    for name, value in kwargs.items():
        if name in binding.keyword and name not in given:
            given[name] = value
        elif binding.var_keyword is not None and name not in binding.names:
            extra[name] = value
        else:
            return _bound_by_inspect(signature, args, kwargs, defaults)
    for name in binding.required:
        if name not in given:
            return _bound_by_inspect(signature, args, kwargs, defaults)
    if len(args) > len(positional):
        given[binding.var_positional] = tuple(args[len(positional):])
    if extra or (defaults and binding.var_keyword is not None):
        given[binding.var_keyword] = extra
    if defaults:
        fallback = binding.defaults
        return {name: given[name] if name in given else fallback[name] for name in binding.order
                if name in given or name in fallback}
    return {name: given[name] for name in binding.order if name in given}


def _bound_by_inspect(signature: inspect.Signature, args, kwargs, defaults: bool) -> dict:
    bound = signature.bind(*args, **kwargs)
    if defaults:
        bound.apply_defaults()
    return dict(bound.arguments)


class LayerTable:
    """Framework layer names -> builder functions."""

    def __init__(self, framework: str):
        self.framework = framework
        self.builders: Dict[str, Builder] = {}
        #: layer name -> the parameter declaring the size of the input it receives (what CNN101's fix sets)
        self.declared_input: Dict[str, str] = {}
        self._signatures: Dict[str, inspect.Signature] = {}

    def register(self, *names: str):
        def decorate(fn: Builder) -> Builder:
            for name in names:
                self.builders[name] = fn
            return fn

        return decorate

    def __contains__(self, name: str) -> bool:
        return name in self.builders

    def signature(self, type_name: str) -> inspect.Signature:
        sig = self._signatures.get(type_name)
        if sig is None:
            sig = self._signatures[type_name] = inspect.signature(self.builders[type_name])
        return sig

    def build(self, type_name: str, args, kwargs):
        """Bind and build; raises InvalidArgument for a call the framework rejects."""
        fn = self.builders[type_name]
        sig = self.signature(type_name)
        try:
            bound = bind_arguments(sig, (type_name, *args), kwargs)
        except TypeError as exc:
            raise InvalidArgument(f"{type_name}(): {exc}") from None
        layer = fn(type_name, *args, **kwargs)  # bound as just checked
        layer.passed = dict(list(bound.items())[1:])  # as written, without defaults
        return layer


class CallArguments:
    """Where a layer's constructor arguments are written: the LibCST argument each parameter binds to.

    Fixes edit these nodes.  Bound lazily (only a fix asks), through the same
    signature as the values, and only when the call's written arguments are
    the ones the layer was built with: a ``functools.partial`` or a
    ``*args``/``**kwargs`` forwarding leaves ``faithful`` False.
    """

    __slots__ = ("call", "declared_input", "_signature", "_type_name", "_given", "_bound")

    def __init__(self, call, signature: inspect.Signature, type_name: str, args, kwargs,
                 declared_input: Optional[str] = None):
        self.call = call
        #: the parameter declaring the input size, if the layer has one
        self.declared_input = declared_input
        self._signature = signature
        self._type_name = type_name
        self._given = (len(args), tuple(sorted(kwargs)))
        self._bound = None

    def _binding(self) -> dict:
        if self._bound is None:
            self._bound = {}
            args = getattr(self.call, "args", None)
            if args is None or any(a.star for a in args):
                return self._bound
            positional = [a for a in args if a.keyword is None]
            keywords = {a.keyword.value: a for a in args if a.keyword is not None}
            if (len(positional), tuple(sorted(keywords))) != self._given:
                return self._bound
            try:
                bound = self._signature.bind(self._type_name, *positional, **keywords)
            except TypeError:
                return self._bound
            self._bound = dict(bound.arguments)
        return self._bound

    @property
    def faithful(self) -> bool:
        """Whether the written arguments are exactly those the layer was built with."""
        return bool(self._binding())

    def get(self, parameter: str):
        """The ``libcst.Arg`` bound to ``parameter``; None when it is not written (or not faithfully)."""
        found = self._binding().get(parameter)
        return found if hasattr(found, "value") and hasattr(found, "keyword") else None


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
