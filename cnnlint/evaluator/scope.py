"""Where the evaluator keeps names, and how control leaves a block."""

from __future__ import annotations

from typing import List, Optional

from ..graph import Problem, ProblemKind
from .values import Class


class Return(Exception):
    def __init__(self, value):
        self.value = value


class Break(Exception):
    pass


class Continue(Exception):
    pass


class Raise(Exception):
    """The analysed code raises here: this path of execution ends."""

    def __init__(self, site):
        self.site = site


class Scope:
    __slots__ = ("vars", "parent", "owner_class", "receiver", "function")

    def __init__(self, parent: Optional["Scope"] = None, owner_class: Optional[Class] = None, receiver=None,
                 function=None):
        self.vars: dict = {}
        self.parent = parent
        self.owner_class = owner_class  # for super()
        self.receiver = receiver
        self.function = function  # the Function whose call this is (a library reading its caller's frame)

    def lookup(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        raise KeyError(name)


class Trace:
    """Where layer applications are recorded while a model is traced."""

    def __init__(self):
        self.nodes: list = []
        self.stopped: List[Problem] = []
        self.depth = 0
        #: (code, scope) the run did not execute (a loop it could not unroll, a call it could not make), for
        #: a front end to ask what that code could have changed
        self.skipped: list = []

    def stop(self, message: str, site) -> None:
        if not any(p.message == message and p.site is site for p in self.stopped):
            self.stopped.append(Problem(ProblemKind.UNRESOLVED, message, site))

    def skip(self, code, scope) -> None:
        self.skipped.append((code, scope))
