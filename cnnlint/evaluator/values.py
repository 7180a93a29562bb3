"""Values of the static evaluator beyond plain Python constants."""

from __future__ import annotations

from typing import Any, Optional

from ..dims import Expr
from .plugin import NOT_HANDLED


class Unknown:
    """A value that could not be determined statically, and why."""

    is_unknown = True
    __slots__ = ("reason", "site")

    def __init__(self, reason: str, site: Any = None):
        self.reason = reason
        self.site = site

    def __repr__(self):
        return f"Unknown({self.reason})"


class PlainUnknown(Unknown):
    """An unknown number, string, bool or None, or a tuple of them (``int(os.environ[...])``, a flag
    the branches of an undecidable condition set to different constants): no module or parameter
    can be in it, so an attribute holding it leaves the parameter counts exact."""

    __slots__ = ()


def is_plain(value) -> bool:
    """Certainly a number, string, bool or None, or a tuple of them (known or not)."""
    if value is None or isinstance(value, (PlainUnknown, bool, int, float, complex, str, Expr)):
        return True
    return type(value) is tuple and all(is_plain(v) for v in value)


def unknown_of(values, reason: str, site: Any = None) -> Unknown:
    """The unknown value standing for one of values: plain when every one of them is."""
    return PlainUnknown(reason, site) if all(is_plain(v) for v in values) else Unknown(reason, site)


class Absent(Unknown):
    """An attribute the object certainly lacks (Python raises AttributeError): ``hasattr()`` is False
    for it, where for any other unknown attribute it is unknown."""

    __slots__ = ()


class LibraryUnknown(Unknown):
    """What a library function cnnlint does not model returns when given only plain data
    (``Registry("BACKBONE")``): whatever is done with it later, it reaches only the library's own state, never
    the project's values (given a function of the project, it could call it, and that may change any)."""

    __slots__ = ()


class UnknownItems(Unknown):
    """Any number of items, in a sequence built with ``*x`` of an x cnnlint cannot iterate: the items
    before and after it keep their places from either end, the ones it stands among are unknown."""

    __slots__ = ()


class UncertainItems(Unknown):
    """A list some of whose items may be missing: a comprehension keeps them on a condition cnnlint cannot
    decide (a layer kept unless a random draw drops it).  Its length and indexes are unknown; a loop
    over it runs its body on each item that may be there as under an undecided condition.

    ``items``: (value, whether it is certainly there), in order.
    """

    __slots__ = ("items",)

    def __init__(self, reason: str, site: Any, items: list):
        super().__init__(reason, site)
        self.items = items


class SymbolicQuotient(PlainUnknown):
    """``H / p`` of a symbolic size and a positive int: a float cnnlint cannot write, but whose
    ``math.ceil`` and ``math.floor`` are sizes (mobilevit's ``math.ceil(H / patch) * patch``)."""

    __slots__ = ("num", "den")

    def __init__(self, num: Expr, den: int, reason: str, site: Any = None):
        super().__init__(reason, site)
        self.num = num
        self.den = den


class UnresolvedModel(Unknown):
    """A model the code certainly builds here, from layers cnnlint cannot all follow.

    Reported with unknown counts rather than dropped, by the front end of ``framework`` (None: any).
    """

    __slots__ = ("framework",)

    def __init__(self, reason: str, site: Any = None, framework: Optional[str] = None):
        super().__init__(reason, site)
        self.framework = framework


def items_marker(items) -> Optional[UnknownItems]:
    """The marker standing for any number of items in a sequence, if it holds one: its length is not known."""
    return next((v for v in items if type(v) is UnknownItems), None)


def first_unknown(values) -> Optional[Unknown]:
    """The first Unknown inside (nested lists/tuples/dicts of) values."""
    stack = list(values)
    while stack:
        v = stack.pop(0)
        if isinstance(v, Unknown):
            return v
        if isinstance(v, (list, tuple)):
            stack[:0] = list(v)
        elif isinstance(v, dict):
            stack[:0] = list(v.values())
    return None


class Ref:
    """A name from outside the analysed code, e.g. ``torch.nn.Conv2d``.

    Attribute access extends the dotted name; calling it is handled by the
    framework front ends, which know which names they model.
    """

    __slots__ = ("qualname",)

    def __init__(self, qualname: str):
        self.qualname = qualname

    def __eq__(self, other):
        return isinstance(other, Ref) and other.qualname == self.qualname

    def __hash__(self):
        return hash(self.qualname)

    def __repr__(self):
        return f"Ref({self.qualname})"


class Function:
    """A function or method defined in the analysed code."""

    __slots__ = ("node", "scope", "name", "module", "defaults_cache")

    def __init__(self, node, scope, module):
        self.node = node  # libcst.FunctionDef or Lambda
        self.scope = scope  # defining scope (closure)
        self.name = getattr(getattr(node, "name", None), "value", "<lambda>")
        self.module = module
        self.defaults_cache = None

    def __repr__(self):
        return f"Function({self.name})"


