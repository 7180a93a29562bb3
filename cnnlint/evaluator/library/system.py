"""``sys.modules`` and the module objects it holds, ``warnings.warn``.

A registering decorator finds the module of the function it is given (``sys.modules[fn.__module__]``,
timm's ``@register_model``) to read its configurations and extend its ``__all__``.  The modules are the
ones the analysis has run: the analysed file and the project modules it loaded, by the names they are
imported under; another name is a module cnnlint has not read, and stays unknown.
"""

from __future__ import annotations

from typing import Optional

from ..plugin import NOT_HANDLED
from ..values import Absent, Builtin, LibraryValue, PlainUnknown, Unknown


class ModuleObject(LibraryValue):
    """A module the analysis runs, seen from outside: its globals as attributes."""

    __slots__ = ("owner",)

    def __init__(self, owner):
        self.owner = owner  # the module's interpreter

    def _get_attr(self, interp, name, site):
        owner = self.owner
        variables = owner.globals.vars
        value = variables.get(name, _UNSET)
        if value is not _UNSET and value is not owner.builtins.get(name, _UNSET):  # a builtin is no attribute
            return value
        if name == "__name__":
            imported = imported_name(owner)
            return imported if imported is not None else PlainUnknown(
                "the name this module is imported under is not known", site)
        # a name the module's body has not bound (yet: it may be running) is missing, as it is in Python,
        # unless the body was cut short or names may come from where cnnlint does not look (a module's own
        # attributes, ``__file__``, ``__dict__``..., are there whatever its body does)
        special = name.startswith("__") and name.endswith("__") and name != "__all__"
        if special or owner.cut_short or owner.star_modules or "__getattr__" in variables:
            return Unknown(f"whether module {_label(owner)} has '{name}' is not known", site)
        return Absent(f"module {_label(owner)} has no attribute '{name}'", site)

    def _set_attr(self, interp, name, value, site):
        if interp.in_undecided_branch():  # the other path may leave it as it was
            value = Unknown(f"module attribute '{name}' set under a condition cnnlint cannot decide", site)
        self.owner.globals.vars[name] = value
        return None

    def _str(self, interp, site):
        return PlainUnknown("str() of a module is not known", site)


class SysModules(LibraryValue):
    """``sys.modules``: the modules the analysis has run, by name."""

    __slots__ = ()

    def _get_attr(self, interp, name, site):
        if name == "get":  # sys.modules.get(name[, default]): a module cnnlint has not run may be there all the same
            return Builtin("sys.modules.get", lambda interp, args, kwargs, site: self._get_item(
                interp, args[0] if args else kwargs.get("key"), site))
        return NOT_HANDLED

    def _get_item(self, interp, index, site):
        if isinstance(index, Unknown):
            return index
        owner = modules_by_name(interp).get(index) if isinstance(index, str) else None
        if owner is None:
            return Unknown(f"sys.modules[{index!r}] is a module cnnlint has not run", site)
        return ModuleObject(owner)


def modules_by_name(interp) -> dict:
    """Module name -> the interpreter of each module this analysis has run (``sys.modules``)."""
    return interp.loader.loaded.by_name if interp.loader is not None else {}


def imported_name(module) -> Optional[str]:
    """The name the module (its interpreter) is imported under, its key in ``sys.modules``; None if not known."""
    return next((name for name, found in modules_by_name(module).items() if found is module), None)


def module_of(definition, site):
    """``f.__module__`` of a def or class: the name its module is imported under."""
    name = imported_name(definition.module)
    return name if name is not None else PlainUnknown(
        f"the name {definition.name}'s module is imported under is not known (a script's may be '__main__')", site)


def _label(module) -> str:
    return imported_name(module) or "<the analysed file>"


_UNSET = object()

CONSTANTS = {"sys.modules": SysModules()}
FUNCTIONS = {"warnings.warn": lambda interp, args, kwargs, site: None}
