"""The evaluator's plug-in contract: what a front end answers for the values it owns.

The interpreter knows Python; a framework's values (a layer object, a tensor,
a model being built) are a front end's.  Wherever the interpreter meets a value
it cannot handle itself, it asks each plug-in in turn; ``NOT_HANDLED`` passes
the question on to the next one, and after the last the interpreter's own
answer (usually an ``Unknown`` with a reason) stands.  Front ends keep their
own state; the interpreter holds none of it.
"""

from __future__ import annotations

NOT_HANDLED = object()


class Plugin:
    """The hooks; each default passes the question on."""

    #: the framework whose models the plug-in reports
    framework = ""

    def is_model(self, value) -> bool:
        """Whether the value is one of the plug-in's models: a module-level one that an undecidable
        condition or a skipped loop leaves unknown is still reported (null), never dropped."""
        return False

    def owns(self, qualname: str) -> bool:
        """Names this plug-in models itself; they are never looked up in source."""
        return False

    def call_value(self, interp, func, args, kwargs, site):
        return NOT_HANDLED

    def get_attr(self, interp, obj, name, site):
        return NOT_HANDLED

    def inherited_attr(self, interp, receiver, base: str, name: str, site):
        return NOT_HANDLED

    def set_attr(self, interp, obj, name, value, site):
        return NOT_HANDLED

    def set_item(self, interp, obj, index, value, site):
        return NOT_HANDLED

    def binary_op(self, interp, op, a, b, site):
        return NOT_HANDLED

    def unary_op(self, interp, op, value, site):
        """``-x``, ``+x``, ``~x`` (op: Minus, Plus, BitInvert) of a framework's value."""
        return NOT_HANDLED

    def subscript(self, interp, obj, index, site):
        return NOT_HANDLED

    def iterate(self, interp, value, site):
        return NOT_HANDLED

    def length(self, interp, value, site):
        return NOT_HANDLED

    def isinstance(self, interp, obj, classes, site):
        return NOT_HANDLED

    def attribute_names(self, interp, value):
        """The names a module of the plug-in's library certainly has (frozenset), for ``dir()`` and
        ``hasattr()``: others are not known."""
        return NOT_HANDLED

    def stand_in(self, interp, value):
        """A real Python object with the Python types of one of the plug-in's values (a class for a
        class), for ``isinstance`` against Python's own classes (library/pytypes.py)."""
        return NOT_HANDLED

    def on_instance(self, interp, instance) -> None:
        pass