class Class:
    """A class defined in the analysed code."""

    __slots__ = ("node", "name", "bases", "attrs", "module", "_mro", "derived")
    mutable_fields = ("attrs",)  # what code can change in place (see the interpreter's undecided branches)

    def __init__(self, node, name: str, bases: list, attrs: dict, module):
        self.node = node
        self.name = name
        self.bases = bases  # Class or Ref or Unknown; fixed once the class statement ran
        self.attrs = attrs
        self.module = module
        self._mro = None
        #: what a front end computed from the bases alone (the framework class it derives from), kept
        #: because the bases never change
        self.derived: dict = {}

    def mro(self) -> list:
        """Classes in method-resolution order (user classes, then Refs)."""
        if self._mro is not None:
            return self._mro
        order, seen = [], set()

        def walk(cls):
            if id(cls) in seen:
                return
            seen.add(id(cls))
            order.append(cls)
            if isinstance(cls, Class):
                for base in cls.bases:
                    walk(base)

        walk(self)
        self._mro = order
        return order

    def lookup(self, name: str):
        for cls in self.mro():
            if isinstance(cls, Class) and name in cls.attrs:
                return cls.attrs[name]
        return None

    def external_bases(self) -> list:
        return [c.qualname for c in self.mro() if isinstance(c, Ref)]

    def __repr__(self):
        return f"Class({self.name})"


class Instance:
    """An instance of a user class; attributes keep assignment order."""

    __slots__ = ("cls", "attrs", "site", "name")
    mutable_fields = ("attrs",)

    def __init__(self, cls: Class, site=None):
        self.cls = cls
        self.attrs: dict = {}
        self.site = site
        self.name = ""

    def deep_copy(self, copy, memo: dict) -> "Instance":
        """``copy.deepcopy``: the same class, attributes copied (what they share stays shared)."""
        new = memo[id(self)] = Instance(self.cls, self.site)
        new.name = self.name
        new.attrs = {k: copy(v) for k, v in self.attrs.items()}
        return new

    def __repr__(self):
        return f"Instance({self.cls.name})"


class BoundMethod:
    __slots__ = ("function", "receiver", "owner")

    def __init__(self, function: Function, receiver, owner: Class = None):
        self.function = function
        self.receiver = receiver
        self.owner = owner


class Super:
    """``super()`` inside a method: lookups start after ``owner`` in the MRO."""

    __slots__ = ("owner", "receiver")

    def __init__(self, owner: Class, receiver):
        self.owner = owner
        self.receiver = receiver


class LibraryValue:
    """An object a library model makes (a namedtuple class, an argparse parser and its namespace): it answers
    attribute reads and writes, calls and comparisons itself; ``NOT_HANDLED`` leaves the interpreter's own answer.

    The hooks' names start with an underscore, so that no namedtuple field can hide them.
    """

    __slots__ = ()

    def _get_attr(self, interp, name: str, site):
        return NOT_HANDLED

    def _set_attr(self, interp, name: str, value, site):
        return NOT_HANDLED

    def _call(self, interp, args: list, kwargs: dict, site):
        return NOT_HANDLED

    def _compare(self, interp, op: str, other, site):
        return NOT_HANDLED

    def _get_item(self, interp, index, site):
        return NOT_HANDLED

    def _str(self, interp, site):
        """``str(value)``: never the evaluator's own repr."""
        return PlainUnknown(f"str() of {type(self).__name__} is not known", site)


class Builtin:
    """A Python builtin the evaluator models (len, range, int, ...)."""

    __slots__ = ("name", "fn", "receiver")

    def __init__(self, name: str, fn, receiver=None):
        self.name = name
        self.fn = fn
        self.receiver = receiver  # the value a method is bound to: the call touches it too

    def __repr__(self):
        return f"<builtin {self.name}>"


class Partial:
    """functools.partial(f, *args, **kwargs)."""

    __slots__ = ("fn", "args", "kwargs")

    def __init__(self, fn, args, kwargs):
        self.fn = fn
        self.args = list(args)
        self.kwargs = dict(kwargs)


class Names:
    """``dir(module)`` of a library module cnnlint knows in part: a name it models is there; whether
    another is depends on the installed version, which cnnlint does not see."""

    __slots__ = ("known", "where")

    def __init__(self, known: frozenset, where: str):
        self.known = known
        self.where = where

    def has(self, name, site):
        """True, or an Unknown saying why not."""
        if name in self.known:
            return True
        return Unknown(f"whether {self.where} has {name!r} depends on the installed version", site)


def describe(value) -> str:
    if isinstance(value, Ref):
        return value.qualname
    if isinstance(value, (Instance, Class, Function)):
        return repr(value)
    return type(value).__name__
