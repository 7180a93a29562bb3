"""``sys.modules`` and the module objects it holds, ``warnings.warn``.

A registering decorator finds the module of the function it is given (``sys.modules[fn.__module__]``,
timm's ``@register_model``) to read its configurations and extend its ``__all__``.  The modules are the
ones the analysis has run: the analysed file and the project modules it loaded, by the names they are
imported under; another name is a module cnnlint has not read, and stays unknown.
"""

from __future__ import annotations

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
            imported = owner.imported_name()
            return imported if imported is not None else PlainUnknown(
                "the name this module is imported under is not known", site)
        # a name the module's body has not bound (yet: it may be running) is missing, as it is in Python,
        # unless the body was cut short or names may come from where cnnlint does not look (a module's own
        # attributes, ``__file__``, ``__dict__``..., are there whatever its body does)
        special = name.startswith("__") and name.endswith("__") and name != "__all__"
        if special or owner.cut_short or owner.star_modules or "__getattr__" in variables:
            return Unknown(f"whether module {owner.module_label()} has '{name}' is not known", site)
        return Absent(f"module {owner.module_label()} has no attribute '{name}'", site)

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
        owner = interp.modules_by_name().get(index) if isinstance(index, str) else None
        if owner is None:
            return Unknown(f"sys.modules[{index!r}] is a module cnnlint has not run", site)
        return ModuleObject(owner)


_UNSET = object()

CONSTANTS = {"sys.modules": SysModules()}
FUNCTIONS = {"warnings.warn": lambda interp, args, kwargs, site: None}
