"""``argparse``: a script sized by its command-line options, read as the script runs with none given.

What a user types on a command line cannot be known from the source, so cnnlint reads the options as
``python script.py`` with no arguments sets them: each option's default, its ``type`` applied to a string
default as argparse applies it, ``store_true`` false and ``store_false`` true.  A value the command line
must give (a required option, a positional argument) or one without a default stays unknown.
"""

from __future__ import annotations

from ..plugin import NOT_HANDLED
from ..values import Builtin, LibraryValue, Ref, Unknown

#: actions whose value without the option is fixed by the action itself
_FLAG_DEFAULTS = {"store_true": False, "store_false": True}
#: actions that store what the command line gives, or the default
_STORING = {"store", "store_const", "append", "append_const", "extend", "count", "store_true", "store_false"}
_OPTIONAL_ACTIONS = {"argparse.BooleanOptionalAction"}


def _suppressed(value) -> bool:
    """``default=argparse.SUPPRESS``: no attribute at all."""
    return (isinstance(value, Ref) and value.qualname == "argparse.SUPPRESS") or (
        isinstance(value, str) and value == "==SUPPRESS==")


class ArgumentParser(LibraryValue):
    """A parser being filled by ``add_argument``; its argument groups add to it too."""

    __slots__ = ("options", "defaults", "prefix", "argument_default", "complete")
    mutable_fields = ("options", "defaults")

    def __init__(self, prefix: str = "-", argument_default=None):
        self.options: dict = {}  # dest -> (positional, action, the add_argument keywords)
        self.defaults: dict = {}  # set_defaults()
        self.prefix = prefix
        self.argument_default = argument_default
        self.complete = True  # False: an argument whose name cnnlint could not read

    def _get_attr(self, interp, name, site):
        method = _METHODS.get(name)
        if method is None:
            return NOT_HANDLED
        return Builtin(name, lambda interp, args, kwargs, site: method(self, interp, args, kwargs, site), self)

    # -- the methods, as argparse runs them --------------------------------------------------------------
    def add_argument(self, interp, args, kwargs, site):
        dest = kwargs.get("dest")
        if not args or not all(isinstance(flag, str) and flag for flag in args) or (
                "dest" in kwargs and not isinstance(dest, str)):
            self.complete = False
            return None
        positional = args[0][0] not in self.prefix
        if dest is None:
            long = [f for f in args if len(f) > 1 and f[0] in self.prefix and f[1] in self.prefix]
            dest = args[0] if positional else (long or args)[0].lstrip(self.prefix).replace("-", "_")
        action = kwargs.get("action", "store")
        if action in ("help", "version"):
            return None
        if "default" not in kwargs and dest in self.defaults:
            kwargs = {**kwargs, "default": self.defaults[dest]}
        self.options[dest] = (positional, action, kwargs)
        return None

    def set_defaults(self, interp, args, kwargs, site):
        self.defaults.update(kwargs)
        for dest, value in kwargs.items():
            if dest in self.options:
                positional, action, options = self.options[dest]
                self.options[dest] = (positional, action, {**options, "default": value})
        return None

    def parse_args(self, interp, args, kwargs, site):
        given = args[0] if args else kwargs.get("args")
        if given is not None and not (isinstance(given, list) and not given):
            return Unknown("parse_args() of given arguments is not modelled", site)
        values = {dest: self._value_without_argument(interp, dest, *option, site)
                  for dest, option in self.options.items()}
        for dest, value in self.defaults.items():
            values.setdefault(dest, value)
        return Namespace({dest: v for dest, v in values.items() if not _suppressed(v)}, self.complete)

    def _value_without_argument(self, interp, dest, positional, action, kwargs, site):
        name = dest if positional else f"--{dest}"
        required, nargs = kwargs.get("required", False), kwargs.get("nargs")
        if not isinstance(required, bool):
            return Unknown(f"whether the command-line option {name} is required is not known", site)
        if (positional and nargs not in ("?", "*")) or required:
            return Unknown(f"{name} is given on the command line: its value is not in the source", site)
        if isinstance(action, Ref) and action.qualname in _OPTIONAL_ACTIONS:
            action = "store"
        if not isinstance(action, str) or action not in _STORING:
            return Unknown(f"the action of {name} is not modelled", site)
        if "default" in kwargs:
            default = kwargs["default"]
        elif action in _FLAG_DEFAULTS:
            default = _FLAG_DEFAULTS[action]
        elif positional and nargs == "*":
            default = []
        elif self.argument_default is not None:
            default = self.argument_default
        else:
            return Unknown(f"{name} has no default: its value comes from the command line", site)
        convert = kwargs.get("type")
        if isinstance(default, str) and not _suppressed(default) and convert is not None and action == "store":
            default = interp.call(convert, [default], {}, site)  # argparse converts a string default
        return default

    def parse_known_args(self, interp, args, kwargs, site):
        namespace = self.parse_args(interp, args, kwargs, site)
        return namespace if isinstance(namespace, Unknown) else (namespace, [])

    def add_argument_group(self, interp, args, kwargs, site):
        return self

    def ignore(self, interp, args, kwargs, site):
        return None


_METHODS = {
    "add_argument": ArgumentParser.add_argument,
    "add_argument_group": ArgumentParser.add_argument_group,
    "add_mutually_exclusive_group": ArgumentParser.add_argument_group,
    "set_defaults": ArgumentParser.set_defaults,
    "parse_args": ArgumentParser.parse_args,
    "parse_known_args": ArgumentParser.parse_known_args,
    "print_help": ArgumentParser.ignore,
    "print_usage": ArgumentParser.ignore,
}


class Namespace(LibraryValue):
    """What ``parse_args()`` returns: the options' values, attributes the script may set too."""

    __slots__ = ("values", "complete")
    mutable_fields = ("values",)

    def __init__(self, values: dict, complete: bool = True):
        self.values = values
        self.complete = complete

    def _get_attr(self, interp, name, site):
        if name in self.values:
            return self.values[name]
        if not self.complete:
            return Unknown(f"the command-line option '{name}' is not known", site)
        return NOT_HANDLED

    def _set_attr(self, interp, name, value, site):
        self.values[name] = value
        return None


def _parser(interp, args, kwargs, site):
    prefix = kwargs.get("prefix_chars", "-")
    parents = kwargs.get("parents", [])
    if not isinstance(prefix, str) or not prefix or not isinstance(parents, (list, tuple)):
        return Unknown("an ArgumentParser set up in a way cnnlint does not model", site)
    parser = ArgumentParser(prefix, kwargs.get("argument_default"))
    for parent in parents:
        if not isinstance(parent, ArgumentParser):
            parser.complete = False
            continue
        parser.options.update(parent.options)
        parser.defaults.update(parent.defaults)
        parser.complete = parser.complete and parent.complete
    return parser


def _namespace(interp, args, kwargs, site):
    return Namespace(dict(kwargs)) if "**" not in kwargs else kwargs["**"]


FUNCTIONS = {
    "argparse.ArgumentParser": _parser,
    "argparse.Namespace": _namespace,
}
