"""``collections.deque`` and ``collections.defaultdict``: the containers registries are built from (timm
groups each architecture's pretrained configurations in a ``defaultdict`` of records holding a ``deque``).

Each is a subclass of the plain container the evaluator already follows, so indexing, iterating, ``len``,
``in`` and the undecided branches' bookkeeping treat them as they treat lists and dicts; only what
differs is added: a deque's left end, and a defaultdict's missing key, whose value the interpreter makes
by calling the factory (a class of the code, ``list``...) as Python does.
"""

from __future__ import annotations

from ..values import Unknown


class Deque(list):
    """``collections.deque(iterable)`` without ``maxlen``: a list with a left end, equal to deques only."""

    __hash__ = None

    def __eq__(self, other):
        return isinstance(other, Deque) and list.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    def appendleft(self, item) -> None:
        self.insert(0, item)

    def extendleft(self, items) -> None:
        for item in items:
            self.insert(0, item)

    def popleft(self):
        return self.pop(0)

    def rotate(self, n: int = 1) -> None:
        if self:
            n %= len(self)
            self[:] = self[-n:] + self[:-n]

    def copy(self) -> "Deque":
        return Deque(self)

    def deep_copy(self, copy, memo: dict) -> "Deque":
        new = memo[id(self)] = Deque()
        new.extend(copy(item) for item in self)
        return new


class MissingKey(KeyError):
    """``d[key]`` of a defaultdict without the key: the interpreter reading it fills it (``DefaultDict.fill``)."""

    def __init__(self, container: "DefaultDict", key):
        super().__init__(key)
        self.container = container


class DefaultDict(dict):
    """``collections.defaultdict(factory, ...)``: ``d[key]`` of a missing key stores and returns ``factory()``.

    The factory is called by the interpreter that reads the key (its budget, its undecided branches), not by
    the one that made the dict: a registry a module built is read by the files that import it."""

    #: set by ``make``; a copy Python's ``dict`` methods make (the branches' saved states) has none
    default_factory = None

    @classmethod
    def make(cls, factory, items=()) -> "DefaultDict":
        made = cls(items)
        made.default_factory = factory
        return made

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        raise MissingKey(self, key)

    def fill(self, interp, key, site):
        value = interp.call(self.default_factory, [], {}, site)
        interp.note_change(self)  # a read that stores: an undecided branch undoes it
        self[key] = value
        return value

    def copy(self) -> "DefaultDict":
        return DefaultDict.make(self.default_factory, self)

    def deep_copy(self, copy, memo: dict) -> "DefaultDict":
        new = memo[id(self)] = DefaultDict.make(self.default_factory)
        new.update((key, copy(value)) for key, value in self.items())
        return new


def _deque(interp, args, kwargs, site):
    if len(args) > 1 or kwargs:
        return Unknown("collections.deque() with a maximum length is not modelled", site)
    if not args:
        return Deque()
    items = interp.iterate(args[0], site)
    if items is None:
        return args[0] if isinstance(args[0], Unknown) else Unknown("deque() of a value cnnlint cannot iterate", site)
    return Deque(items)


def _defaultdict(interp, args, kwargs, site):
    factory = args[0] if args else None
    if isinstance(factory, Unknown):
        return factory
    if len(args) > 2 or "**" in kwargs:
        return Unknown("collections.defaultdict() with arguments cnnlint does not model", site)
    items = {}
    if len(args) == 2:
        if not isinstance(args[1], dict):
            return Unknown("collections.defaultdict() of items cnnlint does not model", site)
        items = args[1]
    return DefaultDict.make(factory, {**items, **kwargs})


FUNCTIONS = {"collections.deque": _deque, "collections.defaultdict": _defaultdict}
